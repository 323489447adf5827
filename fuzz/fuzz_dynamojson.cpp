// The DynamoDB JSON codec: an item or a single attribute value; what parses writes out as
// DynamoDB JSON that reads back equal.
#include "fuzzcommon.h"

#include "model/json/jsoncodec.h"

extern "C" int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
    const QByteArrayView text = Fuzz::bytes(data, size);
    if (auto item = JsonCodec::parseDynamoItem(text)) {
        FUZZ_CHECK(item->isMap(), QStringLiteral("an item that is not a map"));
        const QByteArray out = JsonCodec::toDynamoItem(*item);
        auto again = JsonCodec::parseDynamoItem(out);
        FUZZ_CHECK(again.ok(),
                   QStringLiteral("toDynamoItem() is not readable: ") + again.error().toString());
        FUZZ_CHECK(*again == *item, QStringLiteral("parseDynamoItem(toDynamoItem(v)) != v"));
    }
    if (auto value = JsonCodec::parseDynamoValue(text)) {
        const QByteArray out = JsonCodec::toDynamoValue(*value);
        auto again = JsonCodec::parseDynamoValue(out);
        FUZZ_CHECK(again.ok(),
                   QStringLiteral("toDynamoValue() is not readable: ") + again.error().toString());
        FUZZ_CHECK(*again == *value, QStringLiteral("parseDynamoValue(toDynamoValue(v)) != v"));
    }
    return 0;
}
