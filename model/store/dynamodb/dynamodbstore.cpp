#include "model/store/dynamodb/dynamodbstore.h"

#include "model/json/jsoncodec.h"
#include "model/schema/modelinference.h"

#include <nlohmann/json.hpp>

#include <QDeadlineTimer>
#include <QDir>
#include <QFile>
#include <QFileInfo>
#include <QMutex>
#include <QRandomGenerator>
#include <QSaveFile>
#include <QSet>
#include <QStandardPaths>
#include <QThread>
#include <QUrlQuery>

#include <algorithm>
#include <atomic>
#include <map>
#include <thread>
#include <tuple>
#include <utility>

/// The expression attribute names (#n0) and values (:v0) of one request.
class DynamoDbExpression
{
public:
    QString name(const QString &attribute)
    {
        auto it = m_names.constFind(attribute);
        if (it != m_names.cend())
            return it.value();
        const QString placeholder = QStringLiteral("#n%1").arg(m_nameOrder.size());
        m_names.insert(attribute, placeholder);
        m_nameOrder << attribute;
        return placeholder;
    }

    QString value(const Value &v)
    {
        const QByteArray json = JsonCodec::toDynamoValue(v);
        auto it = m_valueIndex.constFind(json);
        if (it != m_valueIndex.cend())
            return it.value();
        const QString placeholder = QStringLiteral(":v%1").arg(m_values.size());
        m_valueIndex.insert(json, placeholder);
        m_values << json;
        return placeholder;
    }

    QString path(const std::vector<PathElement> &elements)
    {
        QString out;
        for (const PathElement &e : elements) {
            if (e.isIndex())
                out += QStringLiteral("[%1]").arg(e.index);
            else
                out += (out.isEmpty() ? QString() : QStringLiteral(".")) + name(e.key);
        }
        return out;
    }

    QString path(const QStringList &keys)
    {
        QString out;
        for (const QString &k : keys)
            out += (out.isEmpty() ? QString() : QStringLiteral(".")) + name(k);
        return out;
    }

    /// ,"ExpressionAttributeNames":{...},"ExpressionAttributeValues":{...} (only the non-empty).
    void appendTo(QByteArray &body) const
    {
        if (!m_nameOrder.isEmpty()) {
            body += ",\"ExpressionAttributeNames\":{";
            for (qsizetype i = 0; i < m_nameOrder.size(); ++i) {
                if (i > 0)
                    body += ',';
                JsonCodec::appendJsonString(body, m_names.value(m_nameOrder[i]));
                body += ':';
                JsonCodec::appendJsonString(body, m_nameOrder[i]);
            }
            body += '}';
        }
        if (!m_values.isEmpty()) {
            body += ",\"ExpressionAttributeValues\":{";
            for (qsizetype i = 0; i < m_values.size(); ++i) {
                if (i > 0)
                    body += ',';
                body += "\":v" + QByteArray::number(i) + "\":" + m_values[i];
            }
            body += '}';
        }
    }

private:
    QHash<QString, QString> m_names;
    QStringList m_nameOrder;
    QHash<QByteArray, QString> m_valueIndex;
    QList<QByteArray> m_values;
};

namespace {

/// Builds a JSON object text field by field.
class JsonBody
{
public:
    JsonBody &raw(const char *name, const QByteArray &json)
    {
        separator();
        m_out += '"';
        m_out += name;
        m_out += "\":";
        m_out += json;
        return *this;
    }
    JsonBody &string(const char *name, const QString &text)
    {
        QByteArray json;
        JsonCodec::appendJsonString(json, text);
        return raw(name, json);
    }
    JsonBody &number(const char *name, qint64 n) { return raw(name, QByteArray::number(n)); }
    JsonBody &boolean(const char *name, bool b) { return raw(name, b ? "true" : "false"); }
    /// The expression attribute names and values (after at least one field).
    JsonBody &expression(const DynamoDbExpression &expr)
    {
        expr.appendTo(m_out);
        return *this;
    }
    QByteArray take() { return m_out + '}'; }

private:
    void separator()
    {
        if (m_out.size() > 1)
            m_out += ',';
    }
    QByteArray m_out = "{";
};

QByteArray keyJson(const QString &hashKey, const Value &key)
{
    return JsonCodec::toDynamoItem(Value::map({{hashKey, key}}));
}

QString keyWords(const Value &key)
{
    return key.isString() ? u'"' + key.text() + u'"' : key.text();
}

/// Equal as DynamoDB stores values: numbers compare by value ("1.50" is "1.5").
bool sameValue(const Value &a, const Value &b)
{
    if (a.type() != b.type())
        return false;
    switch (a.type()) {
    case Value::Type::Number:
        return compareNumbers(a.text(), b.text()) == 0;
    case Value::Type::NumberSet: {
        if (a.textItems().size() != b.textItems().size())
            return false;
        QSet<QString> left;
        for (const QString &n : a.textItems())
            left.insert(canonicalNumber(n));
        for (const QString &n : b.textItems()) {
            if (!left.contains(canonicalNumber(n)))
                return false;
        }
        return true;
    }
    case Value::Type::Map: {
        const Value::Map &x = a.toMap();
        const Value::Map &y = b.toMap();
        if (x.size() != y.size())
            return false;
        for (auto it = x.cbegin(); it != x.cend(); ++it) {
            auto other = y.constFind(it.key());
            if (other == y.cend() || !sameValue(it.value(), other.value()))
                return false;
        }
        return true;
    }
    case Value::Type::List: {
        const Value::List &x = a.toList();
        const Value::List &y = b.toList();
        if (x.size() != y.size())
            return false;
        for (qsizetype i = 0; i < x.size(); ++i) {
            if (!sameValue(x[i], y[i]))
                return false;
        }
        return true;
    }
    default:
        return a == b;
    }
}

/// Conditions that hold exactly when the value at `pathExpr` equals `v`: scalars and sets with
/// `=`, null by its type, maps and lists by type and size and then member by member (DynamoDB
/// compares maps and lists as a whole, but not every compatible engine does).
void equalsConditions(DynamoDbExpression &expr, const QString &pathExpr, const Value &v,
                      QStringList &clauses)
{
    switch (v.type()) {
    case Value::Type::Null:
        clauses << QStringLiteral("attribute_type(%1, %2)")
                       .arg(pathExpr, expr.value(Value::string(QStringLiteral("NULL"))));
        return;
    case Value::Type::Map: {
        clauses << QStringLiteral("attribute_type(%1, %2)")
                       .arg(pathExpr, expr.value(Value::string(QStringLiteral("M"))));
        clauses
            << QStringLiteral("size(%1) = %2").arg(pathExpr, expr.value(Value::integer(v.size())));
        const Value::Map &m = v.toMap();
        for (auto it = m.cbegin(); it != m.cend(); ++it)
            equalsConditions(expr, pathExpr + u'.' + expr.name(it.key()), it.value(), clauses);
        return;
    }
    case Value::Type::List: {
        clauses << QStringLiteral("attribute_type(%1, %2)")
                       .arg(pathExpr, expr.value(Value::string(QStringLiteral("L"))));
        clauses
            << QStringLiteral("size(%1) = %2").arg(pathExpr, expr.value(Value::integer(v.size())));
        const Value::List &l = v.toList();
        for (qsizetype i = 0; i < l.size(); ++i)
            equalsConditions(expr, pathExpr + QStringLiteral("[%1]").arg(i), l[i], clauses);
        return;
    }
    default:
        clauses << QStringLiteral("%1 = %2").arg(pathExpr, expr.value(v));
        return;
    }
}

/// The condition "the stored record is exactly `record`" over its attributes (or only those in
/// `only` when given), plus "still absent" for `absent`.
QString recordCondition(DynamoDbExpression &expr, const Value &record, const QStringList &absent,
                        const QSet<QString> *only = nullptr)
{
    QStringList clauses;
    const Value::Map &m = record.toMap();
    for (auto it = m.cbegin(); it != m.cend(); ++it) {
        if (only && !only->contains(it.key()))
            continue;
        equalsConditions(expr, expr.name(it.key()), it.value(), clauses);
    }
    for (const QString &name : absent)
        clauses << QStringLiteral("attribute_not_exists(%1)").arg(expr.name(name));
    return clauses.join(QStringLiteral(" AND "));
}

qint64 numberSize(const QString &text)
{
    int digits = 0;
    for (QChar c : text) {
        if (c == u'e' || c == u'E')
            break;
        if (c.isDigit())
            ++digits;
    }
    return (digits + 1) / 2 + 1;
}

qint64 valueSize(const Value &v)
{
    switch (v.type()) {
    case Value::Type::Null:
    case Value::Type::Bool:
        return 1;
    case Value::Type::Number:
        return numberSize(v.text());
    case Value::Type::String:
        return v.text().toUtf8().size();
    case Value::Type::Binary:
        return v.bytes().size();
    case Value::Type::Map: {
        qint64 n = 3;
        const Value::Map &m = v.toMap();
        for (auto it = m.cbegin(); it != m.cend(); ++it)
            n += 1 + it.key().toUtf8().size() + valueSize(it.value());
        return n;
    }
    case Value::Type::List: {
        qint64 n = 3;
        for (const Value &item : v.toList())
            n += 1 + valueSize(item);
        return n;
    }
    case Value::Type::StringSet: {
        qint64 n = 0;
        for (const QString &s : v.textItems())
            n += s.toUtf8().size();
        return n;
    }
    case Value::Type::NumberSet: {
        qint64 n = 0;
        for (const QString &s : v.textItems())
            n += numberSize(s);
        return n;
    }
    case Value::Type::BinarySet: {
        qint64 n = 0;
        for (const QByteArray &b : v.binaryItems())
            n += b.size();
        return n;
    }
    }
    return 0;
}

bool isDocumentPathError(const Error &e)
{
    return e.kind == ErrorKind::Invalid &&
           e.message.contains(QStringLiteral("document path"), Qt::CaseInsensitive);
}

bool pathHasIndex(const ResolvedPath &path)
{
    return std::any_of(path.elements.begin(), path.elements.end(),
                       [](const PathElement &e) { return e.isIndex(); });
}

/// True when one path is a prefix of the other (DynamoDB refuses both in one expression).
bool overlaps(const ResolvedPath &a, const ResolvedPath &b)
{
    const std::size_t n = std::min(a.elements.size(), b.elements.size());
    for (std::size_t i = 0; i < n; ++i) {
        const PathElement &x = a.elements[i];
        const PathElement &y = b.elements[i];
        if (x.isIndex() != y.isIndex() || (x.isIndex() ? x.index != y.index : x.key != y.key))
            return false;
    }
    return true;
}

QString fieldKindTag(FieldKind kind)
{
    switch (kind) {
    case FieldKind::Str:
        return QStringLiteral("S");
    case FieldKind::Bytes:
        return QStringLiteral("B");
    default:
        return QStringLiteral("N");
    }
}

/// The model file text with "table" set to the table it is kept for.
QByteArray modelJsonFor(const QString &table, const TableModel &model)
{
    return model.toJson(table);
}

Result<std::optional<Value>> itemFrom(const Value &response, const char *member)
{
    const Value *item = response.find(QString::fromLatin1(member));
    if (!item)
        return std::optional<Value>();
    auto parsed = JsonCodec::fromDynamoItemTree(*item);
    if (!parsed)
        return makeError(ErrorKind::Backend,
                         QStringLiteral("DynamoDB answered with an item that cannot be read: %1")
                             .arg(parsed.error().toString()));
    return std::optional<Value>(std::move(*parsed));
}

QString hostKey(const QUrl &endpoint)
{
    QString key = endpoint.host();
    if (endpoint.port() != -1)
        key += u'_' + QString::number(endpoint.port());
    for (QChar &c : key) {
        if (!(c.isLetterOrNumber() || c == u'.' || c == u'-' || c == u'_'))
            c = u'_';
    }
    return key;
}

} // namespace

// ---------------------------------------------------------------------------------------------
// Opening

