#pragma once
// What the Experiment dock shows: your settings (what Train starts), editable, and the settings
// of the run on screen, read-only, whenever that run was trained with other ones.
//
// When the run on screen changes (a run opened from a file, a folder or the gallery, a run
// trained on a drawing, a sweep's run) and its settings differ from yours, the dock shows its
// settings, so the panel never describes another network than the one in the views. Yours stay
// as they were, a click away ("Edit my settings"); "Use these settings" copies the run's into
// yours to train a variant. A run started from your settings shows yours.
//
// It also says when your settings were replaced as a whole (a preset, a config file, "Use these
// settings"), with an Undo button (Workspace::undoConfigReplacement).

#include <QWidget>

#include "ui/run/run_record.h"

class QLabel;
class QPushButton;
class QStackedWidget;
class QFrame;

namespace il::ui {

class ExperimentPanel;
class Workspace;

class ExperimentDock : public QWidget {
    Q_OBJECT
public:
    explicit ExperimentDock(Workspace* workspace, QWidget* parent = nullptr);

    ExperimentPanel* settingsPanel() const { return own_; }  // yours, editable
    ExperimentPanel* runPanel() const { return shown_; }     // the run on screen's, read-only
    bool isShowingRun() const;
    void showRunSettings();
    void showOwnSettings();
    // Copies the run on screen's settings into yours (undoable) and shows yours. A drawing's
    // run keeps your data settings: its training image is not in a data set.
    void useRunSettings();
    // Your settings as the panel shows them go to the workspace (what Train starts), if they
    // can run; a value still being typed included. False when they cannot.
    bool commitSettings();

    QPushButton* useButton() const { return use_; }
    QPushButton* undoButton() const { return undo_; }

Q_SIGNALS:
    void message(const QString& text);  // for the status bar

private:
    void currentRunChanged(const RunPtr& run);
    void workspaceConfigChanged();
    bool runDiffers() const;
    void updateBars();

    Workspace* workspace_;
    RunPtr run_;
    ExperimentPanel* own_;
    ExperimentPanel* shown_;
    QStackedWidget* stack_;
    QWidget* ownPage_;
    QWidget* runPage_;
    QFrame* runBar_;
    QLabel* runText_;
    QPushButton* use_;
    QPushButton* toOwn_;
    QPushButton* toRun_;
    QFrame* undoBar_;
    QLabel* undoText_;
    QPushButton* undo_;
};

}  // namespace il::ui
