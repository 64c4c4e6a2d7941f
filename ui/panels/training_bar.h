#pragma once
// Start, pause/resume, single step, stop, reset; the learning rate while running; a progress
// bar with step, loss, steps/s and ETA; the device and the run's state (a diverged run in red).

#include <QWidget>

#include "ui/training/training_controller.h"

class QDoubleSpinBox;
class QLabel;
class QProgressBar;
class QToolButton;
class QCheckBox;

namespace il::ui {

class TrainingBar : public QWidget {
    Q_OBJECT
public:
    explicit TrainingBar(QWidget* parent = nullptr);

    void setState(TrainingController::State state);
    void setCanStart(bool canStart, const QString& reason = {});
    void showProgress(const ProgressUpdate& update);
    void showSession(const SessionInfo& info);
    void showFinished(const RunResult& result);
    void showError(const QString& message);
    void showMessage(const QString& message);

    QToolButton* startButton() const { return start_; }
    QToolButton* pauseButton() const { return pause_; }
    QToolButton* stepButton() const { return step_; }
    QToolButton* stopButton() const { return stop_; }
    QToolButton* resetButton() const { return reset_; }
    QDoubleSpinBox* lrBox() const { return lr_; }
    QProgressBar* progressBar() const { return progress_; }
    QString statusText() const;

Q_SIGNALS:
    void startRequested();
    void pauseRequested();
    void resumeRequested();
    void stepRequested();
    void stopRequested();
    void resetRequested();
    void learningRateChanged(double lr);  // <= 0: back to the schedule

private:
    QToolButton* start_;
    QToolButton* pause_;
    QToolButton* step_;
    QToolButton* stop_;
    QToolButton* reset_;
    QCheckBox* lrOverride_;
    QDoubleSpinBox* lr_;
    QProgressBar* progress_;
    QLabel* numbers_;
    QLabel* state_;
    QLabel* device_;
    TrainingController::State current_ = TrainingController::State::NoModel;
    bool canStart_ = true;
    double scheduledLr_ = 0.0;
};

QString formatDuration(double seconds);

}  // namespace il::ui
