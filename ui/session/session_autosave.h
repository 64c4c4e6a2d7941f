#pragma once
// Autosave and restore of the user's Workspace (docs/gui.md, "Session and autosave").
//
// What: the workspace's experiment settings, the Draw tab's drawing, the drawings added to the
// probe set, every gallery run and the current run (config, loss, history frames, metrics,
// weights with the optimiser state), which runs are selected. The window that shows the
// workspace is reached only through SessionHost: the worker, opening a run with its weights,
// the File menu, the close.
// When: a change schedules a save 0.6 s later (at most 3 s after the first of a burst); a
// 2 s check catches what has no signal. A run is written when it appears or changes; the
// run that is training is written with fresh weights (a checkpoint the worker takes between two
// steps) every weightsIntervalMs(): 2 s plus 8 s per million parameters (about a minute for the
// paper's 20-layer CNN, whose checkpoint is 59 MB; at most 2 min), at least 20 times the last
// write's duration, and not while paused.
// Closing the window takes a last checkpoint of a training run (waiting at most 5 s).
// How: the GUI thread copies the run record and serialises the small manifest; the run file
// (the big part) is written by SessionWriter's thread; every file through QSaveFile.
// Restore happens once, in start(): silently, with a status-bar message saying what came back;
// a run that was training comes back interrupted, as at its last autosave, with those weights.
//
// Owned by main.cpp (or a test) and destroyed before the window and the workspace.

#include <QElapsedTimer>
#include <QJsonObject>
#include <QObject>
#include <QTimer>

#include <map>
#include <memory>
#include <mutex>

#include "ui/session/session_store.h"
#include "ui/training/training_types.h"

class QAction;
class QMainWindow;

namespace il::ui {

class SessionHost;
class TrainingController;
class Workspace;

class SessionAutosave : public QObject {
    Q_OBJECT
public:
    SessionAutosave(Workspace* workspace, SessionHost* host, const QString& dir = SessionStore::defaultDir());
    ~SessionAutosave() override;  // saves what changed and waits for the disk

    // Locks the folder, restores its session into the workspace, then saves as things change.
    // False when the session is not saved (another IdentityLab holds the folder, or it cannot
    // be created); restoreMessage() says why.
    bool start();
    bool isActive() const { return active_; }
    QString dir() const { return store_.dir(); }
    QString restoreMessage() const { return restoreMessage_; }
    QString lastError() const { return lastError_; }
    QAction* newSessionAction() const { return newSessionAction_; }

    // Queues whatever changed (without asking for new weights) and waits until it is on disk.
    void saveNow();
    void waitForWrites();

    // File > New session: clears the workspace (the gallery, the current run, the drawings;
    // the settings stay) and the session files (set-aside *.broken files stay). Asks first when there are runs, unless
    // `askFirst` is false or the platform is offscreen (nobody to answer).
    bool newSession(bool askFirst = true);

    // --session-report: once the restored run's weights are loaded (or after 60 s), writes
    // report() as JSON to `path` and quits the application (exit code 0, 1 if not written).
    void reportWhenSettled(const QString& path);
    // What the workspace holds now: config, drawing and probe digests, gallery and current run.
    QJsonObject report() const;

    // Milliseconds between two weight autosaves of a training run of this size.
    static int weightsIntervalMs(long long parameters);
    // SHA-1 of an 8-bit grey picture's pixels (rows without padding) / of an image's floats.
    static QString sheetDigest(const QImage& sheet);
    static QString imageDigest(const il::Image& image);

    struct Stats {
        int runWrites = 0;
        int manifestWrites = 0;
        qint64 lastRunBytes = 0;
        double lastRunWriteMs = 0.0;  // writer thread: the run file, weights included
        double lastCopyMs = 0.0;      // GUI thread: copying the run record for the writer
        double lastManifestMs = 0.0;  // GUI thread: building and serialising the manifest
        int checkpointsRequested = 0;
    };
    Stats stats() const;

Q_SIGNALS:
    void manifestWritten();  // a manifest reached the disk
    void saveFailed(const QString& message);
    void checkpointHandled();  // a weights autosave was queued (or given up)

protected:
    bool eventFilter(QObject* watched, QEvent* event) override;

private:
    struct Tracked {
        std::weak_ptr<RunRecord> run;
        QString key;
        QString print;             // runFingerprint when last queued
        bool queued = false;       // a file for it is written or on its way
        bool writing = false;      // a write is queued and not done yet
        bool training = false;     // the last write was of the training run (interrupted copy)
        bool interrupted = false;  // came back interrupted from the last session
        int step = 0;
    };

    void restore();
    void connectWorkspace();
    void addMenuAction();
    void scheduleSave();
    void saveLight();
    void poll();
    void armWeightsTimer();
    void autosaveTrainingRun();
    void onCheckpointSaved(quint64 id, const QString& path, const QString& error);
    void onSessionReady(const SessionInfo& info);
    void closing();
    void deactivate();

    RunPtr trainingRun() const;
    Tracked& track(const RunPtr& run);
    void pruneTracked();
    void queueRunWrite(const RunPtr& run, Tracked& t, const QString& checkpoint, bool asInterrupted);
    void queueManifest();
    SessionManifest buildManifest() const;
    QString lightFingerprint() const;
    static QString runFingerprint(const RunRecord& run);
    void writeDone(const QString& key, bool ok, const QString& error);
    void manifestDone(bool ok, const QString& error);
    void showProblem(const QString& message);

    QMainWindow* window() const;
    TrainingController* controller() const;
    void showStatus(const QString& message, int ms) const;

    Workspace* workspace_;
    SessionHost* host_;  // null once the window or the workspace is gone
    SessionStore store_;
    std::unique_ptr<SessionWriter> writer_;  // after store_: its jobs use the store
    bool active_ = false;
    bool inClose_ = false;
    bool closed_ = false;  // the window was closed: its worker is gone
    QString restoreMessage_;
    QString lastError_;
    QAction* newSessionAction_ = nullptr;

    QTimer debounce_;
    QTimer poll_;
    QTimer weights_;
    QElapsedTimer firstChange_;
    QString lightPrint_;

    std::map<const RunRecord*, Tracked> tracked_;
    int nextRun_ = 1;

    quint64 checkpointRequest_ = 0;
    std::weak_ptr<RunRecord> checkpointRun_;
    QElapsedTimer checkpointAge_;
    int checkpointSeq_ = 0;

    // The restored current run's load, for the report.
    enum class Load { None, Loading, Loaded, Failed };
    Load load_ = Load::None;
    quint64 loadId_ = 0;
    int loadedSteps_ = -1;
    bool evaluated_ = false;

    mutable std::mutex statsMutex_;
    Stats stats_;
};

}  // namespace il::ui
