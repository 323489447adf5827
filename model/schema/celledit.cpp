#include "model/schema/celledit.h"

#include "model/schema/fieldpath.h"
#include "model/schema/validator.h"

#include <QObject>

#include <algorithm>
#include <optional>
#include <vector>

QString numberTextProblem(const QString &text, FieldKind kind)
{
    const QString t = text.trimmed();
    if (t.isEmpty())
        return QObject::tr("enter a number");
    QString problem = checkNumber(t);
    if (!problem.isEmpty())
        return problem;
    if (kind == FieldKind::Int && !isIntegerText(t))
        return QObject::tr("must be a whole number (int), without a fraction or exponent");
    if (kind == FieldKind::Float && isIntegerText(t))
        return QObject::tr("must be written with a fraction or an exponent (float), e.g. %1.0")
            .arg(t);
    return {};
}

Result<Value> cellEditValue(const TableModel &model, const Value &record, const QString &field,
                            const QString &text)
{
    if (field == model.hashKey())
        return makeError(ErrorKind::Invalid,
                         QObject::tr("the key is changed with the key change wizard, which never "
                                     "loses the record"),
                         field);
    auto path = resolvePath(model, field);
    if (!path)
        return path.error();
    const Value *current = record.find(field);
    if (current && (current->isMap() || current->isList() || current->isSet()))
        return makeError(
            ErrorKind::Invalid,
            QObject::tr("holds %1: edit it in the form").arg(current->typeDescription()), field);

    // The scalar kinds the text may be read as, the current value's kind first.
    std::vector<FieldKind> kinds;
    const FieldSpec *spec = path->target;
    if (spec && !spec->types.empty() && !spec->isAny()) {
        for (const FieldType &t : spec->types) {
            switch (t.kind) {
            case FieldKind::Str:
            case FieldKind::Int:
            case FieldKind::Float:
            case FieldKind::Decimal:
            case FieldKind::Bool:
            case FieldKind::Bytes:
                kinds.push_back(t.kind);
                break;
            default:
                break;
            }
        }
        if (kinds.empty())
            return makeError(ErrorKind::Invalid,
                             QObject::tr("is %1: edit it in the form").arg(spec->typeDescription()),
                             field);
    } else {
        kinds = {FieldKind::Decimal, FieldKind::Bool, FieldKind::Str};
    }
    if (model.isAdvisory()) {
        // An inferred model is a guess: its types come first, any scalar is accepted after them.
        for (FieldKind free : {FieldKind::Decimal, FieldKind::Bool, FieldKind::Str}) {
            if (std::find(kinds.begin(), kinds.end(), free) == kinds.end())
                kinds.push_back(free);
        }
    }
    if (current) {
        std::stable_partition(kinds.begin(), kinds.end(), [&](FieldKind k) {
            return valueFitsType(FieldType{k, nullptr, nullptr, FieldKind::Str}, *current);
        });
    }
    std::optional<Value> value;
    QString firstProblem;
    for (FieldKind kind : kinds) {
        QString problem;
        switch (kind) {
        case FieldKind::Str:
            value = Value::string(text);
            break;
        case FieldKind::Int:
        case FieldKind::Float:
        case FieldKind::Decimal:
            problem = numberTextProblem(text, kind);
            if (problem.isEmpty())
                value = Value::numberUnchecked(text.trimmed());
            break;
        case FieldKind::Bool: {
            const QString t = text.trimmed().toLower();
            if (t == QStringLiteral("true"))
                value = Value::boolean(true);
            else if (t == QStringLiteral("false"))
                value = Value::boolean(false);
            else
                problem = QObject::tr("must be true or false");
            break;
        }
        case FieldKind::Bytes: {
            auto bytes = decodeBase64(QStringView(text.trimmed()));
            if (bytes)
                value = Value::binary(*bytes);
            else
                problem = QObject::tr("is not base64");
            break;
        }
        default:
            break;
        }
        if (value)
            break;
        if (firstProblem.isEmpty())
            firstProblem = problem;
    }
    if (!value) {
        const QString accepts = spec ? spec->typeDescription() : QString();
        return makeError(ErrorKind::Invalid,
                         accepts.isEmpty() || kinds.size() == 1
                             ? firstProblem
                             : QObject::tr("%1 (the field takes %2)").arg(firstProblem, accepts),
                         field);
    }
    for (const Problem &p : Validator(model).validateAt(*path, *value)) {
        if (p.blocking)
            return makeError(ErrorKind::Invalid, p.message, p.path.isEmpty() ? field : p.path);
    }
    return *value;
}
