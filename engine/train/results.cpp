#include "engine/train/results.h"

namespace il {

const char* toString(StopReason r)
{
    switch (r) {
        case StopReason::Completed:
            return "completed";
        case StopReason::Diverged:
            return "diverged";
        case StopReason::Cancelled:
            return "cancelled";
    }
    return "?";
}

const char* toString(Zone z)
{
    switch (z) {
        case Zone::A:
            return "A";
        case Zone::B:
            return "B";
        case Zone::C:
            return "C";
        case Zone::D:
            return "D";
    }
    return "?";
}

Zone classifyZone(double corrIdentity, double corrConstant)
{
    const bool identityHigh = corrIdentity >= kZoneHighThreshold;
    const bool constantHigh = corrConstant >= kZoneHighThreshold;
    if (identityHigh && constantHigh) return Zone::A;
    if (identityHigh) return Zone::B;
    if (constantHigh) return Zone::D;
    return Zone::C;
}

}  // namespace il
