#include "model/store/recordstore.h"

#include "model/core/names.h"

#include "model/json/jsoncodec.h"

namespace {

Error problemsError(const Problems &problems, const QString &what)
{
    QStringList lines;
    QString firstPath;
    for (const Problem &p : problems) {
        if (!p.blocking)
            continue;
        if (firstPath.isEmpty())
            firstPath = p.path;
        lines << p.toString();
    }
    return makeError(
        ErrorKind::Invalid,
        QStringLiteral("%1 fails its table model: %2").arg(what, lines.join(QStringLiteral("; "))),
        firstPath);
}

bool hasBlocking(const Problems &problems)
{
    for (const Problem &p : problems) {
        if (p.blocking)
            return true;
    }
    return false;
}

QString keyText(const Value &key)
{
    return key.isString() ? u'"' + key.text() + u'"' : key.text();
}

/// A whole record before it is written: every blocking problem, and DynamoDB's nesting limit.
Status checkWhole(const TableModel &model, const Value &key, const Value &record)
{
    const Problems problems = Validator(model).validateRecord(record);
    if (hasBlocking(problems))
        return problemsError(problems, QStringLiteral("the record %1").arg(keyText(key)));
    if (record.depth() > TableModel::kMaxDepth)
        return makeError(
            ErrorKind::Invalid,
            QStringLiteral("the record nests deeper than %1 levels").arg(TableModel::kMaxDepth));
    return okStatus();
}

} // namespace

Result<TableModelPtr> RecordStore::model(const QString &table)
{
    auto it = m_models.constFind(table);
    if (it != m_models.cend())
        return it.value();
    auto loaded = loadModel(table);
    if (loaded)
        m_models.insert(table, *loaded);
    return loaded;
}

Result<Value> RecordStore::checkKey(const TableModel &model, const Value &key)
{
    return checkIndexKey(model.primaryIndex(), key);
}

Result<Value> RecordStore::checkIndexKey(const IndexSpec &index, const Value &key)
{
    const QString &name = index.hashKey;
    switch (index.hashKeyType) {
    case FieldKind::Str:
        if (!key.isString())
            return makeError(
                ErrorKind::Invalid,
                QStringLiteral("the key must be a string, not %1").arg(key.typeDescription()),
                name);
        if (key.text().isEmpty())
            return makeError(ErrorKind::Invalid, QStringLiteral("the key cannot be empty"), name);
        return key;
    case FieldKind::Int:
        if (!key.isNumber() || !isIntegerText(key.text()))
            return makeError(
                ErrorKind::Invalid,
                QStringLiteral("the key must be an integer, not %1").arg(key.typeDescription()),
                name);
        return key;
    default:
        if (!key.isNumber())
            return makeError(
                ErrorKind::Invalid,
                QStringLiteral("the key must be a number, not %1").arg(key.typeDescription()),
                name);
        return key;
    }
}

Result<IndexSpec> RecordStore::queryIndex(const TableModel &model, const QString &index)
{
    if (index.isEmpty())
        return model.primaryIndex();
    QStringList names;
    for (const IndexSpec &spec : model.secondaryIndexes()) {
        const QString name = spec.name.isEmpty() ? spec.hashKey : spec.name;
        if (name == index)
            return spec;
        names << name;
    }
    return makeError(ErrorKind::Invalid,
                     names.isEmpty()
                         ? QStringLiteral("there is no secondary index %1: the table has none "
                                          "(query its key without an index)")
                               .arg(index)
                         : QStringLiteral("there is no secondary index %1; the table's indexes: %2")
                               .arg(index, names.join(QStringLiteral(", "))),
                     index);
}

