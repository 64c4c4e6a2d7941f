#include "ui/mainwindow/presets.h"

#include <QCoreApplication>

namespace il::ui {

namespace {

QString tr(const char* s) { return QCoreApplication::translate("Presets", s); }

}  // namespace

const std::vector<Preset>& presets()
{
    static const std::vector<Preset> list = [] {
        std::vector<Preset> v;
        il::ExperimentConfig cnn5;  // the engine's defaults are the paper's recipe: CNN 5 x 128, k5
        cnn5.depth = 5;
        v.push_back({QStringLiteral("cnn5"), tr("Train the 5-layer CNN on a 7"),
                     tr("A shallow CNN learns the identity: every input comes back."), cnn5});
        il::ExperimentConfig cnn20 = cnn5;
        cnn20.depth = 20;
        v.push_back({QStringLiteral("cnn20"), tr("20-layer CNN (the constant)"),
                     tr("A deep CNN memorises: whatever it sees, it draws the 7 (slow on a CPU: about 6x the 5-layer CNN). "
                        "With the default recipe it does so for most weight seeds; Run > Paper figure with seeds... "
                        "shows how often."),
                     cnn20});
        il::ExperimentConfig fcn1;
        fcn1.architecture = il::Architecture::Fcn;
        fcn1.depth = 1;
        fcn1.activation = il::Activation::Linear;
        v.push_back({QStringLiteral("fcn1"), tr("1-layer linear FCN (Theorem 1)"),
                     tr("A fully connected layer: its outputs beside Theorem 1's closed-form prediction."), fcn1});
        il::ExperimentConfig fcn6 = fcn1;
        fcn6.depth = 6;
        fcn6.activation = il::Activation::Relu;
        v.push_back({QStringLiteral("fcn6"), tr("6-layer ReLU FCN"),
                     tr("A deep fully connected network: the constant, or noise (Figure 2)."), fcn6});
        return v;
    }();
    return list;
}

const Preset* findPreset(const QString& id)
{
    for (const auto& p : presets())
        if (p.id == id) return &p;
    return nullptr;
}

}  // namespace il::ui
