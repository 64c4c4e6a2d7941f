#include "ui/run/sweep_reader.h"

#include <QDir>
#include <QMetaObject>

#include <algorithm>
#include <exception>
#include <set>
#include <string>

#include "engine/io/sweep_folder.h"
#include "ui/run/run_folder_record.h"

namespace il::ui {

struct SweepReader::FolderState {
    il::SweepFolder sweep;
    bool listed = false;
    std::set<std::string> handedOut;  // task folders read, failed or found open already
};

SweepReader::SweepReader(QObject* parent) : QObject(parent), thread_([this] { loop(); }) {}

SweepReader::~SweepReader()
{
    {
        std::lock_guard<std::mutex> lock(mutex_);
        stop_ = true;
        jobs_.clear();
    }
    wake_.notify_all();
    thread_.join();
}

void SweepReader::scan(const QString& folder, const QSet<QString>& open, bool fresh)
{
    {
        std::lock_guard<std::mutex> lock(mutex_);
        const auto queued = std::find_if(jobs_.begin(), jobs_.end(), [&](const Job& j) { return j.folder == folder; });
        if (queued != jobs_.end()) {
            queued->open.unite(open);
            queued->fresh = queued->fresh || fresh;
        } else {
            jobs_.push_back({folder, open, fresh});
        }
    }
    wake_.notify_one();
}

bool SweepReader::stopping() const
{
    std::lock_guard<std::mutex> lock(mutex_);
    return stop_;
}

template <typename F>
void SweepReader::post(F emitter)
{
    QMetaObject::invokeMethod(this, std::move(emitter), Qt::QueuedConnection);
}

void SweepReader::loop()
{
    for (;;) {
        Job job;
        {
            std::unique_lock<std::mutex> lock(mutex_);
            wake_.wait(lock, [this] { return stop_ || !jobs_.empty(); });
            if (stop_) return;
            job = std::move(jobs_.front());
            jobs_.pop_front();
        }
        run(job);
    }
}

void SweepReader::run(const Job& job)
{
    const QString folder = job.folder;
    std::shared_ptr<FolderState>& state = states_[folder];
    if (!state || job.fresh) state = std::make_shared<FolderState>();
    try {
        if (!state->listed) {
            state->sweep = il::readSweepFolder(folder.toStdString());
            state->listed = true;
        } else {
            il::refreshSweepFolder(state->sweep);
        }
    } catch (const std::exception& e) {
        const QString message = QString::fromStdString(e.what());
        post([this, folder, message] { emit scanFailed(folder, message); });
        return;
    }
    const il::SweepFolder& sweep = state->sweep;
    const QString name = QString::fromStdString(sweep.name);
    const int total = static_cast<int>(sweep.tasks.size());
    const bool totalKnown = sweep.layout != il::SweepLayout::Subfolders;
    post([this, folder, name, total, totalKnown] { emit listed(folder, name, total, totalKnown); });

    const QDir dir(folder);
    for (const il::SweepFolderTask& task : sweep.tasks) {
        if (!task.finished || state->handedOut.count(task.folder)) continue;
        if (stopping()) return;
        state->handedOut.insert(task.folder);
        const QString runFolder = QDir::cleanPath(dir.absoluteFilePath(QString::fromStdString(task.folder)));
        if (job.open.contains(runFolder)) {
            post([this, folder, runFolder] { emit alreadyOpen(folder, runFolder); });
            continue;
        }
        QString error;
        const RunPtr run = readRunFolderRecord(runFolder, &error);
        if (!run) {
            post([this, folder, runFolder, error] { emit runFailed(folder, runFolder, error); });
            continue;
        }
        run->label = QString::fromStdString(task.label);
        post([this, folder, run] { emit runRead(folder, run); });
    }
    post([this, folder] { emit scanned(folder); });
}

}  // namespace il::ui
