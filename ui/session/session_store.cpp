#include "ui/session/session_store.h"

#include <QBuffer>
#include <QCoreApplication>
#include <QDataStream>
#include <QDir>
#include <QFile>
#include <QFileInfo>
#include <QJsonArray>
#include <QJsonDocument>
#include <QJsonObject>
#include <QLockFile>
#include <QRegularExpression>
#include <QSaveFile>
#include <QStandardPaths>

#include <algorithm>

#include "engine/config/config_json.h"
#include "engine/core/errors.h"
#include "ui/run/run_file.h"

namespace il::ui {

namespace {

constexpr const char* kManifestName = "session.json";
constexpr const char* kLockName = "session.lock";
constexpr const char* kBrokenSuffix = ".broken";
constexpr qint64 kMaxManifestBytes = 64 * 1024 * 1024;
constexpr int kMaxImageSide = 4096;

QString tr(const char* text, const char* disambiguation = nullptr, int n = -1)
{
    return QCoreApplication::translate("SessionStore", text, disambiguation, n);
}

const QRegularExpression& runKeyPattern()
{
    static const QRegularExpression re(QStringLiteral("^run-([0-9]{1,9})$"));
    return re;
}

const QRegularExpression& runFilePattern()
{
    static const QRegularExpression re(QStringLiteral("^run-([0-9]{1,9})\\.ilrun$"));
    return re;
}

// What QSaveFile leaves behind when the process dies between writing and renaming.
bool isWriteLeftover(const QString& name)
{
    static const QRegularExpression re(QStringLiteral("^(session\\.json|run-[0-9]{1,9}\\.ilrun)\\.[A-Za-z0-9]{6}$"));
    return !name.endsWith(QLatin1String(kBrokenSuffix)) && re.match(name).hasMatch();
}

int keyNumber(const QString& key)
{
    const auto m = runKeyPattern().match(key);
    return m.hasMatch() ? m.captured(1).toInt() : 0;
}

QByteArray imageToBase64(const il::Image& image)
{
    QByteArray bytes;
    QDataStream s(&bytes, QIODevice::WriteOnly);
    s.setByteOrder(QDataStream::LittleEndian);
    s.setFloatingPointPrecision(QDataStream::SinglePrecision);
    for (float v : image.pixels) s << v;
    return bytes.toBase64();
}

bool imageFromJson(const QJsonObject& o, il::Image& image)
{
    const int c = o.value(QStringLiteral("channels")).toInt(-1);
    const int h = o.value(QStringLiteral("height")).toInt(-1);
    const int w = o.value(QStringLiteral("width")).toInt(-1);
    if (c < 1 || c > 4 || h < 1 || h > kMaxImageSide || w < 1 || w > kMaxImageSide) return false;
    const QByteArray bytes = QByteArray::fromBase64(o.value(QStringLiteral("pixels")).toString().toLatin1());
    const qsizetype n = qsizetype(c) * h * w;
    if (bytes.size() != n * 4) return false;
    image = il::Image(c, h, w);
    QDataStream s(bytes);
    s.setByteOrder(QDataStream::LittleEndian);
    s.setFloatingPointPrecision(QDataStream::SinglePrecision);
    for (auto& v : image.pixels) s >> v;
    return s.status() == QDataStream::Ok;
}

QJsonObject entryToJson(const SessionRunEntry& e)
{
    QJsonObject o;
    o[QStringLiteral("key")] = e.key;
    o[QStringLiteral("file")] = e.key + QStringLiteral(".ilrun");
    if (!e.title.isEmpty()) o[QStringLiteral("title")] = e.title;
    o[QStringLiteral("gallery")] = e.inGallery;
    o[QStringLiteral("current")] = e.current;
    o[QStringLiteral("selected")] = e.selected;
    o[QStringLiteral("training")] = e.training;
    o[QStringLiteral("interrupted")] = e.interrupted;
    o[QStringLiteral("step")] = e.step;
    if (!e.sourceFile.isEmpty()) o[QStringLiteral("sourceFile")] = e.sourceFile;
    if (!e.label.isEmpty()) o[QStringLiteral("label")] = e.label;
    return o;
}

}  // namespace

// --- SessionStore ----------------------------------------------------------------------------

SessionStore::SessionStore(QString dir) : dir_(QDir::cleanPath(std::move(dir))) {}

SessionStore::~SessionStore() = default;

QString SessionStore::defaultDir()
{
    const QString fromEnv = qEnvironmentVariable(kSessionDirVariable);
    if (!fromEnv.isEmpty()) return QDir(fromEnv).absolutePath();
    return QDir(QStandardPaths::writableLocation(QStandardPaths::AppDataLocation)).filePath(QStringLiteral("session"));
}

QString SessionStore::manifestPath() const { return QDir(dir_).filePath(QLatin1String(kManifestName)); }

QString SessionStore::lockPath() const { return QDir(dir_).filePath(QLatin1String(kLockName)); }

QString SessionStore::runPath(const QString& key) const { return QDir(dir_).filePath(key + QStringLiteral(".ilrun")); }

bool SessionStore::lock(QString* error)
{
    if (isLocked()) return true;
    if (!QDir().mkpath(dir_)) {
        if (error) *error = tr("cannot create the session folder %1").arg(dir_);
        return false;
    }
    auto file = std::make_unique<QLockFile>(lockPath());
    // Held for the whole life of the process: only a dead owner (PID check) makes it stale.
    file->setStaleLockTime(0);
    if (file->tryLock(200)) {
        lock_ = std::move(file);
        return true;
    }
    if (error) {
        if (file->error() == QLockFile::LockFailedError) {
            qint64 pid = 0;
            QString host, app;
            file->getLockInfo(&pid, &host, &app);
            *error = tr("another IdentityLab (process %1) is using the session in %2").arg(pid).arg(dir_);
        } else {
            *error = tr("cannot write in the session folder %1").arg(dir_);
        }
    }
    return false;
}

bool SessionStore::isLocked() const { return lock_ && lock_->isLocked(); }

void SessionStore::unlock()
{
    if (lock_) lock_->unlock();
    lock_.reset();
}

QString SessionStore::setAside(const QString& path)
{
    QString target = path + QLatin1String(kBrokenSuffix);
    if (QFileInfo::exists(target))
        target = path + QLatin1Char('.') + QDateTime::currentDateTime().toString(QStringLiteral("yyyyMMdd-hhmmss-zzz")) +
                 QLatin1String(kBrokenSuffix);
    return QFile::rename(path, target) ? target : QString();
}

QByteArray SessionStore::manifestToJson(const SessionManifest& m)
{
    QJsonObject root;
    root[QStringLiteral("format")] = QLatin1String(kSessionFormatName);
    root[QStringLiteral("version")] = m.version;
    root[QStringLiteral("app")] = m.appVersion;
    root[QStringLiteral("saved")] = (m.saved.isValid() ? m.saved : QDateTime::currentDateTime()).toString(Qt::ISODateWithMs);
    if (m.config) {
        const std::string text = il::configToJson(*m.config).dump(-1);
        root[QStringLiteral("config")] = QJsonDocument::fromJson(QByteArray::fromStdString(text)).object();
    }
    if (!m.canvas.isNull()) {
        QByteArray png;
        QBuffer buffer(&png);
        buffer.open(QIODevice::WriteOnly);
        m.canvas.save(&buffer, "PNG");
        root[QStringLiteral("canvas")] = QString::fromLatin1(png.toBase64());
    }
    QJsonArray probes;
    for (const auto& p : m.probes) {
        QJsonObject o;
        o[QStringLiteral("name")] = QString::fromStdString(p.name);
        o[QStringLiteral("group")] = static_cast<int>(p.group);
        o[QStringLiteral("channels")] = p.image.channels;
        o[QStringLiteral("height")] = p.image.height;
        o[QStringLiteral("width")] = p.image.width;
        o[QStringLiteral("pixels")] = QString::fromLatin1(imageToBase64(p.image));
        probes.append(o);
    }
    root[QStringLiteral("probes")] = probes;
    QJsonArray runs;
    for (const auto& e : m.runs) runs.append(entryToJson(e));
    root[QStringLiteral("runs")] = runs;
    root[QStringLiteral("nextRun")] = m.nextRun;
    return QJsonDocument(root).toJson(QJsonDocument::Indented);
}

bool SessionStore::manifestFromJson(const QByteArray& bytes, SessionManifest& out, QString* error)
{
    auto fail = [&](const QString& message) {
        if (error) *error = message;
        return false;
    };
    QJsonParseError parseError{};
    const QJsonDocument doc = QJsonDocument::fromJson(bytes, &parseError);
    if (doc.isNull()) return fail(tr("not valid JSON: %1 at byte %2").arg(parseError.errorString()).arg(parseError.offset));
    if (!doc.isObject()) return fail(tr("not a session manifest"));
    const QJsonObject root = doc.object();
    if (root.value(QStringLiteral("format")).toString() != QLatin1String(kSessionFormatName))
        return fail(tr("not a session manifest (no \"format\": \"%1\")").arg(QLatin1String(kSessionFormatName)));
    const int version = root.value(QStringLiteral("version")).toInt(0);
    if (version > kSessionFormatVersion)
        return fail(tr("written by a newer IdentityLab (session format %1; this one reads %2)").arg(version).arg(kSessionFormatVersion));
    if (version < 1) return fail(tr("the session format version is missing"));

    SessionManifest m;
    m.version = version;
    m.appVersion = root.value(QStringLiteral("app")).toString();
    m.saved = QDateTime::fromString(root.value(QStringLiteral("saved")).toString(), Qt::ISODateWithMs);
    const QJsonValue config = root.value(QStringLiteral("config"));
    if (config.isObject()) {
        try {
            const QByteArray text = QJsonDocument(config.toObject()).toJson(QJsonDocument::Compact);
            m.config = il::configFromJson(il::json::parse(text.toStdString()));
        } catch (const il::Error& e) {
            // Not a reason to drop the runs: the panel keeps its own settings.
            m.configProblem = QString::fromStdString(e.what());
        }
    } else if (!config.isUndefined() && !config.isNull()) {
        return fail(tr("\"config\" is not an object"));
    }
    const QJsonValue canvas = root.value(QStringLiteral("canvas"));
    if (canvas.isString()) {
        QImage image;
        if (!image.loadFromData(QByteArray::fromBase64(canvas.toString().toLatin1()), "PNG") || image.width() > kMaxImageSide ||
            image.height() > kMaxImageSide)
            return fail(tr("the drawing in it is not a PNG image"));
        m.canvas = image.convertToFormat(QImage::Format_Grayscale8);
    }
    const QJsonValue probes = root.value(QStringLiteral("probes"));
    if (!probes.isUndefined() && !probes.isArray()) return fail(tr("\"probes\" is not a list"));
    for (const QJsonValue& v : probes.toArray()) {
        const QJsonObject o = v.toObject();
        il::Probe p;
        p.name = o.value(QStringLiteral("name")).toString().toStdString();
        const int group = o.value(QStringLiteral("group")).toInt(static_cast<int>(il::ProbeGroup::User));
        if (group < 0 || group > static_cast<int>(il::ProbeGroup::User)) return fail(tr("a probe drawing has an unknown group"));
        p.group = static_cast<il::ProbeGroup>(group);
        if (!imageFromJson(o, p.image)) return fail(tr("the probe drawing '%1' is damaged").arg(QString::fromStdString(p.name)));
        m.probes.push_back(std::move(p));
    }
    const QJsonValue runs = root.value(QStringLiteral("runs"));
    if (!runs.isArray()) return fail(tr("\"runs\" is missing"));
    int maxKey = 0;
    for (const QJsonValue& v : runs.toArray()) {
        const QJsonObject o = v.toObject();
        SessionRunEntry e;
        e.key = o.value(QStringLiteral("key")).toString();
        e.title = o.value(QStringLiteral("title")).toString();
        if (!runKeyPattern().match(e.key).hasMatch()) return fail(tr("a run has a bad key '%1'").arg(e.key));
        for (const auto& other : m.runs)
            if (other.key == e.key) return fail(tr("the run %1 is listed twice").arg(e.key));
        e.inGallery = o.value(QStringLiteral("gallery")).toBool();
        e.current = o.value(QStringLiteral("current")).toBool();
        e.selected = o.value(QStringLiteral("selected")).toBool();
        e.training = o.value(QStringLiteral("training")).toBool();
        e.interrupted = o.value(QStringLiteral("interrupted")).toBool();
        e.step = o.value(QStringLiteral("step")).toInt();
        e.sourceFile = o.value(QStringLiteral("sourceFile")).toString();
        e.label = o.value(QStringLiteral("label")).toString();
        maxKey = std::max(maxKey, keyNumber(e.key));
        m.runs.push_back(std::move(e));
    }
    m.nextRun = std::max(root.value(QStringLiteral("nextRun")).toInt(1), maxKey + 1);
    out = std::move(m);
    return true;
}

bool SessionStore::writeManifest(const QByteArray& json, QString* error) const
{
    QSaveFile file(manifestPath());
    if (!file.open(QIODevice::WriteOnly)) {
        if (error) *error = tr("cannot write %1: %2").arg(manifestPath(), file.errorString());
        return false;
    }
    if (file.write(json) != json.size() || !file.commit()) {
        if (error) *error = tr("cannot write %1: %2").arg(manifestPath(), file.errorString());
        file.cancelWriting();
        return false;
    }
    return true;
}

bool SessionStore::writeRun(const RunRecord& run, const QString& checkpointPath, const QString& key, QString* error) const
{
    return saveRunFile(run, checkpointPath, runPath(key), error);
}

void SessionStore::removeRunsExcept(const QStringList& keep) const
{
    const QDir d(dir_);
    for (const QString& name : d.entryList(QDir::Files)) {
        const auto m = runFilePattern().match(name);
        if (m.hasMatch() && !keep.contains(QStringLiteral("run-") + m.captured(1))) QFile::remove(d.filePath(name));
    }
}

bool SessionStore::clear(QString* error) const
{
    const QDir d(dir_);
    QStringList failed;
    for (const QString& name : d.entryList(QDir::Files)) {
        if (name == QLatin1String(kManifestName) || runFilePattern().match(name).hasMatch() || isWriteLeftover(name)) {
            if (!QFile::remove(d.filePath(name))) failed << name;
        }
    }
    if (!failed.isEmpty() && error) *error = tr("cannot delete %1 in %2").arg(failed.join(QStringLiteral(", ")), dir_);
    return failed.isEmpty();
}

SessionLoad SessionStore::load(const QString& weightsDir)
{
    SessionLoad out;
    const QDir d(dir_);
    if (!d.exists()) return out;
    const QDir weights(weightsDir.isEmpty() ? QDir::tempPath() : weightsDir);

    // Leftovers of writes a kill interrupted: incomplete by definition.
    for (const QString& name : d.entryList(QDir::Files | QDir::Hidden))
        if (isWriteLeftover(name)) QFile::remove(d.filePath(name));

    auto setAsideFile = [&](const QString& path) {
        const QString moved = setAside(path);
        if (!moved.isEmpty()) out.setAside << moved;
        return moved.isEmpty() ? path : moved;
    };
    QStringList runFiles = d.entryList({QStringLiteral("run-*.ilrun")}, QDir::Files, QDir::Name);
    runFiles.erase(std::remove_if(runFiles.begin(), runFiles.end(), [](const QString& n) { return !runFilePattern().match(n).hasMatch(); }),
                   runFiles.end());

    const QFileInfo manifestInfo(manifestPath());
    QDateTime manifestTime;
    if (manifestInfo.exists()) {
        out.found = true;
        QString reason;
        QFile file(manifestPath());
        QByteArray bytes;
        if (!file.open(QIODevice::ReadOnly))
            reason = file.errorString();
        else if (file.size() > kMaxManifestBytes)
            reason = tr("it is %1 bytes long").arg(file.size());
        else
            bytes = file.readAll();
        file.close();
        if (reason.isEmpty() && !manifestFromJson(bytes, out.manifest, &reason)) out.manifest = SessionManifest{};
        if (!reason.isEmpty()) {
            // Start fresh, but keep everything: the manifest and the run files it named.
            out.manifestBroken = true;
            const QString kept = setAsideFile(manifestPath());
            out.problems << tr("The last session could not be read (%1); it was kept as %2.").arg(reason, QFileInfo(kept).fileName());
            for (const QString& name : runFiles) setAsideFile(d.filePath(name));
            if (!runFiles.isEmpty())
                out.problems << tr(
                    "Its %n run file(s) were kept beside it, renamed *.ilrun.broken (remove .broken to open one with File > Open).",
                    nullptr, static_cast<int>(runFiles.size()));
            return out;
        }
        manifestTime = manifestInfo.lastModified();
        if (!out.manifest.configProblem.isEmpty())
            out.problems << tr("The saved experiment settings were not used (%1).").arg(out.manifest.configProblem);
    }

    QStringList named;
    int maxKey = 0;
    auto loadOne = [&](const SessionRunEntry& entry) -> bool {
        const QString path = runPath(entry.key);
        auto run = std::make_shared<RunRecord>();
        QString error;
        const QString weightsFile = weights.filePath(QStringLiteral("session-%1.pt").arg(entry.key));
        if (!loadRunFile(path, weightsFile, *run, &error)) {
            const QString kept = setAsideFile(path);
            out.problems << tr("The run %1 of the last session could not be read (%2); it was kept as %3.")
                                .arg(entry.title.isEmpty() ? entry.key : entry.title, error, QFileInfo(kept).fileName());
            return false;
        }
        run->sourceFile = entry.sourceFile;
        run->label = entry.label;
        out.runs.push_back({entry, run});
        return true;
    };
    for (const SessionRunEntry& entry : out.manifest.runs) {
        named << entry.key;
        maxKey = std::max(maxKey, keyNumber(entry.key));
        if (!QFileInfo::exists(runPath(entry.key))) {
            out.problems << tr("The run %1 of the last session is missing (%2).")
                                .arg(entry.title.isEmpty() ? entry.key : entry.title, runPath(entry.key));
            continue;
        }
        loadOne(entry);
    }
    // Run files the manifest does not name.
    for (const QString& name : runFiles) {
        const QString key = name.chopped(6);  // ".ilrun"
        if (named.contains(key)) continue;
        out.found = true;
        maxKey = std::max(maxKey, keyNumber(key));
        const QString path = d.filePath(name);
        if (manifestTime.isValid() && QFileInfo(path).lastModified() < manifestTime) {
            QFile::remove(path);  // removed from the session, its deletion was interrupted
            continue;
        }
        // Written after the last manifest (killed in between): adopt it into the gallery.
        SessionRunEntry entry;
        entry.key = key;
        entry.inGallery = true;
        if (loadOne(entry)) {
            out.runs.back().entry.step = out.runs.back().run->metrics.stepsDone;
            out.manifest.runs.push_back(out.runs.back().entry);
        }
    }
    out.manifest.nextRun = std::max(out.manifest.nextRun, maxKey + 1);
    return out;
}

// --- SessionWriter ---------------------------------------------------------------------------

SessionWriter::SessionWriter() : thread_([this] { loop(); }) {}

SessionWriter::~SessionWriter()
{
    {
        std::lock_guard<std::mutex> lock(mutex_);
        stop_ = true;
    }
    wake_.notify_all();
    thread_.join();
}

void SessionWriter::post(std::function<void()> job)
{
    {
        std::lock_guard<std::mutex> lock(mutex_);
        jobs_.push_back(std::move(job));
    }
    wake_.notify_one();
}

void SessionWriter::waitIdle()
{
    std::unique_lock<std::mutex> lock(mutex_);
    done_.wait(lock, [this] { return jobs_.empty() && !running_; });
}

bool SessionWriter::idle() const
{
    std::lock_guard<std::mutex> lock(mutex_);
    return jobs_.empty() && !running_;
}

int SessionWriter::queued() const
{
    std::lock_guard<std::mutex> lock(mutex_);
    return static_cast<int>(jobs_.size()) + (running_ ? 1 : 0);
}

void SessionWriter::loop()
{
    for (;;) {
        std::function<void()> job;
        {
            std::unique_lock<std::mutex> lock(mutex_);
            wake_.wait(lock, [this] { return stop_ || !jobs_.empty(); });
            if (jobs_.empty()) return;  // stopping, queue finished
            job = std::move(jobs_.front());
            jobs_.pop_front();
            running_ = true;
        }
        try {
            job();
        } catch (...) {
            // A job reports its own failures; nothing may end the writer thread.
        }
        {
            std::lock_guard<std::mutex> lock(mutex_);
            running_ = false;
        }
        done_.notify_all();
    }
}

}  // namespace il::ui