Result<DynamoDbStore::Config>
DynamoDbStore::configFromLocation(const QString &location, const AwsSettings &explicitSettings,
                                  const QProcessEnvironment &environment)
{
    const QUrl url(location, QUrl::StrictMode);
    const QString scheme = url.scheme().toLower();
    // Messages never repeat keys someone typed into the location.
    const QString shown = url.userInfo().isEmpty() ? location : url.toString(QUrl::RemoveUserInfo);
    auto bad = [&](const QString &why) {
        return makeError(
            ErrorKind::Unavailable,
            QStringLiteral("%1 is not a DynamoDB location: %2. Use dynamodb://HOST:PORT?region=R, "
                           "dynamodbs://HOST?region=R or dynamodb://aws?region=R&profile=P")
                .arg(shown, why),
            shown);
    };
    if (!url.isValid())
        return bad(url.errorString());
    if (scheme != u"dynamodb" && scheme != u"dynamodbs")
        return bad(QStringLiteral("the scheme must be dynamodb or dynamodbs"));
    if (url.host().isEmpty())
        return bad(QStringLiteral("it names no host"));
    if (!url.userInfo().isEmpty())
        return bad(QStringLiteral(
            "credentials do not belong in a location (use the environment, a profile or "
            "the connection dialog)"));
    if (!url.path().isEmpty() && url.path() != u"/")
        return bad(QStringLiteral("it has a path (%1)").arg(url.path()));

    AwsSettings settings = explicitSettings;
    const QUrlQuery query(url);
    // Retry and timeout parameters, checked once the profile's settings are known.
    QList<std::pair<QString, QString>> network;
    for (const auto &[name, value] : query.queryItems(QUrl::FullyDecoded)) {
        if (name == u"region") {
            if (settings.region.isEmpty())
                settings.region = value;
        } else if (name == u"profile") {
            if (settings.profile.isEmpty())
                settings.profile = value;
        } else if (name == u"connect_timeout" || name == u"read_timeout" || name == u"deadline" ||
                   name == u"max_attempts") {
            for (const auto &[seen, ignored] : std::as_const(network)) {
                if (seen == name)
                    return bad(QStringLiteral("it gives %1 twice").arg(name));
            }
            network.append({name, value});
        } else {
            return bad(QStringLiteral("unknown option \"%1\" (region, profile, connect_timeout, "
                                      "read_timeout, deadline and max_attempts are known)")
                           .arg(name));
        }
    }

    const bool aws = url.host().compare(QStringLiteral("aws"), Qt::CaseInsensitive) == 0;
    auto resolved = AwsCredentialResolver(environment).resolve(settings);
    if (!resolved)
        return resolved.error();
    Config config;
    config.location = location;
    config.region = resolved->region;
    config.credentials = resolved->credentials;
    // Timeouts and attempts: the defaults, then the AWS settings, then the location's.
    DynamoDbClient::Options &options = config.clientOptions;
    auto badSetting = [&](const Error &e) {
        return makeError(ErrorKind::Unavailable, QStringLiteral("%1: %2").arg(shown, e.message),
                         shown);
    };
    if (const auto &s = resolved->maxAttempts; !s.value.isEmpty()) {
        auto attempts = DynamoDbClient::Options::parseAttempts(s.value, s.source);
        if (!attempts)
            return badSetting(attempts.error());
        options.maxRetries = *attempts - 1;
    }
    for (const auto *s : {&resolved->connectTimeout, &resolved->readTimeout}) {
        if (s->value.isEmpty())
            continue;
        auto ms = DynamoDbClient::Options::parseSeconds(s->value, s->source, true);
        if (!ms)
            return badSetting(ms.error());
        (s == &resolved->connectTimeout ? options.connectTimeoutMs : options.readTimeoutMs) = *ms;
    }
    for (const auto &[name, value] : std::as_const(network)) {
        if (name == u"max_attempts") {
            auto attempts = DynamoDbClient::Options::parseAttempts(value, name);
            if (!attempts)
                return badSetting(attempts.error());
            options.maxRetries = *attempts - 1;
            continue;
        }
        auto ms = DynamoDbClient::Options::parseSeconds(value, name, name != u"deadline");
        if (!ms)
            return badSetting(ms.error());
        if (name == u"connect_timeout")
            options.connectTimeoutMs = *ms;
        else if (name == u"read_timeout")
            options.readTimeoutMs = *ms;
        else
            options.deadlineMs = *ms;
    }
    if (aws) {
        if (config.region.isEmpty())
            return makeError(
                ErrorKind::Unavailable,
                QStringLiteral(
                    "%1 needs a region: add ?region=R, or set AWS_REGION, or a region in "
                    "the profile \"%2\"")
                    .arg(location, resolved->profile),
                location);
        config.endpoint.setScheme(QStringLiteral("https"));
        config.endpoint.setHost(QStringLiteral("dynamodb.%1.amazonaws.com").arg(config.region));
        if (url.port() != -1)
            return bad(QStringLiteral("the AWS endpoint takes no port"));
    } else {
        config.endpoint.setScheme(scheme == u"dynamodbs" ? QStringLiteral("https")
                                                         : QStringLiteral("http"));
        config.endpoint.setHost(url.host());
        if (url.port() != -1)
            config.endpoint.setPort(url.port());
        else if (scheme == u"dynamodb")
            return bad(QStringLiteral("a local engine needs its port (dynamodb://%1:PORT)")
                           .arg(url.host()));
        if (config.region.isEmpty())
            config.region = QStringLiteral("us-east-1"); // local engines ignore it
    }
    if (!config.credentials.isComplete()) {
        if (!config.credentials.accessKeyId.isEmpty())
            return makeError(ErrorKind::Unavailable,
                             QStringLiteral("the %1 has no secret access key")
                                 .arg(config.credentials.describe()),
                             location);
        if (aws)
            return makeError(
                ErrorKind::Unavailable,
                QStringLiteral(
                    "no AWS credentials were found for %1 (%2); set AWS_ACCESS_KEY_ID and "
                    "AWS_SECRET_ACCESS_KEY, or name a profile with ?profile=P")
                    .arg(location, config.credentials.source),
                location);
        // DynamoDB Local, dynalite, Alternator and LocalStack accept any signed request; DynamoDB
        // Local only with an access key of letters and digits.
        config.credentials.accessKeyId = QStringLiteral("StructDeskLocal");
        config.credentials.secretAccessKey = QStringLiteral("structdesk-local");
        config.credentials.sessionToken.clear();
        config.credentials.source = QStringLiteral(
            "placeholder credentials (none are configured; local engines accept any)");
    }
    return config;
}

DynamoDbStore::DynamoDbStore(Config config)
    : m_config(std::move(config)),
      m_client(std::make_unique<DynamoDbClient>(m_config.endpoint, m_config.region,
                                                m_config.credentials, m_config.clientOptions))
{
    if (m_config.modelDirectory.isEmpty()) {
        QString base = QStandardPaths::writableLocation(QStandardPaths::AppDataLocation);
        if (base.isEmpty())
            base = QDir::homePath() + QStringLiteral("/.local/share/StructDesk");
        m_config.modelDirectory =
            base + QStringLiteral("/dynamodb-models/") + hostKey(m_config.endpoint);
    }
}

DynamoDbStore::~DynamoDbStore() = default;

Result<std::unique_ptr<DynamoDbStore>> DynamoDbStore::open(Config config)
{
    std::unique_ptr<DynamoDbStore> store(new DynamoDbStore(std::move(config)));
    // An empty TransactWriteItems is refused as invalid where the operation exists, and as an
    // unknown operation where it does not. It writes nothing and checks the credentials.
    auto probe =
        store->m_client->call(QStringLiteral("TransactWriteItems"), R"({"TransactItems":[]})");
    if (probe) {
        store->m_transactions = true;
    } else {
        const QString type = store->m_client->lastFailure().type;
        switch (probe.error().kind) {
        case ErrorKind::Invalid:
            store->m_transactions = true;
            break;
        case ErrorKind::Unavailable:
        case ErrorKind::Throttled:
            return Error{probe.error().kind, probe.error().message, store->location()};
        default:
            if (DynamoDbClient::isCredentialType(type) && type != u"AccessDeniedException")
                return makeError(ErrorKind::Unavailable, probe.error().message, store->location());
            if (store->m_client->lastFailure().httpStatus == 0 || type.isEmpty())
                return makeError(ErrorKind::Unavailable, probe.error().message, store->location());
            store->m_transactions = false; // UnknownOperationException, AccessDenied, ...
        }
    }
    return store;
}

Result<std::unique_ptr<DynamoDbStore>>
DynamoDbStore::openLocation(const QString &location, const AwsSettings &explicitSettings)
{
    auto config = configFromLocation(location, explicitSettings);
    if (!config)
        return config.error();
    return open(std::move(*config));
}

StoreCapabilities DynamoDbStore::capabilities() const
{
    StoreCapabilities c;
    c.exactCount = false;
    c.transactions = m_transactions;
    c.maxTransactionWrites = m_transactions ? 100 : 0;
    c.readOnly = false;
    return c;
}

Result<Value> DynamoDbStore::call(const QString &operation, const QByteArray &body,
                                  const std::function<bool()> &cancelled)
{
    return m_client->call(operation, body, cancelled);
}

QString DynamoDbStore::modelFile(const QString &table) const
{
    return m_config.modelDirectory + u'/' + table + QStringLiteral(".json");
}

qint64 DynamoDbStore::itemSize(const Value &record)
{
    if (!record.isMap())
        return valueSize(record);
    qint64 n = 0;
    const Value::Map &m = record.toMap();
    for (auto it = m.cbegin(); it != m.cend(); ++it)
        n += it.key().toUtf8().size() + valueSize(it.value());
    return n;
}

// ---------------------------------------------------------------------------------------------
// Tables and models

Result<QStringList> DynamoDbStore::listTables()
{
    QStringList names;
    QString start;
    for (;;) {
        JsonBody body;
        body.number("Limit", 100);
        if (!start.isEmpty())
            body.string("ExclusiveStartTableName", start);
        auto response = call(QStringLiteral("ListTables"), body.take());
        if (!response)
            return response.error();
        if (const Value *list = response->find(QStringLiteral("TableNames"));
            list && list->isList()) {
            for (const Value &name : list->toList())
                names << name.text();
        }
        const Value *last = response->find(QStringLiteral("LastEvaluatedTableName"));
        if (!last || !last->isString() || last->text().isEmpty())
            break;
        start = last->text();
    }
    return names;
}

Result<TableModelPtr> DynamoDbStore::describeKey(const QString &table)
{
    auto described =
        call(QStringLiteral("DescribeTable"), JsonBody().string("TableName", table).take());
    if (!described) {
        if (described.error().kind == ErrorKind::NotFound)
            return makeError(ErrorKind::NotFound,
                             QStringLiteral("there is no table %1 at %2").arg(table, location()),
                             table);
        return described.error();
    }
    if (m_describing)
        m_description = {table, *described};
    const Value *t = described->find(QStringLiteral("Table"));
    if (!t || !t->isMap())
        return makeError(ErrorKind::Backend,
                         QStringLiteral("DescribeTable of %1 gave no table description").arg(table),
                         table);
    QString hashKey;
    QString rangeKey;
    if (const Value *schema = t->find(QStringLiteral("KeySchema")); schema && schema->isList()) {
        for (const Value &k : schema->toList()) {
            const Value *name = k.find(QStringLiteral("AttributeName"));
            const Value *type = k.find(QStringLiteral("KeyType"));
            if (!name || !type)
                continue;
            if (type->text() == u"HASH")
                hashKey = name->text();
            else if (type->text() == u"RANGE")
                rangeKey = name->text();
        }
    }
    if (hashKey.isEmpty())
        return makeError(ErrorKind::Backend,
                         QStringLiteral("DescribeTable of %1 gave no hash key").arg(table), table);
    if (!rangeKey.isEmpty())
        return makeError(
            ErrorKind::Invalid,
            QStringLiteral(
                "table %1 has a sort key (%2); StructNoSQL tables are addressed by their "
                "hash key alone, and StructDesk supports only those")
                .arg(table, rangeKey),
            table);
    QString keyType = QStringLiteral("S");
    if (const Value *defs = t->find(QStringLiteral("AttributeDefinitions"));
        defs && defs->isList()) {
        for (const Value &d : defs->toList()) {
            const Value *name = d.find(QStringLiteral("AttributeName"));
            const Value *type = d.find(QStringLiteral("AttributeType"));
            if (name && type && name->text() == hashKey)
                keyType = type->text();
        }
    }
    if (keyType == u"B")
        return makeError(
            ErrorKind::Invalid,
            QStringLiteral(
                "table %1 has a binary key (%2); StructDesk supports string and number keys")
                .arg(table, hashKey),
            table);
    return TableModel::keyOnly(table, hashKey, keyType == u"N" ? FieldKind::Float : FieldKind::Str);
}

