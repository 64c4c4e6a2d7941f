#pragma once
// A sweep: runs over the values of one numeric parameter and over the checked choices of init,
// activation and optimiser, each of them with N weight seeds; the rest of the config as in the
// panel. The runs are the tasks of an engine sweep plan (engine/sweep/plan_tasks.h), so they are
// labelled and checked as `identitylab-cli sweep` labels and checks them ("depth=20 seed=3").

#include <QDialog>
#include <QString>

#include <optional>
#include <vector>

#include "engine/config/experiment_config.h"
#include "engine/sweep/plan.h"
#include "engine/sweep/time_estimate.h"
#include "ui/workspace/workspace.h"  // SweepRun

class QComboBox;
class QLineEdit;
class QLabel;
class QListWidget;
class QSpinBox;
class QPlainTextEdit;

namespace il::ui {

enum class SweepParameter { Depth, Channels, Width, KernelSize, LearningRate, Seed, InitScale, Steps, ImageSize, None };

struct SweepPlan {
    SweepParameter parameter = SweepParameter::Depth;
    std::vector<double> values;  // of `parameter`; unused for None
    // The choices to run; empty: the base config's own (not swept).
    std::vector<il::InitScheme> inits;
    std::vector<il::Activation> activations;
    std::vector<il::OptimizerKind> optimizers;
    int seeds = 1;  // every point with the weight seeds base.seed, base.seed + 1, ... (the training image stays)
};

QString sweepParameterName(SweepParameter p);
const char* sweepParameterKey(SweepParameter p);  // the config key: "depth", "kernel_size"; "" for None
// "1-20", "1,3,5", "1-20:2", "0.001, 0.01": ascending or as written; empty on error.
std::vector<double> parseSweepValues(const QString& text, bool integers, QString* error = nullptr);
// The engine's plan of the sweep: `base`, an axis per swept parameter (numeric first, then init,
// activation, optimiser; a choice list of one entry is an axis too, so the label names it) and
// the seeds. Throws il::ConfigError when the plan contradicts itself (the seed swept twice).
il::Plan sweepEnginePlan(const il::ExperimentConfig& base, const SweepPlan& plan);
// The runs of the sweep, the seeds fastest, labelled by what varies ("depth=20 seed=5"). Throws il::ConfigError naming the value or the
// combination that cannot run (an odd depth for a ResNet, Nesterov without momentum, ...).
std::vector<SweepRun> sweepRuns(const il::ExperimentConfig& base, const SweepPlan& plan);
std::vector<il::ExperimentConfig> sweepConfigs(const il::ExperimentConfig& base, const SweepPlan& plan);
// Seconds the runs take one after the other at `threads` threads with these speed factors.
double sweepSeconds(const std::vector<SweepRun>& runs, int threads, const il::SpeedFactors& speed);

class SweepDialog : public QDialog {
    Q_OBJECT
public:
    SweepDialog(const il::ExperimentConfig& base, QWidget* parent = nullptr);
    SweepPlan plan() const;
    // The runs to queue; empty while the dialog shows a problem.
    std::vector<SweepRun> runs() const;
    std::vector<il::ExperimentConfig> configs() const;
    // The problem that disables OK; empty when the sweep can run.
    QString problem() const { return problem_; }
    // This machine's speed (engine/sweep/time_estimate.h): the preview's time estimate follows.
    // Until it is given the preview says that the machine is being measured.
    void setSpeed(const il::SpeedFactors& speed, int threads);
    QString summaryText() const;

private:
    void update();
    QListWidget* choiceList(const QString& name, const QString& accessible);
    il::ExperimentConfig base_;
    QComboBox* parameter_;
    QLineEdit* values_;
    QSpinBox* seeds_;
    QListWidget* inits_;
    QListWidget* activations_;
    QListWidget* optimizers_;
    QLabel* summary_;
    QLabel* problemLabel_;
    QPlainTextEdit* preview_;
    QString problem_;
    std::vector<SweepRun> runs_;
    std::optional<il::SpeedFactors> speed_;
    int threads_ = 1;
};

}  // namespace il::ui
