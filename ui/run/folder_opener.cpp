#include "ui/run/folder_opener.h"

#include <QDir>
#include <QFileInfo>

#include <utility>

#include "engine/io/run_folder_reader.h"
#include "engine/io/sweep_folder.h"
#include "ui/run/sweep_reader.h"
#include "ui/workspace/workspace.h"

namespace il::ui {

FolderOpener::FolderOpener(Workspace* workspace, QObject* parent) : QObject(parent), workspace_(workspace), reader_(new SweepReader(this))
{
    poll_.setInterval(5000);
    connect(&poll_, &QTimer::timeout, this, [this] {
        for (const auto& [folder, sweep] : sweeps_)
            if (sweep.watching) scan(folder, false);
    });
    settle_.setSingleShot(true);
    settle_.setInterval(250);
    connect(&settle_, &QTimer::timeout, this, &FolderOpener::scanChanged);
    arrival_.setSingleShot(true);
    arrival_.setInterval(100);
    connect(&arrival_, &QTimer::timeout, this, &FolderOpener::flush);
    connect(&watcher_, &QFileSystemWatcher::directoryChanged, this, [this](const QString& path) {
        changed_.insert(key(path));
        if (!settle_.isActive()) settle_.start();
    });

    connect(reader_, &SweepReader::listed, this, [this](const QString& folder, const QString& name, int total, bool totalKnown) {
        const auto it = sweeps_.find(folder);
        if (it == sweeps_.end()) return;
        Sweep& s = it->second;
        s.name = name;
        s.total = total;
        s.totalKnown = totalKnown;
        s.listed = true;
        s.error.clear();
        updateStatus(folder);
    });
    connect(reader_, &SweepReader::runRead, this, [this](const QString& folder, const RunPtr& run) {
        const auto it = sweeps_.find(folder);
        if (it == sweeps_.end()) return;
        it->second.arrived.push_back(run);
        if (!arrival_.isActive()) arrival_.start();
    });
    connect(reader_, &SweepReader::alreadyOpen, this, [this](const QString& folder, const QString& runFolder) {
        const auto it = sweeps_.find(folder);
        if (it == sweeps_.end()) return;
        it->second.in.insert(runFolder);
        if (const RunPtr run = openRun(runFolder)) it->second.reselect.push_back(run);
        if (!arrival_.isActive()) arrival_.start();
    });
    connect(reader_, &SweepReader::runFailed, this, [this](const QString& folder, const QString& runFolder, const QString& message) {
        const auto it = sweeps_.find(folder);
        if (it == sweeps_.end()) return;
        // The message names the file by its full path; inside the status, from the run folder on.
        QString shorter = message;
        if (shorter.startsWith(runFolder + QLatin1Char('/'))) shorter = shorter.mid(runFolder.size() + 1);
        it->second.failed[runFolder] = shorter;
        updateStatus(folder);
    });
    connect(reader_, &SweepReader::scanFailed, this, [this](const QString& folder, const QString& message) {
        const auto it = sweeps_.find(folder);
        if (it == sweeps_.end()) return;
        it->second.error = message;
        updateStatus(folder);
    });
    connect(reader_, &SweepReader::scanned, this, [this](const QString& folder) {
        if (sweeps_.count(folder)) flush();
    });
    // A new session empties the gallery: the sweeps that filled it are not followed any more.
    connect(workspace_, &Workspace::cleared, this, &FolderOpener::forgetAll);
}

// The reader first, so that no answer of its thread arrives while the members go.
FolderOpener::~FolderOpener() { delete reader_; }

bool FolderOpener::isRunFolder(const QString& path) { return il::isRunFolder(QDir::cleanPath(path).toStdString()); }

bool FolderOpener::isSweepFolder(const QString& path) { return il::isSweepFolder(QDir::cleanPath(path).toStdString()); }

QString FolderOpener::key(const QString& folder) { return QDir::cleanPath(QFileInfo(folder).absoluteFilePath()); }

RunPtr FolderOpener::openRun(const QString& folder) const
{
    const QString k = key(folder);
    for (const RunPtr& run : workspace_->runs())
        if (run->sourceFile == k) return run;
    const RunPtr current = workspace_->currentRun();
    return current && current->sourceFile == k ? current : nullptr;
}

QSet<QString> FolderOpener::openRunFolders() const
{
    QSet<QString> open;
    for (const RunPtr& run : workspace_->runs())
        if (!run->sourceFile.isEmpty()) open.insert(run->sourceFile);
    if (const RunPtr current = workspace_->currentRun(); current && !current->sourceFile.isEmpty()) open.insert(current->sourceFile);
    return open;
}

void FolderOpener::openSweep(const QString& folder)
{
    const QString k = key(folder);
    Sweep& s = sweeps_[k];
    s.select = true;
    s.listed = false;
    s.in.clear();  // counted again from what the fresh scan finds, open or read
    s.failed.clear();
    s.error.clear();
    if (!s.watching) {
        watcher_.addPath(k);
        s.watching = true;
    }
    if (!poll_.isActive()) poll_.start();
    scan(k, true);
    updateStatus(k);
}

bool FolderOpener::isWatching(const QString& folder) const
{
    const auto it = sweeps_.find(key(folder));
    return it != sweeps_.end() && it->second.watching;
}

void FolderOpener::scan(const QString& folder, bool fresh) { reader_->scan(folder, openRunFolders(), fresh); }

void FolderOpener::scanChanged()
{
    const QSet<QString> changed = std::exchange(changed_, {});
    for (const QString& folder : changed) {
        const auto it = sweeps_.find(folder);
        if (it != sweeps_.end() && it->second.watching) scan(folder, false);
    }
}

void FolderOpener::flush()
{
    arrival_.stop();
    std::vector<RunPtr> selection = workspace_->selectedRuns();
    std::vector<QString> updated;
    for (auto& [folder, s] : sweeps_) {
        if (s.arrived.empty() && s.reselect.empty()) continue;
        if (s.select) selection.clear();  // a sweep just opened: compare its runs
        s.select = false;
        for (const RunPtr& run : s.arrived) {
            s.in.insert(run->sourceFile);
            // Opened meanwhile (the same folder twice, or by hand): the run that is there stays.
            if (const RunPtr there = openRun(run->sourceFile)) {
                selection.push_back(there);
                continue;
            }
            workspace_->addRun(run);
            selection.push_back(run);
        }
        selection.insert(selection.end(), s.reselect.begin(), s.reselect.end());
        s.arrived.clear();
        s.reselect.clear();
        updated.push_back(folder);
    }
    if (updated.empty()) return;
    workspace_->setSelectedRuns(selection);
    for (const QString& folder : updated) updateStatus(folder);
}

void FolderOpener::updateStatus(const QString& folder)
{
    const auto it = sweeps_.find(folder);
    if (it == sweeps_.end()) return;
    const Sweep& s = it->second;
    const bool complete = s.listed && s.totalKnown && s.arrived.empty() && s.in.size() + s.failed.size() >= s.total;
    if (complete && s.watching) stopWatching(folder);
    emit statusChanged(statusText(folder), statusText(folder, false));
}

QString FolderOpener::statusText(const QString& folder, bool reasons) const
{
    const auto it = sweeps_.find(key(folder));
    if (it == sweeps_.end()) return {};
    const Sweep& s = it->second;
    const QString name = s.name.isEmpty() ? QFileInfo(it->first).fileName() : s.name;
    if (!s.error.isEmpty()) return tr("sweep %1: cannot read it: %2").arg(name, s.error);
    if (!s.listed) return tr("sweep %1: reading...").arg(name);
    const int in = static_cast<int>(s.in.size());
    QString text;
    if (!s.totalKnown)
        text = tr("sweep %1: %n run(s)", nullptr, in).arg(name) + (s.watching ? tr(", watching for more") : QString());
    else if (in == s.total)
        text = tr("sweep %1: all %2 runs in").arg(name).arg(s.total);
    else
        text = tr("sweep %1: %2 of %3 runs").arg(name).arg(in).arg(s.total);
    if (!s.failed.isEmpty()) {
        const auto first = s.failed.constBegin();
        text += reasons ? tr("; could not read %1 (%2)").arg(QFileInfo(first.key()).fileName(), first.value())
                        : tr("; could not read %1").arg(QFileInfo(first.key()).fileName());
        if (s.failed.size() > 1) text += tr(" and %n more", nullptr, static_cast<int>(s.failed.size()) - 1);
    }
    return text;
}

void FolderOpener::stopWatching(const QString& folder)
{
    const auto it = sweeps_.find(folder);
    if (it == sweeps_.end() || !it->second.watching) return;
    watcher_.removePath(folder);
    it->second.watching = false;
    bool any = false;
    for (const auto& entry : sweeps_) any = any || entry.second.watching;
    if (!any) poll_.stop();
}

void FolderOpener::forgetAll()
{
    for (const auto& entry : sweeps_)
        if (entry.second.watching) watcher_.removePath(entry.first);
    sweeps_.clear();
    changed_.clear();
    poll_.stop();
    settle_.stop();
    arrival_.stop();
}

}  // namespace il::ui
