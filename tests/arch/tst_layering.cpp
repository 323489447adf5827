// The layer order, enforced: every #include of app/, model/ and widgets/ stays inside what its
// folder's CMakeLists.txt declares it uses (structdesk_layer(USES ...), transitively), and every
// source file of a layer folder is listed there. The layers come from the build (layers.txt,
// written by cmake/StructDeskLayers.cmake), so the check and the libraries cannot drift apart.

#include <QDir>
#include <QDirIterator>
#include <QFile>
#include <QHash>
#include <QRegularExpression>
#include <QSet>
#include <QTemporaryDir>
#include <QTest>

namespace {

using namespace Qt::StringLiterals;

struct Layer
{
    QString dir;           ///< relative to the source root: model/store/sqlite
    QStringList uses;      ///< as declared
    QSet<QString> sources; ///< relative to the layer folder
};

/// Reads layers.txt: FOLDER|USES,...|SOURCES,... per line.
QList<Layer> readLayers(const QString &path, QString *error)
{
    QFile file(path);
    if (!file.open(QIODevice::ReadOnly | QIODevice::Text)) {
        *error = path + u": cannot be read ("_s + file.errorString() + u")"_s;
        return {};
    }
    QList<Layer> layers;
    int lineNumber = 0;
    while (!file.atEnd()) {
        ++lineNumber;
        const QString line = QString::fromUtf8(file.readLine()).trimmed();
        if (line.isEmpty())
            continue;
        const QStringList parts = line.split(u'|');
        if (parts.size() != 3) {
            *error = u"%1:%2: not FOLDER|USES|SOURCES"_s.arg(path).arg(lineNumber);
            return {};
        }
        Layer layer;
        layer.dir = parts[0];
        layer.uses = parts[1].split(u',', Qt::SkipEmptyParts);
        for (const QString &source : parts[2].split(u',', Qt::SkipEmptyParts))
            layer.sources.insert(source);
        layers.append(layer);
    }
    return layers;
}

/// The layer a file belongs to: the deepest layer folder holding it, or -1.
int layerOf(const QList<Layer> &layers, const QString &file)
{
    int best = -1;
    for (int i = 0; i < layers.size(); ++i) {
        const QString &dir = layers[i].dir;
        if (file.startsWith(dir + u'/') && (best < 0 || dir.size() > layers[best].dir.size()))
            best = i;
    }
    return best;
}

/// Checks the tree under `root` (folders `top`) against `layers`; one line per problem, each
/// naming the file (and line) and what is allowed instead.
QStringList check(const QString &root, const QStringList &top, const QList<Layer> &layers)
{
    QStringList problems;
    QHash<QString, int> index;
    for (int i = 0; i < layers.size(); ++i)
        index.insert(layers[i].dir, i);
    for (const Layer &layer : layers)
        for (const QString &use : layer.uses)
            if (!index.contains(use))
                problems << u"%1/CMakeLists.txt: uses %2, which is not a layer"_s.arg(layer.dir,
                                                                                      use);
    // Everything a layer may reach: itself and what it uses, transitively.
    QList<QSet<QString>> reach(layers.size());
    for (int i = 0; i < layers.size(); ++i) {
        QStringList pending{layers[i].dir};
        while (!pending.isEmpty()) {
            const QString dir = pending.takeLast();
            if (reach[i].contains(dir))
                continue;
            reach[i].insert(dir);
            if (const auto it = index.constFind(dir); it != index.constEnd())
                pending << layers[*it].uses;
        }
    }
    static const QRegularExpression include(u"^\\s*#\\s*include\\s*\"([^\"]+)\""_s);
    const QDir base(root);
    for (const QString &folder : top) {
        QDirIterator it(base.filePath(folder), {u"*.h"_s, u"*.cpp"_s}, QDir::Files,
                        QDirIterator::Subdirectories);
        while (it.hasNext()) {
            const QString file = base.relativeFilePath(it.next());
            const int own = layerOf(layers, file);
            if (own < 0) {
                problems << file + u": in no layer's folder (add it to one, or make its folder "
                                   "a layer with structdesk_layer)"_s;
                continue;
            }
            const Layer &layer = layers[own];
            const QString local = file.mid(layer.dir.size() + 1);
            if (!layer.sources.contains(local))
                problems << u"%1: not listed in %2/CMakeLists.txt"_s.arg(file, layer.dir);
            QFile source(it.filePath());
            if (!source.open(QIODevice::ReadOnly | QIODevice::Text)) {
                problems << file + u": cannot be read"_s;
                continue;
            }
            int lineNumber = 0;
            while (!source.atEnd()) {
                ++lineNumber;
                const QString line = QString::fromUtf8(source.readLine());
                const QRegularExpressionMatch m = include.match(line);
                if (!m.hasMatch())
                    continue;
                const QString target = m.captured(1);
                const int theirs = layerOf(layers, target);
                if (theirs < 0 || theirs == own)
                    continue; // a system, generated or same-layer header
                if (reach[own].contains(layers[theirs].dir))
                    continue;
                QStringList allowed(reach[own].cbegin(), reach[own].cend());
                allowed.removeAll(layer.dir);
                allowed.sort();
                problems << u"%1:%2: includes %3 (layer %4); %5 may use only %6"_s.arg(
                    file, QString::number(lineNumber), target, layers[theirs].dir, layer.dir,
                    allowed.isEmpty() ? u"itself"_s : allowed.join(u", "_s));
            }
        }
    }
    return problems;
}

bool writeFile(const QString &path, const QByteArray &content)
{
    QDir().mkpath(QFileInfo(path).path());
    QFile file(path);
    return file.open(QIODevice::WriteOnly) && file.write(content) == content.size();
}

} // namespace

