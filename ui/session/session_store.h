#pragma once
// The session on disk: what the user had open (the experiment panel's config, the drawing on
// the canvas, the drawings added to the probe set, the gallery of runs with their weights and
// histories, the current run) so that the next start, also after a crash or a SIGKILL, brings
// it back. docs/gui.md, "Session and autosave".
//
// Layout of the folder (SessionStore::defaultDir(), or $IDENTITYLAB_SESSION_DIR):
//   session.json         the manifest: versioned JSON, small (config, drawings, list of runs)
//   run-<n>.ilrun        one saved run per gallery run (the .ilrun format of File > Save run)
//   session.lock         QLockFile: one IdentityLab process per session folder
//   *.broken             files that could not be read, set aside instead of deleted
// Every file is written atomically (QSaveFile: a temporary file, then a rename), run files
// before the manifest that names them, so a kill at any moment leaves the previous complete
// manifest and complete run files.
//
// SessionStore does the file work and is used from the writer thread (SessionWriter) as well
// as from the GUI thread; it keeps no state but the folder and the lock.

#include <QByteArray>
#include <QDateTime>
#include <QImage>
#include <QString>
#include <QStringList>

#include <condition_variable>
#include <deque>
#include <functional>
#include <memory>
#include <mutex>
#include <optional>
#include <thread>
#include <vector>

#include "engine/config/experiment_config.h"
#include "engine/probes/probe.h"
#include "ui/run/run_record.h"

class QLockFile;

namespace il::ui {

inline constexpr int kSessionFormatVersion = 1;
inline constexpr const char* kSessionFormatName = "identitylab-session";
inline constexpr const char* kSessionDirVariable = "IDENTITYLAB_SESSION_DIR";

// One run as the manifest lists it.
struct SessionRunEntry {
    QString key;    // "run-7": its file is run-7.ilrun
    QString title;  // "CNN 5x128 k5 relu", for messages
    bool inGallery = false;
    bool current = false;      // the run the views showed
    bool selected = false;     // selected in the gallery (compared)
    bool training = false;     // was training when written: comes back as interrupted
    bool interrupted = false;  // came back from a session in which it was training
    int step = 0;              // steps done in the saved file
    QString sourceFile;        // the user's own .ilrun of it, or the run folder it was opened from
    QString label;             // its sweep task's label (RunRecord::label), if any
};

struct SessionManifest {
    int version = kSessionFormatVersion;
    QString appVersion;
    QDateTime saved;
    std::optional<il::ExperimentConfig> config;  // the experiment panel
    QString configProblem;                       // why a saved config was not usable
    QImage canvas;                               // the Draw tab's sheet; null when blank
    std::vector<il::Probe> probes;               // drawings added to the probe set
    std::vector<SessionRunEntry> runs;           // gallery order; the current run too
    int nextRun = 1;                             // next key number
};

// A run read back from the folder.
struct RestoredRun {
    SessionRunEntry entry;
    RunPtr run;
};

struct SessionLoad {
    bool found = false;           // a session was there (manifest or run files)
    bool manifestBroken = false;  // the manifest could not be used: set aside, fresh start
    SessionManifest manifest;
    std::vector<RestoredRun> runs;
    QStringList problems;  // one sentence per thing that did not come back
    QStringList setAside;  // files renamed to *.broken
};

class SessionStore {
public:
    // `dir` is created on lock() if needed.
    explicit SessionStore(QString dir);
    ~SessionStore();
    SessionStore(const SessionStore&) = delete;
    SessionStore& operator=(const SessionStore&) = delete;

    // $IDENTITYLAB_SESSION_DIR if set, else <AppDataLocation>/session.
    static QString defaultDir();

    QString dir() const { return dir_; }
    QString manifestPath() const;
    QString lockPath() const;
    QString runPath(const QString& key) const;

    // Takes the folder for this process (QLockFile, stale locks of dead processes are taken
    // over). False with a message when another IdentityLab holds it or it cannot be created.
    bool lock(QString* error);
    bool isLocked() const;
    void unlock();

    // Reads the manifest and every run it names. The weights of run n are written to
    // `weightsDir`/session-<n>-<tag>.pt. A broken manifest or run file is renamed *.broken
    // and reported in `problems`; the rest comes back. Run files the manifest does not name
    // are adopted when newer than it (written just before a kill), deleted when older (left
    // by a removal), and leftovers of interrupted atomic writes are deleted.
    SessionLoad load(const QString& weightsDir);

    // The manifest as JSON bytes (cheap: a few kB plus the canvas as PNG).
    static QByteArray manifestToJson(const SessionManifest& manifest);
    // False with a reason when the bytes are not a manifest this version reads.
    static bool manifestFromJson(const QByteArray& bytes, SessionManifest& manifest, QString* error);

    // Atomic writes (QSaveFile). False with `error` set on failure; the old file stays.
    bool writeManifest(const QByteArray& json, QString* error) const;
    bool writeRun(const RunRecord& run, const QString& checkpointPath, const QString& key, QString* error) const;
    // Deletes the run files whose keys are not in `keep` (runs removed from the session).
    void removeRunsExcept(const QStringList& keep) const;
    // New session: deletes the manifest and every run file (set-aside *.broken files stay).
    bool clear(QString* error) const;

    // Renames `path` to `path`.broken (or a dated variant if that exists); the new name.
    static QString setAside(const QString& path);

private:
    QString dir_;
    std::unique_ptr<QLockFile> lock_;
};

// One thread that runs the session's writes in the order they were queued, so a big run file
// never blocks the GUI thread and a manifest always follows the run files it names.
class SessionWriter {
public:
    SessionWriter();
    ~SessionWriter();  // finishes the queue
    SessionWriter(const SessionWriter&) = delete;
    SessionWriter& operator=(const SessionWriter&) = delete;

    void post(std::function<void()> job);
    void waitIdle();
    bool idle() const;
    int queued() const;

private:
    void loop();

    mutable std::mutex mutex_;
    std::condition_variable wake_;
    std::condition_variable done_;
    std::deque<std::function<void()>> jobs_;
    bool running_ = false;
    bool stop_ = false;
    std::thread thread_;
};

}  // namespace il::ui
