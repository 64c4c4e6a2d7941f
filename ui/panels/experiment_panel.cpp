#include "ui/panels/experiment_panel.h"

#include <QCheckBox>
#include <QComboBox>
#include <QDoubleSpinBox>
#include <QFormLayout>
#include <QGroupBox>
#include <QHBoxLayout>
#include <QLabel>
#include <QLineEdit>
#include <QPushButton>
#include <QRegularExpression>
#include <QSpinBox>
#include <QVBoxLayout>

#include <utility>
#include <vector>

#include "engine/config/choices.h"
#include "engine/core/errors.h"
#include "engine/train/model_size.h"
#include "ui/panels/dataset_browser.h"

namespace il::ui {

namespace {

template <typename W>
W* named(W* w, const QString& name, const QString& accessible, const QString& tip)
{
    w->setObjectName(name);
    w->setAccessibleName(accessible);
    w->setToolTip(tip);
    return w;
}

QSpinBox* intBox(QWidget* parent, int lo, int hi)
{
    auto* b = new QSpinBox(parent);
    b->setRange(lo, hi);
    b->setKeyboardTracking(false);
    return b;
}

QDoubleSpinBox* realBox(QWidget* parent, double lo, double hi, int decimals)
{
    auto* b = new QDoubleSpinBox(parent);
    b->setRange(lo, hi);
    b->setDecimals(decimals);
    b->setStepType(QAbstractSpinBox::AdaptiveDecimalStepType);
    b->setKeyboardTracking(false);
    return b;
}

void selectData(QComboBox* box, int value)
{
    const int i = box->findData(value);
    if (i >= 0) box->setCurrentIndex(i);
}

int valueOf(const QComboBox* box) { return box->currentData().toInt(); }

void setRowVisible(QFormLayout* form, QWidget* field, bool visible) { form->setRowVisible(field, visible); }

// A combo box's entries from a choice's table (engine/config/choices.h): label, value, tooltip.
template <typename Enum>
void addChoices(QComboBox* box, const std::vector<il::Choice<Enum>>& table)
{
    for (const il::Choice<Enum>& choice : table) {
        box->addItem(QString::fromUtf8(choice.label), static_cast<int>(choice.value));
        box->setItemData(box->count() - 1, QString::fromUtf8(choice.tooltip), Qt::ToolTipRole);
    }
}

}  // namespace

ExperimentPanel::ExperimentPanel(QWidget* parent) : QWidget(parent), data_(il::DataLocations::fromEnvironment())
{
    setObjectName(QStringLiteral("experimentPanel"));
    auto* outer = new QVBoxLayout(this);
    outer->setContentsMargins(6, 6, 6, 6);

    // --- network ---------------------------------------------------------------------------
    auto* network = new QGroupBox(tr("Network"), this);
    networkForm_ = new QFormLayout(network);
    architecture_ = named(new QComboBox(network), QStringLiteral("architecture"), tr("Architecture"),
                          tr("FCN: fully connected layers (each output pixel sees every input pixel).\n"
                             "CNN: k x k convolutions with 'same' padding (each output pixel sees a neighbourhood).\n"
                             "ResNet: the same with an identity skip around every two layers.\n"
                             "The paper's finding: shallow CNNs learn the identity, deep CNNs the constant."));
    addChoices(architecture_, il::architectureChoices());
    depth_ = named(intBox(network, 1, 30), QStringLiteral("depth"), tr("Depth"),
                   tr("Number of weight layers (1-30). The paper's Figure 3 goes from 1 (identity) to 20 (the constant 7)."));
    width_ = named(intBox(network, 1, 16384), QStringLiteral("width"), tr("Width"),
                   tr("Hidden units per FCN layer; 784 (= 28 x 28) in the paper."));
    channels_ = named(intBox(network, 1, 4096), QStringLiteral("channels"), tr("Channels"),
                      tr("Feature maps per hidden CNN layer; 128 in the paper."));
    kernel_ = named(intBox(network, 1, 31), QStringLiteral("kernelSize"), tr("Kernel size"),
                    tr("Side of the convolution kernel (odd). 5 x 5 in the paper; the receptive field grows with depth."));
    kernel_->setSingleStep(2);
    activation_ = named(new QComboBox(network), QStringLiteral("activation"), tr("Activation"),
                        tr("Non-linearity between layers. 'linear' makes the whole network one linear map\n"
                           "(a 1-layer linear FCN has Theorem 1's closed form)."));
    addChoices(activation_, il::activationChoices());
    bias_ = named(new QCheckBox(tr("bias terms"), network), QStringLiteral("bias"), tr("Bias"),
                  tr("Learnable biases, initialised to zero (as in the paper's setup)."));
    residual_ = named(new QComboBox(network), QStringLiteral("residualForm"), tr("Residual form"),
                      tr("talk: x + act(W2 act(W1 x)), the talk slides' block.\n"
                         "post-activation: act(x + W2 act(W1 x)), He et al. 2016."));
    addChoices(residual_, il::residualFormChoices());
    init_ = named(new QComboBox(network), QStringLiteral("init"), tr("Initialisation"),
                  tr("How the weights are drawn before training. The paper finds the outcome depends on it:\n"
                     "what a deep network does with unseen inputs is mostly decided by its initial map."));
    addChoices(init_, il::initChoices());
    initScale_ = named(realBox(network, 0.0, 100.0, 3), QStringLiteral("initScale"), tr("Init scale"),
                       tr("Multiplies the initial weights. Smaller: closer to the f = 0 saddle; larger: closer to divergence."));
    initScale_->setSingleStep(0.1);
    networkForm_->addRow(tr("Architecture"), architecture_);
    networkForm_->addRow(tr("Depth"), depth_);
    networkForm_->addRow(tr("Width"), width_);
    networkForm_->addRow(tr("Channels"), channels_);
    networkForm_->addRow(tr("Kernel"), kernel_);
    networkForm_->addRow(tr("Activation"), activation_);
    networkForm_->addRow(QString(), bias_);
    networkForm_->addRow(tr("Residual"), residual_);
    networkForm_->addRow(tr("Init"), init_);
    networkForm_->addRow(tr("Init scale"), initScale_);
    outer->addWidget(network);

    // --- optimiser -------------------------------------------------------------------------
    auto* optimiser = new QGroupBox(tr("Training"), this);
    optimiserForm_ = new QFormLayout(optimiser);
    optimizer_ = named(new QComboBox(optimiser), QStringLiteral("optimizer"), tr("Optimiser"),
                       tr("SGD with momentum is the paper's recipe; the others are for comparison."));
    addChoices(optimizer_, il::optimizerChoices());
    lr_ = named(realBox(optimiser, 1e-6, 100.0, 6), QStringLiteral("lr"), tr("Learning rate"),
                tr("Step size. Too large and the loss becomes NaN (the run is kept and marked 'diverged').\n"
                   "It can also be changed while training, in the training bar."));
    momentum_ = named(realBox(optimiser, 0.0, 0.999, 3), QStringLiteral("momentum"), tr("Momentum"),
                      tr("Heavy-ball momentum (SGD) or RMSprop's momentum."));
    nesterov_ = named(new QCheckBox(tr("Nesterov"), optimiser), QStringLiteral("nesterov"), tr("Nesterov momentum"),
                      tr("Nesterov's look-ahead form of momentum (SGD only)."));
    beta1_ = named(realBox(optimiser, 0.0, 0.999999, 4), QStringLiteral("beta1"), tr("Beta 1"),
                   tr("Adam/Adamax: decay of the gradient's running mean."));
    beta2_ = named(realBox(optimiser, 0.0, 0.999999, 6), QStringLiteral("beta2"), tr("Beta 2"),
                   tr("Adam/Adamax: decay of the squared gradient's running mean (RMSprop's alpha)."));
    weightDecay_ = named(realBox(optimiser, 0.0, 10.0, 6), QStringLiteral("weightDecay"), tr("Weight decay"),
                         tr("L2 penalty on the weights. Theorem 1 assumes none."));
    schedule_ = named(new QComboBox(optimiser), QStringLiteral("schedule"), tr("Schedule"),
                      tr("step: the rate drops x0.2 at 30, 60 and 80 % of the steps (the talk's recipe).\n"
                         "constant: the rate stays."));
    addChoices(schedule_, il::scheduleChoices());
    steps_ = named(intBox(optimiser, 1, 10000000), QStringLiteral("steps"), tr("Steps"),
                   tr("Optimisation steps on the one training image. The default, 1200, is enough for every\n"
                      "depth here to leave the f = 0 plateau."));
    steps_->setSingleStep(100);
    optimiserForm_->addRow(tr("Optimiser"), optimizer_);
    optimiserForm_->addRow(tr("Learning rate"), lr_);
    optimiserForm_->addRow(tr("Momentum"), momentum_);
    optimiserForm_->addRow(QString(), nesterov_);
    optimiserForm_->addRow(tr("Beta 1"), beta1_);
    optimiserForm_->addRow(tr("Beta 2"), beta2_);
    optimiserForm_->addRow(tr("Weight decay"), weightDecay_);
    optimiserForm_->addRow(tr("Schedule"), schedule_);
    optimiserForm_->addRow(tr("Steps"), steps_);
    outer->addWidget(optimiser);

    // --- data ------------------------------------------------------------------------------
    auto* dataBox = new QGroupBox(tr("Data"), this);
    auto* dataForm = new QFormLayout(dataBox);
    dataset_ = named(new QComboBox(dataBox), QStringLiteral("dataset"), tr("Data set"),
                     tr("Where the training image comes from. The probes (test inputs) come from its test split."));
    dataset_->addItem(QString::fromLatin1(il::datasetDisplayName(il::DatasetKind::Mnist)), static_cast<int>(il::DatasetKind::Mnist));
    dataset_->addItem(QString::fromLatin1(il::datasetDisplayName(il::DatasetKind::FashionMnist)),
                      static_cast<int>(il::DatasetKind::FashionMnist));
    dataset_->addItem(QString::fromLatin1(il::datasetDisplayName(il::DatasetKind::Cifar10)), static_cast<int>(il::DatasetKind::Cifar10));
    trainClass_ = named(intBox(dataBox, -1, 9), QStringLiteral("trainClass"), tr("Class"),
                        tr("Class of the training image picked by the seed: 7 in the paper. -1: any class."));
    trainClass_->setSpecialValueText(tr("any"));
    trainCount_ = named(intBox(dataBox, 1, 1000), QStringLiteral("trainCount"), tr("Examples"),
                        tr("How many training images. The paper's main experiment uses ONE."));
    trainIndices_ = named(new QLineEdit(dataBox), QStringLiteral("trainIndices"), tr("Training images"),
                          tr("Explicit indices into the training split (e.g. '0, 15'); empty: picked by the seed.\n"
                             "Use Browse to pick them by eye."));
    trainIndices_->setPlaceholderText(tr("picked by seed"));
    browse_ = named(new QPushButton(tr("Browse..."), dataBox), QStringLiteral("browseTraining"), tr("Browse training images"),
                    tr("Look through the data set and pick one or more training images."));
    auto* pick = new QWidget(dataBox);
    auto* pickRow = new QHBoxLayout(pick);
    pickRow->setContentsMargins(0, 0, 0, 0);
    pickRow->addWidget(trainIndices_, 1);
    pickRow->addWidget(browse_);
    imageSize_ = named(intBox(dataBox, 7, 112), QStringLiteral("imageSize"), tr("Image size"),
                       tr("Images are resampled to this side (28: MNIST's own size)."));
    seed_ = named(intBox(dataBox, 0, 2147483647), QStringLiteral("seed"), tr("Seed"),
                  tr("Seeds the initial weights (and the training pick). Same seed, same config: the same run."));
    device_ = named(new QComboBox(dataBox), QStringLiteral("device"), tr("Device"),
                    tr("auto: CUDA when this build and machine have it, else the CPU with one thread per core."));
    addChoices(device_, il::deviceChoices());
    correlation_ = named(new QComboBox(dataBox), QStringLiteral("correlation"), tr("Correlation"),
                         tr("How outputs are compared with the input (identity) and the training image (constant)."));
    addChoices(correlation_, il::correlationChoices());
    dataForm->addRow(tr("Data set"), dataset_);
    dataForm->addRow(tr("Class"), trainClass_);
    dataForm->addRow(tr("Examples"), trainCount_);
    dataForm->addRow(tr("Images"), pick);
    dataForm->addRow(tr("Image size"), imageSize_);
    dataForm->addRow(tr("Seed"), seed_);
    dataForm->addRow(tr("Device"), device_);
    dataForm->addRow(tr("Correlation"), correlation_);
    outer->addWidget(dataBox);

    size_ = new QLabel(this);
    size_->setObjectName(QStringLiteral("modelSize"));
    size_->setWordWrap(true);
    size_->setAccessibleName(tr("Model size"));
    size_->setToolTip(tr("Parameters by formula, and an estimate of the memory training needs."));
    problemLabel_ = new QLabel(this);
    problemLabel_->setObjectName(QStringLiteral("configProblem"));
    problemLabel_->setWordWrap(true);
    problemLabel_->setStyleSheet(QStringLiteral("color: #c0392b; font-weight: bold;"));
    problemLabel_->setAccessibleName(tr("Why this config cannot run"));
    outer->addWidget(size_);
    outer->addWidget(problemLabel_);
    outer->addStretch(1);

    const auto notify = [this] { changed(); };
    for (QComboBox* b : {architecture_, activation_, residual_, init_, optimizer_, schedule_, dataset_, device_, correlation_})
        connect(b, &QComboBox::currentIndexChanged, this, notify);
    for (QSpinBox* b : {depth_, width_, channels_, kernel_, steps_, trainClass_, trainCount_, imageSize_, seed_})
        connect(b, &QSpinBox::valueChanged, this, notify);
    for (QDoubleSpinBox* b : {initScale_, lr_, momentum_, beta1_, beta2_, weightDecay_})
        connect(b, &QDoubleSpinBox::valueChanged, this, notify);
    for (QCheckBox* b : {bias_, nesterov_}) connect(b, &QCheckBox::toggled, this, notify);
    connect(trainIndices_, &QLineEdit::textChanged, this, notify);
    connect(browse_, &QPushButton::clicked, this, &ExperimentPanel::browseTrainingImages);

    setConfig(il::ExperimentConfig{});
}

il::ExperimentConfig ExperimentPanel::config() const
{
    il::ExperimentConfig c = base_;
    c.architecture = static_cast<il::Architecture>(valueOf(architecture_));
    c.depth = depth_->value();
    c.width = width_->value();
    c.channels = channels_->value();
    c.kernelSize = kernel_->value();
    c.activation = static_cast<il::Activation>(valueOf(activation_));
    c.bias = bias_->isChecked();
    c.residualForm = static_cast<il::ResidualForm>(valueOf(residual_));
    c.init = static_cast<il::InitScheme>(valueOf(init_));
    c.initScale = initScale_->value();
    c.optimizer = static_cast<il::OptimizerKind>(valueOf(optimizer_));
    c.lr = lr_->value();
    c.momentum = momentum_->value();
    c.nesterov = nesterov_->isChecked();
    c.beta1 = beta1_->value();
    c.beta2 = beta2_->value();
    c.weightDecay = weightDecay_->value();
    c.schedule = static_cast<il::Schedule>(valueOf(schedule_));
    c.steps = steps_->value();
    c.dataset = static_cast<il::DatasetKind>(valueOf(dataset_));
    c.trainClass = trainClass_->value();
    c.trainCount = trainCount_->value();
    c.trainIndices.clear();
    const QStringList parts = trainIndices_->text().split(QRegularExpression(QStringLiteral("[,;\\s]+")), Qt::SkipEmptyParts);
    for (const QString& p : parts) {
        bool ok = false;
        const int i = p.toInt(&ok);
        c.trainIndices.push_back(ok ? i : -1);
    }
    if (!c.trainIndices.empty()) c.trainCount = static_cast<int>(c.trainIndices.size());
    c.imageSize = imageSize_->value();
    c.seed = static_cast<std::uint64_t>(seed_->value());
    c.device = static_cast<il::DevicePreference>(valueOf(device_));
    c.correlation = static_cast<il::CorrelationKind>(valueOf(correlation_));
    return c;
}

void ExperimentPanel::setConfig(const il::ExperimentConfig& c)
{
    loading_ = true;
    base_ = c;
    selectData(architecture_, static_cast<int>(c.architecture));
    depth_->setValue(c.depth);
    width_->setValue(c.width);
    channels_->setValue(c.channels);
    kernel_->setValue(c.kernelSize);
    selectData(activation_, static_cast<int>(c.activation));
    bias_->setChecked(c.bias);
    selectData(residual_, static_cast<int>(c.residualForm));
    selectData(init_, static_cast<int>(c.init));
    initScale_->setValue(c.initScale);
    selectData(optimizer_, static_cast<int>(c.optimizer));
    lr_->setValue(c.lr);
    momentum_->setValue(c.momentum);
    nesterov_->setChecked(c.nesterov);
    beta1_->setValue(c.beta1);
    beta2_->setValue(c.beta2);
    weightDecay_->setValue(c.weightDecay);
    selectData(schedule_, static_cast<int>(c.schedule));
    steps_->setValue(c.steps);
    selectData(dataset_, static_cast<int>(c.dataset));
    trainClass_->setValue(c.trainClass);
    trainCount_->setValue(c.trainCount);
    QStringList indices;
    for (int i : c.trainIndices) indices << QString::number(i);
    trainIndices_->setText(indices.join(QStringLiteral(", ")));
    imageSize_->setValue(c.imageSize);
    seed_->setValue(static_cast<int>(std::min<std::uint64_t>(c.seed, 2147483647ULL)));
    selectData(device_, static_cast<int>(c.device));
    selectData(correlation_, static_cast<int>(c.correlation));
    loading_ = false;
    changed();
}

QString ExperimentPanel::sizeText() const { return size_->text(); }

void ExperimentPanel::updateVisibility()
{
    // The rows the chosen architecture and optimiser use, as their tables say.
    const il::ExperimentConfig c = config();
    using il::Setting;
    const std::pair<QWidget*, Setting> networkRows[] = {
        {width_, Setting::Width}, {channels_, Setting::Channels}, {kernel_, Setting::KernelSize}, {residual_, Setting::ResidualForm}};
    const std::pair<QWidget*, Setting> optimiserRows[] = {
        {lr_, Setting::Lr},       {momentum_, Setting::Momentum}, {nesterov_, Setting::Nesterov},
        {beta1_, Setting::Beta1}, {beta2_, Setting::Beta2},       {weightDecay_, Setting::WeightDecay}};
    for (const auto& [field, setting] : networkRows) setRowVisible(networkForm_, field, il::settingApplies(c, setting));
    for (const auto& [field, setting] : optimiserRows) setRowVisible(optimiserForm_, field, il::settingApplies(c, setting));
    trainClass_->setEnabled(trainIndices_->text().trimmed().isEmpty());
    trainCount_->setEnabled(trainIndices_->text().trimmed().isEmpty());
}

void ExperimentPanel::changed()
{
    if (loading_) return;
    updateVisibility();
    const il::ExperimentConfig c = config();
    QString problem;
    size_->clear();
    try {
        il::validate(c);
        const il::ModelSize size = il::estimateModelSize(c);
        size_->setText(
            tr("<b>%1</b><br>%2 parameters")
                .arg(QString::fromStdString(il::describeModel(c)).toHtmlEscaped(), QString::fromStdString(size.summary()).toHtmlEscaped()));
        il::requireFitsInMemory(size);
    } catch (const il::Error& e) {
        problem = QString::fromStdString(e.what());
    }
    problemLabel_->setText(problem.isEmpty() ? QString() : tr("Cannot run: %1").arg(problem));
    problemLabel_->setVisible(!problem.isEmpty());
    const bool validityChanged_ = problem.isEmpty() != problem_.isEmpty();
    problem_ = problem;
    if (validityChanged_) emit validityChanged(problem_.isEmpty());
    emit configChanged();
}

void ExperimentPanel::browseTrainingImages()
{
    DatasetBrowser browser(static_cast<il::DatasetKind>(valueOf(dataset_)), data_, this);
    std::vector<int> current = config().trainIndices;
    browser.setSelectedIndices(current);
    if (browser.exec() != QDialog::Accepted) return;
    QStringList indices;
    for (int i : browser.selectedIndices()) indices << QString::number(i);
    trainIndices_->setText(indices.join(QStringLiteral(", ")));
}

}  // namespace il::ui
