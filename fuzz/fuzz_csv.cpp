// The CSV codec as an import reads it: RecordReader on a file (header, rows with quoted line
// breaks, cells typed by the demo users model), every record parsed on its own.
#include "fuzzcommon.h"

#include "model/transfer/recordreader.h"

extern "C" int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
    const QString path = Fuzz::writeScratch(QStringLiteral("fuzz.csv"), Fuzz::bytes(data, size));
    auto reader = RecordReader::open(path, TransferFormat::Csv, Fuzz::demoModel());
    if (!reader)
        return 0;
    RecordReader::Chunk chunk;
    for (int round = 0; round < 10000; ++round) {
        chunk = {};
        auto more = (*reader)->readChunk(chunk, 4096);
        if (!more)
            break;
        for (const RecordReader::Record &r : chunk.records) {
            if (!r.error.isEmpty())
                continue;
            Value record;
            RecordReader::Problem problem;
            if (!(*reader)->parse(chunk.text(r), r.line, record, problem))
                FUZZ_CHECK(!problem.message.isEmpty(),
                           QStringLiteral("a problem without a message"));
            else
                FUZZ_CHECK(record.isMap(), QStringLiteral("a CSV record that is not a map"));
        }
        if (!*more)
            break;
        FUZZ_CHECK(round < 9999, QStringLiteral("readChunk() never reaches the end"));
    }
    return 0;
}