Result<TableModelPtr> DynamoDbStore::loadModel(const QString &table)
{
    m_inferredFrom.remove(table);
    auto live = describeKey(table);
    if (!live)
        return live;
    const QString hashKey = (*live)->hashKey();
    const QString keyType = fieldKindTag((*live)->hashKeyType());
    QFile file(modelFile(table));
    if (file.exists()) {
        auto attached = TableModel::fromFile(file.fileName());
        if (!attached) {
            qWarning("StructDesk: the model attached to %s cannot be read, ignoring it: %s",
                     qPrintable(table), qPrintable(attached.error().toString()));
        } else if ((*attached)->hashKey() != hashKey ||
                   fieldKindTag((*attached)->hashKeyType()) != keyType) {
            qWarning("StructDesk: the model attached to %s has the key %s, the table %s; "
                     "ignoring it",
                     qPrintable(table), qPrintable((*attached)->hashKey()), qPrintable(hashKey));
        } else {
            return *attached;
        }
    }
    if (m_describing) {
        // describeTable() lists tables: the sample waits for the table's first use.
        m_inferencePending = true;
        return *live;
    }
    return inferModel(table, *live);
}

namespace {

/// Makes every field of an inferred field object optional, at every level of maps and items.
void makeOptional(nlohmann::ordered_json &field)
{
    if (!field.is_object())
        return;
    field.erase("required");
    if (auto fields = field.find("fields"); fields != field.end() && fields->is_object()) {
        for (auto &member : fields->items())
            makeOptional(member.value());
    }
    if (auto items = field.find("items"); items != field.end())
        makeOptional(*items);
}

} // namespace

TableModelPtr DynamoDbStore::inferModel(const QString &table, const TableModelPtr &keyOnly)
{
    // One Scan page, read directly: scan() asks model() for the key and would come back here.
    // DynamoDB returns at most 1 MB per page, which bounds the sample's size; the deadline
    // bounds its time (retries included). An eventually consistent read is enough for a sample.
    QDeadlineTimer deadline(kModelSampleMs);
    auto response = call(QStringLiteral("Scan"),
                         JsonBody()
                             .string("TableName", table)
                             .number("Limit", kModelSampleSize)
                             .boolean("ConsistentRead", false)
                             .take(),
                         [&deadline] { return deadline.hasExpired(); });
    if (!response) {
        qWarning("StructDesk: no model is attached to %s and its records cannot be sampled, "
                 "using the key only: %s",
                 qPrintable(table), qPrintable(response.error().toString()));
        return keyOnly;
    }
    const QString &hashKey = keyOnly->hashKey();
    ModelInference inference;
    // Records holding each attribute, and holding it as a scalar: to order the fields.
    QHash<QString, int> presence;
    QHash<QString, int> scalars;
    if (const Value *items = response->find(QStringLiteral("Items")); items && items->isList()) {
        for (const Value &tree : items->toList()) {
            auto record = JsonCodec::fromDynamoItemTree(tree);
            if (!record || !record->isMap())
                continue; // a record that cannot be read says nothing about the others
            // The key's type is DescribeTable's, not the sample's: a number key holding 1 and
            // 1.5 would stop the inference, so it sees the key's text as a (unique) string.
            Value::Map &members = record->mapRef();
            if (auto key = members.find(hashKey); key != members.end())
                *key = Value::string(key->text());
            for (auto it = members.cbegin(); it != members.cend(); ++it) {
                ++presence[it.key()];
                const Value &v = it.value();
                if (!v.isMap() && !v.isList() && !v.isSet())
                    ++scalars[it.key()];
            }
            inference.add(*record);
        }
    }
    if (inference.records() == 0)
        return keyOnly;
    ModelInference::Options options;
    options.table = table;
    options.hashKey = hashKey;
    auto inferred = inference.model(options);
    if (!inferred) {
        qWarning("StructDesk: no model is attached to %s and none can be inferred from its "
                 "records, using the key only: %s",
                 qPrintable(table), qPrintable(inferred.error().toString()));
        return keyOnly;
    }

    // A sample proves nothing about absent fields: nothing is required but the key, whose
    // type is the table's (a number key is a float, any number, as in the key-only model).
    nlohmann::ordered_json json =
        nlohmann::ordered_json::parse((*inferred)->toJson().toStdString(), nullptr, false);
    if (json.is_discarded() || !json.is_object() || !json.contains("fields"))
        return keyOnly;
    json["table"] = table.toStdString();
    const std::string keyName = hashKey.toStdString();
    const std::string keyTypeName = fieldKindName(keyOnly->hashKeyType()).toStdString();
    json["primaryIndex"] = {{"hashKey", keyName}, {"hashKeyType", keyTypeName}};
    for (auto &member : json["fields"].items())
        makeOptional(member.value());
    json["fields"][keyName] = {{"type", keyTypeName}, {"required", true}};
    // The grid shows the root fields in the model's order, and summarises maps, lists and
    // sets in their cells: the key first, then the attributes mostly held as scalars, each
    // group with the attributes most records hold first (alphabetical among equals).
    std::vector<std::pair<std::string, nlohmann::ordered_json>> fields;
    for (auto &member : json["fields"].items())
        fields.emplace_back(member.key(), std::move(member.value()));
    auto rank = [&](const std::string &name) {
        const QString n = QString::fromStdString(name);
        const int held = presence.value(n);
        const bool scalar = 2 * scalars.value(n) >= held;
        return std::make_tuple(name == keyName ? 0 : 1, scalar ? 0 : 1, -held);
    };
    std::stable_sort(fields.begin(), fields.end(),
                     [&](const auto &a, const auto &b) { return rank(a.first) < rank(b.first); });
    nlohmann::ordered_json ordered = nlohmann::ordered_json::object();
    for (auto &[name, field] : fields)
        ordered[name] = std::move(field);
    json["fields"] = std::move(ordered);
    auto model = TableModel::fromJson(QByteArray::fromStdString(json.dump(2)),
                                      QStringLiteral("the model inferred from %1").arg(table));
    if (!model) {
        qWarning("StructDesk: the model inferred from %s is not valid, using the key only: %s",
                 qPrintable(table), qPrintable(model.error().toString()));
        return keyOnly;
    }
    m_inferredFrom.insert(table, inference.records());
    // A guess from a sample: the Validator notes what does not fit instead of refusing it.
    return TableModel::advisoryCopy(**model);
}

void DynamoDbStore::forgetModel(const QString &table)
{
    invalidateModel(table);
    m_inferredFrom.remove(table);
}

Result<TableInfo> DynamoDbStore::describeTable(const QString &table)
{
    // Listing 50 tables must not read 50 samples of up to 1 MB: the model in force is asked for
    // in describing mode, where loadModel() stops short of the sample and reports the key-only
    // model as pending; that stand-in is forgotten at once, so the table's first real use
    // (model(), asked by every operation) infers the model. A model this connection already
    // holds (attached, or inferred earlier) is reported as it is, at no cost.
    m_describing = true;
    m_inferencePending = false;
    m_description.reset();
    auto m = model(table);
    m_describing = false;
    const bool pending = std::exchange(m_inferencePending, false);
    std::optional<std::pair<QString, Value>> description = std::exchange(m_description, {});
    if (pending)
        invalidateModel(table);
    if (!m)
        return m.error();
    Result<Value> described =
        description && description->first == table
            ? Result<Value>(std::move(description->second))
            : call(QStringLiteral("DescribeTable"), JsonBody().string("TableName", table).take());
    if (!described)
        return described.error();
    TableInfo info;
    info.name = table;
    info.model = *m;
    info.hasModel = (*m)->declaresFields();
    info.inferredFrom = pending ? -1 : m_inferredFrom.value(table, 0);
    if (const Value *t = described->find(QStringLiteral("Table"))) {
        if (const Value *n = t->find(QStringLiteral("ItemCount")); n && n->isNumber())
            info.count = n->text().toLongLong();
    }
    info.countExact = false;
    // DynamoDB refreshes ItemCount about every six hours (dynalite never does): a table filled
    // since says 0. Where a record proves otherwise (the model's sample, or a Scan of one
    // record), the count is unknown.
    if (info.count == 0 && info.inferredFrom > 0) {
        info.count = -1;
    } else if (info.count == 0) {
        auto any = call(QStringLiteral("Scan"), JsonBody()
                                                    .string("TableName", table)
                                                    .number("Limit", 1)
                                                    .string("Select", QStringLiteral("COUNT"))
                                                    .take());
        const Value *n = any ? any->find(QStringLiteral("Count")) : nullptr;
        if (!n || !n->isNumber() || n->text() != u"0")
            info.count = -1;
    }
    // An empty table has nothing to infer from: the key-only model is the answer.
    if (pending && info.count == 0)
        info.inferredFrom = 0;
    return info;
}

Status DynamoDbStore::waitForTable(const QString &table, bool untilGone)
{
    QDeadlineTimer deadline(120 * 1000);
    int pause = 20;
    for (;;) {
        auto described =
            call(QStringLiteral("DescribeTable"), JsonBody().string("TableName", table).take());
        if (!described) {
            if (described.error().kind == ErrorKind::NotFound && untilGone)
                return okStatus();
            if (described.error().kind != ErrorKind::NotFound)
                return described.error();
        } else if (!untilGone) {
            const Value *t = described->find(QStringLiteral("Table"));
            bool active = t && t->find(QStringLiteral("TableStatus")) &&
                          t->find(QStringLiteral("TableStatus"))->text() == u"ACTIVE";
            if (active && t) {
                if (const Value *gsis = t->find(QStringLiteral("GlobalSecondaryIndexes"));
                    gsis && gsis->isList()) {
                    for (const Value &g : gsis->toList()) {
                        const Value *s = g.find(QStringLiteral("IndexStatus"));
                        if (s && s->text() != u"ACTIVE")
                            active = false;
                    }
                }
            }
            if (active)
                return okStatus();
        }
        if (deadline.hasExpired())
            return makeError(ErrorKind::Unavailable,
                             QStringLiteral("table %1 is still %2 after two minutes")
                                 .arg(table, untilGone ? QStringLiteral("being deleted")
                                                       : QStringLiteral("being created")),
                             table);
        QThread::msleep(pause);
        pause = std::min(pause * 2, 500);
    }
}

Status DynamoDbStore::createTable(const QString &table, const TableModel &model)
{
    const QString problem = TableModel::checkTableName(table);
    if (!problem.isEmpty())
        return makeError(ErrorKind::Invalid, problem, table);
    if (!model.primaryIndex().sortKey.isEmpty())
        return makeError(
            ErrorKind::Invalid,
            QStringLiteral(
                "tables with a sort key are not supported: StructNoSQL addresses records by "
                "their hash key alone"),
            table);
    // Every key attribute once, with one type.
    QList<std::pair<QString, QString>> definitions;
    auto define = [&](const QString &name, FieldKind kind) -> Status {
        const QString tag = fieldKindTag(kind);
        for (const auto &[n, t] : definitions) {
            if (n == name) {
                if (t != tag)
                    return makeError(ErrorKind::Invalid,
                                     QStringLiteral("the key attribute %1 is used as %2 and as %3")
                                         .arg(name, t, tag),
                                     table);
                return okStatus();
            }
        }
        definitions.append({name, tag});
        return okStatus();
    };
    if (auto s = define(model.hashKey(), model.hashKeyType()); !s)
        return s;
    auto keySchema = [](const QString &hash, const QString &range) {
        QByteArray out = "[{\"AttributeName\":";
        JsonCodec::appendJsonString(out, hash);
        out += ",\"KeyType\":\"HASH\"}";
        if (!range.isEmpty()) {
            out += ",{\"AttributeName\":";
            JsonCodec::appendJsonString(out, range);
            out += ",\"KeyType\":\"RANGE\"}";
        }
        return out + ']';
    };
    QByteArray indexes;
    for (const IndexSpec &index : model.secondaryIndexes()) {
        if (auto s = define(index.hashKey, index.hashKeyType); !s)
            return s;
        if (!index.sortKey.isEmpty()) {
            if (auto s = define(index.sortKey, index.sortKeyType); !s)
                return s;
        }
        const QString name = index.name.isEmpty() ? index.hashKey : index.name;
        if (const QString p = TableModel::checkTableName(name); !p.isEmpty())
            return makeError(ErrorKind::Invalid, QStringLiteral("index %1: %2").arg(name, p),
                             table);
        QByteArray projection = "{\"ProjectionType\":";
        JsonCodec::appendJsonString(projection, index.projection);
        if (index.projection == u"INCLUDE") {
            projection += ",\"NonKeyAttributes\":[";
            for (qsizetype i = 0; i < index.nonKeyAttributes.size(); ++i) {
                if (i > 0)
                    projection += ',';
                JsonCodec::appendJsonString(projection, index.nonKeyAttributes[i]);
            }
            projection += ']';
        }
        projection += '}';
        indexes += indexes.isEmpty() ? "[" : ",";
        indexes += "{\"IndexName\":";
        JsonCodec::appendJsonString(indexes, name);
        indexes += ",\"KeySchema\":" + keySchema(index.hashKey, index.sortKey) +
                   ",\"Projection\":" + projection + '}';
    }
    QByteArray defs = "[";
    for (qsizetype i = 0; i < definitions.size(); ++i) {
        if (i > 0)
            defs += ',';
        defs += "{\"AttributeName\":";
        JsonCodec::appendJsonString(defs, definitions[i].first);
        defs += ",\"AttributeType\":\"" + definitions[i].second.toLatin1() + "\"}";
    }
    defs += ']';
    JsonBody body;
    body.string("TableName", table)
        .raw("AttributeDefinitions", defs)
        .raw("KeySchema", keySchema(model.hashKey(), {}))
        .string("BillingMode", QStringLiteral("PAY_PER_REQUEST"));
    if (!indexes.isEmpty())
        body.raw("GlobalSecondaryIndexes", indexes + ']');
    auto created = call(QStringLiteral("CreateTable"), body.take());
    if (!created) {
        if (created.error().kind == ErrorKind::Exists)
            return makeError(ErrorKind::Exists,
                             QStringLiteral("table %1 already exists").arg(table), table);
        return created.error();
    }
    if (auto w = waitForTable(table, false); !w)
        return w;
    forgetModel(table);
    if (model.declaresFields())
        return setModel(table, model);
    QFile::remove(modelFile(table));
    return okStatus();
}

