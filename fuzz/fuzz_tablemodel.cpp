// The table model file reader (TableModel::fromJson): any bytes give a model or an error, and a
// model read back from its own file format is the same model.
#include "fuzzcommon.h"

extern "C" int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
    auto model = TableModel::fromJson(Fuzz::bytes(data, size), QStringLiteral("fuzz.model.json"));
    if (!model) {
        FUZZ_CHECK(!model.error().message.isEmpty(), QStringLiteral("an error without a message"));
        return 0;
    }
    const QByteArray json = (*model)->toJson();
    auto again = TableModel::fromJson(json, QStringLiteral("again.model.json"));
    FUZZ_CHECK(again.ok(), QStringLiteral("toJson() is not readable: ") + again.error().toString());
    FUZZ_CHECK((*again)->toJson() == json, QStringLiteral("fromJson(toJson()) differs"));
    return 0;
}
