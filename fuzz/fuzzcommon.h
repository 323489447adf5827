#pragma once

// Shared by the libFuzzer targets (fuzz/fuzz_*.cpp): an invariant check that stops the run with
// a message, the demo table model, and a scratch folder for the parsers that read files.

#include "model/schema/tablemodel.h"

#include <QByteArray>
#include <QFile>
#include <QString>
#include <QTemporaryDir>

#include <cstdio>
#include <cstdlib>

/// A broken invariant is a finding: libFuzzer saves the input when the process aborts.
#define FUZZ_CHECK(condition, what)                                                                \
    do {                                                                                           \
        if (!(condition)) {                                                                        \
            std::fprintf(stderr, "fuzz: invariant broken: %s (%s, %s:%d)\n",                       \
                         QString(what).toLocal8Bit().constData(), #condition, __FILE__, __LINE__); \
            std::abort();                                                                          \
        }                                                                                          \
    } while (false)

namespace Fuzz {

inline QByteArrayView bytes(const uint8_t *data, size_t size)
{
    return QByteArrayView(reinterpret_cast<const char *>(data), qsizetype(size));
}

/// The demo users model (every field kind: map, dict, list, set, any, recursive models).
inline const TableModelPtr &demoModel()
{
    static const TableModelPtr model = [] {
        const QString path =
            QStringLiteral(STRUCTDESK_SOURCE_DIR "/resources/demo/users.model.json");
        auto m = TableModel::fromFile(path);
        if (!m) {
            std::fprintf(stderr, "fuzz: cannot read %s: %s\n", qPrintable(path),
                         qPrintable(m.error().toString()));
            std::abort();
        }
        return *m;
    }();
    return model;
}

/// A scratch folder for the whole run (removed at exit).
inline const QTemporaryDir &scratch()
{
    static QTemporaryDir dir;
    return dir;
}

/// Writes `data` to `name` in the scratch folder and returns its path.
inline QString writeScratch(const QString &name, QByteArrayView data)
{
    const QString path = scratch().filePath(name);
    QFile file(path);
    if (!file.open(QIODevice::WriteOnly | QIODevice::Truncate) ||
        file.write(data.data(), data.size()) != data.size()) {
        std::fprintf(stderr, "fuzz: cannot write %s\n", qPrintable(path));
        std::abort();
    }
    return path;
}

} // namespace Fuzz
