#include "ui/panels/training_actions.h"

#include <QAction>
#include <QApplication>
#include <QKeyEvent>
#include <QStyle>
#include <QWidget>

namespace il::ui {

namespace {

QAction* action(QWidget* window, const QString& name, const QString& text, QStyle::StandardPixmap icon, const QKeySequence& key)
{
    auto* a = new QAction(window->style()->standardIcon(icon), text, window);
    a->setObjectName(name);
    a->setShortcut(key);
    a->setShortcutContext(Qt::WindowShortcut);
    window->addAction(a);  // the window's own: the shortcut works whatever it shows
    return a;
}

}  // namespace

TrainingActions::TrainingActions(QWidget* window) : QObject(window), window_(window)
{
    train_ = action(window, QStringLiteral("trainAction"), tr("&Train"), QStyle::SP_MediaPlay, QKeySequence(Qt::CTRL | Qt::Key_Return));
    pause_ = action(window, QStringLiteral("pauseAction"), tr("&Pause"), QStyle::SP_MediaPause, QKeySequence(Qt::Key_Space));
    step_ = action(window, QStringLiteral("stepAction"), tr("&Step"), QStyle::SP_MediaSkipForward, QKeySequence(Qt::CTRL | Qt::Key_Right));
    stop_ = action(window, QStringLiteral("stopAction"), tr("St&op"), QStyle::SP_MediaStop, QKeySequence(Qt::Key_Escape));
    reset_ = action(window, QStringLiteral("resetAction"), tr("&Reset"), QStyle::SP_BrowserReload, QKeySequence());
    pause_->setToolTip(tr("Pause after the current step; the views show the model as it is (Space). Press again to resume."));
    step_->setToolTip(tr("While paused: one more optimisation step (Ctrl+Right)."));
    stop_->setToolTip(tr("Stop after the current step; the run is kept with what it learned (Esc)."));
    reset_->setToolTip(tr("Back to the untrained network (step 0) of the current config: see what the initial map does."));
    for (QAction* a : all()) a->setStatusTip(a->toolTip());

    connect(train_, &QAction::triggered, this, &TrainingActions::startRequested);
    // One action for both: what it does follows the state, not the text it last showed.
    connect(pause_, &QAction::triggered, this, [this] {
        if (state_ == TrainingController::State::Paused) {
            resuming_ = true;
            resumedFrom_ = lastStep_;
            pauseWaiting_ = false;
            emit resumeRequested();
        } else if (resuming_) {
            // The controller says "running" as soon as Resume is asked for, but the worker
            // leaves its pause only when its thread runs again. A pause asked for before that
            // would keep it paused for good while everything says it trains, and the next
            // press would only ask for a pause again. So it waits for the first step.
            pauseWaiting_ = !pauseWaiting_;
        } else {
            emit pauseRequested();
        }
    });
    connect(step_, &QAction::triggered, this, &TrainingActions::stepRequested);
    connect(stop_, &QAction::triggered, this, &TrainingActions::stopRequested);
    connect(reset_, &QAction::triggered, this, &TrainingActions::resetRequested);
    qApp->installEventFilter(this);
    setCanStart(true);
    setState(TrainingController::State::NoModel);
}

TrainingActions::~TrainingActions() { qApp->removeEventFilter(this); }

QList<QAction*> TrainingActions::all() const { return {train_, pause_, step_, stop_, reset_}; }

void TrainingActions::setCanStart(bool canStart, const QString& reason)
{
    canStart_ = canStart;
    reason_ = reason;
    train_->setToolTip(canStart ? tr("Build the network of the experiment panel and train it on the training image (Ctrl+Return).")
                                : tr("Cannot train: %1").arg(reason));
    train_->setStatusTip(train_->toolTip());
    setState(state_);
}

void TrainingActions::noteProgress(int step)
{
    lastStep_ = step;
    if (!resuming_ || step <= resumedFrom_) return;
    resuming_ = false;
    if (pauseWaiting_) {
        pauseWaiting_ = false;
        emit pauseRequested();
    }
}

void TrainingActions::setState(TrainingController::State state)
{
    using S = TrainingController::State;
    state_ = state;
    if (state != S::Running) resuming_ = pauseWaiting_ = false;
    const bool training = state == S::Running || state == S::Paused;
    train_->setEnabled(canStart_ && state != S::Stopping);
    pause_->setEnabled(training);
    pause_->setText(state == S::Paused ? tr("&Resume") : tr("&Pause"));
    pause_->setIcon(window_->style()->standardIcon(state == S::Paused ? QStyle::SP_MediaPlay : QStyle::SP_MediaPause));
    step_->setEnabled(state == S::Paused);
    stop_->setEnabled(training || state == S::Building);
    reset_->setEnabled(canStart_ && state != S::Stopping && state != S::Building);
}

bool TrainingActions::eventFilter(QObject* watched, QEvent* event)
{
    // A text field claims the keys it can type or edit with (Space, Ctrl+Right) before any
    // shortcut sees them. Here it does not get to claim the key of an enabled training action,
    // so the action's shortcut fires instead. Only in this window: a dialog keeps its keys.
    if (event->type() != QEvent::ShortcutOverride) return false;
    auto* widget = qobject_cast<QWidget*>(watched);
    if (!widget || widget->window() != window_) return false;
    const auto* key = static_cast<QKeyEvent*>(event);
    const QKeySequence pressed(key->keyCombination());
    for (QAction* a : all()) {
        if (a->isEnabled() && !a->shortcut().isEmpty() && a->shortcut().matches(pressed) == QKeySequence::ExactMatch) {
            event->ignore();
            return true;
        }
    }
    return false;
}

}  // namespace il::ui