Status DynamoDbStore::dropTable(const QString &table)
{
    auto deleted =
        call(QStringLiteral("DeleteTable"), JsonBody().string("TableName", table).take());
    if (!deleted) {
        if (deleted.error().kind == ErrorKind::NotFound)
            return makeError(ErrorKind::NotFound,
                             QStringLiteral("there is no table %1 at %2").arg(table, location()),
                             table);
        return deleted.error();
    }
    forgetModel(table);
    QFile::remove(modelFile(table));
    return waitForTable(table, true);
}

Status DynamoDbStore::setModel(const QString &table, const TableModel &newModel)
{
    // The table's own key, not an attached model's.
    const QString file = modelFile(table);
    auto live = describeKey(table);
    if (!live)
        return live.error();
    const bool keyMatches =
        (*live)->hashKey() == newModel.hashKey() &&
        fieldKindTag((*live)->hashKeyType()) == fieldKindTag(newModel.hashKeyType()) &&
        newModel.hashKeyType() != FieldKind::Bytes;
    if (!keyMatches)
        return makeError(
            ErrorKind::Invalid,
            QStringLiteral("the model's key %1 (%2) does not match the table's key %3 (%4)")
                .arg(newModel.hashKey(), fieldKindName(newModel.hashKeyType()), (*live)->hashKey(),
                     (*live)->hashKeyType() == FieldKind::Str ? QStringLiteral("str")
                                                              : QStringLiteral("number")),
            table);
    if (!QDir().mkpath(m_config.modelDirectory))
        return makeError(ErrorKind::Backend,
                         QStringLiteral("cannot create the folder %1 for table models")
                             .arg(m_config.modelDirectory));
    QSaveFile out(file);
    if (!out.open(QIODevice::WriteOnly))
        return makeError(ErrorKind::Backend,
                         QStringLiteral("cannot write %1: %2").arg(file, out.errorString()), file);
    out.write(modelJsonFor(table, newModel));
    if (!out.commit())
        return makeError(ErrorKind::Backend,
                         QStringLiteral("cannot write %1: %2").arg(file, out.errorString()), file);
    forgetModel(table);
    return okStatus();
}

Result<QString> DynamoDbStore::hashKeyOf(const QString &table)
{
    auto m = model(table);
    if (!m)
        return m.error();
    return (*m)->hashKey();
}

// ---------------------------------------------------------------------------------------------
// Records

Result<std::optional<Value>> DynamoDbStore::readItem(const QString &table, const Value &key)
{
    auto hashKey = hashKeyOf(table);
    if (!hashKey)
        return hashKey.error();
    auto response = call(QStringLiteral("GetItem"), JsonBody()
                                                        .string("TableName", table)
                                                        .raw("Key", keyJson(*hashKey, key))
                                                        .boolean("ConsistentRead", true)
                                                        .take());
    if (!response)
        return response.error();
    return itemFrom(*response, "Item");
}

Status DynamoDbStore::checkWritable(const Value &record, const Value &key)
{
    if (record.depth() > TableModel::kMaxDepth)
        return makeError(
            ErrorKind::Invalid,
            QStringLiteral(
                "the record nests deeper than %1 levels, DynamoDB's limit; nothing was written")
                .arg(TableModel::kMaxDepth),
            key.text());
    const qint64 size = itemSize(record);
    if (size > kMaxItemSize)
        return makeError(
            ErrorKind::Invalid,
            QStringLiteral(
                "the record is %1 KB; DynamoDB items are at most 400 KB; nothing was written")
                .arg((size + 1023) / 1024),
            key.text());
    return okStatus();
}

Status DynamoDbStore::putItem(const QString &table, const Value &key, const Value &record,
                              bool mustNotExist)
{
    auto hashKey = hashKeyOf(table);
    if (!hashKey)
        return hashKey.error();
    if (auto s = checkWritable(record, key); !s)
        return s;
    JsonBody body;
    body.string("TableName", table).raw("Item", JsonCodec::toDynamoItem(record));
    if (mustNotExist) {
        DynamoDbExpression expr;
        body.string("ConditionExpression",
                    QStringLiteral("attribute_not_exists(%1)").arg(expr.name(*hashKey)));
        body.expression(expr);
    }
    auto response = call(QStringLiteral("PutItem"), body.take());
    if (!response) {
        if (response.error().kind == ErrorKind::Conflict && mustNotExist)
            return makeError(
                ErrorKind::Exists,
                QStringLiteral("a record with the key %1 already exists; nothing was written")
                    .arg(key.text()),
                key.text());
        return response.error();
    }
    return okStatus();
}

Status DynamoDbStore::doPut(const QString &table, const Value &key, const Value &record)
{
    if (m_tx) {
        auto r = txRecord(table, key, true);
        if (!r)
            return r.error();
        if ((*r)->now)
            return makeError(
                ErrorKind::Exists,
                QStringLiteral("a record with the key %1 already exists; nothing was written")
                    .arg(key.text()),
                key.text());
        if (auto s = checkWritable(record, key); !s)
            return s;
        (*r)->now = record;
        (*r)->written = true;
        return okStatus();
    }
    return putItem(table, key, record, true);
}

Status DynamoDbStore::writeRaw(const QString &table, const Value &record, bool mustNotExist)
{
    auto m = model(table);
    if (!m)
        return m.error();
    auto key = recordKey(**m, record);
    if (!key)
        return key.error();
    if (m_tx) {
        if (mustNotExist)
            return doPut(table, *key, record);
        if (auto s = checkWritable(record, *key); !s)
            return s;
        auto r = txRecord(table, *key, false);
        if (!r)
            return r.error();
        (*r)->now = record;
        (*r)->written = true;
        return okStatus();
    }
    return putItem(table, *key, record, mustNotExist);
}

Result<std::optional<Value>> DynamoDbStore::doGet(const QString &table, const Value &key)
{
    if (m_tx) {
        auto r = txRecord(table, key, true);
        if (!r)
            return r.error();
        return (*r)->now;
    }
    return readItem(table, key);
}

Result<std::optional<Value>> DynamoDbStore::doRemove(const QString &table, const Value &key)
{
    if (m_tx) {
        auto r = txRecord(table, key, true);
        if (!r)
            return r.error();
        std::optional<Value> old = (*r)->now;
        if (old) {
            (*r)->now.reset();
            (*r)->written = true;
        }
        return old;
    }
    auto hashKey = hashKeyOf(table);
    if (!hashKey)
        return hashKey.error();
    auto response =
        call(QStringLiteral("DeleteItem"), JsonBody()
                                               .string("TableName", table)
                                               .raw("Key", keyJson(*hashKey, key))
                                               .string("ReturnValues", QStringLiteral("ALL_OLD"))
                                               .take());
    if (!response)
        return response.error();
    auto old = itemFrom(*response, "Attributes");
    if (old && old->has_value() && (*old)->size() == 0)
        return std::optional<Value>(); // some engines answer "Attributes": {} for nothing
    return old;
}

Status DynamoDbStore::doReplace(const QString &table, const Value &key, const Value &expected,
                                const Value &record)
{
    auto notFound = [&] {
        return makeError(
            ErrorKind::NotFound,
            QStringLiteral("the record %1 no longer exists; nothing was written").arg(key.text()),
            key.text());
    };
    auto conflict = [&] {
        return makeError(
            ErrorKind::Conflict,
            QStringLiteral(
                "the record %1 changed in the store since it was loaded; nothing was written")
                .arg(key.text()),
            key.text());
    };
    if (auto s = checkWritable(record, key); !s)
        return s;
    if (m_tx) {
        auto r = txRecord(table, key, true);
        if (!r)
            return r.error();
        if (!(*r)->now)
            return notFound();
        if (!sameValue(*(*r)->now, expected))
            return conflict();
        (*r)->now = record;
        (*r)->written = true;
        return okStatus();
    }
    auto hashKey = hashKeyOf(table);
    if (!hashKey)
        return hashKey.error();
    auto current = readItem(table, key);
    if (!current)
        return current.error();
    if (!current->has_value())
        return notFound();
    if (!sameValue(**current, expected))
        return conflict();

    // What the save changes: attributes to set, attributes to remove.
    QStringList setNames;
    QStringList removeNames;
    QStringList added;
    const Value::Map &before = expected.toMap();
    const Value::Map &after = record.toMap();
    for (auto it = after.cbegin(); it != after.cend(); ++it) {
        auto old = before.constFind(it.key());
        if (old == before.cend()) {
            setNames << it.key();
            added << it.key();
        } else if (old.value() != it.value()) {
            setNames << it.key();
        }
    }
    for (auto it = before.cbegin(); it != before.cend(); ++it) {
        if (!after.contains(it.key()))
            removeNames << it.key();
    }
    if (setNames.isEmpty() && removeNames.isEmpty())
        return okStatus();

    DynamoDbExpression expr;
    QString condition = recordCondition(expr, expected, added);
    if (condition.toUtf8().size() > kMaxExpressionLength) {
        // Too long to guard everything: guard the key and what the save touches.
        expr = DynamoDbExpression();
        QSet<QString> touched(setNames.begin(), setNames.end());
        touched.unite(QSet<QString>(removeNames.begin(), removeNames.end()));
        touched.insert(*hashKey);
        condition = recordCondition(expr, expected, added, &touched);
        if (condition.toUtf8().size() > kMaxExpressionLength) {
            expr = DynamoDbExpression();
            QSet<QString> keyOnly{*hashKey};
            condition = recordCondition(expr, expected, {}, &keyOnly);
        }
    }
    QStringList sets;
    for (const QString &name : setNames)
        sets << QStringLiteral("%1 = %2").arg(expr.name(name), expr.value(after.value(name)));
    QStringList removes;
    for (const QString &name : removeNames)
        removes << expr.name(name);
    QString update;
    if (!sets.isEmpty())
        update += QStringLiteral("SET ") + sets.join(QStringLiteral(", "));
    if (!removes.isEmpty())
        update += (update.isEmpty() ? QString() : QStringLiteral(" ")) + QStringLiteral("REMOVE ") +
                  removes.join(QStringLiteral(", "));

    Result<Value> response = Value();
    if (update.toUtf8().size() <= kMaxExpressionLength && sets.size() + removes.size() <= 100) {
        JsonBody body;
        body.string("TableName", table)
            .raw("Key", keyJson(*hashKey, key))
            .string("UpdateExpression", update)
            .string("ConditionExpression", condition)
            .expression(expr);
        response = call(QStringLiteral("UpdateItem"), body.take());
    } else {
        // Too many changes for one expression: replace the item under the same condition.
        DynamoDbExpression putExpr;
        QString putCondition = recordCondition(putExpr, expected, {});
        if (putCondition.toUtf8().size() > kMaxExpressionLength) {
            putExpr = DynamoDbExpression();
            QSet<QString> keyOnly{*hashKey};
            putCondition = recordCondition(putExpr, expected, {}, &keyOnly);
        }
        JsonBody body;
        body.string("TableName", table)
            .raw("Item", JsonCodec::toDynamoItem(record))
            .string("ConditionExpression", putCondition)
            .expression(putExpr);
        response = call(QStringLiteral("PutItem"), body.take());
    }
    if (!response) {
        if (response.error().kind != ErrorKind::Conflict)
            return response.error();
        auto now = readItem(table, key);
        if (now && !now->has_value())
            return notFound();
        return conflict();
    }
    return okStatus();
}

