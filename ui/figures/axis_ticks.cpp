#include "ui/figures/axis_ticks.h"

#include <algorithm>
#include <cmath>

namespace il::ui {

Ticks niceTicks(double lo, double hi, int maxTicks)
{
    Ticks ticks;
    if (!std::isfinite(lo) || !std::isfinite(hi)) return ticks;
    if (hi < lo) std::swap(lo, hi);
    const double span = hi - lo;
    if (span <= 0.0) {
        ticks.values = {lo};
        return ticks;
    }
    maxTicks = std::max(2, maxTicks);
    const double rough = span / (maxTicks - 1);
    const double magnitude = std::pow(10.0, std::floor(std::log10(rough)));
    double step = magnitude;
    for (double m : {1.0, 2.0, 2.5, 5.0, 10.0}) {
        step = m * magnitude;
        if (step >= rough) break;
    }
    ticks.step = step;
    const double eps = step * 1e-9;
    for (double v = std::ceil((lo - eps) / step) * step; v <= hi + eps; v += step) ticks.values.push_back(std::abs(v) < eps ? 0.0 : v);
    if (ticks.values.size() < 2) {
        ticks.values = {lo, hi};
        ticks.step = span;
    }
    return ticks;
}

QString formatTick(double value, double step)
{
    int decimals = 0;
    if (step > 0.0 && step < 1.0) {
        decimals = static_cast<int>(std::ceil(-std::log10(step) - 1e-9));
        // 0.25 needs two decimals although log10 says one.
        while (decimals < 6 && std::abs(std::round(step * std::pow(10.0, decimals)) - step * std::pow(10.0, decimals)) > 1e-6) ++decimals;
    }
    if (std::abs(value) < 0.5 * std::pow(10.0, -decimals)) value = 0.0;
    return QString::number(value, 'f', decimals);
}

}  // namespace il::ui
