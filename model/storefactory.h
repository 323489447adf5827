#pragma once

#include "model/recordstore.h"

#include <memory>

/// How a store location string is opened; the GUI and the CLI take the same strings.
namespace StoreFactory {

enum class Create { No, IfMissing };

/// The user's default embedded store: $STRUCTDESK_STORE if set, else default.structdesk in
/// the application data folder (~/.local/share/StructDesk).
QString defaultLocation();

/// Opens a store: a file path opens the embedded SQLite store; `dynamodb://` and
/// `dynamodbs://` locations are DynamoDB endpoints. Errors are Unavailable with the reason.
Result<std::unique_ptr<RecordStore>> open(const QString &location, Create create = Create::No);

/// True when the location names a DynamoDB endpoint rather than a file.
bool isRemote(const QString &location);

} // namespace StoreFactory
