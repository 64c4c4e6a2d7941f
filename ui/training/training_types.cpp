#include "ui/training/training_types.h"

namespace il::ui {

void registerMetaTypes()
{
    static const bool done = [] {
        qRegisterMetaType<il::ui::SessionInfo>();
        qRegisterMetaType<il::ui::ProgressUpdate>();
        qRegisterMetaType<il::ui::TrainingFrame>();
        qRegisterMetaType<il::ui::RunResult>();
        qRegisterMetaType<il::ui::ActivationRequest>();
        qRegisterMetaType<il::ExperimentConfig>();
        qRegisterMetaType<il::RunMetrics>();
        qRegisterMetaType<il::ActivationGrid>();
        qRegisterMetaType<il::LayerClassifierCurve>();
        qRegisterMetaType<il::Image>();
        qRegisterMetaType<std::vector<il::Image>>();
        qRegisterMetaType<std::vector<il::Probe>>();
        qRegisterMetaType<std::vector<il::LayerStatistics>>();
        return true;
    }();
    (void)done;
}

}  // namespace il::ui