Result<ScanPage> RecordStore::query(const QString &table, const QueryRequest &request)
{
    auto m = model(table);
    if (!m)
        return m.error();
    auto index = queryIndex(**m, request.index);
    if (!index)
        return index.error();
    auto k = checkIndexKey(*index, request.keyValue);
    if (!k)
        return k.error();
    if (request.index.isEmpty() && request.conditions.empty()) {
        ScanPage page;
        if (!request.cursor.isEmpty())
            return page; // the single record was on the first page
        auto record = getRecord(table, *k);
        if (!record)
            return record.error();
        if (record->has_value() && request.limit != 0)
            page.records.push_back(std::move(**record));
        return page;
    }
    ScanRequest scanRequest;
    scanRequest.conditions.push_back(
        FilterCondition{QStringList{index->hashKey}, FilterOp::Equal, *k});
    scanRequest.conditions.insert(scanRequest.conditions.end(), request.conditions.begin(),
                                  request.conditions.end());
    scanRequest.limit = request.limit;
    scanRequest.cursor = request.cursor;
    return scan(table, scanRequest);
}

Result<Value> RecordStore::parseKey(const TableModel &model, const QString &text)
{
    if (model.hashKeyType() == FieldKind::Str)
        return checkKey(model, Value::string(text));
    auto number = Value::number(text);
    if (!number)
        return makeError(ErrorKind::Invalid,
                         QStringLiteral("the key of table %1 is a number: %2")
                             .arg(model.tableName(), number.error().message),
                         model.hashKey());
    return checkKey(model, *number);
}

Status RecordStore::writeStored(const QString &table, const Value &key,
                                const QByteArray &storedJson, bool mustNotExist)
{
    Q_UNUSED(key);
    auto record = JsonCodec::parseStored(storedJson);
    if (!record)
        return record.error();
    return writeRaw(table, *record, mustNotExist);
}

Status RecordStore::writeBatch(const QString &table, const std::vector<BulkRecord> &records,
                               BulkWriteMode mode, std::vector<BulkWriteResult> &results,
                               const std::function<bool()> &cancelled)
{
    results.assign(records.size(), BulkWriteResult{});
    for (std::size_t i = 0; i < records.size(); ++i) {
        if (cancelled && cancelled())
            return makeError(ErrorKind::Unavailable, QStringLiteral("the write was cancelled"));
        const BulkRecord &r = records[i];
        BulkWriteResult &result = results[i];
        Status s = writeStored(table, r.key, r.stored, true);
        if (!s && s.error().kind == ErrorKind::Exists) {
            if (mode == BulkWriteMode::Create) {
                result.state = BulkWriteResult::State::Exists;
                continue;
            }
            result.existed = true;
            s = writeStored(table, r.key, r.stored, false);
        }
        if (!s) {
            if (s.error().kind == ErrorKind::Invalid) {
                result.message = s.error().message;
                continue;
            }
            return s;
        }
        result.state =
            result.existed ? BulkWriteResult::State::Replaced : BulkWriteResult::State::Written;
    }
    return okStatus();
}

Result<std::vector<bool>> RecordStore::keysPresent(const QString &table,
                                                   const std::vector<Value> &keys,
                                                   const std::function<bool()> &cancelled)
{
    std::vector<bool> present;
    present.reserve(keys.size());
    for (const Value &key : keys) {
        if (cancelled && cancelled())
            return makeError(ErrorKind::Unavailable, QStringLiteral("the check was cancelled"));
        auto record = getRecord(table, key);
        if (!record)
            return record.error();
        present.push_back(record->has_value());
    }
    return present;
}

Result<Value> RecordStore::recordKey(const TableModel &model, const Value &record)
{
    if (!record.isMap())
        return makeError(ErrorKind::Invalid,
                         QStringLiteral("a record must be a map of attributes, not %1")
                             .arg(record.typeDescription()));
    const Value *key = record.find(model.hashKey());
    if (!key)
        return makeError(ErrorKind::Invalid,
                         QStringLiteral("the record has no key attribute %1").arg(model.hashKey()),
                         model.hashKey());
    return checkKey(model, *key);
}

Status RecordStore::putRecord(const QString &table, const Value &record)
{
    auto m = model(table);
    if (!m)
        return m.error();
    auto key = recordKey(**m, record);
    if (!key)
        return key.error();
    if (auto valid = checkWhole(**m, *key, record); !valid)
        return valid;
    return doPut(table, *key, record);
}

