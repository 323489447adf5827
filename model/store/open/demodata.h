#pragma once

#include "model/core/value.h"
#include "model/schema/tablemodel.h"
#include "model/store/recordstore.h"

#include <functional>

/// The demo store that StructDesk opens on first start: a users table with the StructNoSQL-style
/// demo model (resources/demo/users.model.json) and deterministic, varied records, a few of
/// them invalid on purpose so the grid's markers show.
namespace DemoData {

/// The demo users model file's text.
QByteArray usersModelJson();
/// The demo users model.
TableModelPtr usersModel();
/// The demo record number `index`: the same for the same index on every machine.
Value userRecord(quint64 index);
/// True for the records generated invalid on purpose (missing required fields, wrong types).
bool isInvalidOnPurpose(quint64 index);

/// Adds the users table with `count` records to an open store, in one transaction where the
/// store has them. `progress(done)` is called every 10,000 records.
Status populate(RecordStore &store, quint64 count,
                const std::function<void(quint64)> &progress = {});

/// Creates the demo store at `path` (which must not exist) with 5,000 users.
Status createDemoStore(const QString &path, quint64 count = 5000);

} // namespace DemoData
