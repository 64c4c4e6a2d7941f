#pragma once
// The training commands as actions: Train (Ctrl+Return), Pause/Resume (Space), Step
// (Ctrl+Right, while paused), Stop (Esc) and Reset. The training bar's buttons and the Training
// menu show these same actions, so a command has one shortcut, one enabled state and one text.
//
// The shortcuts belong to the window and work wherever the focus is in it: a text field does
// not keep a key that an enabled training action uses. So Space pauses and resumes also from
// the Experiment panel's fields while a run trains, and types a space there while none does
// (the action is disabled then). A modal dialog keeps its keys.

#include <QObject>

#include "ui/training/training_controller.h"

class QAction;
class QWidget;

namespace il::ui {

class TrainingActions : public QObject {
    Q_OBJECT
public:
    // `window`: the top-level window whose keys the shortcuts take.
    explicit TrainingActions(QWidget* window);
    ~TrainingActions() override;

    QAction* train() const { return train_; }
    QAction* pauseResume() const { return pause_; }
    QAction* step() const { return step_; }
    QAction* stop() const { return stop_; }
    QAction* reset() const { return reset_; }
    QList<QAction*> all() const;

    void setState(TrainingController::State state);
    TrainingController::State state() const { return state_; }
    // Whether the settings can be trained; `reason` (why not) goes into Train's tooltip.
    void setCanStart(bool canStart, const QString& reason = {});
    // The step the worker reported last: after Resume, the first step beyond the paused one
    // shows that training really goes on (see the Pause/Resume action).
    void noteProgress(int step);
    bool isPauseWaiting() const { return pauseWaiting_; }

Q_SIGNALS:
    void startRequested();
    void pauseRequested();
    void resumeRequested();
    void stepRequested();
    void stopRequested();
    void resetRequested();

protected:
    bool eventFilter(QObject* watched, QEvent* event) override;

private:
    QWidget* window_;
    QAction* train_;
    QAction* pause_;
    QAction* step_;
    QAction* stop_;
    QAction* reset_;
    TrainingController::State state_ = TrainingController::State::NoModel;
    int lastStep_ = 0;
    bool resuming_ = false;  // resumed, and the worker has not reported a step since
    int resumedFrom_ = 0;
    bool pauseWaiting_ = false;  // Pause pressed while resuming: sent once a step is reported
    bool canStart_ = true;
    QString reason_;
};

}  // namespace il::ui
