// DynamoDbStore::runTransaction(): reads through, writes kept in memory, committed as one
// TransactWriteItems conditional on every record still being what was read.

#include "model/store/dynamodb/dynamodbstore.h"

#include "model/json/jsoncodec.h"
#include "model/store/dynamodb/dynamodbexpression.h"
#include "model/store/dynamodb/dynamodbitem.h"

using DynamoDb::Expression;
using DynamoDb::JsonBody;
using DynamoDb::keyJson;
using DynamoDb::recordOrKeyCondition;
using DynamoDb::sameValue;

// ---------------------------------------------------------------------------------------------
// Transactions

Result<DynamoDbStore::TxRecord *> DynamoDbStore::txRecord(const QString &table, const Value &key,
                                                          bool read)
{
    // The record as it is in the table: what the transaction's writes are conditional on.
    auto readBase = [&](TxRecord &r) -> Status {
        auto current = readItem(table, key);
        if (!current)
            return current.error();
        r.base = *current;
        r.now = *current;
        r.baseKnown = true;
        return okStatus();
    };
    for (TxRecord &r : *m_tx) {
        if (r.table == table && sameValue(r.key, key)) {
            if (read && !r.baseKnown && !r.written) {
                if (auto s = readBase(r); !s)
                    return s.error();
            }
            return &r;
        }
    }
    TxRecord r;
    r.table = table;
    r.key = key;
    if (read) {
        if (auto s = readBase(r); !s)
            return s.error();
    }
    m_tx->push_back(std::move(r));
    return &m_tx->back();
}

Status DynamoDbStore::runTransaction(const std::function<Status()> &work)
{
    if (!m_transactions || m_tx)
        return work();
    m_tx.emplace();
    Status result = work();
    std::vector<TxRecord> writes = std::move(*m_tx);
    m_tx.reset();
    if (!result)
        return result;
    return commitTransaction(std::move(writes));
}

Status DynamoDbStore::commitTransaction(std::vector<TxRecord> records)
{
    QByteArray items;
    std::vector<const TxRecord *> sent;
    for (const TxRecord &r : records) {
        if (!r.written)
            continue;
        if (!r.now && r.baseKnown && !r.base)
            continue; // created and deleted again, or deleted while absent
        auto hashKey = hashKeyOf(r.table);
        if (!hashKey)
            return hashKey.error();
        Expression expr;
        QString condition;
        if (r.baseKnown) {
            if (!r.base) {
                condition = QStringLiteral("attribute_not_exists(%1)").arg(expr.name(*hashKey));
            } else {
                condition = recordOrKeyCondition(expr, *r.base, *hashKey);
            }
        }
        JsonBody op;
        op.string("TableName", r.table);
        if (r.now)
            op.raw("Item", JsonCodec::toDynamoItem(*r.now));
        else
            op.raw("Key", keyJson(*hashKey, r.key));
        if (!condition.isEmpty())
            op.string("ConditionExpression", condition).expression(expr);
        items += items.isEmpty() ? "[" : ",";
        items += r.now ? "{\"Put\":" : "{\"Delete\":";
        items += op.take() + '}';
        sent.push_back(&r);
    }
    if (sent.empty())
        return okStatus();
    if (sent.size() > 100)
        return makeError(ErrorKind::Invalid,
                         QStringLiteral("a DynamoDB transaction writes at most 100 records, this "
                                        "one %1; nothing was written")
                             .arg(sent.size()));
    auto response = call(QStringLiteral("TransactWriteItems"),
                         JsonBody().raw("TransactItems", items + ']').take());
    if (response)
        return okStatus();
    if (m_client->lastFailure().type != u"TransactionCanceledException")
        return response.error();
    // Which writes failed their condition.
    QStringList reasons;
    bool existsOnly = true;
    const Value *list = m_client->lastFailure().body.find(QStringLiteral("CancellationReasons"));
    for (std::size_t i = 0;
         list && list->isList() && i < std::size_t(list->size()) && i < sent.size(); ++i) {
        const Value &reason = list->toList()[qsizetype(i)];
        const Value *code = reason.find(QStringLiteral("Code"));
        if (!code || code->text() == u"None")
            continue;
        const TxRecord &r = *sent[i];
        if (code->text() == u"ConditionalCheckFailed") {
            if (r.baseKnown && !r.base) {
                reasons << QStringLiteral("a record with the key %1 already exists in %2")
                               .arg(r.key.text(), r.table);
            } else {
                existsOnly = false;
                reasons << QStringLiteral("the record %1 of %2 changed meanwhile")
                               .arg(r.key.text(), r.table);
            }
        } else {
            existsOnly = false;
            reasons << QStringLiteral("%1 of %2: %3").arg(r.key.text(), r.table, code->text());
        }
    }
    if (reasons.isEmpty())
        reasons << m_client->lastFailure().message;
    return makeError(existsOnly && !reasons.isEmpty() && list ? ErrorKind::Exists
                                                              : ErrorKind::Conflict,
                     QStringLiteral("the transaction was cancelled and nothing was written: %1")
                         .arg(reasons.join(QStringLiteral("; "))));
}
