#pragma once
// The experiment panel: every field of il::ExperimentConfig as a control, with tooltips in
// the paper's terms. Shows the parameter count and the memory estimate as the values change.
// A field keeps what the user typed: a value the engine would refuse (il::configProblems, the
// ranges of engine/config/config_limits.h) is marked beside its field with the accepted range
// or the engine's reason, and the panel is invalid until it is fixed; nothing is clamped or
// reverted. The same panel, read-only, shows the settings of a run (ExperimentDock).

#include <QHash>
#include <QStringList>
#include <QWidget>

#include <vector>

#include "engine/config/experiment_config.h"
#include "engine/data/dataset.h"

class QCheckBox;
class QComboBox;
class QLabel;
class QLineEdit;
class QPushButton;
class QFormLayout;

namespace il {
struct NumericLimit;
}

namespace il::ui {

class NumberField;

class ExperimentPanel : public QWidget {
    Q_OBJECT
public:
    explicit ExperimentPanel(QWidget* parent = nullptr);

    // The settings as the fields hold them. A field whose text is not a number contributes the
    // value last set; while any field has a problem, isValid() is false.
    il::ExperimentConfig config() const;
    void setConfig(const il::ExperimentConfig& config);
    bool isValid() const { return problems_.isEmpty(); }
    // Every reason the settings cannot run, field by field ("Depth must be 1 to 30"), then the
    // ones of no field (memory, keys the panel does not show); problem() is the first.
    QStringList problems() const { return problems_; }
    QString problem() const { return problems_.isEmpty() ? QString() : problems_.front(); }
    // The problem shown beside the field of this object name ("depth", "lr", ...); empty if none.
    QString fieldProblem(const QString& fieldName) const;
    QString sizeText() const;
    void setDataLocations(const il::DataLocations& data) { data_ = data; }

    // Read-only: the fields show settings that cannot be edited here (a run's).
    void setReadOnly(bool readOnly);
    bool isReadOnly() const { return readOnly_; }
    // Non-empty: the run was trained on something else than a data set image ("your drawing");
    // the data set rows give way to this line.
    void setTrainingNote(const QString& note);

    QSize sizeHint() const override { return {340, 800}; }

Q_SIGNALS:
    void configChanged();  // every change, each keystroke included
    // The user is done with a change: a choice made, a box checked, a typed value entered
    // (Enter, leaving the field, an arrow step), or settings set as a whole. "10" on the way
    // to "100" is a change, not a committed value.
    void committed();
    void validityChanged(bool valid);

private:
    struct Row {
        QWidget* field;       // the control whose value it is
        QWidget* formWidget;  // what the form holds: the field (or its row of controls) over its problem
        QFormLayout* form;
        QLabel* problem;  // under the field, shown while it has a problem
        QString label;    // "Depth", as in the problems
    };
    struct Reading {
        il::ExperimentConfig config;
        QHash<QWidget*, QString> problems;  // per field
    };

    NumberField* numberField(QWidget* parent, const char* key, const QString& name, const QString& accessible, const QString& tip);
    void addRow(QFormLayout* form, const QString& label, QWidget* field, QWidget* content = nullptr);
    const Row* rowOf(const QWidget* field) const;
    Reading read() const;
    void changed();
    void applyRecipe(int index);
    void updateVisibility(const QHash<QWidget*, QString>& problems);
    void browseTrainingImages();

    il::ExperimentConfig base_;  // keys without a control (data seed, rho sampling, ...)
    il::DataLocations data_;
    QStringList problems_;
    QHash<QWidget*, QString> fieldProblems_;
    std::vector<Row> rows_;
    QHash<const NumberField*, const il::NumericLimit*> limits_;
    bool loading_ = false;
    bool readOnly_ = false;
    QString trainingNote_;

    QComboBox* architecture_;
    NumberField* depth_;
    NumberField* width_;
    NumberField* channels_;
    NumberField* kernel_;
    QComboBox* activation_;
    QCheckBox* bias_;
    QComboBox* residual_;
    QComboBox* init_;
    NumberField* initScale_;
    QComboBox* recipe_;  // the named recipe the training fields match, or "custom"
    QComboBox* optimizer_;
    NumberField* lr_;
    NumberField* momentum_;
    QCheckBox* nesterov_;
    NumberField* beta1_;
    NumberField* beta2_;
    NumberField* weightDecay_;
    QComboBox* schedule_;
    NumberField* steps_;
    QComboBox* dataset_;
    NumberField* trainClass_;
    NumberField* trainCount_;
    QLineEdit* trainIndices_;
    QPushButton* browse_;
    NumberField* imageSize_;
    NumberField* seed_;
    QComboBox* device_;
    QComboBox* correlation_;
    QLabel* trainingNoteLabel_;
    QLabel* size_;
    QLabel* problemLabel_;
};

}  // namespace il::ui
