#include "engine/train/schedule.h"

namespace il {

std::vector<int> decaySteps(Schedule schedule, int totalSteps)
{
    if (schedule == Schedule::Constant) return {};
    return {totalSteps * 3 / 10, totalSteps * 6 / 10, totalSteps * 8 / 10};
}

double scheduledLearningRate(Schedule schedule, double baseLr, int step, int totalSteps)
{
    double lr = baseLr;
    for (int milestone : decaySteps(schedule, totalSteps))
        if (step >= milestone) lr *= 0.2;
    return lr;
}

}  // namespace il
