#pragma once
// A paper figure (resources/presets/NAME.json) run with several weight seeds: each of its
// trained runs once per seed 0 to N-1, differing only in "seed", labelled "6-layer ReLU seed=3".
// The expansion is the sweep plans' own (engine/sweep/plan_tasks.h, what
// `identitylab-cli reproduce NAME --seeds N` runs), so the app's runs and the CLI's match task
// for task. Run > Paper figure with seeds... and the welcome page's seed count queue them.

#include <QDialog>
#include <QString>

#include <string>
#include <vector>

#include "engine/config/experiment_config.h"

class QComboBox;
class QSpinBox;

namespace il::ui {

struct LabelledRun {
    il::ExperimentConfig config;
    QString label;
};

// The preset's runs to train, seeds fastest (a cell's seeds stand together). A run evaluated at
// random init only (the paper's "20rnd") is left out, as Run > Paper figures leaves it out.
// Throws il::Error when the preset cannot be read or seeds is not 1 to the plans' maximum.
std::vector<LabelledRun> figureRunsWithSeeds(const std::string& presetPath, int seeds);

// Run > Paper figure with seeds...: which figure, how many seeds, and how many runs that makes.
class FigureSeedsDialog : public QDialog {
    Q_OBJECT
public:
    // `figures`: (preset name, title) of the figures that can run.
    FigureSeedsDialog(const std::vector<std::pair<QString, QString>>& figures, int seeds, QWidget* parent = nullptr);
    QString figure() const;  // the preset name
    int seeds() const;
    QComboBox* figureBox() const { return figure_; }
    QSpinBox* seedsBox() const { return seeds_; }

private:
    QComboBox* figure_;
    QSpinBox* seeds_;
};

}  // namespace il::ui
