#pragma once
// The training commands as buttons (the window's TrainingActions); the learning rate in use,
// which can be overridden while training; a progress bar with step, loss, steps/s and ETA; the
// device and the run's state (a diverged run in red, settings that cannot run with the reason).

#include <QWidget>

#include "engine/config/experiment_config.h"
#include "ui/training/training_controller.h"

class QCheckBox;
class QLabel;
class QProgressBar;
class QToolButton;

namespace il::ui {

class NumberField;
class TrainingActions;

class TrainingBar : public QWidget {
    Q_OBJECT
public:
    explicit TrainingBar(TrainingActions* actions, QWidget* parent = nullptr);

    void setState(TrainingController::State state);
    void setCanStart(bool canStart, const QString& reason = {});
    void showProgress(const ProgressUpdate& update);
    void showSession(const SessionInfo& info);
    void showFinished(const RunResult& result);
    void showError(const QString& message);
    void showMessage(const QString& message);

    TrainingActions* actions() const { return actions_; }
    QToolButton* startButton() const { return start_; }
    QToolButton* pauseButton() const { return pause_; }
    QToolButton* stepButton() const { return step_; }
    QToolButton* stopButton() const { return stop_; }
    QToolButton* resetButton() const { return reset_; }
    QCheckBox* lrOverrideBox() const { return lrOverride_; }
    NumberField* lrField() const { return lr_; }
    QProgressBar* progressBar() const { return progress_; }
    QString statusText() const;

Q_SIGNALS:
    // The base rate the schedule's decay applies to from the next step on; <= 0: the config's.
    void learningRateChanged(double lr);

private:
    void showRateInUse(double lr);
    void applyOverride();
    double scheduleFactor() const;  // of the next step

    TrainingActions* actions_;
    QToolButton* start_;
    QToolButton* pause_;
    QToolButton* step_;
    QToolButton* stop_;
    QToolButton* reset_;
    QCheckBox* lrOverride_;
    NumberField* lr_;
    QProgressBar* progress_;
    QLabel* numbers_;
    QLabel* state_;
    QLabel* device_;
    TrainingController::State current_ = TrainingController::State::NoModel;
    bool canStart_ = true;
    QString cannotStart_;
    bool showingCannotStart_ = false;  // the state line says why Train is refused
    // The run's schedule, to turn the rate typed (in use from the next step) into the base rate
    // the engine's override is.
    il::Schedule schedule_ = il::Schedule::Constant;
    int stepsDone_ = 0;
    int totalSteps_ = 1;
    bool typing_ = false;  // the user is typing a rate: the reports do not overwrite it
};

QString formatDuration(double seconds);

}  // namespace il::ui
