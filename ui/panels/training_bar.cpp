#include "ui/panels/training_bar.h"

#include <QCheckBox>
#include <QDoubleSpinBox>
#include <QHBoxLayout>
#include <QLabel>
#include <QProgressBar>
#include <QStyle>
#include <QToolButton>
#include <QVBoxLayout>

#include <cmath>

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

QToolButton* button(QWidget* parent, const QString& name, const QString& text, QStyle::StandardPixmap icon, const QString& tip)
{
    auto* b = new QToolButton(parent);
    b->setObjectName(name);
    b->setText(text);
    b->setIcon(parent->style()->standardIcon(icon));
    b->setToolButtonStyle(Qt::ToolButtonTextBesideIcon);
    b->setAccessibleName(text);
    b->setToolTip(tip);
    b->setAutoRaise(false);
    b->setMinimumHeight(34);
    return b;
}

}  // namespace

TrainingBar::TrainingBar(QWidget* parent) : QWidget(parent)
{
    setObjectName(QStringLiteral("trainingBar"));
    auto* outer = new QVBoxLayout(this);
    outer->setContentsMargins(8, 6, 8, 6);
    outer->setSpacing(4);
    auto* row = new QHBoxLayout;
    start_ = button(this, QStringLiteral("train"), tr("Train"), QStyle::SP_MediaPlay,
                    tr("Build the network of the experiment panel and train it on the training image (Ctrl+Return)."));
    start_->setShortcut(QKeySequence(Qt::CTRL | Qt::Key_Return));
    pause_ = button(this, QStringLiteral("pause"), tr("Pause"), QStyle::SP_MediaPause,
                    tr("Pause after the current step; the views show the model as it is (Space). Press again to resume."));
    pause_->setShortcut(QKeySequence(Qt::Key_Space));
    step_ = button(this, QStringLiteral("step"), tr("Step"), QStyle::SP_MediaSkipForward,
                   tr("While paused: one more optimisation step (Ctrl+Right)."));
    step_->setShortcut(QKeySequence(Qt::CTRL | Qt::Key_Right));
    stop_ = button(this, QStringLiteral("stop"), tr("Stop"), QStyle::SP_MediaStop,
                   tr("Stop after the current step; the run is kept with what it learned (Esc)."));
    stop_->setShortcut(QKeySequence(Qt::Key_Escape));
    reset_ = button(this, QStringLiteral("reset"), tr("Reset"), QStyle::SP_BrowserReload,
                    tr("Back to the untrained network (step 0) of the current config: see what the initial map does."));
    lrOverride_ = new QCheckBox(tr("lr"), this);
    lrOverride_->setObjectName(QStringLiteral("lrOverride"));
    lrOverride_->setAccessibleName(tr("Override the learning rate"));
    lrOverride_->setToolTip(
        tr("Checked: train with this learning rate from the next step on (the schedule's decay still\n"
           "applies). Unchecked: back to the configured rate."));
    lr_ = new QDoubleSpinBox(this);
    lr_->setObjectName(QStringLiteral("liveLr"));
    lr_->setAccessibleName(tr("Learning rate while training"));
    lr_->setDecimals(6);
    lr_->setRange(1e-6, 100.0);
    lr_->setValue(0.01);
    lr_->setStepType(QAbstractSpinBox::AdaptiveDecimalStepType);
    lr_->setKeyboardTracking(false);
    lr_->setToolTip(lrOverride_->toolTip());
    lr_->setEnabled(false);
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

    connect(start_, &QToolButton::clicked, this, &TrainingBar::startRequested);
    connect(pause_, &QToolButton::clicked, this, [this] {
        if (current_ == TrainingController::State::Paused)
            emit resumeRequested();
        else
            emit pauseRequested();
    });
    connect(step_, &QToolButton::clicked, this, &TrainingBar::stepRequested);
    connect(stop_, &QToolButton::clicked, this, &TrainingBar::stopRequested);
    connect(reset_, &QToolButton::clicked, this, &TrainingBar::resetRequested);
    connect(lrOverride_, &QCheckBox::toggled, this, [this](bool on) {
        lr_->setEnabled(on);
        emit learningRateChanged(on ? lr_->value() : 0.0);
    });
    connect(lr_, &QDoubleSpinBox::valueChanged, this, [this](double v) {
        if (lrOverride_->isChecked()) emit learningRateChanged(v);
    });
    setState(TrainingController::State::NoModel);
}

void TrainingBar::setCanStart(bool canStart, const QString& reason)
{
    canStart_ = canStart;
    start_->setToolTip(canStart ? tr("Build the network of the experiment panel and train it on the training image (Ctrl+Return).")
                                : tr("Cannot train: %1").arg(reason));
    setState(current_);
}

void TrainingBar::setState(TrainingController::State state)
{
    using S = TrainingController::State;
    current_ = state;
    const bool training = state == S::Running || state == S::Paused;
    start_->setEnabled(canStart_ && state != S::Stopping);
    pause_->setEnabled(training);
    pause_->setText(state == S::Paused ? tr("Resume") : tr("Pause"));
    pause_->setIcon(style()->standardIcon(state == S::Paused ? QStyle::SP_MediaPlay : QStyle::SP_MediaPause));
    step_->setEnabled(state == S::Paused);
    stop_->setEnabled(training || state == S::Building);
    reset_->setEnabled(canStart_ && state != S::Stopping && state != S::Building);
    switch (state) {
        case S::NoModel:
            break;
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
        case S::Ready:
            break;
    }
}

void TrainingBar::showProgress(const ProgressUpdate& u)
{
    progress_->setFormat(tr("step %v of %m"));
    progress_->setRange(0, std::max(1, u.totalSteps));
    progress_->setValue(u.step);
    const double left = u.stepsPerSecond > 0 ? (u.totalSteps - u.step) / u.stepsPerSecond : std::nan("");
    numbers_->setText(tr("loss %1  ·  %2 steps/s  ·  ETA %3  ·  lr %4")
                          .arg(u.loss, 0, 'g', 3)
                          .arg(u.stepsPerSecond, 0, 'f', u.stepsPerSecond < 10 ? 1 : 0)
                          .arg(formatDuration(left))
                          .arg(u.lr, 0, 'g', 3));
    if (!lrOverride_->isChecked()) {
        const QSignalBlocker block(lr_);
        lr_->setValue(u.lr);
    }
}

void TrainingBar::showSession(const SessionInfo& info)
{
    device_->setText(tr("Device: %1").arg(info.device));
    progress_->setFormat(tr("step %v of %m"));
    progress_->setRange(0, std::max(1, info.config.steps));
    progress_->setValue(info.stepsDone);
    numbers_->setText(QString::fromStdString(info.size.summary()));
    scheduledLr_ = info.config.lr;
    if (!lrOverride_->isChecked()) {
        const QSignalBlocker block(lr_);
        lr_->setValue(info.config.lr);
    }
    if (!info.warnings.isEmpty()) showMessage(info.warnings.join(QStringLiteral("; ")));
}

void TrainingBar::showFinished(const RunResult& r)
{
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
    state_->setText(tr("<b style='color:#c0392b'>Cannot train:</b> %1").arg(message.toHtmlEscaped()));
    state_->setToolTip(message);
}

void TrainingBar::showMessage(const QString& message) { state_->setText(message.toHtmlEscaped()); }

QString TrainingBar::statusText() const { return state_->text(); }

}  // namespace il::ui
