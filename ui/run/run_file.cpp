#include "ui/run/run_file.h"

#include <QCoreApplication>
#include <QDataStream>
#include <QFile>
#include <QSaveFile>

#include "engine/config/config_json.h"
#include "engine/core/errors.h"
#include "engine/train/metrics_json.h"

namespace il::ui {

namespace {

constexpr quint32 kMagic = 0x494C5255;  // "ILRU"
constexpr quint32 kVersion = 1;

QString tr(const char* text)
{
    return QCoreApplication::translate("RunFile", text);
}

QDataStream& operator<<(QDataStream& s, const std::string& v)
{
    return s << QString::fromStdString(v);
}

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

QDataStream& operator>>(QDataStream& s, il::Image& im)
{
    qint32 c = 0, h = 0, w = 0;
    quint64 n = 0;
    s >> c >> h >> w >> n;
    if (n != quint64(c) * quint64(h) * quint64(w) || n > (quint64(1) << 28)) {
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

template <typename T, typename R>
void readVector(QDataStream& s, std::vector<T>& v, R read)
{
    quint64 n = 0;
    s >> n;
    if (n > 10'000'000) {
        s.setStatus(QDataStream::ReadCorruptData);
        return;
    }
    v.clear();
    v.reserve(n);
    for (quint64 i = 0; i < n && s.status() == QDataStream::Ok; ++i) {
        T x{};
        read(s, x);
        v.push_back(std::move(x));
    }
}

void writeProbe(QDataStream& s, const il::ProbeOutcome& p)
{
    s << p.name << qint32(p.group) << p.input << p.output << p.corrIdentity << p.corrConstant << p.mse;
}

void readProbe(QDataStream& s, il::ProbeOutcome& p)
{
    qint32 g = 0;
    s >> p.name >> g >> p.input >> p.output >> p.corrIdentity >> p.corrConstant >> p.mse;
    p.group = static_cast<il::ProbeGroup>(g);
}

void writeRho(QDataStream& s, const il::RhoPoint& r)
{
    s << r.rho << r.corrIdentity << r.corrConstant << r.corrIdentityStd << r.corrConstantStd << qint32(r.zone);
}

void readRho(QDataStream& s, il::RhoPoint& r)
{
    qint32 z = 0;
    s >> r.rho >> r.corrIdentity >> r.corrConstant >> r.corrIdentityStd >> r.corrConstantStd >> z;
    r.zone = static_cast<il::Zone>(z);
}

void writeLoss(QDataStream& s, const il::LossPoint& p)
{
    s << qint32(p.step) << p.loss << p.lr;
}

void readLoss(QDataStream& s, il::LossPoint& p)
{
    qint32 step = 0;
    s >> step >> p.loss >> p.lr;
    p.step = step;
}

void writeImage(QDataStream& s, const il::Image& im)
{
    s << im;
}

void readImage(QDataStream& s, il::Image& im)
{
    s >> im;
}

void writeString(QDataStream& s, const std::string& v)
{
    s << v;
}

void readString(QDataStream& s, std::string& v)
{
    s >> v;
}

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
    readVector(s, g.layers, readString);
    readVector(s, g.probes, readString);
    quint64 rows = 0;
    s >> rows;
    if (rows > 1000) {
        s.setStatus(QDataStream::ReadCorruptData);
        return;
    }
    g.maps.resize(rows);
    for (auto& row : g.maps) readVector(s, row, readImage);
    readVector(s, g.layerChannels, [](QDataStream& st, int& v) {
        qint32 x = 0;
        st >> x;
        v = x;
    });
    qint32 r = 0, c = 0;
    s >> r >> c;
    g.reduction = static_cast<il::ChannelReduction>(r);
    g.channel = c;
}

void writeStats(QDataStream& s, const il::LayerStatistics& l)
{
    s << l.layer << l.mean << l.stddev << l.min << l.max << l.fractionZero;
}

void readStats(QDataStream& s, il::LayerStatistics& l)
{
    s >> l.layer >> l.mean >> l.stddev >> l.min >> l.max >> l.fractionZero;
}

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
    readVector(s, f.probes, readProbe);
    readVector(s, f.theory, readImage);
    readVector(s, f.rho, readRho);
    readGrid(s, f.activations);
    readVector(s, f.layerStats, readStats);
}

void writeMetrics(QDataStream& s, const il::RunMetrics& m)
{
    s << qint64(m.parameters) << qint64(m.weightParameters) << qint64(m.biasParameters) << m.finalLoss
      << qint32(m.stepsDone) << qint32(m.stopReason) << m.stopDetail << m.seconds << m.stepsPerSecond << m.device
      << m.outputCollapsed;
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
    qint32 steps = 0, reason = 0, images = 0;
    s >> p >> w >> b >> m.finalLoss >> steps >> reason >> m.stopDetail >> m.seconds >> m.stepsPerSecond >> m.device >>
        m.outputCollapsed;
    m.parameters = p;
    m.weightParameters = w;
    m.biasParameters = b;
    m.stepsDone = steps;
    m.stopReason = static_cast<il::StopReason>(reason);
    readVector(s, m.probes, readProbe);
    readVector(s, m.groups, [](QDataStream& st, il::GroupSummary& g) {
        qint32 group = 0, count = 0;
        st >> group >> g.corrIdentity >> g.corrConstant >> count;
        g.group = static_cast<il::ProbeGroup>(group);
        g.count = count;
    });
    readVector(s, m.rhoSweep, readRho);
    readVector(s, m.layerClassifier.layers, readString);
    readVector(s, m.layerClassifier.error, [](QDataStream& st, double& v) { st >> v; });
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
    QDataStream s(&file);
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
    if (s.status() != QDataStream::Ok) return fail(tr("cannot write %1").arg(path));
    if (!file.commit()) return fail(tr("cannot write %1: %2").arg(path, file.errorString()));
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
    auto fail = [&](const QString& message) {
        if (error) *error = message;
        return false;
    };
    QFile file(path);
    if (!file.open(QIODevice::ReadOnly)) return fail(tr("cannot open %1: %2").arg(path, file.errorString()));
    QDataStream s(&file);
    s.setVersion(QDataStream::Qt_6_0);
    quint32 magic = 0, version = 0;
    s >> magic >> version;
    if (magic != kMagic) return fail(tr("%1 is not an IdentityLab run file").arg(path));
    if (version != kVersion)
        return fail(tr("%1 was written by another version of IdentityLab (run file format %2, this one reads %3)")
                        .arg(path)
                        .arg(version)
                        .arg(kVersion));
    QString configText, metricsText;
    s >> configText >> metricsText;
    RunRecord r;
    try {
        r.config = il::configFromJson(il::json::parse(configText.toStdString()));
    } catch (const il::Error& e) {
        return fail(tr("the config inside %1 is not valid: %2").arg(path, QString::fromStdString(e.what())));
    }
    qint64 w = 0, b = 0, bytes = 0;
    s >> r.device >> r.warnings >> r.finished >> r.theoryName >> w >> b >> bytes;
    r.size.weights = w;
    r.size.biases = b;
    r.size.trainingBytes = bytes;
    readVector(s, r.trainingImages, readImage);
    s >> r.customTraining;
    readVector(s, r.decaySteps, [](QDataStream& st, int& v) {
        qint32 x = 0;
        st >> x;
        v = x;
    });
    readVector(s, r.loss, readLoss);
    readVector(s, r.history, readFrame);
    readMetrics(s, r.metrics);
    QByteArray weights;
    s >> weights;
    if (s.status() != QDataStream::Ok) return fail(tr("%1 is damaged or truncated").arg(path));
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
