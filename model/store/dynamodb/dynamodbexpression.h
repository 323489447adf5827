#pragma once

// The text of DynamoDB requests: expression attribute names and values (Expression), JSON
// request bodies built field by field (JsonBody), and the conditions that say "the stored
// record is exactly this one" (recordCondition()). Internal to the DynamoDB store.

#include "model/core/value.h"
#include "model/json/jsoncodec.h"
#include "model/schema/fieldpath.h"

#include <QByteArray>
#include <QHash>
#include <QList>
#include <QSet>
#include <QString>
#include <QStringList>

#include <vector>

namespace DynamoDb {

/// The expression attribute names (#n0) and values (:v0) of one request.
class Expression
{
public:
    QString name(const QString &attribute)
    {
        auto it = m_names.constFind(attribute);
        if (it != m_names.cend())
            return it.value();
        const QString placeholder = QStringLiteral("#n%1").arg(m_nameOrder.size());
        m_names.insert(attribute, placeholder);
        m_nameOrder << attribute;
        return placeholder;
    }

    QString value(const Value &v)
    {
        const QByteArray json = JsonCodec::toDynamoValue(v);
        auto it = m_valueIndex.constFind(json);
        if (it != m_valueIndex.cend())
            return it.value();
        const QString placeholder = QStringLiteral(":v%1").arg(m_values.size());
        m_valueIndex.insert(json, placeholder);
        m_values << json;
        return placeholder;
    }

    QString path(const std::vector<PathElement> &elements)
    {
        QString out;
        for (const PathElement &e : elements) {
            if (e.isIndex())
                out += QStringLiteral("[%1]").arg(e.index);
            else
                out += (out.isEmpty() ? QString() : QStringLiteral(".")) + name(e.key);
        }
        return out;
    }

    QString path(const QStringList &keys)
    {
        QString out;
        for (const QString &k : keys)
            out += (out.isEmpty() ? QString() : QStringLiteral(".")) + name(k);
        return out;
    }

    /// ,"ExpressionAttributeNames":{...},"ExpressionAttributeValues":{...} (only the non-empty).
    void appendTo(QByteArray &body) const
    {
        if (!m_nameOrder.isEmpty()) {
            body += ",\"ExpressionAttributeNames\":{";
            for (qsizetype i = 0; i < m_nameOrder.size(); ++i) {
                if (i > 0)
                    body += ',';
                JsonCodec::appendJsonString(body, m_names.value(m_nameOrder[i]));
                body += ':';
                JsonCodec::appendJsonString(body, m_nameOrder[i]);
            }
            body += '}';
        }
        if (!m_values.isEmpty()) {
            body += ",\"ExpressionAttributeValues\":{";
            for (qsizetype i = 0; i < m_values.size(); ++i) {
                if (i > 0)
                    body += ',';
                body += "\":v" + QByteArray::number(i) + "\":" + m_values[i];
            }
            body += '}';
        }
    }

private:
    QHash<QString, QString> m_names;
    QStringList m_nameOrder;
    QHash<QByteArray, QString> m_valueIndex;
    QList<QByteArray> m_values;
};

/// Builds a JSON object text field by field.
class JsonBody
{
public:
    JsonBody &raw(const char *name, const QByteArray &json)
    {
        separator();
        m_out += '"';
        m_out += name;
        m_out += "\":";
        m_out += json;
        return *this;
    }
    JsonBody &string(const char *name, const QString &text)
    {
        QByteArray json;
        JsonCodec::appendJsonString(json, text);
        return raw(name, json);
    }
    JsonBody &number(const char *name, qint64 n) { return raw(name, QByteArray::number(n)); }
    JsonBody &boolean(const char *name, bool b) { return raw(name, b ? "true" : "false"); }
    /// The expression attribute names and values (after at least one field).
    JsonBody &expression(const Expression &expr)
    {
        expr.appendTo(m_out);
        return *this;
    }
    QByteArray take() { return m_out + '}'; }

private:
    void separator()
    {
        if (m_out.size() > 1)
            m_out += ',';
    }
    QByteArray m_out = "{";
};

/// The condition "the stored record is exactly `record`" over its attributes (or only those in
/// `only` when given), plus "still absent" for `absent`.
QString recordCondition(Expression &expr, const Value &record, const QStringList &absent,
                        const QSet<QString> *only = nullptr);
/// The condition "the key attribute `hashKey` still equals `record`'s" (`expr` starts anew).
QString keyCondition(Expression &expr, const Value &record, const QString &hashKey);
/// recordCondition() over the whole record, or keyCondition() when that would exceed DynamoDB's
/// expression length limit.
QString recordOrKeyCondition(Expression &expr, const Value &record, const QString &hashKey);

} // namespace DynamoDb
