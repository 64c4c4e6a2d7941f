#include "ui/panels/dialog_problem.h"

#include <QDialog>
#include <QDialogButtonBox>
#include <QLabel>
#include <QPushButton>

namespace il::ui {

void showDialogProblem(QDialog* dialog, QLabel* label, const QString& problem)
{
    label->setText(problem);
    label->setVisible(!problem.isEmpty());
    if (auto* buttons = dialog->findChild<QDialogButtonBox*>()) {
        QPushButton* ok = buttons->button(QDialogButtonBox::Ok);
        ok->setEnabled(problem.isEmpty());
        ok->setToolTip(problem);
    }
}

}  // namespace il::ui
