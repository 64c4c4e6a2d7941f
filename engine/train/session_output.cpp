#include "engine/train/session_output.h"

#include <algorithm>
#include <cmath>
#include <filesystem>

#include "engine/io/run_folder.h"
#include "engine/probes/probe_set.h"

namespace il {

ActivationGrid shownActivations(const TrainingSession& session, const RunMetrics& metrics)
{
    if (!std::isfinite(metrics.finalLoss)) return {};
    const auto& probes = session.probes();
    const std::vector<Probe> shown(probes.begin(), probes.begin() + static_cast<std::ptrdiff_t>(std::min<std::size_t>(9, probes.size())));
    return session.activations(shown, ChannelReduction::Mean);
}

Provenance runProvenance(const ExperimentConfig& config, const RunMetrics& metrics, const DataLocations& data,
                         std::optional<std::chrono::system_clock::time_point> started)
{
    Provenance p = describeBuildAndData(config, data);
    p.device = metrics.device;
    const auto ended = std::chrono::system_clock::now();
    const auto trainingTime = std::chrono::duration_cast<std::chrono::system_clock::duration>(
        std::chrono::duration<double>(std::isfinite(metrics.seconds) ? metrics.seconds : 0.0));
    p.started = isoUtc(started.value_or(ended - trainingTime));
    p.ended = isoUtc(ended);
    return p;
}

std::vector<std::string> writeSessionData(const std::string& folder, const TrainingSession& session, const RunMetrics& metrics,
                                          const SessionOutputOptions& options)
{
    ActivationGrid computed;
    if (!options.activations) computed = shownActivations(session, metrics);
    const Provenance provenance = runProvenance(session.config(), metrics, options.data, options.started);
    RunData data{session.config(), metrics, session.lossHistory(), options.activations ? options.activations : &computed, &provenance, {}};
    for (int size : options.evaluateSizes) {
        if (size == session.config().imageSize) continue;
        std::vector<Probe> resized = session.probes();
        for (Probe& p : resized) p.image = conformImage(p.image, p.image.channels, size);
        data.probesAtSizes.push_back({size, session.evaluateProbes(resized)});
    }
    std::vector<std::string> written = writeRunData(folder, data);
    if (options.checkpoint) {
        written.push_back((std::filesystem::path(folder) / "checkpoint.pt").string());
        session.saveCheckpoint(written.back());
    }
    return written;
}

}  // namespace il
