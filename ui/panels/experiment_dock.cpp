#include "ui/panels/experiment_dock.h"

#include <QFrame>
#include <QHBoxLayout>
#include <QLabel>
#include <QPushButton>
#include <QScrollArea>
#include <QStackedWidget>
#include <QVBoxLayout>

#include "engine/config/config_json.h"
#include "engine/io/json.h"
#include "ui/panels/experiment_panel.h"
#include "ui/workspace/workspace.h"

namespace il::ui {

namespace {

bool sameConfig(const il::ExperimentConfig& a, const il::ExperimentConfig& b)
{
    return il::configToJson(a).dump(-1) == il::configToJson(b).dump(-1);
}

// "steps 1200 (yours 200), lr 0.05 (yours 0.01)": the keys of the run's config file that differ
// from yours, by their config names, so that two runs both called "CNN 5x128 k5 relu" differ
// visibly. A drawing's run leaves out the keys of its training image.
QString differences(const il::ExperimentConfig& run, const il::ExperimentConfig& yours, bool drawing)
{
    const il::json::Value a = il::configToJson(run);
    const il::json::Value b = il::configToJson(yours);
    QStringList out;
    for (const auto& [key, value] : a.members()) {
        // A drawing's run says MNIST image 0 of a folder of its own: "trained on your drawing".
        if (drawing && (key == "dataset" || key == "train_examples" || key == "train_class")) continue;
        const il::json::Value* other = b.find(key);
        const std::string mine = other ? other->dump(-1) : std::string("-");
        if (value.dump(-1) == mine) continue;
        out << QStringLiteral("%1 %2 (yours %3)")
                   .arg(QString::fromStdString(key), QString::fromStdString(value.dump(-1)), QString::fromStdString(mine))
                   .remove(QLatin1Char('"'));
    }
    return out.join(QStringLiteral(", "));
}

QScrollArea* scrolled(ExperimentPanel* panel)
{
    auto* scroll = new QScrollArea;
    scroll->setWidget(panel);
    scroll->setWidgetResizable(true);
    scroll->setFrameShape(QFrame::NoFrame);
    scroll->setHorizontalScrollBarPolicy(Qt::ScrollBarAlwaysOff);
    scroll->setMinimumWidth(panel->minimumSizeHint().width() + 24);
    return scroll;
}

QFrame* bar(QWidget* parent, const QString& name, const QString& colours)
{
    auto* frame = new QFrame(parent);
    frame->setObjectName(name);
    frame->setFrameShape(QFrame::StyledPanel);
    frame->setStyleSheet(QStringLiteral("QFrame#%1 { %2 border-radius: 4px; }").arg(name, colours));
    return frame;
}

QLabel* barText(QWidget* parent)
{
    auto* label = new QLabel(parent);
    label->setWordWrap(true);
    label->setTextFormat(Qt::RichText);
    return label;
}

}  // namespace

ExperimentDock::ExperimentDock(Workspace* workspace, QWidget* parent) : QWidget(parent), workspace_(workspace)
{
    setObjectName(QStringLiteral("experimentSettings"));
    auto* outer = new QVBoxLayout(this);
    outer->setContentsMargins(0, 0, 0, 0);
    outer->setSpacing(4);

    // Your settings replaced by a preset, a file or a run's: say so, offer Undo.
    undoBar_ = bar(this, QStringLiteral("settingsReplaced"), QStringLiteral("background: #fef5e7; border: 1px solid #f0b27a;"));
    auto* undoRow = new QHBoxLayout(undoBar_);
    undoRow->setContentsMargins(8, 6, 8, 6);
    undoText_ = barText(undoBar_);
    undoText_->setObjectName(QStringLiteral("settingsReplacedText"));
    undo_ = new QPushButton(tr("Undo"), undoBar_);
    undo_->setObjectName(QStringLiteral("undoSettings"));
    undo_->setToolTip(tr("Bring back the settings you had before (Edit > Undo)."));
    undoRow->addWidget(undoText_, 1);
    undoRow->addWidget(undo_);
    outer->addWidget(undoBar_);

    // Which settings the panel shows, when the run on screen has others than yours.
    runBar_ = bar(this, QStringLiteral("runSettingsBar"), QStringLiteral("background: #eaf2f8; border: 1px solid #7fb3d5;"));
    auto* runLayout = new QVBoxLayout(runBar_);
    runLayout->setContentsMargins(8, 6, 8, 6);
    runText_ = barText(runBar_);
    runText_->setObjectName(QStringLiteral("runSettingsText"));
    auto* buttons = new QHBoxLayout;
    use_ = new QPushButton(tr("Use these settings"), runBar_);
    use_->setObjectName(QStringLiteral("useRunSettings"));
    use_->setToolTip(tr("Copy the settings of the run on screen into yours, to train a variant of it."));
    toOwn_ = new QPushButton(tr("Edit my settings"), runBar_);
    toOwn_->setObjectName(QStringLiteral("showOwnSettings"));
    toOwn_->setToolTip(tr("Show your own settings, the ones Train starts."));
    toRun_ = new QPushButton(tr("Show the run's settings"), runBar_);
    toRun_->setObjectName(QStringLiteral("showRunSettings"));
    toRun_->setToolTip(tr("Show the settings the run on screen was trained with (read-only)."));
    buttons->addWidget(use_);
    buttons->addWidget(toOwn_);
    buttons->addWidget(toRun_);
    buttons->addStretch(1);
    runLayout->addWidget(runText_);
    runLayout->addLayout(buttons);
    outer->addWidget(runBar_);

    own_ = new ExperimentPanel;
    shown_ = new ExperimentPanel;
    shown_->setObjectName(QStringLiteral("runExperimentPanel"));
    shown_->setReadOnly(true);
    stack_ = new QStackedWidget(this);
    ownPage_ = scrolled(own_);
    runPage_ = scrolled(shown_);
    stack_->addWidget(ownPage_);
    stack_->addWidget(runPage_);
    outer->addWidget(stack_, 1);

    // Your settings and the workspace's follow each other. Only settings that can run go to
    // the workspace (it holds what Train starts and what the autosave keeps), and only values
    // the user is done with: "10000" on the way to a refused "100000" must not become the
    // settings. A field with a problem stays on screen, marked, and Train is refused.
    connect(own_, &ExperimentPanel::committed, this, &ExperimentDock::commitSettings);
    connect(own_, &ExperimentPanel::configChanged, this, &ExperimentDock::updateBars);
    connect(workspace_, &Workspace::configChanged, this, &ExperimentDock::workspaceConfigChanged);
    connect(workspace_, &Workspace::currentRunChanged, this, &ExperimentDock::currentRunChanged);
    connect(workspace_, &Workspace::configReplacementChanged, this, &ExperimentDock::updateBars);
    connect(undo_, &QPushButton::clicked, this, [this] {
        if (!workspace_->undoConfigReplacement()) return;
        showOwnSettings();
        emit message(tr("Your settings are back."));
    });
    connect(use_, &QPushButton::clicked, this, &ExperimentDock::useRunSettings);
    connect(toOwn_, &QPushButton::clicked, this, &ExperimentDock::showOwnSettings);
    connect(toRun_, &QPushButton::clicked, this, &ExperimentDock::showRunSettings);

    own_->setConfig(workspace_->config());
    currentRunChanged(workspace_->currentRun());
}

bool ExperimentDock::commitSettings()
{
    if (!own_->isValid()) return false;
    workspace_->setConfig(own_->config());
    return true;
}

bool ExperimentDock::isShowingRun() const { return stack_->currentWidget() == runPage_; }

bool ExperimentDock::runDiffers() const { return run_ && (!run_->customTraining.empty() || !sameConfig(run_->config, own_->config())); }

void ExperimentDock::currentRunChanged(const RunPtr& run)
{
    run_ = run;
    if (run_) {
        shown_->setConfig(run_->config);
        shown_->setTrainingNote(run_->customTraining.empty() ? QString() : tr("your drawing (Draw tab)"));
    }
    // The panel follows the run on screen: a run with other settings than yours shows them.
    if (runDiffers())
        showRunSettings();
    else
        showOwnSettings();
}

void ExperimentDock::workspaceConfigChanged()
{
    // The panel's own edits come back here equal to what it shows: leave it as it is.
    if (!sameConfig(own_->config(), workspace_->config())) own_->setConfig(workspace_->config());
    updateBars();
}

void ExperimentDock::showRunSettings()
{
    if (!run_) return;
    stack_->setCurrentWidget(runPage_);
    updateBars();
}

void ExperimentDock::showOwnSettings()
{
    stack_->setCurrentWidget(ownPage_);
    updateBars();
}

void ExperimentDock::useRunSettings()
{
    if (!run_) return;
    il::ExperimentConfig config = run_->config;
    const bool drawing = !run_->customTraining.empty();
    if (drawing) {
        // Its training image was a drawing at index 0 of a copy of MNIST: keep your own choice
        // of training image rather than MNIST's image 0.
        const il::ExperimentConfig& mine = workspace_->config();
        config.dataset = mine.dataset;
        config.trainIndices = mine.trainIndices;
        config.trainCount = mine.trainCount;
        config.trainClass = mine.trainClass;
    }
    const QString title = run_->title();
    if (!workspace_->replaceConfig(config, tr("the settings of %1").arg(title)))
        emit message(tr("Your settings already are those of %1.").arg(title));
    else if (drawing)
        emit message(tr("Your settings are now those of %1, with your own training image (it was trained on a drawing).").arg(title));
    else
        emit message(tr("Your settings are now those of %1.").arg(title));
    showOwnSettings();
}

void ExperimentDock::updateBars()
{
    const bool showingRun = isShowingRun();
    const bool differs = runDiffers();
    runBar_->setVisible(showingRun || differs);
    use_->setVisible(showingRun);
    toOwn_->setVisible(showingRun);
    toRun_->setVisible(!showingRun && differs);
    if (run_) {
        const QString title = run_->title().toHtmlEscaped();
        const bool drawing = !run_->customTraining.empty();
        QString differ = differences(run_->config, own_->config(), drawing).toHtmlEscaped();
        if (drawing) differ = differ.isEmpty() ? tr("trained on your drawing") : tr("trained on your drawing; %1").arg(differ);
        if (showingRun)
            runText_->setText(tr("<b>Settings of the run on screen</b>, %1, read-only. Train starts your own settings.<br>"
                                 "<small>Not yours: %2</small>")
                                  .arg(title, differ));
        else
            runText_->setText(tr("The run on screen (%1) was trained with other settings than these: %2.").arg(title, differ));
    }
    const QString by = workspace_->configReplacedBy();
    undoBar_->setVisible(!by.isEmpty());
    undoText_->setText(tr("Your settings were replaced by %1.").arg(by.toHtmlEscaped()));
}

}  // namespace il::ui
