#pragma once
// A TrainingObserver for the terminal: a progress bar with step, loss, steps/s and ETA, redrawn
// at most ten times a second on a terminal, or one line per 10 % when stderr is a file or pipe.
// It also turns Ctrl-C into a clean stop (see interrupt.h).

#include <chrono>
#include <string>

#include "engine/train/training_session.h"

namespace il::cli {

class TerminalProgress : public TrainingObserver {
public:
    // lines: one line per 10 % even on a terminal (several runs print at once; bars would mix).
    TerminalProgress(std::string label, TrainingControl& control, bool quiet = false, bool lines = false);
    void onStep(int step, int totalSteps, double loss, double lr) override;
    bool wantsSnapshots() const override { return false; }  // a bar shows no probe outputs
    void finish();

private:
    std::string label_;
    TrainingControl& control_;
    bool quiet_;
    bool terminal_;
    int lastDecile_ = -1;
    std::chrono::steady_clock::time_point start_, lastDraw_;
    int startStep_ = -1;
    bool drawn_ = false;
};

}  // namespace il::cli