Status RecordStore::replaceRecord(const QString &table, const Value &expected, const Value &record)
{
    auto m = model(table);
    if (!m)
        return m.error();
    auto key = recordKey(**m, record);
    if (!key)
        return key.error();
    auto oldKey = recordKey(**m, expected);
    if (!oldKey)
        return oldKey.error();
    if (*oldKey != *key)
        return makeError(
            ErrorKind::Invalid,
            QStringLiteral("a save cannot change the key (%1 to %2); use the key change "
                           "wizard (rekey)")
                .arg(keyText(*oldKey), keyText(*key)),
            (*m)->hashKey());
    if (auto valid = checkWhole(**m, *key, record); !valid)
        return valid;
    return doReplace(table, *key, expected, record);
}

Result<Value> RecordStore::tableKey(const QString &table, const Value &key)
{
    auto m = model(table);
    if (!m)
        return m.error();
    return checkKey(**m, key);
}

Result<std::optional<Value>> RecordStore::getRecord(const QString &table, const Value &key)
{
    auto k = tableKey(table, key);
    if (!k)
        return k.error();
    return doGet(table, *k);
}

Result<bool> RecordStore::deleteRecord(const QString &table, const Value &key)
{
    auto k = tableKey(table, key);
    if (!k)
        return k.error();
    return doDelete(table, *k);
}

Result<bool> RecordStore::doDelete(const QString &table, const Value &key)
{
    auto removed = doRemove(table, key);
    if (!removed)
        return removed.error();
    return removed->has_value();
}

Result<std::optional<Value>> RecordStore::removeRecord(const QString &table, const Value &key)
{
    auto k = tableKey(table, key);
    if (!k)
        return k.error();
    return doRemove(table, *k);
}

namespace {

/// True when one path is the other or a prefix of it.
bool overlapping(const ResolvedPath &a, const ResolvedPath &b)
{
    const std::size_t n = std::min(a.elements.size(), b.elements.size());
    for (std::size_t i = 0; i < n; ++i) {
        const PathElement &x = a.elements[i];
        const PathElement &y = b.elements[i];
        if (x.isIndex() != y.isIndex() || (x.isIndex() ? x.index != y.index : x.key != y.key))
            return false;
    }
    return true;
}

} // namespace

Result<std::vector<RecordStore::ResolvedSetter>>
RecordStore::resolveSetters(const TableModel &model, const std::vector<FieldSetter> &setters)
{
    if (setters.empty())
        return makeError(ErrorKind::Invalid, QStringLiteral("there is nothing to update"));
    std::vector<ResolvedSetter> resolved;
    resolved.reserve(setters.size());
    QStringList problems;
    QString firstPath;
    for (const FieldSetter &setter : setters) {
        auto path = resolvePath(model, setter.path, setter.variables);
        if (!path)
            return path.error();
        if (path->isHashKey(model))
            return makeError(
                ErrorKind::Invalid,
                QStringLiteral("the key attribute cannot be updated; change a key with "
                               "the key change wizard (rekey)"),
                model.hashKey());
        const Problems found = Validator(model).validateAt(*path, setter.value);
        for (const Problem &p : found) {
            if (!p.blocking)
                continue;
            if (firstPath.isEmpty())
                firstPath = p.path.isEmpty() ? path->display() : p.path;
            problems << (p.path.isEmpty() ? path->display() + QStringLiteral(": ") + p.message
                                          : p.toString());
        }
        // Two paths where one is the other or lies inside it would leave the result to the
        // order of the writes (DynamoDB refuses them in one request: "Two document paths
        // overlap"); refused whole, before anything is written.
        for (const ResolvedSetter &earlier : resolved) {
            if (overlapping(earlier.path, *path))
                return makeError(ErrorKind::Invalid,
                                 QStringLiteral("nothing was written: the paths %1 and %2 overlap "
                                                "(%3); update a field or what it contains, not "
                                                "both at once")
                                     .arg(quotedExcerpt(earlier.path.display(), 80),
                                          quotedExcerpt(path->display(), 80),
                                          earlier.path.elements.size() == path->elements.size()
                                              ? QStringLiteral("the same field twice")
                                              : QStringLiteral("one lies inside the other")),
                                 path->display());
        }
        resolved.push_back(ResolvedSetter{std::move(*path), setter.value});
    }
    if (!problems.isEmpty())
        return makeError(
            ErrorKind::Invalid,
            QStringLiteral("nothing was written: %1").arg(problems.join(QStringLiteral("; "))),
            firstPath);
    return resolved;
}