Result<std::vector<std::optional<Value>>>
DynamoDbStore::doUpdate(const QString &table, const Value &key,
                        const std::vector<ResolvedSetter> &setters)
{
    for (const ResolvedSetter &s : setters) {
        if (int(s.path.elements.size()) + s.value.depth() > TableModel::kMaxDepth)
            return makeError(
                ErrorKind::Invalid,
                QStringLiteral(
                    "the update would nest the record deeper than %1 levels; nothing was written")
                    .arg(TableModel::kMaxDepth),
                s.path.display());
        if (valueSize(s.value) > kMaxItemSize)
            return makeError(
                ErrorKind::Invalid,
                QStringLiteral(
                    "the value is %1 KB; DynamoDB items are at most 400 KB; nothing was written")
                    .arg((valueSize(s.value) + 1023) / 1024),
                s.path.display());
    }
    if (m_tx) {
        auto m = model(table);
        if (!m)
            return m.error();
        auto r = txRecord(table, key, true);
        if (!r)
            return r.error();
        Value record = (*r)->now ? *(*r)->now : Value::map({{(*m)->hashKey(), key}});
        std::vector<std::optional<Value>> old;
        for (const ResolvedSetter &setter : setters) {
            auto previous = setAtPath(record, setter.path, setter.value);
            if (!previous) {
                Error e = previous.error();
                e.message += QStringLiteral("; nothing was written");
                return e;
            }
            old.push_back(std::move(*previous));
        }
        if (auto s = checkWritable(record, key); !s)
            return s.error();
        (*r)->now = record;
        (*r)->written = true;
        return old;
    }

    // Groups of setters sent in one request each, in order: no two overlapping paths in a
    // group (DynamoDB refuses them), and each expression within the length limit.
    std::vector<std::vector<const ResolvedSetter *>> groups;
    int groupLength = 0;
    for (const ResolvedSetter &s : setters) {
        const int length = 16 + int(s.path.elements.size()) * 8;
        bool fresh = groups.empty() || groups.back().size() >= 100 ||
                     groupLength + length > kMaxExpressionLength;
        if (!fresh) {
            for (const ResolvedSetter *other : groups.back()) {
                if (overlaps(other->path, s.path)) {
                    fresh = true;
                    break;
                }
            }
        }
        if (fresh) {
            groups.emplace_back();
            groupLength = 0;
        }
        groups.back().push_back(&s);
        groupLength += length;
    }
    std::vector<std::optional<Value>> old;
    old.reserve(setters.size());
    for (std::size_t g = 0; g < groups.size(); ++g) {
        auto part = updateGroup(table, key, groups[g]);
        if (!part) {
            Error e = part.error();
            if (g > 0)
                e.message +=
                    QStringLiteral(
                        " (the first %1 of the %2 updates were written: DynamoDB took them in "
                        "separate requests)")
                        .arg(old.size())
                        .arg(setters.size());
            return e;
        }
        for (auto &v : *part)
            old.push_back(std::move(v));
    }
    return old;
}

Result<std::vector<std::optional<Value>>>
DynamoDbStore::updateGroup(const QString &table, const Value &key,
                           const std::vector<const ResolvedSetter *> &group)
{
    auto hashKey = hashKeyOf(table);
    if (!hashKey)
        return hashKey.error();
    const bool anyIndex = std::any_of(
        group.begin(), group.end(), [](const ResolvedSetter *s) { return pathHasIndex(s->path); });
    auto send = [&]() -> Result<Value> {
        DynamoDbExpression expr;
        QStringList sets;
        for (const ResolvedSetter *s : group)
            sets << QStringLiteral("%1 = %2").arg(expr.path(s->path.elements),
                                                  expr.value(s->value));
        JsonBody body;
        body.string("TableName", table)
            .raw("Key", keyJson(*hashKey, key))
            .string("UpdateExpression", QStringLiteral("SET ") + sets.join(QStringLiteral(", ")))
            .string("ReturnValues",
                    anyIndex ? QStringLiteral("ALL_OLD") : QStringLiteral("UPDATED_OLD"))
            .expression(expr);
        return call(QStringLiteral("UpdateItem"), body.take());
    };
    auto response = send();
    if (!response && isDocumentPathError(response.error())) {
        // A parent is missing: create the containers, then set the values (spec §4.4).
        if (auto created = createMissingContainers(table, key, group); !created)
            return created.error();
        response = send();
    }
    if (!response) {
        Error e = response.error();
        if (e.kind == ErrorKind::Invalid)
            e.message = QStringLiteral("DynamoDB refused the update of %1: %2")
                            .arg(keyWords(key), e.message);
        return e;
    }
    auto old = itemFrom(*response, "Attributes");
    if (!old)
        return old.error();
    std::vector<std::optional<Value>> values;
    for (const ResolvedSetter *s : group) {
        const Value *v = old->has_value() ? valueAtPath(**old, s->path.elements) : nullptr;
        values.push_back(v ? std::optional<Value>(*v) : std::nullopt);
    }
    return values;
}

Status DynamoDbStore::createMissingContainers(const QString &table, const Value &key,
                                              const std::vector<const ResolvedSetter *> &group)
{
    auto m = model(table);
    if (!m)
        return m.error();
    auto current = readItem(table, key);
    if (!current)
        return current.error();
    const Value record = current->has_value() ? **current : Value::map({{(*m)->hashKey(), key}});
    // The same checks as an in-memory update, so a parent that is not a container is refused
    // before anything is written.
    Value simulated = record;
    for (const ResolvedSetter *s : group) {
        auto r = setAtPath(simulated, s->path, s->value);
        if (!r) {
            Error e = r.error();
            e.message += QStringLiteral("; nothing was written");
            return e;
        }
    }
    // The missing containers, by depth: depth d creates the prefix of d elements.
    std::map<std::size_t, std::vector<std::pair<std::vector<PathElement>, Value>>> byDepth;
    QSet<QString> seen;
    for (const ResolvedSetter *s : group) {
        const auto &elements = s->path.elements;
        const Value *at = &record;
        for (std::size_t i = 0; i + 1 < elements.size(); ++i) {
            const PathElement &e = elements[i];
            const Value *next = nullptr;
            if (at) {
                if (e.isIndex())
                    next = at->isList() && e.index < at->toList().size() ? &at->toList()[e.index]
                                                                         : nullptr;
                else
                    next = at->find(e.key);
            }
            if (!next && !e.isIndex()) {
                std::vector<PathElement> prefix(elements.begin(),
                                                elements.begin() + qsizetype(i) + 1);
                QString id;
                for (const PathElement &p : prefix)
                    id += p.isIndex() ? QStringLiteral("[%1]").arg(p.index) : u'\x1f' + p.key;
                if (!seen.contains(id)) {
                    seen.insert(id);
                    const Value created = i < s->path.containerDefaults.size()
                                              ? s->path.containerDefaults[i]
                                              : Value::map();
                    byDepth[i + 1].push_back({std::move(prefix), created});
                }
            }
            at = next;
        }
    }
    if (byDepth.empty())
        return makeError(
            ErrorKind::Invalid,
            QStringLiteral("DynamoDB refused the document path, and no parent is missing"));
    auto hashKey = hashKeyOf(table);
    if (!hashKey)
        return hashKey.error();
    for (const auto &[depth, containers] : byDepth) {
        DynamoDbExpression expr;
        QStringList sets;
        for (const auto &[prefix, created] : containers) {
            const QString p = expr.path(prefix);
            sets << QStringLiteral("%1 = if_not_exists(%1, %2)").arg(p, expr.value(created));
        }
        JsonBody body;
        body.string("TableName", table)
            .raw("Key", keyJson(*hashKey, key))
            .string("UpdateExpression", QStringLiteral("SET ") + sets.join(QStringLiteral(", ")))
            .expression(expr);
        auto response = call(QStringLiteral("UpdateItem"), body.take());
        if (!response)
            return response.error();
    }
    return okStatus();
}

Result<std::optional<Value>> DynamoDbStore::doRemoveField(const QString &table, const Value &key,
                                                          const ResolvedPath &path)
{
    if (m_tx) {
        auto r = txRecord(table, key, true);
        if (!r)
            return r.error();
        if (!(*r)->now)
            return std::optional<Value>();
        Value record = *(*r)->now;
        std::optional<Value> removed = removeAtPath(record, path);
        if (removed) {
            (*r)->now = record;
            (*r)->written = true;
        }
        return removed;
    }
    auto hashKey = hashKeyOf(table);
    if (!hashKey)
        return hashKey.error();
    DynamoDbExpression expr;
    const QString target = expr.path(path.elements);
    JsonBody body;
    body.string("TableName", table)
        .raw("Key", keyJson(*hashKey, key))
        .string("UpdateExpression", QStringLiteral("REMOVE ") + target)
        // An update of a missing record creates it; a removal must not.
        .string("ConditionExpression",
                QStringLiteral("attribute_exists(%1)").arg(expr.name(*hashKey)))
        .string("ReturnValues",
                pathHasIndex(path) ? QStringLiteral("ALL_OLD") : QStringLiteral("UPDATED_OLD"))
        .expression(expr);
    auto response = call(QStringLiteral("UpdateItem"), body.take());
    if (!response) {
        if (response.error().kind == ErrorKind::Conflict || isDocumentPathError(response.error()))
            return std::optional<Value>(); // no record, or no parent: nothing to remove
        return response.error();
    }
    auto old = itemFrom(*response, "Attributes");
    if (!old)
        return old.error();
    const Value *v = old->has_value() ? valueAtPath(**old, path.elements) : nullptr;
    return v ? std::optional<Value>(*v) : std::nullopt;
}

// ---------------------------------------------------------------------------------------------
// Scans

Result<QByteArray> DynamoDbStore::filterExpression(const ScanRequest &request,
                                                   DynamoDbExpression &expr) const
{
    QStringList clauses;
    for (const FilterCondition &c : request.conditions) {
        if (c.path.isEmpty())
            return makeError(ErrorKind::Invalid, QStringLiteral("a filter needs a field path"));
        const QString where = c.path.join(u'.');
        const Value &v = c.operand;
        const bool comparable =
            !(v.isMap() || v.isList() || v.isSet() || v.type() == Value::Type::Binary);
        if (!comparable && c.op != FilterOp::Exists && c.op != FilterOp::NotExists)
            return makeError(
                ErrorKind::Invalid,
                QStringLiteral("filters compare strings, numbers, booleans and null, not %1")
                    .arg(v.typeDescription()),
                where);
        const QString p = expr.path(c.path);
        auto equal = [&] {
            return v.isNull() ? QStringLiteral("attribute_type(%1, %2)")
                                    .arg(p, expr.value(Value::string(QStringLiteral("NULL"))))
                              : QStringLiteral("%1 = %2").arg(p, expr.value(v));
        };
        switch (c.op) {
        case FilterOp::Equal:
            clauses << equal();
            break;
        case FilterOp::NotEqual:
            clauses << QStringLiteral("(attribute_not_exists(%1) OR NOT (%2))").arg(p, equal());
            break;
        case FilterOp::Less:
        case FilterOp::LessEqual:
        case FilterOp::Greater:
        case FilterOp::GreaterEqual: {
            const char *op = c.op == FilterOp::Less        ? "<"
                             : c.op == FilterOp::LessEqual ? "<="
                             : c.op == FilterOp::Greater   ? ">"
                                                           : ">=";
            if (!v.isNumber() && !v.isString())
                return makeError(ErrorKind::Invalid,
                                 QStringLiteral("only numbers and strings can be compared with %1")
                                     .arg(QLatin1String(op)),
                                 where);
            clauses << QStringLiteral("%1 %2 %3").arg(p, QLatin1String(op), expr.value(v));
            break;
        }
        case FilterOp::Contains:
            if (!v.isNumber() && !v.isString())
                return makeError(ErrorKind::Invalid,
                                 QStringLiteral("contains needs a text or a number"), where);
            clauses << QStringLiteral("contains(%1, %2)").arg(p, expr.value(v));
            break;
        case FilterOp::BeginsWith:
            if (!v.isString())
                return makeError(ErrorKind::Invalid, QStringLiteral("begins with needs a text"),
                                 where);
            clauses << QStringLiteral("begins_with(%1, %2)").arg(p, expr.value(v));
            break;
        case FilterOp::Exists:
            clauses << QStringLiteral("attribute_exists(%1)").arg(p);
            break;
        case FilterOp::NotExists:
            clauses << QStringLiteral("attribute_not_exists(%1)").arg(p);
            break;
        }
    }
    const QByteArray text = clauses.join(QStringLiteral(" AND ")).toUtf8();
    if (text.size() > kMaxExpressionLength)
        return makeError(ErrorKind::Invalid,
                         QStringLiteral("the filter is longer than DynamoDB's 4 KB expression "
                                        "limit; use fewer conditions"));
    return text;
}

