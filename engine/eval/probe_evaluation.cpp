#include "engine/eval/probe_evaluation.h"

#include "engine/metrics/correlation.h"
#include "engine/probes/probe_set.h"

namespace il::eval {

std::vector<ProbeOutcome> evaluateProbes(const ModelUnderTest& model, const std::vector<Probe>& probes)
{
    std::vector<Image> inputs;
    for (const Probe& p : probes) inputs.push_back(model.conform(p.image));
    std::vector<Image> outputs(inputs.size());
    std::vector<bool> done(inputs.size(), false);
    for (std::size_t i = 0; i < inputs.size(); ++i) {
        if (done[i]) continue;
        std::vector<std::size_t> same;
        std::vector<Image> group;
        for (std::size_t j = i; j < inputs.size(); ++j)
            if (!done[j] && inputs[j].sameShape(inputs[i])) {
                same.push_back(j);
                group.push_back(inputs[j]);
                done[j] = true;
            }
        const auto out = model.forward(group);
        for (std::size_t k = 0; k < same.size(); ++k) outputs[same[k]] = out[k];
    }
    const CorrelationKind kind = model.config().correlation;
    std::vector<ProbeOutcome> result;
    for (std::size_t i = 0; i < probes.size(); ++i) {
        ProbeOutcome o;
        o.name = probes[i].name;
        o.group = probes[i].group;
        o.input = inputs[i];
        o.output = outputs[i];
        const Image ref = conformImage(model.reference(), o.input.channels, o.input.height);
        o.corrIdentity = correlation(kind, o.output.pixels, o.input.pixels);
        o.corrConstant = correlation(kind, o.output.pixels, ref.pixels);
        o.mse = meanSquaredError(o.output.pixels, o.input.pixels);
        result.push_back(std::move(o));
    }
    return result;
}

}  // namespace il::eval
