#pragma once

#include "model/core/value.h"
#include "model/schema/tablemodel.h"

#include <QColor>
#include <QIcon>
#include <QString>

/// How every window shows states and counts: the model says ok, failed or a number; these say
/// how it looks (colours, icons, words), the same in every dialog.
namespace Looks {
QColor okColor();
QColor failedColor();
QColor warningColor();
/// A green disc with a check mark.
QIcon okIcon();
/// A red disc with a cross.
QIcon failedIcon();
/// An amber disc with an exclamation mark.
QIcon warningIcon();
/// "1 record", "3 records".
QString count(int n, const QString &one, const QString &many);
/// `userId = "u1"`, `orderId = 42`.
QString keyWords(const QString &attribute, const Value &key);
/// The key of a table model's type in words: "a string", "an integer", "a number".
QString keyTypeWords(const TableModel &model);
/// 1204 as "1,204" (the locale's grouping, also in the C locale).
QString number(qint64 n);
/// "1 record", "1,204 records".
QString records(qint64 n);
} // namespace Looks