namespace {

bool matchesText(const Value &record, const QString &lowerText)
{
    return QString::fromUtf8(JsonCodec::toPlain(record)).toLower().contains(lowerText);
}

} // namespace

/// The start key of the next page in a Scan or Query answer (re-encoded DynamoDB JSON), or
/// nullopt after the last page.
static Result<std::optional<QByteArray>> lastEvaluatedKey(const Value &response)
{
    const Value *last = response.find(QStringLiteral("LastEvaluatedKey"));
    if (!last || !last->isMap() || last->size() == 0)
        return std::optional<QByteArray>();
    auto lastKey = JsonCodec::fromDynamoItemTree(*last);
    if (!lastKey)
        return makeError(ErrorKind::Backend,
                         QStringLiteral("DynamoDB answered an unreadable LastEvaluatedKey"));
    return std::optional<QByteArray>(JsonCodec::toDynamoItem(*lastKey));
}

Result<ScanPage> DynamoDbStore::scan(const QString &table, const ScanRequest &request)
{
    if (!request.sortPath.isEmpty())
        return makeError(
            ErrorKind::Invalid,
            QStringLiteral(
                "DynamoDB returns a table's records in its own order; sorting by %1 is not "
                "available on DynamoDB tables")
                .arg(request.sortPath.join(u'.')),
            request.sortPath.join(u'.'));
    auto hashKey = hashKeyOf(table);
    if (!hashKey)
        return hashKey.error();
    DynamoDbExpression expr;
    auto filter = filterExpression(request, expr);
    if (!filter)
        return filter.error();
    const QString lowerText = request.text.toLower();
    const bool filtered = !filter->isEmpty() || !lowerText.isEmpty();
    const int limit = std::clamp(request.limit, 1, 100000);

    QByteArray start = request.cursor;
    if (!start.isEmpty()) {
        auto parsed = JsonCodec::parseDynamoItem(start);
        if (!parsed || !parsed->isMap())
            return makeError(ErrorKind::Invalid,
                             QStringLiteral("the scan cursor is not a DynamoDB key"));
    }
    ScanPage page;
    for (;;) {
        if (request.cancelled && request.cancelled())
            return makeError(ErrorKind::Unavailable, QStringLiteral("the scan was cancelled"));
        const int remaining = limit - int(page.records.size());
        JsonBody body;
        body.string("TableName", table)
            .number("Limit", filtered ? std::max(remaining, 1000) : remaining)
            .boolean("ConsistentRead", true);
        if (!filter->isEmpty())
            body.string("FilterExpression", QString::fromUtf8(*filter)).expression(expr);
        if (!start.isEmpty())
            body.raw("ExclusiveStartKey", start);
        auto response = call(QStringLiteral("Scan"), body.take(), request.cancelled);
        if (!response)
            return response.error();
        bool overflow = false;
        if (const Value *items = response->find(QStringLiteral("Items"));
            items && items->isList()) {
            for (const Value &tree : items->toList()) {
                auto record = JsonCodec::fromDynamoItemTree(tree);
                if (!record)
                    return makeError(ErrorKind::Backend,
                                     QStringLiteral("a record of %1 cannot be read: %2")
                                         .arg(table, record.error().toString()));
                if (!lowerText.isEmpty() && !matchesText(*record, lowerText))
                    continue;
                if (int(page.records.size()) == limit) {
                    overflow = true;
                    break;
                }
                page.records.push_back(std::move(*record));
            }
        }
        if (overflow) {
            // Continue right after the last record returned: its key is a valid start key.
            const Value *k = page.records.back().find(*hashKey);
            if (!k)
                return makeError(ErrorKind::Backend,
                                 QStringLiteral("a record of %1 has no key").arg(table));
            page.nextCursor = keyJson(*hashKey, *k);
            break;
        }
        auto next = lastEvaluatedKey(*response);
        if (!next)
            return next.error();
        if (!next->has_value())
            break;
        start = **next;
        if (int(page.records.size()) == limit) {
            page.nextCursor = start;
            break;
        }
    }
    return page;
}

Result<ScanPage> DynamoDbStore::query(const QString &table, const QueryRequest &request)
{
    auto m = model(table);
    if (!m)
        return m.error();
    auto index = queryIndex(**m, request.index);
    if (!index)
        return index.error();
    auto k = checkIndexKey(*index, request.keyValue);
    if (!k)
        return k.error();
    const QString tableKey = (*m)->hashKey();
    const bool secondary = !request.index.isEmpty();
    // The index name is the one createTable() gives it: "name", else the hash attribute.
    const QString indexName = index->name.isEmpty() ? index->hashKey : index->name;

    DynamoDbExpression expr;
    const QString keyCondition =
        QStringLiteral("%1 = %2").arg(expr.name(index->hashKey), expr.value(*k));
    ScanRequest filterRequest;
    filterRequest.conditions = request.conditions;
    auto filter = filterExpression(filterRequest, expr);
    if (!filter)
        return filter.error();
    const bool filtered = !filter->isEmpty();
    const int limit = std::clamp(request.limit, 1, 100000);

    QByteArray start = request.cursor;
    if (!start.isEmpty()) {
        auto parsed = JsonCodec::parseDynamoItem(start);
        if (!parsed || !parsed->isMap())
            return makeError(ErrorKind::Invalid,
                             QStringLiteral("the query cursor is not a DynamoDB key"));
    }
    ScanPage page;
    for (;;) {
        const int remaining = limit - int(page.records.size());
        JsonBody body;
        body.string("TableName", table);
        if (secondary)
            body.string("IndexName", indexName);
        body.string("KeyConditionExpression", keyCondition)
            .number("Limit", filtered ? std::max(remaining, 1000) : remaining);
        if (!secondary) // global secondary indexes refuse consistent reads
            body.boolean("ConsistentRead", true);
        if (filtered)
            body.string("FilterExpression", QString::fromUtf8(*filter));
        if (!start.isEmpty())
            body.raw("ExclusiveStartKey", start);
        body.expression(expr);
        auto response = call(QStringLiteral("Query"), body.take());
        if (!response)
            return response.error();
        bool overflow = false;
        if (const Value *items = response->find(QStringLiteral("Items"));
            items && items->isList()) {
            for (const Value &tree : items->toList()) {
                auto record = JsonCodec::fromDynamoItemTree(tree);
                if (!record)
                    return makeError(ErrorKind::Backend,
                                     QStringLiteral("a record of %1 cannot be read: %2")
                                         .arg(table, record.error().toString()));
                if (int(page.records.size()) == limit) {
                    overflow = true;
                    break;
                }
                page.records.push_back(std::move(*record));
            }
        }
        if (overflow) {
            // Continue right after the last record returned: its key attributes (the table's
            // and, on an index, the index's) are a valid start key.
            const Value &last = page.records.back();
            Value::Map startKey;
            QStringList attributes{tableKey};
            if (secondary) {
                attributes << index->hashKey;
                if (!index->sortKey.isEmpty())
                    attributes << index->sortKey;
            }
            for (const QString &attribute : attributes) {
                const Value *v = last.find(attribute);
                if (!v)
                    return makeError(
                        ErrorKind::Backend,
                        QStringLiteral("a record of %1 has no %2").arg(table, attribute));
                startKey.insert(attribute, *v);
            }
            page.nextCursor = JsonCodec::toDynamoItem(Value::map(startKey));
            break;
        }
        auto next = lastEvaluatedKey(*response);
        if (!next)
            return next.error();
        if (!next->has_value())
            break;
        start = **next;
        if (int(page.records.size()) == limit) {
            page.nextCursor = start;
            break;
        }
    }
    return page;
}

Result<qint64> DynamoDbStore::count(const QString &table, const ScanRequest &filter)
{
    auto hashKey = hashKeyOf(table);
    if (!hashKey)
        return hashKey.error();
    if (!filter.text.isEmpty()) {
        // Free text is matched here, so the records have to come over.
        ScanRequest request = filter;
        request.sortPath.clear();
        request.limit = 1000;
        request.cursor.clear();
        qint64 n = 0;
        do {
            auto page = scan(table, request);
            if (!page)
                return page.error();
            n += qint64(page->records.size());
            if (filter.counted)
                filter.counted(n);
            request.cursor = page->nextCursor;
        } while (!request.cursor.isEmpty());
        return n;
    }
    DynamoDbExpression expr;
    auto expression = filterExpression(filter, expr);
    if (!expression)
        return expression.error();
    qint64 n = 0;
    QByteArray start;
    for (;;) {
        if (filter.cancelled && filter.cancelled())
            return makeError(ErrorKind::Unavailable, QStringLiteral("the count was cancelled"));
        JsonBody body;
        body.string("TableName", table)
            .string("Select", QStringLiteral("COUNT"))
            .boolean("ConsistentRead", true);
        if (!expression->isEmpty())
            body.string("FilterExpression", QString::fromUtf8(*expression)).expression(expr);
        if (!start.isEmpty())
            body.raw("ExclusiveStartKey", start);
        auto response = call(QStringLiteral("Scan"), body.take(), filter.cancelled);
        if (!response)
            return response.error();
        if (const Value *c = response->find(QStringLiteral("Count")); c && c->isNumber())
            n += c->text().toLongLong();
        if (filter.counted)
            filter.counted(n);
        const Value *last = response->find(QStringLiteral("LastEvaluatedKey"));
        if (!last || !last->isMap() || last->size() == 0)
            break;
        auto lastKey = JsonCodec::fromDynamoItemTree(*last);
        if (!lastKey)
            return makeError(ErrorKind::Backend,
                             QStringLiteral("DynamoDB answered an unreadable LastEvaluatedKey"));
        start = JsonCodec::toDynamoItem(*lastKey);
    }
    return n;
}

// ---------------------------------------------------------------------------------------------
// Transactions

Result<DynamoDbStore::TxRecord *> DynamoDbStore::txRecord(const QString &table, const Value &key,
                                                          bool read)
{
    for (TxRecord &r : *m_tx) {
        if (r.table == table && sameValue(r.key, key)) {
            if (read && !r.baseKnown && !r.written) {
                auto current = readItem(table, key);
                if (!current)
                    return current.error();
                r.base = *current;
                r.now = *current;
                r.baseKnown = true;
            }
            return &r;
        }
    }
    TxRecord r;
    r.table = table;
    r.key = key;
    if (read) {
        auto current = readItem(table, key);
        if (!current)
            return current.error();
        r.base = *current;
        r.now = *current;
        r.baseKnown = true;
    }
    m_tx->push_back(std::move(r));
    return &m_tx->back();
}

Status DynamoDbStore::runTransaction(const std::function<Status()> &work)
{
    if (!m_transactions || m_tx)
        return work();
    m_tx.emplace();
    Status result = work();
    std::vector<TxRecord> writes = std::move(*m_tx);
    m_tx.reset();
    if (!result)
        return result;
    return commitTransaction(std::move(writes));
}