class TstLayering : public QObject
{
    Q_OBJECT

private slots:
    /// The repository as it is: every include inside the declared layers.
    void repositoryFollowsItsLayers()
    {
        QString error;
        const QList<Layer> layers = readLayers(QStringLiteral(STRUCTDESK_LAYERS_FILE), &error);
        QVERIFY2(error.isEmpty(), qPrintable(error));
        QVERIFY2(layers.size() >= 10, "layers.txt lists too few layers");
        const QStringList problems = check(QStringLiteral(STRUCTDESK_SOURCE_DIR),
                                           {u"app"_s, u"model"_s, u"widgets"_s}, layers);
        QVERIFY2(problems.isEmpty(), qPrintable(u"\n"_s + problems.join(u'\n')));
    }

    /// The model never includes the widgets, whatever the declarations say.
    void modelUsesNoWidgets()
    {
        QString error;
        const QList<Layer> layers = readLayers(QStringLiteral(STRUCTDESK_LAYERS_FILE), &error);
        QVERIFY2(error.isEmpty(), qPrintable(error));
        for (const Layer &layer : layers)
            if (layer.dir.startsWith(u"model/"_s) || layer.dir == u"model"_s)
                for (const QString &use : layer.uses)
                    QVERIFY2(!use.startsWith(u"widgets"_s) && !use.startsWith(u"app"_s),
                             qPrintable(layer.dir + u" uses "_s + use));
    }

    /// The check itself fails where it should, naming the file and line: a layer reaching up,
    /// a sibling reached sideways, a file no CMakeLists.txt lists, a file in no layer.
    void checkNamesEachViolation()
    {
        QTemporaryDir dir;
        QVERIFY(dir.isValid());
        const QString root = dir.path();
        QVERIFY(writeFile(root + u"/model/core/value.h"_s, "#pragma once\n"));
        QVERIFY(writeFile(root + u"/model/store/store.h"_s,
                          "#pragma once\n#include \"model/core/value.h\"\n"));
        QVERIFY(writeFile(root + u"/model/store/sqlite/sqlite.cpp"_s,
                          "#include \"model/store/store.h\"\n\n#include "
                          "\"model/store/dynamodb/ddb.h\"\n"));
        QVERIFY(writeFile(root + u"/model/store/dynamodb/ddb.h"_s, "#pragma once\n"));
        QVERIFY(writeFile(root + u"/model/core/up.cpp"_s, "  #include \"model/store/store.h\"\n"));
        QVERIFY(writeFile(root + u"/model/stray.cpp"_s, "\n"));
        const QList<Layer> layers{
            {u"model/core"_s, {}, {u"value.h"_s, u"up.cpp"_s}},
            {u"model/store"_s, {u"model/core"_s}, {u"store.h"_s}},
            {u"model/store/sqlite"_s, {u"model/store"_s}, {u"sqlite.cpp"_s}},
            {u"model/store/dynamodb"_s, {u"model/store"_s}, {}},
        };
        QStringList problems = check(root, {u"model"_s}, layers);
        problems.sort();
        const QStringList expected{
            u"model/core/up.cpp:1: includes model/store/store.h (layer model/store); model/core "
            "may use only itself"_s,
            u"model/store/dynamodb/ddb.h: not listed in model/store/dynamodb/CMakeLists.txt"_s,
            u"model/store/sqlite/sqlite.cpp:3: includes model/store/dynamodb/ddb.h (layer "
            "model/store/dynamodb); model/store/sqlite may use only model/core, model/store"_s,
            u"model/stray.cpp: in no layer's folder (add it to one, or make its folder a layer "
            "with structdesk_layer)"_s,
        };
        QCOMPARE(problems, expected);
    }
};

QTEST_APPLESS_MAIN(TstLayering)
#include "tst_layering.moc"
