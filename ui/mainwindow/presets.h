#pragma once
// The one-click experiments of the welcome page.

#include <QString>

#include <vector>

#include "engine/config/experiment_config.h"

namespace il::ui {

struct Preset {
    QString id;           // "cnn5", used by --preset
    QString title;        // button text
    QString explanation;  // what the user will see
    il::ExperimentConfig config;
};

const std::vector<Preset>& presets();
const Preset* findPreset(const QString& id);

}  // namespace il::ui