Status RecordStore::updateField(const QString &table, const Value &key, const FieldSetter &setter)
{
    auto result = updateMultipleFieldsReturnOld(table, key, {setter});
    if (!result)
        return result.error();
    return okStatus();
}

Result<std::optional<Value>>
RecordStore::updateFieldReturnOld(const QString &table, const Value &key, const FieldSetter &setter)
{
    auto result = updateMultipleFieldsReturnOld(table, key, {setter});
    if (!result)
        return result.error();
    return std::move(result->front());
}

Status RecordStore::updateMultipleFields(const QString &table, const Value &key,
                                         const std::vector<FieldSetter> &setters)
{
    auto result = updateMultipleFieldsReturnOld(table, key, setters);
    if (!result)
        return result.error();
    return okStatus();
}

Result<std::vector<std::optional<Value>>>
RecordStore::updateMultipleFieldsReturnOld(const QString &table, const Value &key,
                                           const std::vector<FieldSetter> &setters)
{
    auto m = model(table);
    if (!m)
        return m.error();
    auto k = checkKey(**m, key);
    if (!k)
        return k.error();
    auto resolved = resolveSetters(**m, setters);
    if (!resolved)
        return resolved.error();
    return doUpdate(table, *k, *resolved);
}

Result<ResolvedPath> RecordStore::resolveRemovable(const TableModel &model, const QString &path,
                                                   const QHash<QString, QString> &variables)
{
    auto resolved = resolvePath(model, path, variables);
    if (!resolved)
        return resolved;
    if (resolved->isHashKey(model))
        return makeError(
            ErrorKind::Invalid,
            QStringLiteral("the key attribute cannot be removed; delete the record instead"),
            model.hashKey());
    if (resolved->target && resolved->target->required && !resolved->targetIsItem)
        return makeError(ErrorKind::Invalid,
                         QStringLiteral("is required by the table model and cannot be removed"),
                         resolved->display());
    return resolved;
}

Result<bool> RecordStore::deleteField(const QString &table, const Value &key, const QString &path,
                                      const QHash<QString, QString> &variables)
{
    auto removed = removeField(table, key, path, variables);
    if (!removed)
        return removed.error();
    return removed->has_value();
}

Result<std::optional<Value>> RecordStore::removeField(const QString &table, const Value &key,
                                                      const QString &path,
                                                      const QHash<QString, QString> &variables)
{
    auto m = model(table);
    if (!m)
        return m.error();
    auto k = checkKey(**m, key);
    if (!k)
        return k.error();
    auto resolved = resolveRemovable(**m, path, variables);
    if (!resolved)
        return resolved.error();
    return doRemoveField(table, *k, *resolved);
}

Result<PageIndex> RecordStore::buildPageIndex(const QString &table, const ScanRequest &view,
                                              int pageSize,
                                              const std::function<bool(double)> &progress)
{
    PageIndex index;
    index.pageSize = pageSize;
    ScanRequest request = view;
    request.cursor.clear();
    request.limit = pageSize;
    index.cursors.push_back({});
    for (;;) {
        if (progress && !progress(0.0))
            return makeError(ErrorKind::Unavailable, QStringLiteral("cancelled"));
        auto page = scan(table, request);
        if (!page)
            return page.error();
        index.rowCount += qint64(page->records.size());
        if (page->nextCursor.isEmpty())
            break;
        index.cursors.push_back(page->nextCursor);
        request.cursor = page->nextCursor;
    }
    if (index.rowCount > 0 && index.rowCount % pageSize == 0 && index.cursors.size() > 1 &&
        qint64(index.cursors.size()) * pageSize > index.rowCount)
        index.cursors.pop_back();
    return index;
}

