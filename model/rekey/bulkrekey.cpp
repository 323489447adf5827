#include "model/rekey/bulkrekey.h"

#include "model/json/jsoncodec.h"

#include <QElapsedTimer>
#include <QHash>
#include <QObject>
#include <QRegularExpression>
#include <QSaveFile>

#include <algorithm>

namespace {

// The highest \N a replacement uses, or -1.
int highestCapture(const QString &replacement)
{
    int highest = -1;
    for (qsizetype i = 0; i + 1 < replacement.size(); ++i) {
        if (replacement[i] != u'\\')
            continue;
        const QChar next = replacement[i + 1];
        if (next.isDigit())
            highest = std::max(highest, next.digitValue());
        ++i; // "\\" and "\N" are both two characters
    }
    return highest;
}

QString expand(const QString &replacement, const QRegularExpressionMatch &match)
{
    QString out;
    out.reserve(replacement.size());
    for (qsizetype i = 0; i < replacement.size(); ++i) {
        const QChar c = replacement[i];
        if (c == u'\\' && i + 1 < replacement.size()) {
            const QChar next = replacement[i + 1];
            if (next.isDigit()) {
                out += match.captured(next.digitValue());
                ++i;
                continue;
            }
            if (next == u'\\') {
                out += u'\\';
                ++i;
                continue;
            }
        }
        out += c;
    }
    return out;
}

QRegularExpression compiled(const QString &pattern)
{
    return QRegularExpression(QRegularExpression::anchoredPattern(pattern));
}

// Two keys the store holds as one ("1.50" and "1.5" are the same number key).
QString identity(const Value &key)
{
    return key.isNumber() ? QStringLiteral("N:") + canonicalNumber(key.text())
                          : QStringLiteral("S:") + key.text();
}

QString csvField(const QString &text)
{
    if (!text.contains(u',') && !text.contains(u'"') && !text.contains(u'\n') &&
        !text.contains(u'\r'))
        return text;
    QString quoted = text;
    quoted.replace(u'"', QStringLiteral("\"\""));
    return u'"' + quoted + u'"';
}

// Fills in new keys, then flags conflicts: invalid, duplicate within the batch, taken in the
// store, old record missing (when `checkOld`).
Result<BulkRekeyPlan> buildPlan(RecordStore &store, const QString &table, const TableModel &model,
                                const std::vector<Value> &keys, const KeyTemplate &keyTemplate,
                                bool checkOld, const BulkRekey::Progress &progress)
{
    if (auto s = keyTemplate.check(); !s)
        return s.error();
    BulkRekeyPlan plan;
    plan.table = table;
    plan.keyTemplate = keyTemplate;
    plan.items.reserve(keys.size());
    QHash<QString, int> newKeyUses;
    for (const Value &oldKey : keys) {
        BulkRekeyItem item;
        item.oldKey = oldKey;
        item.oldText = BulkRekey::keyText(oldKey);
        const std::optional<QString> newText = keyTemplate.apply(item.oldText);
        if (!newText) {
            item.state = BulkRekeyItem::State::Unchanged;
            item.problem =
                keyTemplate.kind == KeyTemplate::Kind::Prefix
                    ? QObject::tr("the key does not begin with the prefix; it stays")
                    : QObject::tr("the expression does not match the whole key; it stays");
        } else {
            item.newText = *newText;
            auto typed = RecordStore::parseKey(model, *newText);
            if (!typed) {
                item.state = BulkRekeyItem::State::Conflict;
                item.problem =
                    QObject::tr("the new key is not valid: %1").arg(typed.error().message);
            } else if (identity(*typed) == identity(oldKey)) {
                item.state = BulkRekeyItem::State::Unchanged;
                item.problem = QObject::tr("the new key is the same as the old one; it stays");
            } else {
                item.newKey = *typed;
                item.state = BulkRekeyItem::State::Ready;
                newKeyUses[identity(item.newKey)] += 1;
            }
        }
        plan.items.push_back(std::move(item));
    }

    const qsizetype total = qsizetype(plan.items.size());
    qsizetype done = 0;
    for (BulkRekeyItem &item : plan.items) {
        if (progress && (done % 64) == 0 && !progress(done, total))
            return makeError(ErrorKind::Unavailable, QObject::tr("the preview was cancelled"));
        ++done;
        if (checkOld && item.state != BulkRekeyItem::State::Conflict) {
            auto old = store.getRecord(table, item.oldKey);
            if (!old)
                return old.error();
            if (!old->has_value()) {
                item.state = BulkRekeyItem::State::Conflict;
                item.problem = QObject::tr("there is no record at this key any more");
                continue;
            }
        }
        if (item.state != BulkRekeyItem::State::Ready)
            continue;
        if (newKeyUses.value(identity(item.newKey)) > 1) {
            item.state = BulkRekeyItem::State::Conflict;
            item.problem = QObject::tr("%1 records of the batch would get this new key")
                               .arg(newKeyUses.value(identity(item.newKey)));
            continue;
        }
        auto taken = store.getRecord(table, item.newKey);
        if (!taken)
            return taken.error();
        if (taken->has_value()) {
            item.state = BulkRekeyItem::State::Conflict;
            item.problem =
                QObject::tr("a record already exists at the new key; it is never overwritten");
        }
    }
    if (progress)
        progress(total, total);
    return plan;
}

} // namespace

