#include "ui/panels/training_bar.h"

#include <QAction>
#include <QCheckBox>
#include <QHBoxLayout>
#include <QLabel>
#include <QLocale>
#include <QProgressBar>
#include <QToolButton>
#include <QVBoxLayout>

#include <cmath>

#include "engine/config/config_limits.h"
#include "engine/train/schedule.h"
#include "ui/panels/number_field.h"
#include "ui/panels/training_actions.h"

namespace il::ui {

QString formatDuration(double seconds)
{
    if (!std::isfinite(seconds) || seconds < 0) return QStringLiteral("-");
    const long long s = std::llround(seconds);
    if (s < 60) return QStringLiteral("%1 s").arg(s);
    if (s < 3600) return QStringLiteral("%1:%2 min").arg(s / 60).arg(s % 60, 2, 10, QLatin1Char('0'));
    return QStringLiteral("%1:%2 h").arg(s / 3600).arg((s % 3600) / 60, 2, 10, QLatin1Char('0'));
}

namespace {

QToolButton* button(QWidget* parent, const QString& name, QAction* action)
{
    auto* b = new QToolButton(parent);
    b->setObjectName(name);
    b->setDefaultAction(action);
    b->setToolButtonStyle(Qt::ToolButtonTextBesideIcon);
    b->setAccessibleName(action->iconText());
    b->setAutoRaise(false);
    b->setMinimumHeight(34);
    return b;
}

}  // namespace

TrainingBar::TrainingBar(TrainingActions* actions, QWidget* parent) : QWidget(parent), actions_(actions)
{
    setObjectName(QStringLiteral("trainingBar"));
    auto* outer = new QVBoxLayout(this);
    outer->setContentsMargins(8, 6, 8, 6);
    outer->setSpacing(4);
    auto* row = new QHBoxLayout;
    start_ = button(this, QStringLiteral("train"), actions->train());
    pause_ = button(this, QStringLiteral("pause"), actions->pauseResume());
    step_ = button(this, QStringLiteral("step"), actions->step());
    stop_ = button(this, QStringLiteral("stop"), actions->stop());
    reset_ = button(this, QStringLiteral("reset"), actions->reset());
    lrOverride_ = new QCheckBox(tr("lr"), this);
    lrOverride_->setObjectName(QStringLiteral("lrOverride"));
    lrOverride_->setAccessibleName(tr("Override the learning rate"));
    const il::NumericLimit& lrLimit = il::limitOf("lr");
    lrOverride_->setToolTip(tr("The learning rate in use, as the training reports it.\n"
                               "Checked: type a rate to use from the next step on (the schedule's decay still applies to it).\n"
                               "Unchecked: back to the configured rate. A new run starts unchecked.\nAccepted: %1.")
                                .arg(QString::fromStdString(il::rangeText(lrLimit))));
    lrOverride_->setEnabled(false);
    lr_ = new NumberField(NumberField::Kind::Real, this);
    lr_->setObjectName(QStringLiteral("liveLr"));
    lr_->setAccessibleName(tr("Learning rate in use"));
    lr_->setStepBounds(lrLimit.lo, lrLimit.hi);
    lr_->setToolTip(lrOverride_->toolTip());
    lr_->setReadOnly(true);
    lr_->setMinimumWidth(90);
    lr_->setNumber(il::ExperimentConfig{}.lr);
    for (QWidget* w : {static_cast<QWidget*>(start_), static_cast<QWidget*>(pause_), static_cast<QWidget*>(step_),
                       static_cast<QWidget*>(stop_), static_cast<QWidget*>(reset_)})
        row->addWidget(w);
    row->addSpacing(12);
    row->addWidget(lrOverride_);
    row->addWidget(lr_);
    row->addSpacing(12);
    progress_ = new QProgressBar(this);
    progress_->setObjectName(QStringLiteral("progress"));
    progress_->setAccessibleName(tr("Training progress"));
    progress_->setRange(0, 1);
    progress_->setValue(0);
    progress_->setFormat(QString());
    progress_->setMinimumWidth(220);
    row->addWidget(progress_, 1);
    outer->addLayout(row);

    auto* info = new QHBoxLayout;
    state_ = new QLabel(tr("No model yet"), this);
    state_->setObjectName(QStringLiteral("runState"));
    state_->setTextFormat(Qt::RichText);
    state_->setAccessibleName(tr("Run state"));
    // A long reason must not widen the window: the line takes the room there is, the tooltip
    // holds all of it.
    state_->setSizePolicy(QSizePolicy::Ignored, QSizePolicy::Preferred);
    state_->setMinimumWidth(200);
    numbers_ = new QLabel(this);
    numbers_->setObjectName(QStringLiteral("runNumbers"));
    numbers_->setAccessibleName(tr("Loss, speed and time left"));
    device_ = new QLabel(this);
    device_->setObjectName(QStringLiteral("device"));
    device_->setAccessibleName(tr("Device"));
    device_->setToolTip(tr("Where the network trains: the CPU (one thread per core) or a CUDA GPU."));
    info->addWidget(state_, 1);
    info->addWidget(numbers_);
    info->addSpacing(12);
    info->addWidget(device_);
    outer->addLayout(info);

    connect(lrOverride_, &QCheckBox::toggled, this, [this](bool on) {
        lr_->setReadOnly(!on);
        typing_ = false;
        if (on)
            applyOverride();
        else
            emit learningRateChanged(0.0);
    });
    connect(lr_, &NumberField::edited, this, [this] { typing_ = true; });
    connect(lr_, &NumberField::committed, this, [this] {
        typing_ = false;
        if (lrOverride_->isChecked()) applyOverride();
    });
    connect(lr_, &NumberField::textChanged, this, [this] {
        const std::optional<double> v = lr_->number();
        const il::NumericLimit& limit = il::limitOf("lr");
        lr_->setProblem(v && il::withinLimit(limit, *v)
                            ? QString()
                            : tr("The learning rate must be %1").arg(QString::fromStdString(il::rangeText(limit))));
    });
    setState(TrainingController::State::NoModel);
}

double TrainingBar::scheduleFactor() const { return il::scheduledLearningRate(schedule_, 1.0, stepsDone_, totalSteps_); }

void TrainingBar::applyOverride()
{
    // The field says the rate to use from the next step on; the engine's override is the base
    // rate the schedule's decay multiplies, so that the rate in use is the one typed.
    const std::optional<double> v = lr_->number();
    if (!v || !il::withinLimit(il::limitOf("lr"), *v)) return;  // marked at the field; nothing sent
    const double factor = scheduleFactor();
    emit learningRateChanged(factor > 0.0 ? *v / factor : *v);
}

void TrainingBar::showRateInUse(double lr)
{
    if (typing_ && lr_->hasFocus()) return;  // not under the user's fingers
    typing_ = false;
    lr_->setNumber(QString::number(lr, 'g', 6).toDouble());
}

void TrainingBar::setCanStart(bool canStart, const QString& reason)
{
    canStart_ = canStart;
    cannotStart_ = reason;
    actions_->setCanStart(canStart, reason);
    setState(current_);
}

void TrainingBar::setState(TrainingController::State state)
{
    using S = TrainingController::State;
    current_ = state;
    actions_->setState(state);
    const bool training = state == S::Running || state == S::Paused;
    lrOverride_->setEnabled(training);
    switch (state) {
        case S::NoModel:
        case S::Ready:
            // Why Train is refused, where the eye goes after pressing it, until the settings
            // can run again.
            if (!canStart_) {
                state_->setText(tr("<b style='color:#c0392b'>Cannot train:</b> %1").arg(cannotStart_.toHtmlEscaped()));
                state_->setToolTip(cannotStart_);
                showingCannotStart_ = true;
            } else if (showingCannotStart_) {
                state_->setText(state == S::NoModel ? tr("No model yet") : tr("Ready"));
                showingCannotStart_ = false;
            }
            return;
        case S::Building:
            state_->setText(tr("<b>Building the model...</b>"));
            break;
        case S::Running:
            state_->setText(tr("<b style='color:#1e8449'>Training</b>"));
            break;
        case S::Paused:
            state_->setText(tr("<b style='color:#b9770e'>Paused</b> - Step for one more, Resume to go on"));
            break;
        case S::Stopping:
            state_->setText(tr("<b>Stopping...</b>"));
            break;
    }
    showingCannotStart_ = false;
}

void TrainingBar::showProgress(const ProgressUpdate& u)
{
    progress_->setFormat(tr("step %v of %m"));
    progress_->setRange(0, std::max(1, u.totalSteps));
    progress_->setValue(u.step);
    stepsDone_ = u.step;
    totalSteps_ = std::max(1, u.totalSteps);
    actions_->noteProgress(u.step);
    const double left = u.stepsPerSecond > 0 ? (u.totalSteps - u.step) / u.stepsPerSecond : std::nan("");
    numbers_->setText(tr("loss %1  ·  %2 steps/s  ·  ETA %3  ·  lr %4")
                          .arg(u.loss, 0, 'g', 3)
                          .arg(u.stepsPerSecond, 0, 'f', u.stepsPerSecond < 10 ? 1 : 0)
                          .arg(formatDuration(left))
                          .arg(u.lr, 0, 'g', 3));
    showRateInUse(u.lr);
}

void TrainingBar::showSession(const SessionInfo& info)
{
    device_->setText(tr("Device: %1").arg(info.device));
    progress_->setFormat(tr("step %v of %m"));
    progress_->setRange(0, std::max(1, info.config.steps));
    progress_->setValue(info.stepsDone);
    numbers_->setText(QString::fromStdString(info.size.summary()));
    schedule_ = info.config.schedule;
    stepsDone_ = info.stepsDone;
    actions_->noteProgress(info.stepsDone);
    totalSteps_ = std::max(1, info.config.steps);
    // A new session starts from its config's rate: the worker drops an override with the old
    // session, and so does the bar.
    {
        const QSignalBlocker block(lrOverride_);
        lrOverride_->setChecked(false);
    }
    lr_->setReadOnly(true);
    typing_ = false;
    showRateInUse(info.config.lr * scheduleFactor());
    if (!info.warnings.isEmpty()) showMessage(info.warnings.join(QStringLiteral("; ")));
}

void TrainingBar::showFinished(const RunResult& r)
{
    showingCannotStart_ = false;
    const auto& m = r.metrics;
    switch (m.stopReason) {
        case il::StopReason::Completed:
            state_->setText(tr("<b style='color:#1e8449'>Done</b> - %1 steps in %2, final loss %3")
                                .arg(m.stepsDone)
                                .arg(formatDuration(m.seconds))
                                .arg(m.finalLoss, 0, 'g', 3));
            break;
        case il::StopReason::Cancelled:
            state_->setText(tr("<b>Stopped</b> at step %1 (kept), loss %2").arg(m.stepsDone).arg(m.finalLoss, 0, 'g', 3));
            break;
        case il::StopReason::Diverged:
            state_->setText(tr("<b style='color:#c0392b'>Diverged</b>: %1 (kept in the gallery, marked)")
                                .arg(QString::fromStdString(m.stopDetail).toHtmlEscaped()));
            break;
    }
    progress_->setValue(m.stepsDone);
}

void TrainingBar::showError(const QString& message)
{
    showingCannotStart_ = false;
    state_->setText(tr("<b style='color:#c0392b'>Cannot train:</b> %1").arg(message.toHtmlEscaped()));
    state_->setToolTip(message);
}

void TrainingBar::showMessage(const QString& message)
{
    showingCannotStart_ = false;
    state_->setText(message.toHtmlEscaped());
}

QString TrainingBar::statusText() const { return state_->text(); }

}  // namespace il::ui
