#pragma once
// How long runs take on this machine: the CLI's sweep and reproduce commands and the app's
// Sweep dialog estimate with these. estimatedSecondsPerStep() (engine/train/model_size.h)
// assumes a machine like the development one; short trainings here (under a second together)
// scale it to this one: AVX-512 or AVX2, a quiet or a busy CPU make a factor of 4 or more.

#include <string>
#include <vector>

#include "engine/config/experiment_config.h"
#include "engine/data/dataset.h"
#include "engine/sweep/plan_tasks.h"

namespace il {

// One factor per kind of step, because they are bound by different things: convolutions by
// arithmetic, the fused one-example FCN step by memory traffic, a minibatch FCN step
// (fcn-many-examples) by BLAS matrix products. Calibrating the last with the fused step made
// fcn-many-examples' estimate 66 s for a preset that takes several minutes.
// A CNN's first and last layers (one channel in or out) and its hidden layers (Winograd's
// algorithm from 64 channels) run at very different shares of the FLOP estimate: measured on a
// 2-core AMD EPYC (AVX2+FMA), 11.8x the estimate for a 2-layer CNN, 3.5-4.3x for the hidden
// layers. One factor for both would misestimate cnn-depth by about a factor of two.
struct SpeedFactors {
    double cnnEnds = 1.0;    // a CNN's first and last layers
    double cnnHidden = 1.0;  // its hidden layers
    double fusedFcn = 1.0;
    double batchedFcn = 1.0;
};

// Measures this machine at `threads` threads (about a second of training; not on a GUI thread).
SpeedFactors calibrateSpeed(const DataLocations& data, int threads);

// Seconds one run of `config` takes: its steps (none when `train` is false) plus its evaluation
// and figures. Grows with config.steps; always positive.
double estimatedRunSeconds(const ExperimentConfig& config, int threads, const SpeedFactors& speed, bool train = true);

// Runs of these lengths dealt out longest first to whichever of `jobs` slots frees first, as the
// task runner does: when the last one ends. With jobs = 1, their sum.
double estimatedScheduleSeconds(std::vector<double> runSeconds, int jobs);

// With jobs > 1 the tasks are dealt out longest first to whichever slot frees first, as the
// task runner does (it orders by the uncalibrated estimate; the order rarely differs), and the
// estimate is when the last one ends: a sweep whose 20-layer run alone takes 20 minutes cannot
// take less, however the rest divides.
double estimatedTasksSeconds(const std::vector<const PlanTask*>& tasks, int threads, const SpeedFactors& speed, int jobs);

// "45 s", "12 min".
std::string formatMinutes(double seconds);

}  // namespace il