Status KeyTemplate::check() const
{
    if (kind == Kind::Prefix) {
        if (pattern.isEmpty())
            return makeError(ErrorKind::Invalid, QObject::tr("type the prefix to replace"),
                             QStringLiteral("pattern"));
        return okStatus();
    }
    if (pattern.isEmpty())
        return makeError(ErrorKind::Invalid, QObject::tr("type a regular expression"),
                         QStringLiteral("pattern"));
    const QRegularExpression re = compiled(pattern);
    if (!re.isValid())
        return makeError(ErrorKind::Invalid,
                         QObject::tr("the regular expression is not valid: %1 (at character %2)")
                             .arg(re.errorString())
                             .arg(re.patternErrorOffset()),
                         QStringLiteral("pattern"));
    const int highest = highestCapture(replacement);
    if (highest > re.captureCount())
        return makeError(ErrorKind::Invalid,
                         QObject::tr("the replacement uses \\%1 but the expression has %2")
                             .arg(highest)
                             .arg(re.captureCount() == 1
                                      ? QObject::tr("1 group")
                                      : QObject::tr("%1 groups").arg(re.captureCount())),
                         QStringLiteral("replacement"));
    return okStatus();
}

std::optional<QString> KeyTemplate::apply(const QString &oldKeyText) const
{
    if (kind == Kind::Prefix) {
        if (pattern.isEmpty() || !oldKeyText.startsWith(pattern))
            return std::nullopt;
        return replacement + oldKeyText.mid(pattern.size());
    }
    const QRegularExpression re = compiled(pattern);
    if (!re.isValid())
        return std::nullopt;
    const QRegularExpressionMatch match = re.match(oldKeyText);
    if (!match.hasMatch())
        return std::nullopt;
    return expand(replacement, match);
}

int BulkRekeyPlan::count(BulkRekeyItem::State state) const
{
    return int(std::count_if(items.begin(), items.end(),
                             [state](const BulkRekeyItem &i) { return i.state == state; }));
}

QString BulkRekeyOutcome::stateName(State state)
{
    switch (state) {
    case State::Done:
        return QStringLiteral("done");
    case State::Refused:
        return QStringLiteral("refused");
    case State::RolledBack:
        return QStringLiteral("rolled back");
    case State::LeftBehind:
        return QStringLiteral("left behind");
    case State::InJournal:
        return QStringLiteral("in journal");
    case State::Unchanged:
        return QStringLiteral("unchanged");
    case State::NotRun:
        return QStringLiteral("not run");
    }
    return {};
}

BulkRekeyOutcome::State BulkRekeyOutcome::fromRekey(RekeyOutcome::State state)
{
    switch (state) {
    case RekeyOutcome::State::Done:
        return State::Done;
    case RekeyOutcome::State::Refused:
        return State::Refused;
    case RekeyOutcome::State::RolledBack:
        return State::RolledBack;
    case RekeyOutcome::State::LeftBehind:
        return State::LeftBehind;
    case RekeyOutcome::State::InJournal:
        return State::InJournal;
    }
    return State::Refused;
}

