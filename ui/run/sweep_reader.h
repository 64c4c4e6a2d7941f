#pragma once
// Reads the finished runs of sweep folders on a thread of its own, so that opening a sweep of a
// thousand runs (each a few .npy files to decode) never holds up the window. Each answer is a
// signal on the GUI thread, one run at a time as soon as it is read, in task order.
//
// The reader remembers, per sweep folder, which task folders it has handed out, so that a scan
// after a change in the folder reads only the tasks finished since. Plain file work on the
// thread (engine/io/sweep_folder.h, ui/run/run_folder_record.h): no tensors, no widgets.

#include <QObject>
#include <QSet>
#include <QString>

#include <condition_variable>
#include <deque>
#include <map>
#include <memory>
#include <mutex>
#include <thread>

#include "ui/run/run_record.h"

namespace il::ui {

class SweepReader : public QObject {
    Q_OBJECT
public:
    explicit SweepReader(QObject* parent = nullptr);
    ~SweepReader() override;  // drops the scans not started and waits for the folder being read

    // Lists `folder` and reads every finished task not handed out before; a task whose run
    // folder (absolute, clean path) is in `open` is reported as alreadyOpen instead of read.
    // `fresh` forgets what was handed out for this folder and reads its plan again (File > Open).
    // A scan of a folder that is still queued absorbs a new one.
    void scan(const QString& folder, const QSet<QString>& open, bool fresh);

Q_SIGNALS:
    // The folder was listed: its name and how many tasks it holds (totalKnown: once complete;
    // else only the run folders found so far). Sent at the start of every scan.
    void listed(const QString& folder, const QString& name, int total, bool totalKnown);
    void runRead(const QString& folder, const il::ui::RunPtr& run);  // run->label is the task's label
    void alreadyOpen(const QString& folder, const QString& runFolder);
    void runFailed(const QString& folder, const QString& runFolder, const QString& message);
    // The sweep folder itself could not be read: gone, or a damaged plan.json.
    void scanFailed(const QString& folder, const QString& message);
    void scanned(const QString& folder);  // after the last run of a scan

private:
    struct Job {
        QString folder;
        QSet<QString> open;
        bool fresh = false;
    };
    struct FolderState;

    void loop();
    void run(const Job& job);
    bool stopping() const;
    // Emits from the GUI thread: the events die with this object, which joins the thread first.
    template <typename F>
    void post(F emitter);

    mutable std::mutex mutex_;
    std::condition_variable wake_;
    std::deque<Job> jobs_;
    bool stop_ = false;
    std::map<QString, std::shared_ptr<FolderState>> states_;  // the thread's own
    std::thread thread_;
};

}  // namespace il::ui
