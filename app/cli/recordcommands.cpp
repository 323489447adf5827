// The commands on one record: put, get, delete, remove, update, update-many, delete-field,
// remove-field.
#include "app/cli/session.h"

#include "model/core/names.h"

#include "model/json/jsoncodec.h"
#include "model/schema/validator.h"

namespace cli {

Session::Outcome Session::put()
{
    auto m = argumentsAndTable(2, 2, "TABLE JSON");
    if (auto *e = std::get_if<CliError>(&m))
        return *e;
    auto record = parseJsonArgument(m_args.positional[1], QStringLiteral("the record"));
    if (auto *e = std::get_if<CliError>(&record))
        return *e;
    const Value typed = applyModelTypes(*std::get<TableModelPtr>(m), std::get<Value>(record));
    if (auto s = m_store->putRecord(m_args.positional[0], typed); !s)
        return fromError(s.error());
    return std::nullopt;
}

Session::Outcome Session::get()
{
    auto k = tableAndKey("TABLE KEY");
    if (auto *e = std::get_if<CliError>(&k))
        return *e;
    auto record = m_store->getRecord(m_args.positional[0], std::get<Value>(k));
    if (!record)
        return fromError(record.error());
    if (!record->has_value())
        return absent(std::get<Value>(k));
    printLine(JsonCodec::toPlain(**record));
    return std::nullopt;
}

Session::Outcome Session::deleteRecord()
{
    auto k = tableAndKey("TABLE KEY");
    if (auto *e = std::get_if<CliError>(&k))
        return *e;
    auto deleted = m_store->deleteRecord(m_args.positional[0], std::get<Value>(k));
    if (!deleted)
        return fromError(deleted.error());
    if (!*deleted)
        return absent(std::get<Value>(k));
    return std::nullopt;
}

Session::Outcome Session::removeRecord()
{
    auto k = tableAndKey("TABLE KEY");
    if (auto *e = std::get_if<CliError>(&k))
        return *e;
    auto removed = m_store->removeRecord(m_args.positional[0], std::get<Value>(k));
    if (!removed)
        return fromError(removed.error());
    if (!removed->has_value())
        return absent(std::get<Value>(k));
    printLine(JsonCodec::toPlain(**removed));
    return std::nullopt;
}

Session::Outcome Session::update()
{
    auto k = tableAndKey("TABLE KEY PATH VALUE_JSON [--var NAME=VALUE]... [--return-old]", 2, 2);
    if (auto *e = std::get_if<CliError>(&k))
        return *e;
    auto plain = parseJsonArgument(
        m_args.positional[3],
        QStringLiteral("the value of %1").arg(excerpt(m_args.positional[2], 120)));
    if (auto *e = std::get_if<CliError>(&plain))
        return *e;
    auto s = setter(m_args.positional[2], std::get<Value>(plain));
    if (auto *e = std::get_if<CliError>(&s))
        return *e;
    auto old = m_store->updateFieldReturnOld(m_args.positional[0], std::get<Value>(k),
                                             std::get<FieldSetter>(s));
    if (!old)
        return fromError(old.error());
    if (m_args.returnOld && old->has_value())
        printLine(JsonCodec::toPlain(**old));
    return std::nullopt;
}

Session::Outcome Session::updateMany()
{
    auto k = tableAndKey(
        "TABLE KEY JSON_OBJECT_OF_PATH_TO_VALUE [--var NAME=VALUE]... [--return-old]", 1, 1);
    if (auto *e = std::get_if<CliError>(&k))
        return *e;
    auto plain = parseJsonArgument(m_args.positional[2], QStringLiteral("the updates"));
    if (auto *e = std::get_if<CliError>(&plain))
        return *e;
    const Value &object = std::get<Value>(plain);
    if (!object.isMap() || object.size() == 0)
        return CliError{
            CliTool::Failed,
            QStringLiteral("update-many takes a non-empty JSON object of path -> value")};
    std::vector<FieldSetter> setters;
    const Value::Map &m = object.toMap();
    for (auto it = m.cbegin(); it != m.cend(); ++it) {
        auto s = setter(it.key(), it.value());
        if (auto *e = std::get_if<CliError>(&s))
            return *e;
        setters.push_back(std::get<FieldSetter>(std::move(s)));
    }
    auto old =
        m_store->updateMultipleFieldsReturnOld(m_args.positional[0], std::get<Value>(k), setters);
    if (!old)
        return fromError(old.error());
    if (m_args.returnOld) {
        Value::Map previous;
        for (std::size_t i = 0; i < setters.size(); ++i) {
            if ((*old)[i].has_value())
                previous.insert(setters[i].path, *(*old)[i]);
        }
        printLine(JsonCodec::toPlain(Value::map(previous)));
    }
    return std::nullopt;
}

Session::Outcome Session::removeFieldCommon(bool print)
{
    auto k = tableAndKey("TABLE KEY PATH [--var NAME=VALUE]...", 1, 1);
    if (auto *e = std::get_if<CliError>(&k))
        return *e;
    auto removed = m_store->removeField(m_args.positional[0], std::get<Value>(k),
                                        m_args.positional[2], m_args.variables);
    if (!removed)
        return fromError(removed.error());
    if (!removed->has_value())
        return CliError{CliTool::Failed,
                        QStringLiteral("the record %1 has no field %2; nothing was removed")
                            .arg(std::get<Value>(k).text(), m_args.positional[2])};
    if (print)
        printLine(JsonCodec::toPlain(**removed));
    return std::nullopt;
}

} // namespace cli
