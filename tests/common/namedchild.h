#pragma once

// GUI tests find widgets by objectName; a missing one ends the test run at once, naming it,
// instead of crashing on a null pointer later.

#include <QString>
#include <QWidget>

template <typename T> T *child(QWidget *parent, const QString &name)
{
    T *found = parent->findChild<T *>(name);
    if (!found)
        qFatal("no child %s", qPrintable(name));
    return found;
}
