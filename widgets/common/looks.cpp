#include "widgets/common/looks.h"

#include <QLocale>
#include <QObject>
#include <QPainter>
#include <QPainterPath>
#include <QPixmap>

namespace {

QIcon disc(const QColor &color, int glyph)
{
    QIcon icon;
    for (int size : {16, 24, 32}) {
        QPixmap pixmap(size, size);
        pixmap.fill(Qt::transparent);
        QPainter p(&pixmap);
        p.setRenderHint(QPainter::Antialiasing);
        p.setPen(Qt::NoPen);
        p.setBrush(color);
        p.drawEllipse(QRectF(0.5, 0.5, size - 1.0, size - 1.0));
        QPen pen(Qt::white, size / 8.0, Qt::SolidLine, Qt::RoundCap, Qt::RoundJoin);
        p.setPen(pen);
        p.setBrush(Qt::NoBrush);
        const double s = size;
        if (glyph == 0) { // check
            QPainterPath path;
            path.moveTo(s * 0.28, s * 0.52);
            path.lineTo(s * 0.44, s * 0.68);
            path.lineTo(s * 0.73, s * 0.34);
            p.drawPath(path);
        } else if (glyph == 1) { // cross
            p.drawLine(QPointF(s * 0.32, s * 0.32), QPointF(s * 0.68, s * 0.68));
            p.drawLine(QPointF(s * 0.68, s * 0.32), QPointF(s * 0.32, s * 0.68));
        } else { // exclamation mark
            p.drawLine(QPointF(s * 0.5, s * 0.24), QPointF(s * 0.5, s * 0.56));
            p.drawPoint(QPointF(s * 0.5, s * 0.74));
        }
        p.end();
        icon.addPixmap(pixmap);
    }
    return icon;
}

} // namespace

namespace Looks {

QColor okColor()
{
    return QColor(0x1e, 0x7b, 0x34);
}

QColor failedColor()
{
    return QColor(0xb3, 0x26, 0x1e);
}

QColor warningColor()
{
    return QColor(0xb0, 0x6d, 0x00);
}

QIcon okIcon()
{
    static const QIcon icon = disc(QColor(0x2e, 0x9e, 0x4a), 0);
    return icon;
}

QIcon failedIcon()
{
    static const QIcon icon = disc(QColor(0xd2, 0x3b, 0x2f), 1);
    return icon;
}

QIcon warningIcon()
{
    static const QIcon icon = disc(QColor(0xe0, 0x94, 0x16), 2);
    return icon;
}

QString keyWords(const QString &attribute, const Value &key)
{
    return key.isString() ? QStringLiteral("%1 = \"%2\"").arg(attribute, key.text())
                          : QStringLiteral("%1 = %2").arg(attribute, key.text());
}

QString count(int n, const QString &one, const QString &many)
{
    return QStringLiteral("%1 %2").arg(n).arg(n == 1 ? one : many);
}

QString keyTypeWords(const TableModel &model)
{
    switch (model.hashKeyType()) {
    case FieldKind::Str:
        return QObject::tr("a string");
    case FieldKind::Int:
        return QObject::tr("an integer");
    default:
        return QObject::tr("a number");
    }
}

QString number(qint64 n)
{
    QLocale locale;
    // The C locale omits grouping by default; "1,204" reads better in a dialog.
    locale.setNumberOptions(locale.numberOptions() & ~QLocale::OmitGroupSeparator);
    return locale.toString(n);
}

QString records(qint64 n)
{
    return n == 1 ? QObject::tr("1 record") : QObject::tr("%1 records").arg(number(n));
}

} // namespace Looks
