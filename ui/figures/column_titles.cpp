#include "ui/figures/column_titles.h"

#include <algorithm>

namespace il::ui {

QStringList wrapColumnTitle(const QString& title, const QFontMetrics& metrics, int width)
{
    const QString text = title.simplified();
    if (text.isEmpty()) return {};
    if (metrics.horizontalAdvance(text) <= width) return {text};
    // The longest head that fits, broken at a space; the rest goes to line two.
    int split = -1;
    for (int i = text.indexOf(QLatin1Char(' ')); i > 0; i = text.indexOf(QLatin1Char(' '), i + 1)) {
        if (metrics.horizontalAdvance(text.left(i)) > width) break;
        split = i;
    }
    if (split < 0) split = text.indexOf(QLatin1Char(' '));
    if (split < 0) return {metrics.elidedText(text, Qt::ElideRight, width)};
    return {metrics.elidedText(text.left(split), Qt::ElideRight, width), metrics.elidedText(text.mid(split + 1), Qt::ElideRight, width)};
}

int columnTitleLines(const std::vector<QString>& titles, const QFontMetrics& metrics, int width)
{
    int lines = 0;
    for (const QString& title : titles) lines = std::max(lines, static_cast<int>(wrapColumnTitle(title, metrics, width).size()));
    return lines;
}

}  // namespace il::ui
