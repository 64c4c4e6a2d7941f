#include "engine/config/config_limits.h"

#include <cmath>
#include <sstream>

#include "engine/core/errors.h"

namespace il {

const std::vector<NumericLimit>& numericLimits()
{
    static const std::vector<NumericLimit> limits{
        {"depth", 1, 30, true, ""},
        {"width", 1, 16384, true, ""},
        {"channels", 1, 4096, true, ""},
        {"image_size", 7, 112, true, " pixels"},
        {"kernel_size", 1, 31, true, ""},
        {"init_scale", 0.0, 100.0, false, ""},
        {"lr", 1e-12, 100.0, false, ""},
        {"momentum", 0.0, 0.999999, false, ""},
        {"beta1", 0.0, 0.999999, false, ""},
        {"beta2", 0.0, 0.999999999, false, ""},
        {"weight_decay", 0.0, 10.0, false, ""},
        {"steps", 1, 10000000, true, ""},
        {"train_examples", 1, 1000000, true, ""},
        {"train_class", -1, 9, true, ""},
        {"batch_size", 0, 100000, true, ""},
        {"rho_points", 2, 101, true, ""},
        {"rho_samples", 1, 256, true, ""},
        {"snapshot_every", 0, 10000000, true, ""},
    };
    return limits;
}

const NumericLimit& limitOf(const std::string& key)
{
    for (const NumericLimit& l : numericLimits())
        if (key == l.key) return l;
    throw Error("no numeric limit for the config key \"" + key + "\"");
}

bool withinLimit(const NumericLimit& limit, double value) { return value >= limit.lo && value <= limit.hi; }

std::string numberText(double v)
{
    std::ostringstream s;
    if (std::isfinite(v) && v == std::trunc(v) && std::abs(v) < 1e15)
        s << static_cast<long long>(v);
    else
        s << v;
    return s.str();
}

std::string rangeText(const NumericLimit& limit) { return numberText(limit.lo) + " to " + numberText(limit.hi) + limit.unit; }

}  // namespace il
