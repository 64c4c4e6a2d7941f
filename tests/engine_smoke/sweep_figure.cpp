// sweep_figure: draws engine_sweep's runs as the probe grid that `identitylab-cli reproduce`
// writes (rows = runs, columns = probes, correlations under each cell), so that the figures of a
// GPU machine, where only the engine builds, look like the CPU's. The outputs come from the
// runs' PGM strips, which are 8-bit and clipped to [0, 1]; the captions from results.jsonl.
//
//   sweep_figure OUT.png DIR[:FIRST-LAST]...
//
// Each DIR contributes its runs FIRST to LAST (0-based, as numbered in the strips' file names;
// all by default). A grid run's label "architecture=cnn depth=20 init=orthogonal" is shortened to
// "cnn 20 orthogonal".

#include <QDir>
#include <QFile>
#include <QGuiApplication>
#include <QJsonArray>
#include <QJsonDocument>
#include <QJsonObject>
#include <QRegularExpression>

#include <algorithm>
#include <cstdio>
#include <limits>
#include <stdexcept>

#include "engine/core/image.h"
#include "ui/figures/probe_grid.h"

namespace {

struct Strip {
    int width = 0, height = 0;
    QByteArray pixels;
};

Strip readPgm(const QString& path)
{
    QFile file(path);
    if (!file.open(QIODevice::ReadOnly)) throw std::runtime_error("cannot open " + path.toStdString());
    const QByteArray data = file.readAll();
    // "P5\nW H\n255\n" then W*H bytes, as engine_sweep writes it.
    const QList<QByteArray> header = data.left(64).split('\n');
    if (header.size() < 4 || header[0] != "P5") throw std::runtime_error(path.toStdString() + " is not a binary PGM");
    const QList<QByteArray> size = header[1].split(' ');
    Strip strip;
    strip.width = size.value(0).toInt();
    strip.height = size.value(1).toInt();
    const qsizetype offset = header[0].size() + header[1].size() + header[2].size() + 3;
    strip.pixels = data.mid(offset);
    if (strip.width <= 0 || strip.height <= 0 || strip.pixels.size() < qsizetype(strip.width) * strip.height)
        throw std::runtime_error(path.toStdString() + " is truncated");
    return strip;
}

QString shortLabel(QString label) { return label.remove(QRegularExpression(QStringLiteral("\\b[a-z_]+="))).trimmed(); }

// Run `index` of one engine_sweep folder: its captions from the JSON line, its images from the strip
// "<index>_<label>.pgm" (inputs in the top row, outputs below, one pixel between cells).
il::ui::ProbeGridRow loadRow(const QDir& dir, const QJsonObject& line, int index)
{
    const QStringList strips = dir.entryList({QString::number(index) + QStringLiteral("_*.pgm")}, QDir::Files);
    if (strips.isEmpty()) throw std::runtime_error("no strip for run " + std::to_string(index) + " in " + dir.path().toStdString());
    const Strip strip = readPgm(dir.filePath(strips.front()));
    const QJsonArray probes = line.value(QStringLiteral("metrics")).toObject().value(QStringLiteral("probes")).toArray();
    if (probes.isEmpty()) throw std::runtime_error("run " + std::to_string(index) + " has no probes");
    const int cell = (strip.width + 1) / int(probes.size()) - 1;
    if (cell <= 0 || strip.height < 2 * cell + 1) throw std::runtime_error("strip does not match the run's probes");

    il::ui::ProbeGridRow row;
    row.label = shortLabel(line.value(QStringLiteral("label")).toString());
    auto pixel = [&](int x, int y) { return float(static_cast<unsigned char>(strip.pixels[qsizetype(y) * strip.width + x])) / 255.0f; };
    for (int i = 0; i < int(probes.size()); ++i) {
        const QJsonObject probe = probes[i].toObject();
        il::ProbeOutcome outcome;
        outcome.name = probe.value(QStringLiteral("name")).toString().toStdString();
        // A diverged run's correlations are null in the JSON: "n/a" in the caption, not ".00".
        outcome.corrIdentity = probe.value(QStringLiteral("corr_identity")).toDouble(std::numeric_limits<double>::quiet_NaN());
        outcome.corrConstant = probe.value(QStringLiteral("corr_constant")).toDouble(std::numeric_limits<double>::quiet_NaN());
        outcome.input = il::Image(1, cell, cell);
        outcome.output = il::Image(1, cell, cell);
        for (int y = 0; y < cell; ++y)
            for (int x = 0; x < cell; ++x) {
                outcome.input.at(0, y, x) = pixel(i * (cell + 1) + x, y);
                outcome.output.at(0, y, x) = pixel(i * (cell + 1) + x, cell + 1 + y);
            }
        row.outcomes.push_back(std::move(outcome));
    }
    return row;
}

void appendRuns(il::ui::ProbeGridData& grid, const QString& spec)
{
    const QRegularExpressionMatch range = QRegularExpression(QStringLiteral("^(.*):(\\d+)-(\\d+)$")).match(spec);
    const QDir dir(range.hasMatch() ? range.captured(1) : spec);
    QFile results(dir.filePath(QStringLiteral("results.jsonl")));
    if (!results.open(QIODevice::ReadOnly)) throw std::runtime_error("no results.jsonl in " + dir.path().toStdString());
    const QList<QByteArray> lines = results.readAll().trimmed().split('\n');
    const int first = range.hasMatch() ? range.captured(2).toInt() : 0;
    const int last = range.hasMatch() ? std::min(range.captured(3).toInt(), int(lines.size()) - 1) : int(lines.size()) - 1;
    for (int i = first; i <= last; ++i) grid.rows.push_back(loadRow(dir, QJsonDocument::fromJson(lines[i]).object(), i));
}

}  // namespace

int main(int argc, char** argv)
{
    QGuiApplication app(argc, argv);
    const QStringList args = app.arguments();
    if (args.size() < 3) {
        std::fprintf(stderr, "usage: sweep_figure OUT.png DIR[:FIRST-LAST]...\n");
        return 2;
    }
    try {
        il::ui::ProbeGridData grid;
        for (qsizetype i = 2; i < args.size(); ++i) appendRuns(grid, args[i]);
        il::ui::ProbeGridOptions options;
        options.style.scale = 2;
        options.showCaptions = true;
        options.showColumnTitles = true;
        if (!il::ui::renderProbeGrid(grid, options).save(args[1])) throw std::runtime_error("cannot write " + args[1].toStdString());
        return 0;
    } catch (const std::exception& e) {
        std::fprintf(stderr, "sweep_figure: %s\n", e.what());
        return 1;
    }
}
