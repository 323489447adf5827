// The plain JSON records codec: JsonCodec::parsePlain and the import's FastJson::parsePlain
// agree on every input (both documented to give the same results), a parsed value written out
// reads back equal, and the stored form reads back too.
#include "fuzzcommon.h"

#include "model/json/fastjson.h"
#include "model/json/jsoncodec.h"

extern "C" int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
    const QByteArrayView text = Fuzz::bytes(data, size);
    auto slow = JsonCodec::parsePlain(text);
    auto fast = FastJson::parsePlain(text);
    FUZZ_CHECK(slow.ok() == fast.ok(),
               QStringLiteral("JsonCodec and FastJson disagree: ") +
                   (slow ? fast.error().toString() : slow.error().toString()));
    (void)JsonCodec::parseStored(text);
    if (!slow)
        return 0;
    FUZZ_CHECK(*slow == *fast, QStringLiteral("JsonCodec and FastJson read different values"));

    const QByteArray plain = JsonCodec::toPlain(*slow);
    QByteArray fastPlain;
    FastJson::appendPlain(fastPlain, *slow);
    FUZZ_CHECK(plain == fastPlain, QStringLiteral("JsonCodec and FastJson write different text"));
    auto again = JsonCodec::parsePlain(plain);
    FUZZ_CHECK(again.ok(),
               QStringLiteral("toPlain() is not readable: ") + again.error().toString());
    FUZZ_CHECK(*again == *slow, QStringLiteral("parsePlain(toPlain(v)) != v"));

    const QByteArray stored = JsonCodec::toStored(*slow);
    auto storedAgain = JsonCodec::parseStored(stored);
    FUZZ_CHECK(storedAgain.ok(),
               QStringLiteral("toStored() is not readable: ") + storedAgain.error().toString());
    FUZZ_CHECK(*storedAgain == *slow, QStringLiteral("parseStored(toStored(v)) != v"));
    return 0;
}
