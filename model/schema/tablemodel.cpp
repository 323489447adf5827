#include "model/schema/tablemodel.h"

#include "model/schema/tablemodelfile.h"

#include <QFile>
#include <QFileInfo>

using namespace tablemodelfile;

QString fieldKindName(FieldKind kind)
{
    switch (kind) {
    case FieldKind::Str:
        return QStringLiteral("str");
    case FieldKind::Int:
        return QStringLiteral("int");
    case FieldKind::Float:
        return QStringLiteral("float");
    case FieldKind::Decimal:
        return QStringLiteral("decimal");
    case FieldKind::Bool:
        return QStringLiteral("bool");
    case FieldKind::Bytes:
        return QStringLiteral("bytes");
    case FieldKind::Any:
        return QStringLiteral("any");
    case FieldKind::Map:
        return QStringLiteral("map");
    case FieldKind::Dict:
        return QStringLiteral("dict");
    case FieldKind::List:
        return QStringLiteral("list");
    case FieldKind::Set:
        return QStringLiteral("set");
    }
    return QStringLiteral("any");
}

std::optional<FieldKind> fieldKindFromName(QStringView name)
{
    for (FieldKind kind : kAllKinds) {
        if (name == fieldKindName(kind))
            return kind;
    }
    return std::nullopt;
}

bool FieldSpec::accepts(FieldKind kind) const
{
    return type(kind) != nullptr;
}

const FieldType *FieldSpec::type(FieldKind kind) const
{
    for (const FieldType &t : types) {
        if (t.kind == kind)
            return &t;
    }
    return nullptr;
}

QString FieldSpec::typeDescription() const
{
    QStringList names;
    for (const FieldType &t : types) {
        QString name = fieldKindName(t.kind);
        if (t.kind == FieldKind::Map && t.model && !t.model->name.isEmpty())
            name = t.model->name;
        else if (isContainerKind(t.kind) && t.items &&
                 !(t.items->types.size() == 1 && t.items->types.front().kind == FieldKind::Any))
            name += QStringLiteral(" of ") + t.items->typeDescription();
        names << name;
    }
    if (names.isEmpty())
        return QStringLiteral("any");
    if (names.size() == 1)
        return names.front();
    const QString last = names.takeLast();
    const QString head = names.join(QStringLiteral(", ")) + QStringLiteral(" or ") + last;
    return names.size() == 1 ? head : QStringLiteral("one of ") + head;
}

const MapModel *TableModel::namedModel(const QString &name) const
{
    return m_named.value(name, nullptr);
}

QString TableModel::checkTableName(const QString &name)
{
    if (name.size() < 3 || name.size() > 255)
        return QStringLiteral("the name %1 has %2 characters; a table or index name has 3 to 255")
            .arg(quoted(name))
            .arg(name.size());
    for (QChar c : name) {
        const bool allowed = (c >= u'a' && c <= u'z') || (c >= u'A' && c <= u'Z') ||
                             (c >= u'0' && c <= u'9') || c == u'_' || c == u'-' || c == u'.';
        if (!allowed)
            return QStringLiteral("the name %1 contains %2; a table or index name may only use "
                                  "letters, digits, \"_\", \"-\" and \".\"")
                .arg(quoted(name), quoted(QString(c)));
    }
    return {};
}

QString TableModel::checkFieldName(const QString &name)
{
    return Names::fieldNameProblem(name);
}

Result<TableModelPtr> TableModel::fromFile(const QString &path)
{
    QFile file(path);
    if (!QFileInfo::exists(path))
        return makeError(ErrorKind::NotFound, QStringLiteral("the table model file does not exist"),
                         path);
    if (!file.open(QIODevice::ReadOnly))
        return makeError(
            ErrorKind::Invalid,
            QStringLiteral("cannot read the table model file: %1").arg(file.errorString()), path);
    const QByteArray text = file.readAll();
    if (file.error() != QFileDevice::NoError)
        return makeError(
            ErrorKind::Invalid,
            QStringLiteral("cannot read the table model file: %1").arg(file.errorString()), path);
    return fromJson(text, path);
}

Result<TableModelPtr> TableModel::fromJson(QByteArrayView json, const QString &source)
{
    try {
        return TableModelParser(source).parse(json);
    } catch (const std::exception &e) {
        return makeError(
            ErrorKind::Invalid,
            QStringLiteral("cannot read the table model: %1").arg(QString::fromUtf8(e.what())),
            source);
    }
}

std::shared_ptr<const TableModel> TableModel::keyOnly(const QString &table, const QString &hashKey,
                                                      FieldKind hashKeyType)
{
    return buildKeyOnly(table, hashKey, hashKeyType);
}

std::shared_ptr<TableModel> TableModel::buildKeyOnly(const QString &table, const QString &hashKey,
                                                     FieldKind hashKeyType)
{
    auto model = std::make_shared<TableModel>();
    model->m_tableName = table;
    model->m_primary.hashKey = hashKey;
    model->m_primary.hashKeyType = hashKeyType;
    model->m_declaresFields = false;
    auto root = std::make_unique<MapModel>();
    auto key = std::make_unique<FieldSpec>();
    key->name = hashKey;
    key->required = true;
    key->types.push_back(FieldType{hashKeyType, nullptr, nullptr, FieldKind::Str});
    root->byName.insert(hashKey, key.get());
    root->fields.push_back(std::move(key));
    model->m_root = root.get();
    model->m_maps.push_back(std::move(root));
    return model;
}

QByteArray TableModel::toJson() const
{
    return TableModelParser::write(*this, m_tableName);
}

QByteArray TableModel::toJson(const QString &table) const
{
    return TableModelParser::write(*this, table);
}

std::shared_ptr<const TableModel> TableModel::advisoryCopy(const TableModel &model)
{
    std::shared_ptr<TableModel> copy;
    if (!model.declaresFields()) {
        copy = buildKeyOnly(model.tableName(), model.hashKey(), model.hashKeyType());
    } else {
        // The file format holds everything but the run-time flags, and reads back equal.
        TableModelParser parser(model.tableName());
        bool parsed = false;
        try {
            parsed = bool(parser.parse(model.toJson()));
        } catch (const std::exception &) {
        }
        Q_ASSERT(parsed);
        copy = parsed ? parser.built()
                      : buildKeyOnly(model.tableName(), model.hashKey(), model.hashKeyType());
    }
    copy->m_advisory = true;
    return copy;
}