Status DynamoDbStore::commitTransaction(std::vector<TxRecord> records)
{
    QByteArray items;
    std::vector<const TxRecord *> sent;
    for (const TxRecord &r : records) {
        if (!r.written)
            continue;
        if (!r.now && r.baseKnown && !r.base)
            continue; // created and deleted again, or deleted while absent
        auto hashKey = hashKeyOf(r.table);
        if (!hashKey)
            return hashKey.error();
        DynamoDbExpression expr;
        QString condition;
        if (r.baseKnown) {
            if (!r.base) {
                condition = QStringLiteral("attribute_not_exists(%1)").arg(expr.name(*hashKey));
            } else {
                condition = recordCondition(expr, *r.base, {});
                if (condition.toUtf8().size() > kMaxExpressionLength) {
                    expr = DynamoDbExpression();
                    QSet<QString> keyOnly{*hashKey};
                    condition = recordCondition(expr, *r.base, {}, &keyOnly);
                }
            }
        }
        JsonBody op;
        op.string("TableName", r.table);
        if (r.now)
            op.raw("Item", JsonCodec::toDynamoItem(*r.now));
        else
            op.raw("Key", keyJson(*hashKey, r.key));
        if (!condition.isEmpty())
            op.string("ConditionExpression", condition).expression(expr);
        items += items.isEmpty() ? "[" : ",";
        items += r.now ? "{\"Put\":" : "{\"Delete\":";
        items += op.take() + '}';
        sent.push_back(&r);
    }
    if (sent.empty())
        return okStatus();
    if (sent.size() > 100)
        return makeError(ErrorKind::Invalid,
                         QStringLiteral("a DynamoDB transaction writes at most 100 records, this "
                                        "one %1; nothing was written")
                             .arg(sent.size()));
    auto response = call(QStringLiteral("TransactWriteItems"),
                         JsonBody().raw("TransactItems", items + ']').take());
    if (response)
        return okStatus();
    if (m_client->lastFailure().type != u"TransactionCanceledException")
        return response.error();
    // Which writes failed their condition.
    QStringList reasons;
    bool existsOnly = true;
    const Value *list = m_client->lastFailure().body.find(QStringLiteral("CancellationReasons"));
    for (std::size_t i = 0;
         list && list->isList() && i < std::size_t(list->size()) && i < sent.size(); ++i) {
        const Value &reason = list->toList()[qsizetype(i)];
        const Value *code = reason.find(QStringLiteral("Code"));
        if (!code || code->text() == u"None")
            continue;
        const TxRecord &r = *sent[i];
        if (code->text() == u"ConditionalCheckFailed") {
            if (r.baseKnown && !r.base) {
                reasons << QStringLiteral("a record with the key %1 already exists in %2")
                               .arg(r.key.text(), r.table);
            } else {
                existsOnly = false;
                reasons << QStringLiteral("the record %1 of %2 changed meanwhile")
                               .arg(r.key.text(), r.table);
            }
        } else {
            existsOnly = false;
            reasons << QStringLiteral("%1 of %2: %3").arg(r.key.text(), r.table, code->text());
        }
    }
    if (reasons.isEmpty())
        reasons << m_client->lastFailure().message;
    return makeError(existsOnly && !reasons.isEmpty() && list ? ErrorKind::Exists
                                                              : ErrorKind::Conflict,
                     QStringLiteral("the transaction was cancelled and nothing was written: %1")
                         .arg(reasons.join(QStringLiteral("; "))));
}

// ---------------------------------------------------------------------------------------------
// Bulk writes

namespace {

/// A key as DynamoDB compares it: its type and, for numbers, its canonical value.
QString keyIdentity(const Value &key)
{
    return key.isNumber() ? u'N' + canonicalNumber(key.text()) : u'S' + key.text();
}

/// The identity of the key attribute in an item of an answer (plain JSON of DynamoDB JSON).
QString keyIdentityInItem(const Value &item, const QString &hashKey)
{
    const Value *attribute = item.find(hashKey);
    if (!attribute)
        return {};
    if (const Value *s = attribute->find(QStringLiteral("S")))
        return u'S' + s->text();
    if (const Value *n = attribute->find(QStringLiteral("N")))
        return u'N' + canonicalNumber(n->text());
    return {};
}

/// The items of `table` in an answer member such as UnprocessedItems or Responses.
const Value::List *tableMember(const Value &response, const char *member, const QString &table)
{
    const Value *m = response.find(QString::fromLatin1(member));
    if (!m || !m->isMap())
        return nullptr;
    const Value *t = m->find(table);
    if (!t)
        return nullptr;
    if (t->isList())
        return &t->toList();
    if (const Value *keys = t->find(QStringLiteral("Keys")); keys && keys->isList())
        return &keys->toList(); // UnprocessedKeys: {"table": {"Keys": [...]}}
    return nullptr;
}

/// True when a failed request may still have been carried out: no HTTP answer (the
/// connection was lost), an answer that could not be read, or a server error.
bool mayHaveHappened(const DynamoDbClient &client)
{
    const int status = client.lastFailure().httpStatus;
    return status == 0 || status == 200 || status >= 500;
}

/// The first failure of a bulk operation, kept across its worker threads.
class FirstError
{
public:
    void set(Error e)
    {
        QMutexLocker lock(&m_mutex);
        if (!m_error)
            m_error = std::move(e);
    }
    std::optional<Error> take()
    {
        QMutexLocker lock(&m_mutex);
        return std::exchange(m_error, std::nullopt);
    }

private:
    QMutex m_mutex;
    std::optional<Error> m_error;
};

} // namespace

Status DynamoDbStore::checkStorable(const Value &record) const
{
    const Value *key = nullptr;
    if (record.isMap() && record.size() > 0)
        key = &record.toMap().cbegin().value();
    return checkWritable(record, key ? *key : Value::string(QString()));
}

void DynamoDbStore::runConcurrently(std::size_t count,
                                    const std::function<bool(std::size_t, DynamoDbClient &)> &job)
{
    if (count == 0)
        return;
    const std::size_t workers = std::min<std::size_t>(count, kBulkConnections);
    while (m_bulkClients.size() < workers)
        m_bulkClients.push_back(
            std::make_unique<DynamoDbClient>(m_client->endpoint(), m_client->region(),
                                             m_client->credentials(), m_client->options()));
    std::atomic<std::size_t> next{0};
    std::atomic<bool> stop{false};
    auto loop = [&](DynamoDbClient *client) {
        while (!stop.load()) {
            const std::size_t i = next.fetch_add(1);
            if (i >= count)
                return;
            if (!job(i, *client))
                stop.store(true);
        }
    };
    std::vector<std::thread> threads;
    threads.reserve(workers - 1);
    for (std::size_t w = 1; w < workers; ++w)
        threads.emplace_back(loop, m_bulkClients[w].get());
    loop(m_bulkClients[0].get());
    for (std::thread &t : threads)
        t.join();
}

bool DynamoDbStore::backoff(int attempt, const std::function<bool()> &cancelled) const
{
    const DynamoDbClient::Options &o = m_client->options();
    const int ceiling =
        int(std::min<qint64>(o.maxDelayMs, qint64(o.baseDelayMs) << std::min(attempt, 20)));
    QDeadlineTimer wait(QRandomGenerator::global()->bounded(ceiling + 1));
    while (!wait.hasExpired()) {
        if (cancelled && cancelled())
            return false;
        QThread::msleep(unsigned(std::clamp<qint64>(wait.remainingTime(), 1, 20)));
    }
    return !(cancelled && cancelled());
}

Result<std::vector<bool>> DynamoDbStore::keysPresent(const QString &table,
                                                     const std::vector<Value> &keys,
                                                     const std::function<bool()> &cancelled)
{
    if (m_tx)
        return RecordStore::keysPresent(table, keys, cancelled);
    auto hashKey = hashKeyOf(table);
    if (!hashKey)
        return hashKey.error();
    std::vector<char> present(keys.size(), 0);
    QHash<QString, std::size_t> index;
    for (std::size_t i = 0; i < keys.size(); ++i)
        index.insert(keyIdentity(keys[i]), i);
    const std::size_t groups = (keys.size() + kBatchGetKeys - 1) / kBatchGetKeys;
    // Stalled rounds (nothing processed) before UnprocessedKeys count as a failure.
    const int maxStalled = m_client->options().maxRetries + 1;
    FirstError failure;
    QByteArray tableJson;
    JsonCodec::appendJsonString(tableJson, table);
    QByteArray names = "\"ExpressionAttributeNames\":{\"#k\":";
    JsonCodec::appendJsonString(names, *hashKey);
    names += '}';
    runConcurrently(groups, [&](std::size_t g, DynamoDbClient &client) {
        std::vector<std::size_t> pending;
        for (std::size_t i = g * kBatchGetKeys; i < std::min(keys.size(), (g + 1) * kBatchGetKeys);
             ++i)
            pending.push_back(i);
        int stalled = 0;
        while (!pending.empty()) {
            if (cancelled && cancelled()) {
                failure.set(
                    makeError(ErrorKind::Unavailable, QStringLiteral("the check was cancelled")));
                return false;
            }
            QByteArray body = "{\"RequestItems\":{" + tableJson + ":{\"Keys\":[";
            for (std::size_t k = 0; k < pending.size(); ++k) {
                if (k > 0)
                    body += ',';
                body += keyJson(*hashKey, keys[pending[k]]);
            }
            body += "],\"ConsistentRead\":true,\"ProjectionExpression\":\"#k\"," + names + "}}}";
            auto response = client.call(QStringLiteral("BatchGetItem"), body, cancelled);
            if (!response) {
                Error e = response.error();
                e.message =
                    QStringLiteral("checking which keys exist in %1: %2").arg(table, e.message);
                failure.set(std::move(e));
                return false;
            }
            if (const Value::List *items = tableMember(*response, "Responses", table)) {
                for (const Value &item : *items) {
                    auto it = index.constFind(keyIdentityInItem(item, *hashKey));
                    if (it != index.cend())
                        present[it.value()] = 1;
                }
            }
            std::vector<std::size_t> left;
            if (const Value::List *unprocessed = tableMember(*response, "UnprocessedKeys", table)) {
                QSet<QString> ids;
                for (const Value &k : *unprocessed)
                    ids.insert(keyIdentityInItem(k, *hashKey));
                for (std::size_t i : pending) {
                    if (ids.contains(keyIdentity(keys[i])))
                        left.push_back(i);
                }
            }
            stalled = left.size() == pending.size() ? stalled + 1 : 0;
            pending = std::move(left);
            if (pending.empty())
                break;
            if (stalled > maxStalled) {
                failure.set(
                    makeError(ErrorKind::Throttled,
                              QStringLiteral("DynamoDB left %1 keys of %2 unchecked after %3 tries "
                                             "(the table's read capacity is exceeded)")
                                  .arg(pending.size())
                                  .arg(table)
                                  .arg(stalled)));
                return false;
            }
            if (!backoff(stalled, cancelled)) {
                failure.set(
                    makeError(ErrorKind::Unavailable, QStringLiteral("the check was cancelled")));
                return false;
            }
        }
        return true;
    });
    if (auto e = failure.take())
        return *e;
    return std::vector<bool>(present.begin(), present.end());
}

