// The conditions of DynamoDB requests: a value, and a whole record, compared leaf by leaf.

#include "model/store/dynamodb/dynamodbexpression.h"

#include "model/json/jsoncodec.h"
#include "model/store/dynamodb/dynamodbstore.h"

namespace DynamoDb {

namespace {

/// Conditions that hold exactly when the value at `pathExpr` equals `v`: scalars and sets with
/// `=`, null by its type, maps and lists by type and size and then member by member (DynamoDB
/// compares maps and lists as a whole, but not every compatible engine does).
void equalsConditions(Expression &expr, const QString &pathExpr, const Value &v,
                      QStringList &clauses)
{
    switch (v.type()) {
    case Value::Type::Null:
        clauses << QStringLiteral("attribute_type(%1, %2)")
                       .arg(pathExpr, expr.value(Value::string(QStringLiteral("NULL"))));
        return;
    case Value::Type::Map: {
        clauses << QStringLiteral("attribute_type(%1, %2)")
                       .arg(pathExpr, expr.value(Value::string(QStringLiteral("M"))));
        clauses
            << QStringLiteral("size(%1) = %2").arg(pathExpr, expr.value(Value::integer(v.size())));
        const Value::Map &m = v.toMap();
        for (auto it = m.cbegin(); it != m.cend(); ++it)
            equalsConditions(expr, pathExpr + u'.' + expr.name(it.key()), it.value(), clauses);
        return;
    }
    case Value::Type::List: {
        clauses << QStringLiteral("attribute_type(%1, %2)")
                       .arg(pathExpr, expr.value(Value::string(QStringLiteral("L"))));
        clauses
            << QStringLiteral("size(%1) = %2").arg(pathExpr, expr.value(Value::integer(v.size())));
        const Value::List &l = v.toList();
        for (qsizetype i = 0; i < l.size(); ++i)
            equalsConditions(expr, pathExpr + QStringLiteral("[%1]").arg(i), l[i], clauses);
        return;
    }
    default:
        clauses << QStringLiteral("%1 = %2").arg(pathExpr, expr.value(v));
        return;
    }
}

} // namespace

/// The condition "the stored record is exactly `record`" over its attributes (or only those in
/// `only` when given), plus "still absent" for `absent`.
QString recordCondition(Expression &expr, const Value &record, const QStringList &absent,
                        const QSet<QString> *only)
{
    QStringList clauses;
    const Value::Map &m = record.toMap();
    for (auto it = m.cbegin(); it != m.cend(); ++it) {
        if (only && !only->contains(it.key()))
            continue;
        equalsConditions(expr, expr.name(it.key()), it.value(), clauses);
    }
    for (const QString &name : absent)
        clauses << QStringLiteral("attribute_not_exists(%1)").arg(expr.name(name));
    return clauses.join(QStringLiteral(" AND "));
}

QString keyCondition(Expression &expr, const Value &record, const QString &hashKey)
{
    expr = Expression();
    QSet<QString> keyOnly{hashKey};
    return recordCondition(expr, record, {}, &keyOnly);
}

QString recordOrKeyCondition(Expression &expr, const Value &record, const QString &hashKey)
{
    const QString condition = recordCondition(expr, record, {});
    if (condition.toUtf8().size() > DynamoDbStore::kMaxExpressionLength)
        return keyCondition(expr, record, hashKey);
    return condition;
}

} // namespace DynamoDb
