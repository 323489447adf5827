// Field paths with {{variables}}: the first line is the path, each further line NAME=VALUE a
// variable. Resolved against the demo users model and against a key-only model.
#include "fuzzcommon.h"

#include "model/schema/fieldpath.h"

extern "C" int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
    const QString text = QString::fromUtf8(Fuzz::bytes(data, size));
    const QStringList lines = text.split(QLatin1Char('\n'));
    QHash<QString, QString> variables;
    for (qsizetype i = 1; i < lines.size(); ++i) {
        const qsizetype eq = lines[i].indexOf(QLatin1Char('='));
        if (eq >= 0)
            variables.insert(lines[i].left(eq), lines[i].mid(eq + 1));
    }
    static const TableModelPtr keyOnly =
        TableModel::keyOnly(QStringLiteral("plain"), QStringLiteral("id"), FieldKind::Str);
    for (const TableModelPtr &model : {Fuzz::demoModel(), keyOnly}) {
        auto path = resolvePath(*model, lines.value(0), variables);
        if (!path) {
            FUZZ_CHECK(!path.error().message.isEmpty(),
                       QStringLiteral("an error without a message"));
            continue;
        }
        FUZZ_CHECK(!path->elements.empty(), QStringLiteral("a resolved path without elements"));
        FUZZ_CHECK(path->elements.size() <= size_t(TableModel::kMaxDepth),
                   QStringLiteral("a path deeper than the limit: ") + path->display());
        FUZZ_CHECK(path->specs.size() == path->elements.size(),
                   QStringLiteral("specs and elements differ in number"));
        FUZZ_CHECK(path->containerDefaults.size() + 1 == path->elements.size(),
                   QStringLiteral("container defaults and elements differ in number"));
        (void)path->display();
        (void)path->isHashKey(*model);
    }
    return 0;
}
