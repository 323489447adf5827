// DynamoDB HTTP response bodies, read the way DynamoDbClient and DynamoDbStore read them: the
// first byte picks the HTTP status (200, 400 or 500), the rest is the body. The body is parsed
// as plain JSON (the client); an error answer gives its __type, message and
// CancellationReasons; a success gives its Item, Attributes, Items, LastEvaluatedKey,
// TableNames and Table (the key schema, as describeKey reads it), and the sampled Items go
// through model inference as for a table without a model.
#include "fuzzcommon.h"

#include "model/json/jsoncodec.h"
#include "model/schema/modelinference.h"
#include "model/store/dynamodb/dynamodbclient.h"

namespace {

void readItem(const Value &response, const char *member)
{
    const Value *item = response.find(QString::fromLatin1(member));
    if (!item || !item->isMap())
        return;
    auto record = JsonCodec::fromDynamoItemTree(*item);
    if (record) {
        FUZZ_CHECK(record->isMap(), QStringLiteral("an item that is not a map"));
        auto again = JsonCodec::parseDynamoItem(JsonCodec::toDynamoItem(*record));
        FUZZ_CHECK(again.ok() && *again == *record, QStringLiteral("an item does not read back"));
    }
}

void readKeySchema(const Value &table)
{
    QString hashKey;
    if (const Value *schema = table.find(QStringLiteral("KeySchema")); schema && schema->isList()) {
        for (const Value &k : schema->toList()) {
            const Value *name = k.find(QStringLiteral("AttributeName"));
            const Value *type = k.find(QStringLiteral("KeyType"));
            if (name && type && type->text() == u"HASH")
                hashKey = name->text();
        }
    }
    if (hashKey.isEmpty())
        return;
    auto model = TableModel::keyOnly(QStringLiteral("fuzzed"), hashKey, FieldKind::Str);
    FUZZ_CHECK(model && model->hashKey() == hashKey,
               QStringLiteral("a key-only model lost its key"));
}

void inferFrom(const Value &items)
{
    ModelInference inference;
    for (const Value &tree : items.toList()) {
        auto record = JsonCodec::fromDynamoItemTree(tree);
        if (record && record->isMap())
            inference.add(*record);
    }
    if (inference.records() == 0)
        return;
    ModelInference::Options options;
    options.table = QStringLiteral("fuzzed");
    options.hashKey = QStringLiteral("id");
    auto inferred = inference.model(options);
    if (!inferred)
        return;
    auto again = TableModel::fromJson((*inferred)->toJson(), QStringLiteral("inferred.model.json"));
    FUZZ_CHECK(again.ok(),
               QStringLiteral("an inferred model does not read back: ") + again.error().toString());
}

} // namespace

extern "C" int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
    if (size == 0)
        return 0;
    const int status = data[0] % 3 == 0 ? 200 : (data[0] % 3 == 1 ? 400 : 500);
    auto parsed = JsonCodec::parsePlain(Fuzz::bytes(data + 1, size - 1));
    if (!parsed || !parsed->isMap())
        return 0;
    const Value &response = *parsed;
    if (status != 200) {
        QString type;
        if (const Value *t = response.find(QStringLiteral("__type")); t && t->isString())
            type = t->text().section(QLatin1Char('#'), -1);
        (void)DynamoDbClient::isRetryableType(type);
        (void)DynamoDbClient::isCredentialType(type);
        if (const Value *list = response.find(QStringLiteral("CancellationReasons"));
            list && list->isList()) {
            for (const Value &reason : list->toList()) {
                if (reason.isMap())
                    readItem(reason, "Item");
            }
        }
        return 0;
    }
    readItem(response, "Item");
    readItem(response, "Attributes");
    readItem(response, "LastEvaluatedKey");
    if (const Value *items = response.find(QStringLiteral("Items")); items && items->isList())
        inferFrom(*items);
    if (const Value *names = response.find(QStringLiteral("TableNames"));
        names && names->isList()) {
        for (const Value &n : names->toList())
            (void)n.text();
    }
    if (const Value *table = response.find(QStringLiteral("Table")); table && table->isMap())
        readKeySchema(*table);
    return 0;
}
