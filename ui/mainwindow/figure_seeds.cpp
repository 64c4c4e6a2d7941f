#include "ui/mainwindow/figure_seeds.h"

#include <QComboBox>
#include <QDialogButtonBox>
#include <QFormLayout>
#include <QLabel>
#include <QPushButton>
#include <QSpinBox>

#include "engine/sweep/plan.h"
#include "engine/sweep/plan_tasks.h"

namespace il::ui {

std::vector<LabelledRun> figureRunsWithSeeds(const std::string& presetPath, int seeds)
{
    il::Plan plan = il::loadPlan(presetPath);
    plan.seeds = il::seedsFromJson(il::json::Value(seeds));
    const il::ExpandedPlan expanded = il::expandPlan(plan);
    std::vector<LabelledRun> runs;
    for (const il::PlanTask& task : expanded.tasks)
        if (task.options.train) runs.push_back({task.config, QString::fromStdString(task.label)});
    return runs;
}

FigureSeedsDialog::FigureSeedsDialog(const std::vector<std::pair<QString, QString>>& figures, int seeds, QWidget* parent) : QDialog(parent)
{
    setWindowTitle(tr("Run a paper figure with several seeds"));
    auto* form = new QFormLayout(this);
    auto* intro =
        new QLabel(tr("Each of the figure's networks is trained once per weight seed (0, 1, ...), with everything else the "
                      "same. The runs collect in the Gallery, selected; the Ensemble view shows how often each outcome "
                      "occurs over the seeds."));
    intro->setWordWrap(true);
    form->addRow(intro);
    figure_ = new QComboBox;
    figure_->setObjectName(QStringLiteral("figureSeedsFigure"));
    for (const auto& [name, title] : figures) figure_->addItem(title, name);
    form->addRow(tr("&Figure:"), figure_);
    seeds_ = new QSpinBox;
    seeds_->setObjectName(QStringLiteral("figureSeedsCount"));
    seeds_->setRange(1, 100);
    seeds_->setValue(seeds);
    seeds_->setSuffix(tr(" seeds"));
    form->addRow(tr("&Weight seeds:"), seeds_);
    auto* buttons = new QDialogButtonBox(QDialogButtonBox::Ok | QDialogButtonBox::Cancel);
    buttons->button(QDialogButtonBox::Ok)->setText(tr("Queue the runs"));
    buttons->button(QDialogButtonBox::Ok)->setEnabled(!figures.empty());
    connect(buttons, &QDialogButtonBox::accepted, this, &QDialog::accept);
    connect(buttons, &QDialogButtonBox::rejected, this, &QDialog::reject);
    form->addRow(buttons);
}

QString FigureSeedsDialog::figure() const { return figure_->currentData().toString(); }

int FigureSeedsDialog::seeds() const { return seeds_->value(); }

}  // namespace il::ui
