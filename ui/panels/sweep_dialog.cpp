#include "ui/panels/sweep_dialog.h"

#include <QComboBox>
#include <QDialogButtonBox>
#include <QFormLayout>
#include <QGroupBox>
#include <QHBoxLayout>
#include <QLabel>
#include <QLineEdit>
#include <QListWidget>
#include <QPlainTextEdit>
#include <QPushButton>
#include <QRegularExpression>
#include <QSpinBox>
#include <QVBoxLayout>

#include <algorithm>
#include <cmath>

#include "engine/config/choices.h"
#include "engine/config/config_json.h"
#include "engine/core/errors.h"
#include "engine/sweep/plan_tasks.h"
#include "ui/panels/dialog_problem.h"

namespace il::ui {

QString sweepParameterName(SweepParameter p)
{
    switch (p) {
        case SweepParameter::Depth:
            return QObject::tr("depth");
        case SweepParameter::Channels:
            return QObject::tr("channels");
        case SweepParameter::Width:
            return QObject::tr("width");
        case SweepParameter::KernelSize:
            return QObject::tr("kernel size");
        case SweepParameter::LearningRate:
            return QObject::tr("learning rate");
        case SweepParameter::Seed:
            return QObject::tr("seed");
        case SweepParameter::InitScale:
            return QObject::tr("init scale");
        case SweepParameter::Steps:
            return QObject::tr("steps");
        case SweepParameter::ImageSize:
            return QObject::tr("image size");
        case SweepParameter::None:
            return QObject::tr("none: only the choices and seeds below");
    }
    return {};
}

const char* sweepParameterKey(SweepParameter p)
{
    switch (p) {
        case SweepParameter::Depth:
            return "depth";
        case SweepParameter::Channels:
            return "channels";
        case SweepParameter::Width:
            return "width";
        case SweepParameter::KernelSize:
            return "kernel_size";
        case SweepParameter::LearningRate:
            return "lr";
        case SweepParameter::Seed:
            return "seed";
        case SweepParameter::InitScale:
            return "init_scale";
        case SweepParameter::Steps:
            return "steps";
        case SweepParameter::ImageSize:
            return "image_size";
        case SweepParameter::None:
            return "";
    }
    return "";
}

namespace {

bool isInteger(SweepParameter p) { return p != SweepParameter::LearningRate && p != SweepParameter::InitScale; }

template <typename Enum>
il::PlanAxis choiceAxis(const char* key, const std::vector<Enum>& values)
{
    il::PlanAxis axis;
    axis.key = key;
    for (Enum v : values) axis.values.emplace_back(il::choiceOf(v).name);
    return axis;
}

}  // namespace

std::vector<double> parseSweepValues(const QString& text, bool integers, QString* error)
{
    std::vector<double> out;
    const QStringList parts = text.split(QRegularExpression(QStringLiteral("[,;\\s]+")), Qt::SkipEmptyParts);
    static const QRegularExpression range(QStringLiteral("^([-+0-9.eE]+)\\s*(?:-|\\.\\.)\\s*([-+0-9.eE]+)(?::([-+0-9.eE]+))?$"));
    for (const QString& part : parts) {
        const auto m = range.match(part);
        if (m.hasMatch() && !part.startsWith(QLatin1Char('-'))) {
            bool ok1 = false, ok2 = false, ok3 = true;
            const double a = m.captured(1).toDouble(&ok1), b = m.captured(2).toDouble(&ok2);
            const double step = m.captured(3).isEmpty() ? 1.0 : m.captured(3).toDouble(&ok3);
            if (!ok1 || !ok2 || !ok3 || step <= 0 || b < a || (b - a) / step > 1000) {
                if (error) *error = QObject::tr("'%1' is not a range like 1-20 or 1-20:2").arg(part);
                return {};
            }
            for (double v = a; v <= b + 1e-9; v += step) out.push_back(integers ? std::round(v) : v);
            continue;
        }
        bool ok = false;
        const double v = part.toDouble(&ok);
        if (!ok) {
            if (error) *error = QObject::tr("'%1' is not a number").arg(part);
            return {};
        }
        out.push_back(integers ? std::round(v) : v);
    }
    if (out.empty() && error) *error = QObject::tr("no values");
    return out;
}

il::Plan sweepEnginePlan(const il::ExperimentConfig& base, const SweepPlan& plan)
{
    il::Plan p;
    p.source = "the sweep";
    p.base = il::configToJson(base);
    if (plan.parameter != SweepParameter::None) {
        if (plan.values.empty()) throw il::ConfigError("no values for " + sweepParameterName(plan.parameter).toStdString());
        il::PlanAxis axis;
        axis.key = sweepParameterKey(plan.parameter);
        for (double v : plan.values) {
            if (isInteger(plan.parameter))
                axis.values.emplace_back(static_cast<long long>(std::llround(v)));
            else
                axis.values.emplace_back(v);
        }
        p.axes.push_back(std::move(axis));
    }
    if (!plan.inits.empty()) p.axes.push_back(choiceAxis("init", plan.inits));
    if (!plan.activations.empty()) p.axes.push_back(choiceAxis("activation", plan.activations));
    if (!plan.optimizers.empty()) p.axes.push_back(choiceAxis("optimizer", plan.optimizers));
    if (plan.seeds < 1) throw il::ConfigError("the number of seeds must be at least 1");
    if (plan.seeds > 1) {
        if (plan.parameter == SweepParameter::Seed)
            throw il::ConfigError("the seed is swept as the parameter and by \"x N seeds\": choose one of them");
        for (int i = 0; i < plan.seeds; ++i) p.seeds.push_back(base.seed + static_cast<std::uint64_t>(i));
    }
    return p;
}

std::vector<SweepRun> sweepRuns(const il::ExperimentConfig& base, const SweepPlan& plan)
{
    const il::ExpandedPlan expanded = il::expandPlan(sweepEnginePlan(base, plan));
    std::vector<SweepRun> out;
    out.reserve(expanded.tasks.size());
    for (const il::PlanTask& task : expanded.tasks) out.push_back({task.config, QString::fromStdString(task.label)});
    return out;
}

std::vector<il::ExperimentConfig> sweepConfigs(const il::ExperimentConfig& base, const SweepPlan& plan)
{
    std::vector<il::ExperimentConfig> out;
    for (const SweepRun& run : sweepRuns(base, plan)) out.push_back(run.config);
    return out;
}

double sweepSeconds(const std::vector<SweepRun>& runs, int threads, const il::SpeedFactors& speed)
{
    std::vector<double> seconds;
    for (const SweepRun& run : runs) seconds.push_back(il::estimatedRunSeconds(run.config, threads, speed));
    return il::estimatedScheduleSeconds(std::move(seconds), 1);  // the app trains one run at a time
}

namespace {
constexpr int kMaxRuns = 1000;  // a queue longer than this was almost certainly mistyped
constexpr int kPreviewRuns = 500;
}  // namespace

QListWidget* SweepDialog::choiceList(const QString& name, const QString& accessible)
{
    auto* list = new QListWidget(this);
    list->setObjectName(name);
    list->setAccessibleName(accessible);
    list->setSelectionMode(QAbstractItemView::NoSelection);
    list->setToolTip(tr("Check the choices to run. Only the panel's own choice checked: not swept."));
    return list;
}

namespace {

template <typename Enum>
void fillChoices(QListWidget* list, Enum current)
{
    for (const auto& choice : il::choicesOf<Enum>()) {
        auto* item = new QListWidgetItem(QString::fromUtf8(choice.label), list);
        item->setData(Qt::UserRole, static_cast<int>(choice.value));
        item->setToolTip(QStringLiteral("%1 (%2)").arg(QString::fromUtf8(choice.tooltip), QString::fromUtf8(choice.name)));
        item->setFlags(Qt::ItemIsEnabled | Qt::ItemIsUserCheckable);
        item->setCheckState(choice.value == current ? Qt::Checked : Qt::Unchecked);
    }
}

// The checked choices; empty when only `current` (the panel's own) is checked: not swept.
template <typename Enum>
std::vector<Enum> checkedChoices(const QListWidget* list, Enum current)
{
    std::vector<Enum> out;
    for (int i = 0; i < list->count(); ++i)
        if (list->item(i)->checkState() == Qt::Checked) out.push_back(static_cast<Enum>(list->item(i)->data(Qt::UserRole).toInt()));
    if (out.size() == 1 && out.front() == current) out.clear();
    return out;
}

int checkedCount(const QListWidget* list)
{
    int n = 0;
    for (int i = 0; i < list->count(); ++i) n += list->item(i)->checkState() == Qt::Checked ? 1 : 0;
    return n;
}

}  // namespace

SweepDialog::SweepDialog(const il::ExperimentConfig& base, QWidget* parent) : QDialog(parent), base_(base)
{
    setWindowTitle(tr("Sweep"));
    setObjectName(QStringLiteral("sweepDialog"));
    auto* outer = new QVBoxLayout(this);
    auto* form = new QFormLayout;
    parameter_ = new QComboBox(this);
    parameter_->setObjectName(QStringLiteral("sweepParameter"));
    parameter_->setAccessibleName(tr("Parameter to sweep"));
    for (auto p :
         {SweepParameter::Depth, SweepParameter::Channels, SweepParameter::Width, SweepParameter::KernelSize, SweepParameter::LearningRate,
          SweepParameter::Seed, SweepParameter::InitScale, SweepParameter::Steps, SweepParameter::ImageSize, SweepParameter::None})
        parameter_->addItem(sweepParameterName(p), static_cast<int>(p));
    values_ = new QLineEdit(QStringLiteral("1, 3, 5, 7, 9, 12, 14, 16, 18, 20"), this);
    values_->setObjectName(QStringLiteral("sweepValues"));
    values_->setAccessibleName(tr("Values"));
    values_->setToolTip(tr("A list (1, 3, 5), a range (1-20) or a range with a step (1-20:2)."));
    seeds_ = new QSpinBox(this);
    seeds_->setObjectName(QStringLiteral("sweepSeeds"));
    seeds_->setAccessibleName(tr("Seeds per run"));
    seeds_->setRange(1, 100);
    seeds_->setValue(1);
    seeds_->setPrefix(tr("x "));
    seeds_->setSuffix(tr(" seed(s)"));
    seeds_->setToolTip(tr("Each run N times with the weight seeds %1, %2, ...: the runs differ only in their initial weights; "
                          "the training image stays the same.")
                           .arg(base.seed)
                           .arg(base.seed + 1));
    form->addRow(tr("Parameter"), parameter_);
    form->addRow(tr("Values"), values_);
    form->addRow(tr("Seeds"), seeds_);
    outer->addLayout(form);

    auto* choices = new QGroupBox(tr("Choices (each checked one is run; only the panel's own checked: not swept)"), this);
    auto* choicesLayout = new QHBoxLayout(choices);
    inits_ = choiceList(QStringLiteral("sweepInits"), tr("Inits to sweep"));
    activations_ = choiceList(QStringLiteral("sweepActivations"), tr("Activations to sweep"));
    optimizers_ = choiceList(QStringLiteral("sweepOptimizers"), tr("Optimisers to sweep"));
    fillChoices(inits_, base.init);
    fillChoices(activations_, base.activation);
    fillChoices(optimizers_, base.optimizer);
    for (auto [title, list] :
         {std::pair{tr("Init"), inits_}, std::pair{tr("Activation"), activations_}, std::pair{tr("Optimiser"), optimizers_}}) {
        auto* column = new QVBoxLayout;
        column->addWidget(new QLabel(title, choices));
        column->addWidget(list, 1);
        choicesLayout->addLayout(column);
    }
    outer->addWidget(choices, 1);

    summary_ = new QLabel(this);
    summary_->setObjectName(QStringLiteral("sweepSummary"));
    summary_->setWordWrap(true);
    problemLabel_ = new QLabel(this);
    problemLabel_->setObjectName(QStringLiteral("sweepProblem"));
    problemLabel_->setWordWrap(true);
    problemLabel_->setStyleSheet(QStringLiteral("color: #c0392b;"));
    preview_ = new QPlainTextEdit(this);
    preview_->setObjectName(QStringLiteral("sweepPreview"));
    preview_->setAccessibleName(tr("The runs of the sweep"));
    preview_->setReadOnly(true);
    preview_->setLineWrapMode(QPlainTextEdit::NoWrap);
    outer->addWidget(new QLabel(tr("Runs, in the order they train:"), this));
    outer->addWidget(preview_, 1);
    outer->addWidget(summary_);
    outer->addWidget(problemLabel_);

    auto* buttons = new QDialogButtonBox(QDialogButtonBox::Ok | QDialogButtonBox::Cancel, this);
    buttons->button(QDialogButtonBox::Ok)->setText(tr("Queue runs"));
    outer->addWidget(buttons);
    connect(buttons, &QDialogButtonBox::accepted, this, [this] {
        if (problem_.isEmpty()) accept();
    });
    connect(buttons, &QDialogButtonBox::rejected, this, &QDialog::reject);
    connect(parameter_, &QComboBox::currentIndexChanged, this, &SweepDialog::update);
    connect(values_, &QLineEdit::textChanged, this, &SweepDialog::update);
    connect(seeds_, &QSpinBox::valueChanged, this, &SweepDialog::update);
    for (QListWidget* list : {inits_, activations_, optimizers_}) connect(list, &QListWidget::itemChanged, this, &SweepDialog::update);
    resize(760, 640);
    update();
}

SweepPlan SweepDialog::plan() const
{
    SweepPlan p;
    p.parameter = static_cast<SweepParameter>(parameter_->currentData().toInt());
    if (p.parameter != SweepParameter::None) p.values = parseSweepValues(values_->text(), isInteger(p.parameter));
    p.inits = checkedChoices(inits_, base_.init);
    p.activations = checkedChoices(activations_, base_.activation);
    p.optimizers = checkedChoices(optimizers_, base_.optimizer);
    p.seeds = seeds_->value();
    return p;
}

std::vector<SweepRun> SweepDialog::runs() const { return problem_.isEmpty() ? runs_ : std::vector<SweepRun>{}; }

std::vector<il::ExperimentConfig> SweepDialog::configs() const
{
    std::vector<il::ExperimentConfig> out;
    for (const SweepRun& r : runs()) out.push_back(r.config);
    return out;
}

void SweepDialog::setSpeed(const il::SpeedFactors& speed, int threads)
{
    speed_ = speed;
    threads_ = std::max(1, threads);
    update();
}

QString SweepDialog::summaryText() const { return summary_->text(); }

void SweepDialog::update()
{
    const auto p = static_cast<SweepParameter>(parameter_->currentData().toInt());
    values_->setEnabled(p != SweepParameter::None);
    problem_.clear();
    runs_.clear();
    QString error;
    if (p != SweepParameter::None) {
        parseSweepValues(values_->text(), isInteger(p), &error);
        if (!error.isEmpty()) problem_ = tr("Values: %1").arg(error);
    }
    if (problem_.isEmpty()) {
        for (auto [list, what] :
             {std::pair{inits_, tr("init")}, std::pair{activations_, tr("activation")}, std::pair{optimizers_, tr("optimiser")}})
            if (checkedCount(list) == 0) {
                problem_ = tr("Check at least one %1 (the panel's own is the one it uses now).").arg(what);
                break;
            }
    }
    if (problem_.isEmpty()) {
        const SweepPlan sp = plan();
        // The count before the expansion: a mistyped range must not build a million configs.
        long long count = std::max(1, sp.seeds);
        for (std::size_t n : {p == SweepParameter::None ? std::size_t(1) : sp.values.size(), std::max<std::size_t>(1, sp.inits.size()),
                              std::max<std::size_t>(1, sp.activations.size()), std::max<std::size_t>(1, sp.optimizers.size())})
            count *= static_cast<long long>(n);
        if (count > kMaxRuns) {
            problem_ = tr("%1 runs are too many for one queue (at most %2): fewer values, choices or seeds.").arg(count).arg(kMaxRuns);
        } else {
            try {
                runs_ = sweepRuns(base_, sp);
            } catch (const il::Error& e) {
                problem_ = tr("Cannot run: %1").arg(QString::fromStdString(e.what()));
            }
        }
    }

    QStringList lines;
    for (std::size_t i = 0; i < runs_.size() && i < static_cast<std::size_t>(kPreviewRuns); ++i)
        lines << tr("%1. %2   (%3, %4 steps)")
                     .arg(i + 1)
                     .arg(runs_[i].label, QString::fromStdString(il::describeModel(runs_[i].config)))
                     .arg(runs_[i].config.steps);
    if (runs_.size() > static_cast<std::size_t>(kPreviewRuns)) lines << tr("... and %1 more").arg(runs_.size() - kPreviewRuns);
    preview_->setPlainText(lines.join(QLatin1Char('\n')));

    QString summary;
    if (!runs_.empty()) {
        summary = tr("%n run(s), one after the other", nullptr, static_cast<int>(runs_.size()));
        if (speed_)
            summary +=
                tr("; about %1 on this machine.").arg(QString::fromStdString(il::formatMinutes(sweepSeconds(runs_, threads_, *speed_))));
        else
            summary += tr("; time estimate: measuring this machine...");
    }
    summary_->setText(summary);
    showDialogProblem(this, problemLabel_, problem_);
}

}  // namespace il::ui
