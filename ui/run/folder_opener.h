#pragma once
// Run and sweep folders opened in the app (File > Open folder, the recent files, a folder named
// on the command line). A run folder is read at once: its arrays are small. A sweep folder's
// finished tasks are read on the SweepReader's thread and join the workspace's gallery as they
// come, labelled by their task label and selected for comparison; the folder is then watched, so
// that tasks finishing on a cluster appear while the user looks (QFileSystemWatcher, and a slow
// poll besides, since a watcher misses renames made by another machine on a network file
// system). The watch ends when every task of the plan is in.
//
// A damaged run folder is named in the sweep's status and left out; the rest still load.
// Runs already open (their folder is a gallery run's sourceFile) are not read twice.

#include <QFileSystemWatcher>
#include <QMap>
#include <QObject>
#include <QSet>
#include <QString>
#include <QTimer>

#include <map>
#include <vector>

#include "ui/run/run_record.h"

namespace il::ui {

class SweepReader;
class Workspace;

class FolderOpener : public QObject {
    Q_OBJECT
public:
    explicit FolderOpener(Workspace* workspace, QObject* parent = nullptr);
    ~FolderOpener() override;

    static bool isRunFolder(const QString& path);
    static bool isSweepFolder(const QString& path);

    // The gallery run read from this run folder, if it is open already.
    RunPtr openRun(const QString& folder) const;
    // Reads the finished tasks in the background and watches the folder for more. Opening a
    // watched folder again reads what it missed (a damaged task folder that was rewritten) and
    // selects its runs again.
    void openSweep(const QString& folder);

    bool isWatching(const QString& folder) const;
    // "sweep NAME: k of n runs"; the first damaged run folder is named, and with `reasons`, what
    // is wrong with it.
    QString statusText(const QString& folder, bool reasons = true) const;
    // The poll besides the watcher (5 s): a test makes it short or long.
    void setPollInterval(int ms) { poll_.setInterval(ms); }

Q_SIGNALS:
    // The status of the sweep that changed last: "sweep NAME: k of n runs", "sweep NAME: all n
    // runs in", with the damaged run folders named; `brief` leaves out why they are damaged.
    void statusChanged(const QString& text, const QString& brief);

private:
    struct Sweep {
        QString name;
        int total = 0;
        bool totalKnown = false;
        bool listed = false;
        bool watching = false;
        bool select = true;             // the first runs replace the selection; later ones join it
        QSet<QString> in;               // its run folders in the gallery
        QMap<QString, QString> failed;  // run folder -> why it could not be read
        QString error;                  // the sweep folder itself could not be read
        std::vector<RunPtr> arrived;    // read, not yet in the workspace
        std::vector<RunPtr> reselect;   // open already, to select with the arrivals
    };

    static QString key(const QString& folder);  // absolute and clean
    QSet<QString> openRunFolders() const;
    void scan(const QString& folder, bool fresh);
    void scanChanged();  // the folders the watcher reported
    void flush();        // the arrived runs into the workspace, one selection change for all
    void updateStatus(const QString& folder);
    void stopWatching(const QString& folder);
    void forgetAll();

    Workspace* workspace_;
    SweepReader* reader_;
    QFileSystemWatcher watcher_;
    QTimer poll_;     // every watched sweep, in case the watcher missed a change
    QTimer settle_;   // a burst of watcher events becomes one scan
    QTimer arrival_;  // arrivals within it join the workspace together
    QSet<QString> changed_;
    std::map<QString, Sweep> sweeps_;
};

}  // namespace il::ui
