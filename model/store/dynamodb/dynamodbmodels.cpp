// DynamoDbStore's table models: the key from DescribeTable, the model attached as a file, or
// one inferred from a sample of the table's records.

#include "model/store/dynamodb/dynamodbstore.h"

#include "model/json/jsoncodec.h"
#include "model/schema/modelinference.h"
#include "model/store/dynamodb/dynamodbexpression.h"
#include "model/store/dynamodb/dynamodbitem.h"

#include <nlohmann/json.hpp>

#include <QDeadlineTimer>
#include <QDir>
#include <QFile>
#include <QSaveFile>

#include <algorithm>
#include <tuple>
#include <utility>

using DynamoDb::fieldKindTag;
using DynamoDb::JsonBody;

namespace {

/// The model file text with "table" set to the table it is kept for.
QByteArray modelJsonFor(const QString &table, const TableModel &model)
{
    return model.toJson(table);
}

} // namespace

QString DynamoDbStore::modelFile(const QString &table) const
{
    return m_config.modelDirectory + u'/' + table + QStringLiteral(".json");
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
