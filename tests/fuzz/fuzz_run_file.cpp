// libFuzzer target: the saved-run loader (ui/run/run_file.h), which reads .ilrun files from
// "Open", the recent-files menu and autosave. After a successful load it walks the record the
// way the views do, and checks the shapes the views rely on.
//   fuzz_run_file tests/fuzz/corpus/run_file -max_total_time=600

#include <QBuffer>
#include <QByteArray>

#include <cstddef>
#include <cstdint>

#include "engine/config/config_json.h"
#include "engine/train/metrics_json.h"
#include "fuzz_common.h"
#include "ui/run/run_file.h"

using il::fuzz::require;

namespace {

void checkImage(const il::Image& image)
{
    require(image.channels >= 1 && image.height >= 0 && image.width >= 0, "negative image shape");
    require(image.pixels.size() == std::size_t(image.channels) * std::size_t(image.height) * std::size_t(image.width),
            "pixel count does not match the shape");
}

void checkProbes(const std::vector<il::ProbeOutcome>& probes)
{
    for (const auto& p : probes) {
        checkImage(p.input);
        checkImage(p.output);
        require(il::toString(p.group)[0] != '?', "probe group out of range");
    }
}

}  // namespace

extern "C" int LLVMFuzzerTestOneInput(const std::uint8_t* data, std::size_t size)
{
    QByteArray bytes = QByteArray::fromRawData(reinterpret_cast<const char*>(data), static_cast<qsizetype>(size));
    QBuffer buffer(&bytes);
    buffer.open(QIODevice::ReadOnly);
    il::ui::RunRecord run;
    QString error;
    // Extracted weights go nowhere: the checkpoint's contents are LibTorch's to check.
    if (!il::ui::loadRunFromDevice(buffer, QStringLiteral("fuzz.ilrun"), QStringLiteral("/dev/null"), run, &error)) {
        require(!error.isEmpty(), "failed without a message");
        require(error.contains(QStringLiteral("fuzz.ilrun")), "message does not name the file");
        return 0;
    }

    // Loaded: everything a view or the gallery does with a run must work on it.
    for (const auto& image : run.trainingImages) checkImage(image);
    checkImage(run.customTraining);
    checkProbes(run.metrics.probes);
    for (std::size_t i = 0; i < run.history.size(); ++i) {
        const auto& frame = run.history[i];
        if (i > 0) require(frame.step > run.history[i - 1].step, "frames out of order");
        checkProbes(frame.probes);
        for (const auto& image : frame.theory) checkImage(image);
        const auto& grid = frame.activations;
        require(grid.maps.size() == grid.layers.size(), "activation rows and layer names differ");
        for (const auto& row : grid.maps) {
            require(row.size() == grid.probes.size(), "activation row and probe columns differ");
            for (const auto& map : row) checkImage(map);
        }
        for (const auto& rho : frame.rho) require(il::toString(rho.zone)[0] != '?', "zone out of range");
    }
    require(il::toString(run.metrics.stopReason)[0] != '?', "stop reason out of range");
    (void)run.title();
    (void)run.shortTitle();
    (void)run.statusText();
    (void)run.frameAt(-1);
    (void)run.frameAt(run.history.empty() ? 0 : run.history.back().step / 2);
    (void)run.rhoAt(-1);
    (void)run.activationFrameAt(-1);
    (void)il::metricsToJson(run.metrics).dump(2);
    (void)il::configToJson(run.config).dump(2);
    run.thinActivations();
    return 0;
}
