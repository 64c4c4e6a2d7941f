#pragma once
// A sweep: one run per value of one parameter, the rest of the config as in the panel.

#include <QDialog>

#include <vector>

#include "engine/config/experiment_config.h"

class QComboBox;
class QLineEdit;
class QLabel;

namespace il::ui {

enum class SweepParameter { Depth, Channels, Width, KernelSize, LearningRate, Seed, InitScale, Steps, ImageSize };

struct SweepPlan {
    SweepParameter parameter = SweepParameter::Depth;
    std::vector<double> values;
};

QString sweepParameterName(SweepParameter p);
// "1-20", "1,3,5", "1-20:2", "0.001, 0.01": ascending or as written; empty on error.
std::vector<double> parseSweepValues(const QString& text, bool integers, QString* error = nullptr);
// The configs of the sweep: `base` with the parameter set to each value.
std::vector<il::ExperimentConfig> sweepConfigs(const il::ExperimentConfig& base, const SweepPlan& plan);

class SweepDialog : public QDialog {
    Q_OBJECT
public:
    SweepDialog(const il::ExperimentConfig& base, QWidget* parent = nullptr);
    SweepPlan plan() const;
    std::vector<il::ExperimentConfig> configs() const;

private:
    void update();
    il::ExperimentConfig base_;
    QComboBox* parameter_;
    QLineEdit* values_;
    QLabel* preview_;
};

}  // namespace il::ui
