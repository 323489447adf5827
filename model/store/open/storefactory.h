#pragma once

#include "model/store/recordstore.h"

#include <QList>

#include <memory>
#include <utility>

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

/// A DynamoDB location with these query parameters set (replacing any of the same name, e.g.
/// `connect_timeout` from a command-line flag); a file location is returned unchanged.
QString withParameters(const QString &location,
                       const QList<std::pair<QString, QString>> &parameters);

} // namespace StoreFactory
