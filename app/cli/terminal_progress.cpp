#include "terminal_progress.h"

#include <unistd.h>

#include <cstdio>

#include "interrupt.h"

namespace il::cli {

namespace {

std::string formatDuration(double seconds)
{
    if (!(seconds >= 0) || seconds > 1e7) return "--:--";
    const long s = static_cast<long>(seconds + 0.5);
    char buffer[32];
    if (s >= 3600)
        std::snprintf(buffer, sizeof buffer, "%ld:%02ld:%02ld", s / 3600, (s / 60) % 60, s % 60);
    else
        std::snprintf(buffer, sizeof buffer, "%02ld:%02ld", s / 60, s % 60);
    return buffer;
}

}  // namespace

TerminalProgress::TerminalProgress(std::string label, TrainingControl& control, bool quiet, bool lines)
    : label_(std::move(label)),
      control_(control),
      quiet_(quiet),
      terminal_(!lines && isatty(STDERR_FILENO) == 1),
      start_(std::chrono::steady_clock::now()),
      lastDraw_(start_)
{
}

void TerminalProgress::onStep(int step, int totalSteps, double loss, double lr)
{
    if (interruptRequested()) control_.requestStop();
    if (startStep_ < 0) {
        startStep_ = step - 1;
        start_ = std::chrono::steady_clock::now();
    }
    if (quiet_) return;
    const auto now = std::chrono::steady_clock::now();
    const double elapsed = std::chrono::duration<double>(now - start_).count();
    // The first step has no duration to divide by yet: no rate until a little time has passed.
    const double rate = elapsed > 0.05 ? (step - startStep_) / elapsed : 0.0;
    const double eta = rate > 0 ? (totalSteps - step) / rate : -1.0;
    const int decile = totalSteps > 0 ? step * 10 / totalSteps : 10;
    if (terminal_) {
        if (step != totalSteps && std::chrono::duration<double>(now - lastDraw_).count() < 0.1) return;
        lastDraw_ = now;
        const int width = 28;
        const int filled = totalSteps > 0 ? width * step / totalSteps : width;
        std::string bar(static_cast<std::size_t>(filled), '#');
        bar.resize(width, '.');
        std::fprintf(stderr, "\r%s [%s] %d/%d  loss %.3g  lr %.2g  %.1f steps/s  ETA %s   ", label_.c_str(), bar.c_str(), step, totalSteps,
                     loss, lr, rate, formatDuration(eta).c_str());
        drawn_ = true;
    } else if (decile != lastDecile_) {
        lastDecile_ = decile;
        std::fprintf(stderr, "%s: step %d/%d  loss %.3g  %.1f steps/s  ETA %s\n", label_.c_str(), step, totalSteps, loss, rate,
                     formatDuration(eta).c_str());
    }
}

void TerminalProgress::finish()
{
    if (drawn_) std::fprintf(stderr, "\n");
    drawn_ = false;
}

}  // namespace il::cli
