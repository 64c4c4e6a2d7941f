#include "engine/eval/rho_sweep.h"

#include <algorithm>
#include <cmath>

#include "engine/metrics/correlation.h"
#include "engine/metrics/rho_inputs.h"

namespace il::eval {

std::vector<RhoPoint> rhoSweep(const ModelUnderTest& model)
{
    const ExperimentConfig& config = model.config();
    const Image& reference = model.reference();
    const auto grid = rhoGrid(config.rhoPoints);
    const int samples = config.rhoSamples;
    std::vector<Image> inputs;
    for (std::size_t r = 0; r < grid.size(); ++r)
        for (int s = 0; s < samples; ++s)
            inputs.push_back(imageAtCorrelation(reference, grid[r], config.correlation,
                                                config.dataSeed * 7919ULL + r * 1000ULL + static_cast<unsigned>(s)));
    // One batched pass over the distinct inputs of the sweep: at rho = 1 every sample is the
    // training image itself (8 of the 88 inputs by default), so it goes through once.
    std::vector<Image> distinct;
    std::vector<std::size_t> slot(inputs.size());
    for (std::size_t k = 0; k < inputs.size(); ++k) {
        const std::size_t first = k - k % static_cast<std::size_t>(samples);  // same rho: the only place repeats occur
        std::size_t j = first;
        while (j < k && inputs[j].pixels != inputs[k].pixels) ++j;
        if (j < k) {
            slot[k] = slot[j];
        } else {
            slot[k] = distinct.size();
            distinct.push_back(inputs[k]);
        }
    }
    const auto unique = model.forward(distinct);
    std::vector<Image> outputs;
    for (std::size_t k = 0; k < inputs.size(); ++k) outputs.push_back(unique[slot[k]]);
    std::vector<RhoPoint> points;
    for (std::size_t r = 0; r < grid.size(); ++r) {
        RhoPoint p;
        p.rho = grid[r];
        double si = 0, si2 = 0, sc = 0, sc2 = 0;
        for (int s = 0; s < samples; ++s) {
            const std::size_t k = r * static_cast<std::size_t>(samples) + static_cast<std::size_t>(s);
            const double ci = correlation(config.correlation, outputs[k].pixels, inputs[k].pixels);
            const double cc = correlation(config.correlation, outputs[k].pixels, reference.pixels);
            si += ci;
            si2 += ci * ci;
            sc += cc;
            sc2 += cc * cc;
        }
        p.corrIdentity = si / samples;
        p.corrConstant = sc / samples;
        p.corrIdentityStd = std::sqrt(std::max(0.0, si2 / samples - p.corrIdentity * p.corrIdentity));
        p.corrConstantStd = std::sqrt(std::max(0.0, sc2 / samples - p.corrConstant * p.corrConstant));
        p.zone = classifyZone(p.corrIdentity, p.corrConstant);
        points.push_back(p);
    }
    return points;
}

}  // namespace il::eval
