// The engine-only check, for a build against any LibTorch on a machine without Qt (a CUDA
// LibTorch on a GPU machine, say): the closed forms and the training contract on the device the
// engine picks (CUDA when present), compared with the CPU. Prints "N passed, M failed".

#include <cmath>
#include <cstdio>
#include <functional>
#include <string>
#include <vector>

#include "engine/core/compute_threads.h"
#include "engine/train/diagnostics.h"
#include "engine/train/training_session.h"

using namespace il;

namespace {

int passed = 0, failed = 0;

void check(const std::string& name, const std::function<bool(std::string&)>& body)
{
    std::string detail;
    bool ok = false;
    try {
        ok = body(detail);
    } catch (const std::exception& e) {
        detail = e.what();
    }
    std::printf("%s %s%s%s\n", ok ? "PASS" : "FAIL", name.c_str(), detail.empty() ? "" : ": ", detail.c_str());
    std::fflush(stdout);
    (ok ? passed : failed)++;
}

double maxAbsDiff(const Image& a, const Image& b)
{
    double m = 0.0;
    for (std::size_t i = 0; i < a.pixels.size(); ++i) m = std::max(m, double(std::abs(a.pixels[i] - b.pixels[i])));
    return m;
}

}  // namespace

int main()
{
    const DataLocations data = DataLocations::fromEnvironment();

    check("paper parameter counts", [](std::string& d) {
        ExperimentConfig c;
        c.bias = false;
        c.channels = 1024;
        const long long n = countNetworkParameters(c).weights;
        d = std::to_string(n);
        return n == 78694400LL;
    });

    check("Theorem 1 on the default device", [&](std::string& d) {
        ExperimentConfig c;
        c.architecture = Architecture::Fcn;
        c.depth = 1;
        c.activation = Activation::Linear;
        c.bias = false;
        c.lr = 1.0;
        c.schedule = Schedule::Constant;
        c.steps = 400;
        TrainingSession s(c, data);
        s.run();
        double worst = 0.0;
        for (const Probe& p : s.probes()) worst = std::max(worst, maxAbsDiff(s.predict({p.image}).front(), s.theorem1Prediction(p.image)));
        d = s.deviceDescription() + ", max diff " + std::to_string(worst);
        return worst < 1e-4;
    });

    check("CNN 5x128 learns the identity (300 steps)", [&](std::string& d) {
        ExperimentConfig c;
        c.steps = 300;
        TrainingSession s(c, data);
        const RunMetrics m = s.run();
        // Digits and clothes are the identity by step 300; the fine patterns (stripes, dots)
        // sharpen later in the 2000-step recipe, so they are not asked for here.
        double worst = 1.0;
        for (const GroupSummary& g : m.groups)
            if (g.group != ProbeGroup::Noise && g.group != ProbeGroup::Pattern) worst = std::min(worst, g.corrIdentity);
        d = s.deviceDescription() + ", " + std::to_string(m.stepsPerSecond) + " steps/s, lowest digit/clothes corr " +
            std::to_string(worst);
        return worst > 0.8;
    });

    check("device and CPU agree on a short run", [&](std::string& d) {
        ExperimentConfig c;
        c.depth = 3;
        c.channels = 16;
        c.steps = 50;
        TrainingSession device(c, data);
        c.device = DevicePreference::Cpu;
        TrainingSession cpu(c, data);
        const RunMetrics a = device.run(), b = cpu.run();
        d = device.deviceDescription() + " loss " + std::to_string(a.finalLoss) + " vs CPU " + std::to_string(b.finalLoss);
        return std::abs(a.finalLoss - b.finalLoss) <= 1e-3 * std::max(1e-6, std::abs(b.finalLoss)) + 1e-7;
    });

    check("diverging lr stops with diverged", [&](std::string& d) {
        ExperimentConfig c;
        c.depth = 3;
        c.channels = 8;
        c.lr = 50.0;
        c.schedule = Schedule::Constant;
        c.steps = 200;
        const RunMetrics m = TrainingSession(c, data).run();
        d = toString(m.stopReason);
        return m.stopReason == StopReason::Diverged;
    });

    std::printf("%d passed, %d failed\n", passed, failed);
    return failed == 0 ? 0 : 1;
}
