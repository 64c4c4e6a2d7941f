#include "ui/panels/run_details_dialog.h"

#include <QDialogButtonBox>
#include <QFormLayout>
#include <QLabel>
#include <QLineEdit>
#include <QPlainTextEdit>
#include <QPushButton>

#include "ui/panels/dialog_problem.h"
#include "ui/run/run_record.h"

namespace il::ui {

RunDetailsDialog::RunDetailsDialog(const RunRecord& run, QWidget* parent) : QDialog(parent)
{
    setWindowTitle(tr("Name and notes of %1").arg(run.label.isEmpty() ? run.title() : run.label));
    setObjectName(QStringLiteral("runDetailsDialog"));
    auto* form = new QFormLayout(this);
    name_ = new QLineEdit(run.name, this);
    name_->setObjectName(QStringLiteral("runName"));
    name_->setAccessibleName(tr("Run name"));
    RunRecord unnamed;  // what the run is called without a name
    unnamed.config = run.config;
    unnamed.label = run.label;
    name_->setPlaceholderText(unnamed.shortTitle());
    name_->setToolTip(
        tr("Shown on the gallery card, in the comparison rows and in the plot legends. Empty: \"%1\".").arg(unnamed.shortTitle()));
    notes_ = new QPlainTextEdit(run.notes, this);
    notes_->setObjectName(QStringLiteral("runNotes"));
    notes_->setAccessibleName(tr("Run notes"));
    notes_->setPlaceholderText(tr("What you tried, what you saw..."));
    problemLabel_ = new QLabel(this);
    problemLabel_->setObjectName(QStringLiteral("runDetailsProblem"));
    problemLabel_->setStyleSheet(QStringLiteral("color: #c0392b;"));
    problemLabel_->setWordWrap(true);
    auto* buttons = new QDialogButtonBox(QDialogButtonBox::Ok | QDialogButtonBox::Cancel, this);
    form->addRow(tr("Name"), name_);
    form->addRow(tr("Notes"), notes_);
    form->addRow(problemLabel_);
    form->addRow(buttons);
    connect(buttons, &QDialogButtonBox::accepted, this, [this] {
        if (problem_.isEmpty()) accept();
    });
    connect(buttons, &QDialogButtonBox::rejected, this, &QDialog::reject);
    connect(name_, &QLineEdit::textChanged, this, &RunDetailsDialog::update);
    connect(notes_, &QPlainTextEdit::textChanged, this, &RunDetailsDialog::update);
    resize(480, 320);
    update();
}

QString RunDetailsDialog::name() const { return name_->text().trimmed(); }

QString RunDetailsDialog::notes() const { return notes_->toPlainText(); }

void RunDetailsDialog::update()
{
    problem_.clear();
    if (name().size() > kMaxName)
        problem_ = tr("The name is %1 characters long; at most %2 fit a legend.").arg(name().size()).arg(kMaxName);
    else if (notes().size() > kMaxNotes)
        problem_ = tr("The notes are %1 characters long; at most %2.").arg(notes().size()).arg(kMaxNotes);
    showDialogProblem(this, problemLabel_, problem_);
}

}  // namespace il::ui
