// The StructNoSQL Python model reader: any source gives a model (whose model file reads back)
// or an error naming the file.
#include "fuzzcommon.h"

#include "model/schema/python/pythonmodel.h"

extern "C" int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
    const QByteArray source(reinterpret_cast<const char *>(data), qsizetype(size));
    auto model = PythonModel::read(source, QStringLiteral("fuzz_model.py"));
    if (!model) {
        FUZZ_CHECK(!model.error().toString().isEmpty(),
                   QStringLiteral("an error without a message"));
        return 0;
    }
    FUZZ_CHECK(model->model != nullptr, QStringLiteral("a result without a model"));
    auto again = TableModel::fromJson(model->modelJson, QStringLiteral("fuzz.model.json"));
    FUZZ_CHECK(again.ok(), QStringLiteral("the model file written is not readable: ") +
                               again.error().toString());
    return 0;
}
