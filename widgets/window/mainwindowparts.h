#pragma once

// Small helpers the main window's units share (defined in mainwindow.cpp). Internal to the
// window.

#include "model/schema/tablemodel.h"

#include <QIcon>
#include <QString>
#include <QStringList>

namespace mainwindowparts {

constexpr int kStatusMessageMs = 4000;

QString displayName(const QString &location);

/// Field paths a filter can use: the model's fields, nested map fields included.
void collectPaths(const MapModel &map, const QString &prefix, int depth, QStringList &out);

QIcon icon(const char *name);

} // namespace mainwindowparts