namespace BulkRekey {

QString keyText(const Value &key)
{
    return key.text();
}

Result<BulkRekeyPlan> preview(RecordStore &store, const QString &table,
                              const std::vector<Value> &keys, const KeyTemplate &keyTemplate,
                              const Progress &progress)
{
    auto model = store.model(table);
    if (!model)
        return model.error();
    return buildPlan(store, table, **model, keys, keyTemplate, true, progress);
}

Result<BulkRekeyPlan> previewMatching(RecordStore &store, const QString &table,
                                      const ScanRequest &filter, const KeyTemplate &keyTemplate,
                                      const Progress &progress)
{
    if (auto s = keyTemplate.check(); !s)
        return s.error();
    auto model = store.model(table);
    if (!model)
        return model.error();
    ScanRequest request = filter;
    request.cursor.clear();
    request.limit = 1000;
    request.sortPath.clear(); // the natural order: the cheapest walk
    std::vector<Value> keys;
    do {
        if (progress && !progress(qsizetype(keys.size()), -1))
            return makeError(ErrorKind::Unavailable, QObject::tr("the preview was cancelled"));
        auto page = store.scan(table, request);
        if (!page)
            return page.error();
        for (const Value &record : page->records) {
            auto key = RecordStore::recordKey(**model, record);
            if (!key)
                return key.error();
            keys.push_back(*key);
        }
        request.cursor = page->nextCursor;
    } while (!request.cursor.isEmpty());
    // The scan just saw every old record: no need to read them again.
    return buildPlan(store, table, **model, keys, keyTemplate, false, progress);
}

Result<std::vector<BulkRekeyOutcome>> run(RecordStore &store, RecoveryJournal &journal,
                                          const BulkRekeyPlan &plan, RekeyStrategy strategy,
                                          const RecordDone &recordDone)
{
    if (plan.count(BulkRekeyItem::State::Conflict) > 0)
        return makeError(ErrorKind::Invalid,
                         QObject::tr("%1 of the batch conflict; nothing was changed")
                             .arg(plan.count(BulkRekeyItem::State::Conflict) == 1
                                      ? QObject::tr("1 record")
                                      : QObject::tr("%1 records")
                                            .arg(plan.count(BulkRekeyItem::State::Conflict))));
    RekeyEngine engine(store, journal);
    std::vector<BulkRekeyOutcome> outcomes;
    outcomes.reserve(plan.items.size());
    QString stopReason;
    QElapsedTimer timer;
    for (qsizetype i = 0; i < qsizetype(plan.items.size()); ++i) {
        const BulkRekeyItem &item = plan.items[size_t(i)];
        BulkRekeyOutcome o;
        o.oldKey = item.oldKey;
        if (item.state != BulkRekeyItem::State::Ready) {
            o.state = BulkRekeyOutcome::State::Unchanged;
            o.message = item.problem;
        } else if (!stopReason.isEmpty()) {
            o.newKey = item.newKey;
            o.state = BulkRekeyOutcome::State::NotRun;
            o.message = stopReason;
        } else {
            o.newKey = item.newKey;
            timer.start();
            const RekeyOutcome r = engine.run(plan.table, item.oldKey, item.newKey, strategy);
            o.microseconds = timer.nsecsElapsed() / 1000;
            o.state = BulkRekeyOutcome::fromRekey(r.state);
            o.message = r.message;
            o.journalId = r.journalId;
            if (o.state == BulkRekeyOutcome::State::InJournal)
                stopReason =
                    QObject::tr("not run: stopped after a record ended in the recovery journal");
        }
        outcomes.push_back(o);
        if (recordDone && !recordDone(i, outcomes.back()) && stopReason.isEmpty())
            stopReason = QObject::tr("not run: cancelled");
    }
    return outcomes;
}

QByteArray toCsv(const std::vector<BulkRekeyOutcome> &outcomes)
{
    QString out = QStringLiteral("old_key,new_key,outcome,message,journal_entry,milliseconds\n");
    for (const BulkRekeyOutcome &o : outcomes) {
        out += QStringList{csvField(keyText(o.oldKey)),
                           csvField(o.newKey.isNull() ? QString() : keyText(o.newKey)),
                           csvField(BulkRekeyOutcome::stateName(o.state)),
                           csvField(o.message),
                           csvField(o.journalId),
                           QString::number(double(o.microseconds) / 1000.0, 'f', 2)}
                   .join(u',');
        out += u'\n';
    }
    return out.toUtf8();
}

QByteArray toJsonLines(const std::vector<BulkRekeyOutcome> &outcomes)
{
    QByteArray out;
    for (const BulkRekeyOutcome &o : outcomes) {
        out += "{\"oldKey\":";
        JsonCodec::appendPlain(out, o.oldKey);
        out += ",\"newKey\":";
        JsonCodec::appendPlain(out, o.newKey);
        out += ",\"outcome\":";
        JsonCodec::appendJsonString(out, BulkRekeyOutcome::stateName(o.state));
        out += ",\"message\":";
        JsonCodec::appendJsonString(out, o.message);
        out += ",\"journalEntry\":";
        JsonCodec::appendJsonString(out, o.journalId);
        out += ",\"milliseconds\":";
        out += QByteArray::number(double(o.microseconds) / 1000.0, 'f', 2);
        out += "}\n";
    }
    return out;
}

Status save(const QString &path, const std::vector<BulkRekeyOutcome> &outcomes)
{
    QSaveFile file(path);
    if (!file.open(QIODevice::WriteOnly))
        return makeError(ErrorKind::Backend,
                         QObject::tr("cannot write the file: %1").arg(file.errorString()), path);
    file.write(path.endsWith(QStringLiteral(".csv"), Qt::CaseInsensitive) ? toCsv(outcomes)
                                                                          : toJsonLines(outcomes));
    if (!file.commit())
        return makeError(ErrorKind::Backend,
                         QObject::tr("cannot write the file: %1").arg(file.errorString()), path);
    return okStatus();
}

} // namespace BulkRekey
