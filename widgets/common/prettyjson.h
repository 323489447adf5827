#pragma once

#include "model/core/value.h"

#include <QByteArray>

/// Plain JSON of a value, indented for reading. Lossless like JsonCodec::toPlain (numbers keep
/// their exact text; sets become arrays and binary base64), which QJsonDocument is not.
QByteArray prettyJson(const Value &value, int indent = 2);
