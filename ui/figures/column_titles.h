#pragma once
// Probe names above the columns of a figure grid: wrapped at spaces onto at most two lines
// ("fashion" / "sneaker") and elided to the cell width, so neighbours never overlap.

#include <QFontMetrics>
#include <QString>
#include <QStringList>

#include <vector>

namespace il::ui {

QStringList wrapColumnTitle(const QString& title, const QFontMetrics& metrics, int width);

// Lines the tallest of `titles` needs (0 when there are none).
int columnTitleLines(const std::vector<QString>& titles, const QFontMetrics& metrics, int width);

}  // namespace il::ui
