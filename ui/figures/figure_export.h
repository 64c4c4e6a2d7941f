#pragma once
// Writing figures to disk. Atomic (QSaveFile): a figure is either the complete new file or
// the old one, never a half-written PNG after a full disk or a crash.

#include <QImage>
#include <QString>

namespace il::ui {

// Writes `image` as PNG to `path`. On failure returns false and, when `error` is given,
// says what went wrong in words a user can act on (missing or unwritable folder, full
// disk, ...). The parent folder must exist: this does not create folders.
bool savePng(const QImage& image, const QString& path, QString* error = nullptr);

}  // namespace il::ui
