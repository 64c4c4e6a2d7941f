#pragma once
// A dialog that refuses bad input says why: the problem under the fields, OK disabled with the
// same words as its tooltip (the Sweep and Run details dialogs). An empty problem hides the
// label and enables OK.

#include <QString>

class QDialog;
class QLabel;

namespace il::ui {

void showDialogProblem(QDialog* dialog, QLabel* label, const QString& problem);

}  // namespace il::ui
