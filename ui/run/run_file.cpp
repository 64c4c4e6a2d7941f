#include "ui/run/run_file.h"

#include <QCoreApplication>
#include <QDataStream>
#include <QFile>
#include <QSaveFile>

#include <algorithm>

#include "engine/config/config_json.h"
#include "engine/core/errors.h"
#include "engine/train/metrics_json.h"

namespace il::ui {

namespace {

constexpr quint32 kMagic = 0x494C5255;  // "ILRU"
// 2: the sweep label, the user's name and notes at the end (format 1 files, without them, are read too).
constexpr quint32 kVersion = 2;

QString tr(const char* text) { return QCoreApplication::translate("RunFile", text); }

QDataStream& operator<<(QDataStream& s, const std::string& v) { return s << QString::fromStdString(v); }

QDataStream& operator>>(QDataStream& s, std::string& v)
{
    QString q;
    s >> q;
    v = q.toStdString();
    return s;
}

QDataStream& operator<<(QDataStream& s, const il::Image& im)
{
    s << qint32(im.channels) << qint32(im.height) << qint32(im.width) << quint64(im.pixels.size());
    for (float v : im.pixels) s << v;
    return s;
}

// Bytes left to read, for bounding what a count read from the file may make us allocate: a
// damaged or hostile file must fail as "damaged", not exhaust memory (found by the fuzzer,
// tests/fuzz/fuzz_run_file.cpp).
qint64 bytesLeft(const QDataStream& s) { return s.device() ? std::max<qint64>(0, s.device()->bytesAvailable()) : 0; }

bool fitsInStream(const QDataStream& s, quint64 count, quint64 minBytesEach)
{
    return count <= quint64(bytesLeft(s)) / std::max<quint64>(1, minBytesEach);
}

constexpr qint32 kMaxImageSide = 1 << 14;
constexpr qint32 kMaxImageChannels = 4;

QDataStream& operator>>(QDataStream& s, il::Image& im)
{
    qint32 c = 0, h = 0, w = 0;
    quint64 n = 0;
    s >> c >> h >> w >> n;
    // Sides may be 0 (an empty image), never negative; every pixel is a 4-byte float.
    if (s.status() != QDataStream::Ok || c < 1 || c > kMaxImageChannels || h < 0 || h > kMaxImageSide || w < 0 || w > kMaxImageSide ||
        n != quint64(c) * quint64(h) * quint64(w) || !fitsInStream(s, n, sizeof(float))) {
        s.setStatus(QDataStream::ReadCorruptData);
        return s;
    }
    im.channels = c;
    im.height = h;
    im.width = w;
    im.pixels.resize(n);
    for (auto& v : im.pixels) s >> v;
    return s;
}

template <typename T, typename W>
void writeVector(QDataStream& s, const std::vector<T>& v, W write)
{
    s << quint64(v.size());
    for (const auto& x : v) write(s, x);
}

// `minBytesEach`: the fewest bytes one element occupies in the file, so that the count can be
// checked against what is left before anything is allocated.
template <typename T, typename R>
void readVector(QDataStream& s, std::vector<T>& v, R read, quint64 minBytesEach)
{
    quint64 n = 0;
    s >> n;
    if (s.status() != QDataStream::Ok || !fitsInStream(s, n, minBytesEach)) {
        s.setStatus(QDataStream::ReadCorruptData);
        return;
    }
    v.clear();
    v.reserve(static_cast<std::size_t>(std::min<quint64>(n, 4096)));
    for (quint64 i = 0; i < n && s.status() == QDataStream::Ok; ++i) {
        T x{};
        read(s, x);
        v.push_back(std::move(x));
    }
}

// Smallest encodings, in bytes (see the write functions): counts are checked against them.
constexpr quint64 kMinString = 4;         // a quint32 length
constexpr quint64 kMinImage = 3 * 4 + 8;  // c, h, w, count
constexpr quint64 kMinProbe = kMinString + 4 + 2 * kMinImage + 3 * 8;
constexpr quint64 kMinRho = 5 * 8 + 4;
constexpr quint64 kMinLoss = 4 + 2 * 8;
constexpr quint64 kMinStats = kMinString + 5 * 8;
constexpr quint64 kMinGroup = 4 + 2 * 8 + 4;
constexpr quint64 kMinGrid = 4 * 8 + 2 * 4;
constexpr quint64 kMinFrame = 4 + 4 + 8 + 3 * 8 + kMinGrid + 8;

// Reads an enum stored as qint32; a value outside 0..last marks the stream corrupt (views
// switch over these, and a gallery row indexes its colour by the probe group).
template <typename Enum>
Enum readEnum(QDataStream& s, Enum last)
{
    qint32 v = 0;
    s >> v;
    if (v < 0 || v > static_cast<qint32>(last)) {
        s.setStatus(QDataStream::ReadCorruptData);
        return Enum{};
    }
    return static_cast<Enum>(v);
}

void writeProbe(QDataStream& s, const il::ProbeOutcome& p)
{
    s << p.name << qint32(p.group) << p.input << p.output << p.corrIdentity << p.corrConstant << p.mse;
}

void readProbe(QDataStream& s, il::ProbeOutcome& p)
{
    s >> p.name;
    p.group = readEnum(s, il::ProbeGroup::User);
    s >> p.input >> p.output >> p.corrIdentity >> p.corrConstant >> p.mse;
}

void writeRho(QDataStream& s, const il::RhoPoint& r)
{
    s << r.rho << r.corrIdentity << r.corrConstant << r.corrIdentityStd << r.corrConstantStd << qint32(r.zone);
}

void readRho(QDataStream& s, il::RhoPoint& r)
{
    s >> r.rho >> r.corrIdentity >> r.corrConstant >> r.corrIdentityStd >> r.corrConstantStd;
    r.zone = readEnum(s, il::Zone::D);
}

void writeLoss(QDataStream& s, const il::LossPoint& p) { s << qint32(p.step) << p.loss << p.lr; }

void readLoss(QDataStream& s, il::LossPoint& p)
{
    qint32 step = 0;
    s >> step >> p.loss >> p.lr;
    p.step = step;
}

void writeImage(QDataStream& s, const il::Image& im) { s << im; }

void readImage(QDataStream& s, il::Image& im) { s >> im; }

void writeString(QDataStream& s, const std::string& v) { s << v; }

void readString(QDataStream& s, std::string& v) { s >> v; }

void writeGrid(QDataStream& s, const il::ActivationGrid& g)
{
    writeVector(s, g.layers, writeString);
    writeVector(s, g.probes, writeString);
    s << quint64(g.maps.size());
    for (const auto& row : g.maps) writeVector(s, row, writeImage);
    writeVector(s, g.layerChannels, [](QDataStream& st, int v) { st << qint32(v); });
    s << qint32(g.reduction) << qint32(g.channel);
}

void readGrid(QDataStream& s, il::ActivationGrid& g)
{
    readVector(s, g.layers, readString, kMinString);
    readVector(s, g.probes, readString, kMinString);
    readVector(
        s, g.maps, [](QDataStream& st, std::vector<il::Image>& row) { readVector(st, row, readImage, kMinImage); }, 8);
    readVector(
        s, g.layerChannels,
        [](QDataStream& st, int& v) {
            qint32 x = 0;
            st >> x;
            v = x;
        },
        4);
    g.reduction = readEnum(s, il::ChannelReduction::Single);
    qint32 c = 0;
    s >> c;
    g.channel = c;
    // The views index layers, maps and channel counts by the same row, and a row's maps by
    // the probe column (activations_view.cpp): a grid must be the rectangle the worker makes.
    bool rectangular = g.layers.size() == g.maps.size() && (g.layerChannels.empty() || g.layerChannels.size() == g.layers.size()) && c >= 0;
    for (const auto& row : g.maps) rectangular = rectangular && row.size() == g.probes.size();
    if (!rectangular) s.setStatus(QDataStream::ReadCorruptData);
}

void writeStats(QDataStream& s, const il::LayerStatistics& l) { s << l.layer << l.mean << l.stddev << l.min << l.max << l.fractionZero; }

void readStats(QDataStream& s, il::LayerStatistics& l) { s >> l.layer >> l.mean >> l.stddev >> l.min >> l.max >> l.fractionZero; }

void writeFrame(QDataStream& s, const TrainingFrame& f)
{
    s << qint32(f.step) << qint32(f.totalSteps) << f.loss;
    writeVector(s, f.probes, writeProbe);
    writeVector(s, f.theory, writeImage);
    writeVector(s, f.rho, writeRho);
    writeGrid(s, f.activations);
    writeVector(s, f.layerStats, writeStats);
}

void readFrame(QDataStream& s, TrainingFrame& f)
{
    qint32 step = 0, total = 0;
    s >> step >> total >> f.loss;
    f.step = step;
    f.totalSteps = total;
    readVector(s, f.probes, readProbe, kMinProbe);
    readVector(s, f.theory, readImage, kMinImage);
    readVector(s, f.rho, readRho, kMinRho);
    readGrid(s, f.activations);
    readVector(s, f.layerStats, readStats, kMinStats);
}

void writeMetrics(QDataStream& s, const il::RunMetrics& m)
{
    s << qint64(m.parameters) << qint64(m.weightParameters) << qint64(m.biasParameters) << m.finalLoss << qint32(m.stepsDone)
      << qint32(m.stopReason) << m.stopDetail << m.seconds << m.stepsPerSecond << m.device << m.outputCollapsed;
    writeVector(s, m.probes, writeProbe);
    writeVector(s, m.groups, [](QDataStream& st, const il::GroupSummary& g) {
        st << qint32(g.group) << g.corrIdentity << g.corrConstant << qint32(g.count);
    });
    writeVector(s, m.rhoSweep, writeRho);
    writeVector(s, m.layerClassifier.layers, writeString);
    writeVector(s, m.layerClassifier.error, [](QDataStream& st, double v) { st << v; });
    s << qint32(m.layerClassifier.images);
}

void readMetrics(QDataStream& s, il::RunMetrics& m)
{
    qint64 p = 0, w = 0, b = 0;
    qint32 steps = 0, images = 0;
    s >> p >> w >> b >> m.finalLoss >> steps;
    m.stopReason = readEnum(s, il::StopReason::Cancelled);
    s >> m.stopDetail >> m.seconds >> m.stepsPerSecond >> m.device >> m.outputCollapsed;
    m.parameters = p;
    m.weightParameters = w;
    m.biasParameters = b;
    m.stepsDone = steps;
    readVector(s, m.probes, readProbe, kMinProbe);
    readVector(
        s, m.groups,
        [](QDataStream& st, il::GroupSummary& g) {
            qint32 count = 0;
            g.group = readEnum(st, il::ProbeGroup::User);
            st >> g.corrIdentity >> g.corrConstant >> count;
            g.count = count;
        },
        kMinGroup);
    readVector(s, m.rhoSweep, readRho, kMinRho);
    readVector(s, m.layerClassifier.layers, readString, kMinString);
    readVector(
        s, m.layerClassifier.error, [](QDataStream& st, double& v) { st >> v; }, 8);
    s >> images;
    m.layerClassifier.images = images;
}

}  // namespace

bool saveRunFile(const RunRecord& run, const QString& checkpointPath, const QString& path, QString* error)
{
    auto fail = [&](const QString& message) {
        if (error) *error = message;
        return false;
    };
    QByteArray weights;
    if (!checkpointPath.isEmpty()) {
        QFile in(checkpointPath);
        if (!in.open(QIODevice::ReadOnly))
            return fail(tr("cannot read the weights of the run (%1): %2").arg(checkpointPath, in.errorString()));
        weights = in.readAll();
    }
    QSaveFile file(path);
    if (!file.open(QIODevice::WriteOnly)) return fail(tr("cannot write %1: %2").arg(path, file.errorString()));
    // Built in memory, then written in one go: QDataStream keeps writing after a failed write
    // and the file's error text is lost by the time the stream reports it ("Unknown error"
    // for a full disk); one write keeps the reason.
    QByteArray bytes;
    QDataStream s(&bytes, QIODevice::WriteOnly);
    s.setVersion(QDataStream::Qt_6_0);
    s << kMagic << kVersion;
    s << QString::fromStdString(il::configToJson(run.config).dump(2));
    s << QString::fromStdString(il::metricsToJson(run.metrics).dump(2));
    s << run.device << run.warnings << run.finished << run.theoryName;
    s << qint64(run.size.weights) << qint64(run.size.biases) << qint64(run.size.trainingBytes);
    writeVector(s, run.trainingImages, writeImage);
    s << run.customTraining;
    writeVector(s, run.decaySteps, [](QDataStream& st, int v) { st << qint32(v); });
    writeVector(s, run.loss, writeLoss);
    writeVector(s, run.history, writeFrame);
    writeMetrics(s, run.metrics);
    s << weights;
    s << run.label << run.name << run.notes;
    if (s.status() != QDataStream::Ok) return fail(tr("cannot write %1: the run is too large to save").arg(path));
    if (file.write(bytes) != bytes.size() || !file.commit()) {
        // Qt words a short write (a full disk, a file-size limit) as "Unknown error".
        const QString why = file.errorString() == QLatin1String("Unknown error") ? tr("the write failed") : file.errorString();
        return fail(tr("cannot write %1: %2 (is the disk full?)").arg(path, why));
    }
    return true;
}

bool isRunFile(const QString& path)
{
    QFile file(path);
    if (!file.open(QIODevice::ReadOnly)) return false;
    QDataStream s(&file);
    quint32 magic = 0;
    s >> magic;
    return magic == kMagic;
}

bool loadRunFile(const QString& path, const QString& checkpointOut, RunRecord& run, QString* error)
{
    QFile file(path);
    if (!file.open(QIODevice::ReadOnly)) {
        if (error) *error = tr("cannot open %1: %2").arg(path, file.errorString());
        return false;
    }
    return loadRunFromDevice(file, path, checkpointOut, run, error);
}

bool loadRunFromDevice(QIODevice& device, const QString& path, const QString& checkpointOut, RunRecord& run, QString* error)
{
    auto fail = [&](const QString& message) {
        if (error) *error = message;
        return false;
    };
    QDataStream s(&device);
    s.setVersion(QDataStream::Qt_6_0);
    quint32 magic = 0, version = 0;
    s >> magic >> version;
    if (s.status() != QDataStream::Ok || magic != kMagic) return fail(tr("%1 is not an IdentityLab run file").arg(path));
    if (version > kVersion)
        return fail(tr("%1 was written by a newer version of IdentityLab (run file format %2; this version reads format %3). "
                       "Open it with that version, or update IdentityLab.")
                        .arg(path)
                        .arg(version)
                        .arg(kVersion));
    if (version != kVersion && version != 1)
        return fail(tr("%1 uses run file format %2, which this version of IdentityLab cannot read (it reads formats 1 to %3)")
                        .arg(path)
                        .arg(version)
                        .arg(kVersion));
    QString configText, metricsText;
    s >> configText >> metricsText;
    if (s.status() != QDataStream::Ok) return fail(tr("%1 is damaged or truncated").arg(path));
    RunRecord r;
    try {
        r.config = il::configFromJson(il::json::parse(configText.toStdString()));
    } catch (const il::Error& e) {
        return fail(tr("the config inside %1 is not valid: %2").arg(path, QString::fromStdString(e.what())));
    }
    qint64 w = 0, b = 0, bytes = 0;
    s >> r.device;
    // Written with QStringList's operator<< (a quint32 count, then the strings), but read one
    // by one: its operator>> reserves the stored count first, and a damaged count would ask
    // for gigabytes.
    quint32 warnings = 0;
    s >> warnings;
    if (!fitsInStream(s, warnings, kMinString)) s.setStatus(QDataStream::ReadCorruptData);
    for (quint32 i = 0; i < warnings && s.status() == QDataStream::Ok; ++i) {
        QString warning;
        s >> warning;
        r.warnings << warning;
    }
    s >> r.finished >> r.theoryName >> w >> b >> bytes;
    r.size.weights = w;
    r.size.biases = b;
    r.size.trainingBytes = bytes;
    readVector(s, r.trainingImages, readImage, kMinImage);
    s >> r.customTraining;
    readVector(
        s, r.decaySteps,
        [](QDataStream& st, int& v) {
            qint32 x = 0;
            st >> x;
            v = x;
        },
        4);
    readVector(s, r.loss, readLoss, kMinLoss);
    readVector(s, r.history, readFrame, kMinFrame);
    readMetrics(s, r.metrics);
    QByteArray weights;
    s >> weights;
    if (version >= 2) s >> r.label >> r.name >> r.notes;
    // The history slider and RunRecord::frameAt rely on frames in ascending step order.
    for (std::size_t i = 1; i < r.history.size(); ++i)
        if (r.history[i].step <= r.history[i - 1].step) s.setStatus(QDataStream::ReadCorruptData);
    if (s.status() != QDataStream::Ok || !s.atEnd()) return fail(tr("%1 is damaged or truncated").arg(path));
    if (!weights.isEmpty()) {
        QFile out(checkpointOut);
        if (!out.open(QIODevice::WriteOnly) || out.write(weights) != weights.size())
            return fail(tr("cannot write %1: %2").arg(checkpointOut, out.errorString()));
        r.checkpointPath = checkpointOut;
    }
    r.sourceFile = path;
    r.id = run.id;
    run = std::move(r);
    return true;
}

}  // namespace il::ui
