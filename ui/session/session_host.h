#pragma once
// What the session autosave needs of the window that shows the workspace, beyond the
// workspace itself: the few things only the window can do. MainWindow implements it; a test
// can implement it without a window's widgets.

#include "ui/run/run_record.h"

class QMainWindow;
class QMenu;

namespace il::ui {

class TrainingController;

class SessionHost {
public:
    virtual ~SessionHost() = default;

    // The window: its close is watched (a last checkpoint of a training run), its status bar
    // says what came back, and it parents the autosave's messages.
    virtual QMainWindow* hostWindow() = 0;
    // Where "New session" goes, first.
    virtual QMenu* sessionMenu() = 0;
    // The worker whose runs are saved: their weights, state and checkpoints.
    virtual TrainingController* controller() const = 0;
    // Makes `run` the current run with its weights loaded, as the gallery's Open does.
    virtual void openRun(const RunPtr& run) = 0;
    // True while a Save the user asked for waits for the worker's checkpoint, which a
    // checkpoint asked for by the autosave would replace.
    virtual bool isSavingRun() const = 0;
};

}  // namespace il::ui
