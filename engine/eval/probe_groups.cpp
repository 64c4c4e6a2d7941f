#include "engine/eval/probe_groups.h"

#include <algorithm>

namespace il::eval {

std::vector<GroupSummary> summarizeGroups(const std::vector<ProbeOutcome>& outcomes)
{
    std::vector<GroupSummary> groups;
    for (const ProbeOutcome& p : outcomes) {
        auto it = std::find_if(groups.begin(), groups.end(), [&](const GroupSummary& g) { return g.group == p.group; });
        if (it == groups.end()) {
            groups.push_back({p.group, 0.0, 0.0, 0});
            it = groups.end() - 1;
        }
        it->corrIdentity += p.corrIdentity;
        it->corrConstant += p.corrConstant;
        ++it->count;
    }
    for (GroupSummary& g : groups) {
        g.corrIdentity /= g.count;
        g.corrConstant /= g.count;
    }
    return groups;
}

}  // namespace il::eval
