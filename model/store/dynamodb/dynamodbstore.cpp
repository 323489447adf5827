// DynamoDbStore: opening a store on an endpoint, and the record operations (put, get, replace,
// update, remove). Its other concerns live beside it: the location string
// (dynamodblocation.cpp), tables (dynamodbtables.cpp), models (dynamodbmodels.cpp), scans and
// queries (dynamodbscan.cpp), transactions (dynamodbtransactions.cpp) and bulk writes
// (dynamodbbulk.cpp, dynamodbbulkwrite.cpp).

#include "model/store/dynamodb/dynamodbstore.h"

#include "model/json/jsoncodec.h"
#include "model/store/dynamodb/dynamodbexpression.h"
#include "model/store/dynamodb/dynamodbitem.h"

#include <QDir>
#include <QSet>
#include <QStandardPaths>

#include <algorithm>
#include <map>
#include <utility>

using DynamoDb::Expression;
using DynamoDb::isDocumentPathError;
using DynamoDb::itemFrom;
using DynamoDb::JsonBody;
using DynamoDb::keyCondition;
using DynamoDb::keyJson;
using DynamoDb::keyWords;
using DynamoDb::overlaps;
using DynamoDb::pathHasIndex;
using DynamoDb::recordCondition;
using DynamoDb::recordOrKeyCondition;
using DynamoDb::sameValue;
using DynamoDb::valueSize;

namespace {

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

/// The refusal of a put whose key is taken.
Error existsError(const Value &key)
{
    return makeError(ErrorKind::Exists,
                     QStringLiteral("a record with the key %1 already exists; nothing was written")
                         .arg(key.text()),
                     key.text());
}

/// What a save changes from `before` to `after`: the attributes to set (`added`: those new
/// among them) and to remove.
void changesOf(const Value::Map &before, const Value::Map &after, QStringList &setNames,
               QStringList &removeNames, QStringList &added)
{
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
}

/// The condition of a save: the record is still `expected` and what it adds still absent; when
/// that is too long, only the key and what the save touches; when that is too, the key.
QString replaceCondition(Expression &expr, const Value &expected, const QStringList &added,
                         const QStringList &setNames, const QStringList &removeNames,
                         const QString &hashKey)
{
    QString condition = recordCondition(expr, expected, added);
    if (condition.toUtf8().size() > DynamoDbStore::kMaxExpressionLength) {
        // Too long to guard everything: guard the key and what the save touches.
        expr = Expression();
        QSet<QString> touched(setNames.begin(), setNames.end());
        touched.unite(QSet<QString>(removeNames.begin(), removeNames.end()));
        touched.insert(hashKey);
        condition = recordCondition(expr, expected, added, &touched);
        if (condition.toUtf8().size() > DynamoDbStore::kMaxExpressionLength)
            condition = keyCondition(expr, expected, hashKey);
    }
    return condition;
}

} // namespace

// ---------------------------------------------------------------------------------------------
// Opening

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
        Expression expr;
        body.string("ConditionExpression",
                    QStringLiteral("attribute_not_exists(%1)").arg(expr.name(*hashKey)));
        body.expression(expr);
    }
    auto response = call(QStringLiteral("PutItem"), body.take());
    if (!response) {
        if (response.error().kind == ErrorKind::Conflict && mustNotExist)
            return existsError(key);
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
            return existsError(key);
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
    const Value::Map &after = record.toMap();
    changesOf(expected.toMap(), after, setNames, removeNames, added);
    if (setNames.isEmpty() && removeNames.isEmpty())
        return okStatus();

    Expression expr;
    const QString condition =
        replaceCondition(expr, expected, added, setNames, removeNames, *hashKey);
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
        Expression putExpr;
        const QString putCondition = recordOrKeyCondition(putExpr, expected, *hashKey);
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
        Expression expr;
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
        Expression expr;
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
    Expression expr;
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