namespace {

QString describeElement(const PathElement &e)
{
    return e.isIndex() ? QStringLiteral("[%1]").arg(e.index) : e.key;
}

QString prefixDisplay(const ResolvedPath &path, std::size_t count)
{
    QString out;
    for (std::size_t i = 0; i < count && i < path.elements.size(); ++i) {
        const PathElement &e = path.elements[i];
        if (e.isIndex())
            out += QStringLiteral("[%1]").arg(e.index);
        else
            out += (out.isEmpty() ? QString() : QStringLiteral(".")) + e.key;
    }
    return out;
}

} // namespace

Result<std::optional<Value>> setAtPath(Value &record, const ResolvedPath &path, const Value &value)
{
    if (path.elements.empty())
        return makeError(ErrorKind::Invalid, QStringLiteral("the path is empty"));
    Value *current = &record;
    const std::size_t last = path.elements.size() - 1;
    for (std::size_t i = 0; i <= last; ++i) {
        const PathElement &e = path.elements[i];
        if (e.isIndex()) {
            if (!current->isList())
                return makeError(
                    ErrorKind::Invalid,
                    QStringLiteral("is %1, not a list").arg(current->typeDescription()),
                    prefixDisplay(path, i));
            Value::List &list = current->listRef();
            if (i == last) {
                if (e.index < list.size()) {
                    std::optional<Value> old = list[e.index];
                    list[e.index] = value;
                    return old;
                }
                // DynamoDB appends when SET names an index past the end.
                list.append(value);
                return std::optional<Value>();
            }
            if (e.index >= list.size())
                return makeError(ErrorKind::Invalid,
                                 QStringLiteral("the list has %1 items; there is no item %2")
                                     .arg(list.size())
                                     .arg(e.index),
                                 prefixDisplay(path, i));
            current = &list[e.index];
            continue;
        }
        if (!current->isMap())
            return makeError(ErrorKind::Invalid,
                             QStringLiteral("is %1, not a map; %2 cannot be set inside it")
                                 .arg(current->typeDescription(), describeElement(e)),
                             prefixDisplay(path, i));
        Value::Map &map = current->mapRef();
        if (i == last) {
            auto it = map.find(e.key);
            std::optional<Value> old;
            if (it != map.end()) {
                old = it.value();
                it.value() = value;
            } else {
                map.insert(e.key, value);
            }
            return old;
        }
        auto it = map.find(e.key);
        if (it == map.end()) {
            const Value created =
                i < path.containerDefaults.size() ? path.containerDefaults[i] : Value::map();
            it = map.insert(e.key, created);
        }
        current = &it.value();
    }
    return std::optional<Value>();
}

std::optional<Value> removeAtPath(Value &record, const ResolvedPath &path)
{
    if (path.elements.empty())
        return std::nullopt;
    Value *current = &record;
    const std::size_t last = path.elements.size() - 1;
    for (std::size_t i = 0; i <= last; ++i) {
        const PathElement &e = path.elements[i];
        if (e.isIndex()) {
            if (!current->isList() || e.index >= current->toList().size())
                return std::nullopt;
            Value::List &list = current->listRef();
            if (i == last) {
                Value old = list.takeAt(e.index);
                return old;
            }
            current = &list[e.index];
            continue;
        }
        if (!current->isMap())
            return std::nullopt;
        Value::Map &map = current->mapRef();
        auto it = map.find(e.key);
        if (it == map.end())
            return std::nullopt;
        if (i == last) {
            Value old = it.value();
            map.erase(it);
            return old;
        }
        current = &it.value();
    }
    return std::nullopt;
}

const Value *valueAtPath(const Value &record, const std::vector<PathElement> &elements)
{
    const Value *current = &record;
    for (const PathElement &e : elements) {
        if (e.isIndex()) {
            if (!current->isList() || e.index >= current->toList().size())
                return nullptr;
            current = &current->toList()[e.index];
        } else {
            current = current->find(e.key);
            if (!current)
                return nullptr;
        }
    }
    return current;
}
