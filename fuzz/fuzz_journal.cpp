// The recovery journal entry format: one file's bytes in a journal folder, read by entries()
// and entry(); an unreadable file is an error, never a crash.
#include "fuzzcommon.h"

#include "model/rekey/recoveryjournal.h"

extern "C" int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
    static const QString folder = [] {
        const QString f = Fuzz::scratch().filePath(QStringLiteral("journal"));
        QDir().mkpath(f);
        return f;
    }();
    Fuzz::writeScratch(QStringLiteral("journal/fuzz-entry.json"), Fuzz::bytes(data, size));
    const RecoveryJournal journal(folder);
    auto all = journal.entries();
    auto one = journal.entry(QStringLiteral("fuzz-entry"));
    FUZZ_CHECK(all.ok() == one.ok(), QStringLiteral("entries() and entry() disagree"));
    if (!one)
        FUZZ_CHECK(!one.error().toString().isEmpty(), QStringLiteral("an error without a message"));
    return 0;
}
