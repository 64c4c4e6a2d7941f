#pragma once
// The experiment panel: every field of il::ExperimentConfig as a control, with tooltips in
// the paper's terms. Shows the parameter count and the memory estimate as the values change,
// and refuses, with the engine's reason, what would not run or not fit (il::validate,
// il::requireFitsInMemory).

#include <QWidget>

#include "engine/config/experiment_config.h"
#include "engine/data/dataset.h"

class QCheckBox;
class QComboBox;
class QDoubleSpinBox;
class QLabel;
class QLineEdit;
class QPushButton;
class QSpinBox;
class QFormLayout;

namespace il::ui {

class ExperimentPanel : public QWidget {
    Q_OBJECT
public:
    explicit ExperimentPanel(QWidget* parent = nullptr);

    il::ExperimentConfig config() const;
    void setConfig(const il::ExperimentConfig& config);
    bool isValid() const { return problem_.isEmpty(); }
    QString problem() const { return problem_; }
    QString sizeText() const;
    void setDataLocations(const il::DataLocations& data) { data_ = data; }

    QSize sizeHint() const override { return {340, 800}; }

Q_SIGNALS:
    void configChanged();
    void validityChanged(bool valid);

private:
    void changed();
    void updateVisibility();
    void browseTrainingImages();

    il::ExperimentConfig base_;  // keys without a control (data seed, rho sampling, ...)
    il::DataLocations data_;
    QString problem_;
    bool loading_ = false;

    QComboBox* architecture_;
    QSpinBox* depth_;
    QSpinBox* width_;
    QSpinBox* channels_;
    QSpinBox* kernel_;
    QComboBox* activation_;
    QCheckBox* bias_;
    QComboBox* residual_;
    QComboBox* init_;
    QDoubleSpinBox* initScale_;
    QComboBox* optimizer_;
    QDoubleSpinBox* lr_;
    QDoubleSpinBox* momentum_;
    QCheckBox* nesterov_;
    QDoubleSpinBox* beta1_;
    QDoubleSpinBox* beta2_;
    QDoubleSpinBox* weightDecay_;
    QComboBox* schedule_;
    QSpinBox* steps_;
    QComboBox* dataset_;
    QSpinBox* trainClass_;
    QSpinBox* trainCount_;
    QLineEdit* trainIndices_;
    QPushButton* browse_;
    QSpinBox* imageSize_;
    QSpinBox* seed_;
    QComboBox* device_;
    QComboBox* correlation_;
    QLabel* size_;
    QLabel* problemLabel_;
    QFormLayout* networkForm_;
    QFormLayout* optimiserForm_;
};

}  // namespace il::ui