Status DynamoDbStore::writeBatch(const QString &table, const std::vector<BulkRecord> &records,
                                 BulkWriteMode mode, std::vector<BulkWriteResult> &results,
                                 const std::function<bool()> &cancelled)
{
    if (m_tx) // inside a transaction, writes collect in it
        return RecordStore::writeBatch(table, records, mode, results, cancelled);
    results.assign(records.size(), BulkWriteResult{});
    auto hashKey = hashKeyOf(table);
    if (!hashKey)
        return hashKey.error();
    using State = BulkWriteResult::State;

    // The records as DynamoDB items; one DynamoDB cannot hold is refused alone.
    std::vector<Value> values(records.size());
    std::vector<QByteArray> items(records.size());
    std::vector<std::size_t> sendable;
    sendable.reserve(records.size());
    for (std::size_t i = 0; i < records.size(); ++i) {
        auto parsed = JsonCodec::parseStored(records[i].stored);
        if (!parsed) {
            results[i].message = parsed.error().message;
            continue;
        }
        if (auto s = checkWritable(*parsed, records[i].key); !s) {
            results[i].message = s.error().message;
            continue;
        }
        items[i] = JsonCodec::toDynamoItem(*parsed);
        values[i] = std::move(*parsed);
        sendable.push_back(i);
    }
    if (sendable.empty())
        return okStatus();

    FirstError failure;
    auto fail = [&](const DynamoDbClient &client, const QString &operation, Error e) {
        Q_UNUSED(client);
        e.message =
            QStringLiteral("writing records of %1 (%2): %3").arg(table, operation, e.message);
        failure.set(std::move(e));
    };
    auto cancelledError = [] {
        return makeError(ErrorKind::Unavailable, QStringLiteral("the import was cancelled"));
    };
    DynamoDbExpression conditionNames;
    const QString notExists =
        QStringLiteral("attribute_not_exists(%1)").arg(conditionNames.name(*hashKey));

    /// A conditional write refused for a key that was absent just before (keysPresent()
    /// below): either someone wrote it meanwhile, or this very write was carried out once
    /// already and sent again after its answer was lost (by the client's retry, or silently by
    /// the HTTP layer, which resends a request whose kept-alive connection closed). The record
    /// there tells: exactly the file's, it was written by this import.
    auto resolveTaken = [&](std::size_t i, DynamoDbClient &client) -> bool {
        BulkWriteResult &result = results[i];
        auto got = client.call(QStringLiteral("GetItem"),
                               JsonBody()
                                   .string("TableName", table)
                                   .raw("Key", keyJson(*hashKey, records[i].key))
                                   .boolean("ConsistentRead", true)
                                   .take(),
                               cancelled);
        auto item = got ? itemFrom(*got, "Item") : Result<std::optional<Value>>(got.error());
        if (!item) {
            result.state = State::Uncertain;
            fail(client, QStringLiteral("GetItem"), item.error());
            return false;
        }
        result.state =
            item->has_value() && sameValue(**item, values[i]) ? State::Written : State::Exists;
        return true;
    };

    /// One unconditional (Replace) or conditional (Create) PutItem; false stops the batch.
    auto putOne = [&](std::size_t i, DynamoDbClient &client, bool conditional) -> bool {
        if (cancelled && cancelled()) {
            failure.set(cancelledError());
            return false;
        }
        JsonBody body;
        body.string("TableName", table).raw("Item", items[i]);
        if (conditional)
            body.string("ConditionExpression", notExists).expression(conditionNames);
        auto response = client.call(QStringLiteral("PutItem"), body.take(), cancelled);
        BulkWriteResult &result = results[i];
        if (response) {
            result.state = result.existed ? State::Replaced : State::Written;
            return true;
        }
        const Error &e = response.error();
        if (e.kind == ErrorKind::Conflict && conditional)
            return resolveTaken(i, client);
        if (e.kind == ErrorKind::Invalid) {
            result.message = e.message;
            return true;
        }
        result.state = mayHaveHappened(client) ? State::Uncertain : State::NotWritten;
        fail(client, QStringLiteral("PutItem"), e);
        return false;
    };

    QByteArray tableJson;
    JsonCodec::appendJsonString(tableJson, table);
    const int maxStalled = m_client->options().maxRetries + 1;

    // Which keys have a record now: Create sends no put for them (and tells a put refused
    // later from one of its own whose answer was lost); Replace reports them as replaced.
    std::vector<Value> keys;
    keys.reserve(sendable.size());
    for (std::size_t i : sendable)
        keys.push_back(records[i].key);
    auto existed = keysPresent(table, keys, cancelled);
    if (!existed)
        return existed.error();
    for (std::size_t k = 0; k < sendable.size(); ++k)
        results[sendable[k]].existed = (*existed)[k];

    if (mode == BulkWriteMode::Create) {
        std::vector<std::size_t> absent;
        for (std::size_t i : sendable) {
            if (results[i].existed) {
                results[i].existed = false;
                results[i].state = State::Exists;
            } else {
                absent.push_back(i);
            }
        }
        // PartiQL's INSERT refuses an existing key statement by statement, 25 statements a
        // BatchExecuteStatement: conditional writes in batches, where the server has it (not
        // dynalite; Amazon DynamoDB also needs the PartiQLInsert permission). Records whose
        // statement would be too long, and every record where PartiQL is missing, go as
        // conditional PutItems.
        std::vector<std::size_t> singles;
        std::vector<std::size_t> insertable;
        std::vector<QByteArray> statements(records.size());
        if (m_partiQL != PartiQL::Missing) {
            QByteArray prefix = "INSERT INTO \"" + table.toUtf8() + "\" VALUE {";
            for (std::size_t i : absent) {
                QByteArray text = prefix;
                QByteArray parameters;
                const Value::Map &m = values[i].toMap();
                for (auto it = m.cbegin(); it != m.cend(); ++it) {
                    if (it != m.cbegin()) {
                        text += ", ";
                        parameters += ',';
                    }
                    text += '\'' + it.key().toUtf8().replace('\'', "''") + "': ?";
                    parameters += JsonCodec::toDynamoValue(it.value());
                }
                text += '}';
                if (text.size() > kMaxStatementLength) {
                    singles.push_back(i);
                    continue;
                }
                QByteArray statement = "{\"Statement\":";
                JsonCodec::appendJsonString(statement, QString::fromUtf8(text));
                statements[i] = statement + ",\"Parameters\":[" + parameters + "]}";
                insertable.push_back(i);
            }
        } else {
            singles = absent;
        }

        /// One BatchExecuteStatement of up to 25 INSERTs, retried for the statements the
        /// server throttled; false stops the batch (`missing`: PartiQL is not there).
        std::atomic<bool> missing{false};
        auto insertGroup = [&](std::size_t g, DynamoDbClient &client) -> bool {
            std::vector<std::size_t> pending;
            for (std::size_t k = g * kBatchStatements;
                 k < std::min(insertable.size(), (g + 1) * kBatchStatements); ++k)
                pending.push_back(insertable[k]);
            int stalled = 0;
            while (!pending.empty()) {
                if (cancelled && cancelled()) {
                    failure.set(cancelledError());
                    return false;
                }
                QByteArray body = "{\"Statements\":[";
                for (std::size_t k = 0; k < pending.size(); ++k) {
                    if (k > 0)
                        body += ',';
                    body += statements[pending[k]];
                }
                body += "]}";
                auto response =
                    client.call(QStringLiteral("BatchExecuteStatement"), body, cancelled);
                if (!response) {
                    const QString type = client.lastFailure().type;
                    if (type == u"UnknownOperationException" || type == u"AccessDeniedException" ||
                        (response.error().kind == ErrorKind::Invalid &&
                         client.lastFailure().httpStatus == 400 && stalled == 0 && g == 0 &&
                         m_partiQL == PartiQL::Unknown)) {
                        missing = true;
                        return false;
                    }
                    if (response.error().kind == ErrorKind::Invalid) {
                        for (std::size_t i : pending) {
                            if (!putOne(i, client, true))
                                return false;
                        }
                        return true;
                    }
                    const State state =
                        mayHaveHappened(client) ? State::Uncertain : State::NotWritten;
                    for (std::size_t i : pending)
                        results[i].state = state;
                    fail(client, QStringLiteral("BatchExecuteStatement"), response.error());
                    return false;
                }
                const Value *answers = response->find(QStringLiteral("Responses"));
                if (!answers || !answers->isList() ||
                    answers->toList().size() != qsizetype(pending.size())) {
                    for (std::size_t i : pending)
                        results[i].state = State::Uncertain;
                    fail(
                        client, QStringLiteral("BatchExecuteStatement"),
                        makeError(ErrorKind::Backend,
                                  QStringLiteral("the answer has not one response per statement")));
                    return false;
                }
                std::vector<std::size_t> again;
                for (std::size_t k = 0; k < pending.size(); ++k) {
                    const std::size_t i = pending[k];
                    const Value *error =
                        answers->toList()[qsizetype(k)].find(QStringLiteral("Error"));
                    if (!error) {
                        results[i].state = State::Written;
                        continue;
                    }
                    const Value *code = error->find(QStringLiteral("Code"));
                    const Value *message = error->find(QStringLiteral("Message"));
                    const QString c = code ? code->text() : QString();
                    if (c == u"DuplicateItem" || c == u"ConditionalCheckFailed") {
                        if (!resolveTaken(i, client))
                            return false;
                    } else if (c == u"ValidationError") {
                        results[i].message = message ? message->text() : c;
                    } else if (c.contains(QLatin1String("Throttl")) ||
                               c.contains(QLatin1String("Throughput")) ||
                               c == u"RequestLimitExceeded" || c == u"InternalServerError" ||
                               c == u"TransactionConflict") {
                        again.push_back(i);
                    } else {
                        fail(client, QStringLiteral("BatchExecuteStatement"),
                             makeError(ErrorKind::Backend,
                                       QStringLiteral("%1: %2").arg(c, message ? message->text()
                                                                               : QString())));
                        return false;
                    }
                }
                stalled = again.size() == pending.size() ? stalled + 1 : 0;
                pending = std::move(again);
                if (pending.empty())
                    break;
                if (stalled > maxStalled) {
                    failure.set(makeError(
                        ErrorKind::Throttled,
                        QStringLiteral("DynamoDB throttled %1 records of %2 after %3 tries "
                                       "(the table's write capacity is exceeded)")
                            .arg(pending.size())
                            .arg(table)
                            .arg(stalled)));
                    return false;
                }
                if (!backoff(stalled, cancelled)) {
                    failure.set(cancelledError());
                    return false;
                }
            }
            return true;
        };
        const std::size_t groups = (insertable.size() + kBatchStatements - 1) / kBatchStatements;
        std::size_t first = 0;
        if (groups > 0 && m_partiQL == PartiQL::Unknown) {
            // The first group tells whether PartiQL is there.
            runConcurrently(
                1, [&](std::size_t, DynamoDbClient &client) { return insertGroup(0, client); });
            if (missing) {
                m_partiQL = PartiQL::Missing;
                for (std::size_t i : insertable)
                    results[i] = BulkWriteResult{};
                singles.insert(singles.end(), insertable.begin(), insertable.end());
                insertable.clear();
            } else {
                m_partiQL = PartiQL::Present;
                first = 1;
            }
            if (auto e = failure.take())
                return *e;
        }
        if (!insertable.empty() && first < groups) {
            runConcurrently(groups - first, [&](std::size_t g, DynamoDbClient &client) {
                return insertGroup(first + g, client);
            });
        }
        if (auto e = failure.take())
            return *e;
        runConcurrently(singles.size(), [&](std::size_t k, DynamoDbClient &client) {
            return putOne(singles[k], client, true);
        });
        if (auto e = failure.take())
            return *e;
        return okStatus();
    }

    const std::size_t groups = (sendable.size() + kBatchWriteItems - 1) / kBatchWriteItems;
    runConcurrently(groups, [&](std::size_t g, DynamoDbClient &client) {
        std::vector<std::size_t> pending;
        for (std::size_t k = g * kBatchWriteItems;
             k < std::min(sendable.size(), (g + 1) * kBatchWriteItems); ++k)
            pending.push_back(sendable[k]);
        int stalled = 0;
        while (!pending.empty()) {
            if (cancelled && cancelled()) {
                failure.set(cancelledError());
                return false;
            }
            QByteArray body = "{\"RequestItems\":{" + tableJson + ":[";
            for (std::size_t k = 0; k < pending.size(); ++k) {
                if (k > 0)
                    body += ',';
                body += "{\"PutRequest\":{\"Item\":" + items[pending[k]] + "}}";
            }
            body += "]}}";
            auto response = client.call(QStringLiteral("BatchWriteItem"), body, cancelled);
            if (!response) {
                if (response.error().kind == ErrorKind::Invalid) {
                    // DynamoDB refuses the whole request for one bad item, without naming it:
                    // one request each finds it, and writes the others.
                    for (std::size_t i : pending) {
                        if (!putOne(i, client, false))
                            return false;
                    }
                    return true;
                }
                const State state = mayHaveHappened(client) ? State::Uncertain : State::NotWritten;
                for (std::size_t i : pending)
                    results[i].state = state;
                fail(client, QStringLiteral("BatchWriteItem"), response.error());
                return false;
            }
            QSet<QString> unprocessed;
            if (const Value::List *left = tableMember(*response, "UnprocessedItems", table)) {
                for (const Value &request : *left) {
                    const Value *put = request.find(QStringLiteral("PutRequest"));
                    const Value *item = put ? put->find(QStringLiteral("Item")) : nullptr;
                    if (item)
                        unprocessed.insert(keyIdentityInItem(*item, *hashKey));
                }
            }
            std::vector<std::size_t> again;
            for (std::size_t i : pending) {
                if (unprocessed.contains(keyIdentity(records[i].key)))
                    again.push_back(i);
                else
                    results[i].state = results[i].existed ? State::Replaced : State::Written;
            }
            stalled = again.size() == pending.size() ? stalled + 1 : 0;
            pending = std::move(again);
            if (pending.empty())
                break;
            if (stalled > maxStalled) {
                failure.set(makeError(
                    ErrorKind::Throttled,
                    QStringLiteral("DynamoDB left %1 records of %2 unprocessed after %3 tries "
                                   "(the table's write capacity is exceeded)")
                        .arg(pending.size())
                        .arg(table)
                        .arg(stalled)));
                return false;
            }
            if (!backoff(stalled, cancelled)) {
                failure.set(cancelledError());
                return false;
            }
        }
        return true;
    });
    if (auto e = failure.take())
        return *e;
    return okStatus();
}
