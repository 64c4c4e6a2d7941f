#include "engine/probes/probe.h"

namespace il {

const char* toString(ProbeGroup g)
{
    switch (g) {
        case ProbeGroup::Train:
            return "train";
        case ProbeGroup::Blend:
            return "blend";
        case ProbeGroup::Mnist:
            return "mnist";
        case ProbeGroup::Fashion:
            return "fashion";
        case ProbeGroup::Pattern:
            return "pattern";
        case ProbeGroup::Noise:
            return "noise";
        case ProbeGroup::User:
            return "user";
    }
    return "?";
}

}  // namespace il
