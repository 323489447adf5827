#include "model/store/sqlite/sqlitesql.h"

namespace SqliteSql {

int primaryCode(const QSqlError &error)
{
    bool ok = false;
    const int code = error.nativeErrorCode().toInt(&ok);
    return ok ? (code & 0xff) : -1;
}

/// The SQLite JSON path of a literal field path in stored JSON: $."a"."b".
Result<QString> jsonPath(const QStringList &path)
{
    QString out = QStringLiteral("$");
    for (const QString &key : path) {
        if (key.contains(u'"'))
            return makeError(
                ErrorKind::Invalid,
                QStringLiteral("field names with a double quote cannot be filtered on"),
                path.join(u'.'));
        out += QStringLiteral(".\"") + (key.startsWith(u'$') ? u'$' + key : key) + u'"';
    }
    return out;
}

QVariant bindableNumber(const QString &text)
{
    if (isIntegerText(text)) {
        bool ok = false;
        const qlonglong n = text.toLongLong(&ok);
        if (ok)
            return n;
    }
    return text.toDouble();
}

namespace {

/// The SQL of "the value at p equals v"; its bound values are appended to `binds`.
QString equalSql(const QString &p, const Value &v, QVariantList &binds)
{
    switch (v.type()) {
    case Value::Type::Null:
        binds << p;
        return QStringLiteral("json_type(item, ?) = 'null'");
    case Value::Type::Bool:
        binds << p;
        return v.toBool() ? QStringLiteral("json_type(item, ?) = 'true'")
                          : QStringLiteral("json_type(item, ?) = 'false'");
    case Value::Type::Number:
        // The double comparison narrows; the exact decimal comparison decides.
        binds << p << p << bindableNumber(v.text()) << p << v.text();
        return QStringLiteral("(json_type(item, ?) IN ('integer', 'real') AND "
                              "json_extract(item, ?) = ? AND structdesk_numcmp(item -> ?, ?) = 0)");
    case Value::Type::Map:
    case Value::Type::List:
    case Value::Type::StringSet:
    case Value::Type::NumberSet:
    case Value::Type::BinarySet:
    case Value::Type::Binary:
        return QString();
    default:
        binds << p << p << v.text();
        return QStringLiteral("(json_type(item, ?) = 'text' AND json_extract(item, ?) = ?)");
    }
}

/// The SQL of one filter condition; its bound values are appended to `binds`.
Result<QString> conditionSql(const FilterCondition &c, QVariantList &binds)
{
    if (c.path.isEmpty())
        return makeError(ErrorKind::Invalid, QStringLiteral("a filter needs a field path"));
    auto path = jsonPath(c.path);
    if (!path)
        return path.error();
    const QString p = *path;
    QString expr;
    const Value &v = c.operand;
    auto compareExpr = [&](const char *op) -> Result<QString> {
        if (v.isNumber()) {
            // Rounding to doubles keeps order, so a strict double comparison is exact; only
            // equal doubles need the exact decimal comparison.
            const QString strict = QString::fromLatin1(op).left(1);
            binds << p << p << bindableNumber(v.text()) << p << bindableNumber(v.text()) << p
                  << v.text();
            return QStringLiteral("(json_type(item, ?) IN ('integer', 'real') AND "
                                  "(json_extract(item, ?) %1 ? OR (json_extract(item, ?) = ? AND "
                                  "structdesk_numcmp(item -> ?, ?) %2 0)))")
                .arg(strict, QLatin1String(op));
        }
        if (v.isString()) {
            binds << p << p << v.text();
            return QStringLiteral("(json_type(item, ?) = 'text' AND json_extract(item, ?) %1 ?)")
                .arg(QLatin1String(op));
        }
        return makeError(ErrorKind::Invalid,
                         QStringLiteral("only numbers and strings can be compared with %1")
                             .arg(QLatin1String(op)),
                         c.path.join(u'.'));
    };
    const bool comparable =
        !(v.isMap() || v.isList() || v.isSet() || v.type() == Value::Type::Binary);
    if (!comparable && c.op != FilterOp::Exists && c.op != FilterOp::NotExists)
        return makeError(
            ErrorKind::Invalid,
            QStringLiteral("filters compare strings, numbers, booleans and null, not %1")
                .arg(v.typeDescription()),
            c.path.join(u'.'));
    switch (c.op) {
    case FilterOp::Equal:
        expr = equalSql(p, v, binds);
        break;
    case FilterOp::NotEqual:
        expr = QStringLiteral("NOT coalesce(%1, 0)").arg(equalSql(p, v, binds));
        break;
    case FilterOp::Less:
    case FilterOp::LessEqual:
    case FilterOp::Greater:
    case FilterOp::GreaterEqual: {
        const char *op = c.op == FilterOp::Less        ? "<"
                         : c.op == FilterOp::LessEqual ? "<="
                         : c.op == FilterOp::Greater   ? ">"
                                                       : ">=";
        auto e = compareExpr(op);
        if (!e)
            return e.error();
        expr = *e;
        break;
    }
    case FilterOp::Contains: {
        const QVariant needle = v.isNumber() ? bindableNumber(v.text()) : QVariant(v.text());
        binds << p << p << v.text() << p << p << needle << (p + QStringLiteral(".\"$SS\""))
              << needle << (p + QStringLiteral(".\"$NS\"")) << needle;
        expr = QStringLiteral(
            "((json_type(item, ?) = 'text' AND instr(json_extract(item, ?), ?) > 0) OR "
            "(json_type(item, ?) = 'array' AND EXISTS (SELECT 1 FROM json_each(item, ?) AS e "
            "WHERE e.value = ?)) OR "
            "EXISTS (SELECT 1 FROM json_each(item, ?) AS e WHERE e.value = ?) OR "
            "EXISTS (SELECT 1 FROM json_each(item, ?) AS e WHERE e.value = ?))");
        break;
    }
    case FilterOp::BeginsWith:
        if (!v.isString())
            return makeError(ErrorKind::Invalid, QStringLiteral("begins with needs a text"),
                             c.path.join(u'.'));
        binds << p << p << int(v.text().size()) << v.text();
        expr = QStringLiteral("(json_type(item, ?) = 'text' AND "
                              "substr(json_extract(item, ?), 1, ?) = ?)");
        break;
    case FilterOp::Exists:
        binds << p;
        expr = QStringLiteral("json_type(item, ?) IS NOT NULL");
        break;
    case FilterOp::NotExists:
        binds << p;
        expr = QStringLiteral("json_type(item, ?) IS NULL");
        break;
    }
    return expr;
}

} // namespace

/// Builds the WHERE clause of a scan or count, with its bound values in order.
Result<WhereClause> buildWhere(const ScanRequest &request)
{
    WhereClause where;
    QStringList parts;
    for (const FilterCondition &c : request.conditions) {
        QVariantList binds;
        auto expr = conditionSql(c, binds);
        if (!expr)
            return expr.error();
        parts << *expr;
        where.binds << binds;
    }
    if (!parts.isEmpty()) {
        // SQLite's JSON functions fail the whole statement on one damaged record: such a record
        // (or one whose JSON is not an object) passes every condition instead, so that the scan
        // reads it and names it (unreadable) rather than one record hiding all the others.
        // SQLite parses each item once for all the JSON functions of a row, so the check costs
        // little.
        const QString joined = parts.join(QStringLiteral(" AND "));
        parts = QStringList{
            QStringLiteral("(NOT json_valid(item) OR json_type(item) != 'object' OR (%1))")
                .arg(joined)};
    }
    if (!request.text.isEmpty()) {
        parts << QStringLiteral("instr(lower(item), ?) > 0");
        where.binds << request.text.toLower();
    }
    where.sql = parts.join(QStringLiteral(" AND "));
    return where;
}

} // namespace SqliteSql
