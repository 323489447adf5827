#pragma once

// Small helpers the value editors share (defined in valueeditors.cpp). Internal to the form.

#include "model/core/value.h"

#include <QColor>
#include <QString>

#include <optional>

class QToolButton;
class QWidget;

namespace valueeditorparts {

QColor errorColor();

/// Grey text, as placeholders are drawn.
void makeQuiet(QWidget *w, bool italic = true);

QToolButton *smallButton(QWidget *parent, const QString &text, const QString &toolTip,
                         Qt::FocusPolicy focus);

bool containsSetOrBinary(const Value &v);

std::optional<QByteArray> decodeBase64(const QString &text);

std::optional<QByteArray> decodeHex(const QString &text);

} // namespace valueeditorparts
