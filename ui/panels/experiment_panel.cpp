#include "ui/panels/experiment_panel.h"

#include <QCheckBox>
#include <QComboBox>
#include <QFontMetrics>
#include <QFormLayout>
#include <QGroupBox>
#include <QHBoxLayout>
#include <QLabel>
#include <QLineEdit>
#include <QPushButton>
#include <QRegularExpression>
#include <QSignalBlocker>
#include <QVBoxLayout>

#include <algorithm>
#include <climits>
#include <optional>
#include <cmath>
#include <utility>
#include <vector>

#include "engine/config/choices.h"
#include "engine/config/config_limits.h"
#include "engine/config/recipes.h"
#include "engine/core/errors.h"
#include "engine/train/model_size.h"
#include "ui/panels/dataset_browser.h"
#include "ui/panels/number_field.h"

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

void selectData(QComboBox* box, int value)
{
    const int i = box->findData(value);
    if (i >= 0) box->setCurrentIndex(i);
}

int valueOf(const QComboBox* box) { return box->currentData().toInt(); }

// A whole number for an int setting: the typed value when it fits in an int (an out-of-range
// one is marked beside the field anyway), else the nearest int.
int toInt(double v) { return static_cast<int>(std::clamp(v, static_cast<double>(INT_MIN), static_cast<double>(INT_MAX))); }

QString problemStyle() { return QStringLiteral("color: #c0392b;"); }

// `text` in lines no wider than `width` pixels, broken between words.
QString wrapped(const QString& text, const QFontMetrics& metrics, int width)
{
    QStringList lines;
    QString line;
    for (const QString& word : text.split(QLatin1Char(' '), Qt::SkipEmptyParts)) {
        const QString longer = line.isEmpty() ? word : line + QLatin1Char(' ') + word;
        if (!line.isEmpty() && metrics.horizontalAdvance(longer) > width) {
            lines << line;
            line = word;
        } else {
            line = longer;
        }
    }
    if (!line.isEmpty()) lines << line;
    return lines.join(QLatin1Char('\n'));
}

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

NumberField* ExperimentPanel::numberField(QWidget* parent, const char* key, const QString& name, const QString& accessible,
                                          const QString& tip)
{
    const il::NumericLimit& limit = il::limitOf(key);
    auto* f = named(new NumberField(limit.whole ? NumberField::Kind::Whole : NumberField::Kind::Real, parent), name, accessible,
                    tr("%1\nAccepted: %2.").arg(tip, QString::fromStdString(il::rangeText(limit))));
    f->setStepBounds(limit.lo, limit.hi);
    limits_.insert(f, &limit);
    return f;
}

void ExperimentPanel::addRow(QFormLayout* form, const QString& label, QWidget* field, QWidget* content)
{
    // The field (or its row of controls) with its problem under it, in one cell of the form:
    // the problem shows and hides with the field's row.
    if (!content) content = field;
    auto* cell = new QWidget(content->parentWidget());
    auto* column = new QVBoxLayout(cell);
    column->setContentsMargins(0, 0, 0, 0);
    column->setSpacing(2);
    column->addWidget(content);
    auto* problem = new QLabel(cell);
    problem->setObjectName(field->objectName() + QStringLiteral("Problem"));
    problem->setStyleSheet(problemStyle());
    problem->setAccessibleName(tr("Problem with %1").arg(field->accessibleName()));
    problem->hide();
    column->addWidget(problem);
    form->addRow(label, cell);
    rows_.push_back({field, cell, form, problem, field->accessibleName()});
}

const ExperimentPanel::Row* ExperimentPanel::rowOf(const QWidget* field) const
{
    for (const Row& r : rows_)
        if (r.field == field) return &r;
    return nullptr;
}

ExperimentPanel::ExperimentPanel(QWidget* parent) : QWidget(parent), data_(il::DataLocations::fromEnvironment())
{
    setObjectName(QStringLiteral("experimentPanel"));
    auto* outer = new QVBoxLayout(this);
    outer->setContentsMargins(6, 6, 6, 6);

    // --- network ---------------------------------------------------------------------------
    auto* network = new QGroupBox(tr("Network"), this);
    auto* networkForm = new QFormLayout(network);
    architecture_ = named(new QComboBox(network), QStringLiteral("architecture"), tr("Architecture"),
                          tr("FCN: fully connected layers (each output pixel sees every input pixel).\n"
                             "CNN: k x k convolutions with 'same' padding (each output pixel sees a neighbourhood).\n"
                             "ResNet: the same with an identity skip around every two layers.\n"
                             "The paper's finding: shallow CNNs learn the identity, deep CNNs the constant."));
    addChoices(architecture_, il::architectureChoices());
    depth_ = numberField(network, "depth", QStringLiteral("depth"), tr("Depth"),
                         tr("Number of weight layers. The paper's Figure 3 goes from 1 (identity) to 20 (the constant 7)."));
    width_ = numberField(network, "width", QStringLiteral("width"), tr("Width"),
                         tr("Hidden units per FCN layer; 784 (= 28 x 28) in the paper."));
    channels_ = numberField(network, "channels", QStringLiteral("channels"), tr("Channels"),
                            tr("Feature maps per hidden CNN layer; 128 in the paper."));
    kernel_ = numberField(network, "kernel_size", QStringLiteral("kernelSize"), tr("Kernel size"),
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
    initScale_ = numberField(network, "init_scale", QStringLiteral("initScale"), tr("Init scale"),
                             tr("Multiplies the initial weights. Smaller: closer to the f = 0 saddle; larger: closer to divergence."));
    initScale_->setSingleStep(0.1);
    addRow(networkForm, tr("Architecture"), architecture_);
    addRow(networkForm, tr("Depth"), depth_);
    addRow(networkForm, tr("Width"), width_);
    addRow(networkForm, tr("Channels"), channels_);
    addRow(networkForm, tr("Kernel"), kernel_);
    addRow(networkForm, tr("Activation"), activation_);
    addRow(networkForm, QString(), bias_);
    addRow(networkForm, tr("Residual"), residual_);
    addRow(networkForm, tr("Init"), init_);
    addRow(networkForm, tr("Init scale"), initScale_);
    outer->addWidget(network);

    // --- optimiser -------------------------------------------------------------------------
    auto* optimiser = new QGroupBox(tr("Training"), this);
    auto* optimiserForm = new QFormLayout(optimiser);
    recipe_ = named(new QComboBox(optimiser), QStringLiteral("recipe"), tr("Recipe"),
                    tr("A named set of the training settings below and the init scale, as measured over weight\n"
                       "seeds in docs/reproduction.md. Changing one by hand makes the recipe 'custom'."));
    for (const il::Recipe& r : il::recipes()) {
        recipe_->addItem(QString::fromLatin1(r.name), QString::fromLatin1(r.name));
        recipe_->setItemData(recipe_->count() - 1, QString::fromUtf8(r.summary), Qt::ToolTipRole);
    }
    recipe_->addItem(tr("custom"), QString());
    recipe_->setItemData(recipe_->count() - 1, tr("Settings of your own: pick a recipe to restore one."), Qt::ToolTipRole);
    optimizer_ = named(new QComboBox(optimiser), QStringLiteral("optimizer"), tr("Optimiser"),
                       tr("SGD with momentum: the paper's \"standard gradient descent\"; the others are for comparison."));
    addChoices(optimizer_, il::optimizerChoices());
    lr_ = numberField(optimiser, "lr", QStringLiteral("lr"), tr("Learning rate"),
                      tr("Step size. Too large and the loss becomes NaN (the run is kept and marked 'diverged').\n"
                         "It can also be changed while training, in the training bar."));
    momentum_ = numberField(optimiser, "momentum", QStringLiteral("momentum"), tr("Momentum"),
                            tr("Heavy-ball momentum (SGD) or RMSprop's momentum."));
    nesterov_ = named(new QCheckBox(tr("Nesterov"), optimiser), QStringLiteral("nesterov"), tr("Nesterov momentum"),
                      tr("Nesterov's look-ahead form of momentum (SGD only)."));
    beta1_ =
        numberField(optimiser, "beta1", QStringLiteral("beta1"), tr("Beta 1"), tr("Adam/Adamax: decay of the gradient's running mean."));
    beta2_ = numberField(optimiser, "beta2", QStringLiteral("beta2"), tr("Beta 2"),
                         tr("Adam/Adamax: decay of the squared gradient's running mean (RMSprop's alpha)."));
    weightDecay_ = numberField(optimiser, "weight_decay", QStringLiteral("weightDecay"), tr("Weight decay"),
                               tr("L2 penalty on the weights. Theorem 1 assumes none."));
    schedule_ = named(new QComboBox(optimiser), QStringLiteral("schedule"), tr("Schedule"),
                      tr("step: the rate drops x0.2 at 30, 60 and 80 % of the steps (the talk's recipe).\n"
                         "constant: the rate stays."));
    addChoices(schedule_, il::scheduleChoices());
    steps_ = numberField(optimiser, "steps", QStringLiteral("steps"), tr("Steps"),
                         tr("Optimisation steps on the one training image. The default, 3000, lets most networks\n"
                            "leave the f = 0 plateau; a 20-layer CNN may still sit on it after 1200."));
    steps_->setSingleStep(100);
    addRow(optimiserForm, tr("Recipe"), recipe_);
    addRow(optimiserForm, tr("Optimiser"), optimizer_);
    addRow(optimiserForm, tr("Learning rate"), lr_);
    addRow(optimiserForm, tr("Momentum"), momentum_);
    addRow(optimiserForm, QString(), nesterov_);
    addRow(optimiserForm, tr("Beta 1"), beta1_);
    addRow(optimiserForm, tr("Beta 2"), beta2_);
    addRow(optimiserForm, tr("Weight decay"), weightDecay_);
    addRow(optimiserForm, tr("Schedule"), schedule_);
    addRow(optimiserForm, tr("Steps"), steps_);
    outer->addWidget(optimiser);

    // --- data ------------------------------------------------------------------------------
    auto* dataBox = new QGroupBox(tr("Data"), this);
    auto* dataForm = new QFormLayout(dataBox);
    trainingNoteLabel_ = new QLabel(dataBox);
    trainingNoteLabel_->setObjectName(QStringLiteral("trainingNote"));
    trainingNoteLabel_->setAccessibleName(tr("Training image"));
    dataset_ = named(new QComboBox(dataBox), QStringLiteral("dataset"), tr("Data set"),
                     tr("Where the training image comes from. The probes (test inputs) come from its test split."));
    dataset_->addItem(QString::fromLatin1(il::datasetDisplayName(il::DatasetKind::Mnist)), static_cast<int>(il::DatasetKind::Mnist));
    dataset_->addItem(QString::fromLatin1(il::datasetDisplayName(il::DatasetKind::FashionMnist)),
                      static_cast<int>(il::DatasetKind::FashionMnist));
    dataset_->addItem(QString::fromLatin1(il::datasetDisplayName(il::DatasetKind::Cifar10)), static_cast<int>(il::DatasetKind::Cifar10));
    trainClass_ = numberField(dataBox, "train_class", QStringLiteral("trainClass"), tr("Class"),
                              tr("Class of the training image picked by the seed: 7 in the paper. -1 or 'any': any class."));
    trainClass_->setSpecialValue(-1, tr("any"));
    trainCount_ = numberField(dataBox, "train_examples", QStringLiteral("trainCount"), tr("Examples"),
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
    imageSize_ = numberField(dataBox, "image_size", QStringLiteral("imageSize"), tr("Image size"),
                             tr("Images are resampled to this side (28: MNIST's own size)."));
    seed_ = named(new NumberField(NumberField::Kind::Whole, dataBox), QStringLiteral("seed"), tr("Seed"),
                  tr("Seeds the initial weights (and the training pick). Same seed, same config: the same run.\nAccepted: 0 to %1.")
                      .arg(il::kMaxSeed));
    seed_->setStepBounds(0, static_cast<double>(il::kMaxSeed));
    device_ = named(new QComboBox(dataBox), QStringLiteral("device"), tr("Device"),
                    tr("auto: CUDA when this build and machine have it, else the CPU with one thread per core."));
    addChoices(device_, il::deviceChoices());
    correlation_ = named(new QComboBox(dataBox), QStringLiteral("correlation"), tr("Correlation"),
                         tr("How outputs are compared with the input (identity) and the training image (constant)."));
    addChoices(correlation_, il::correlationChoices());
    addRow(dataForm, tr("Trained on"), trainingNoteLabel_);
    addRow(dataForm, tr("Data set"), dataset_);
    addRow(dataForm, tr("Class"), trainClass_);
    addRow(dataForm, tr("Examples"), trainCount_);
    addRow(dataForm, tr("Images"), trainIndices_, pick);
    addRow(dataForm, tr("Image size"), imageSize_);
    addRow(dataForm, tr("Seed"), seed_);
    addRow(dataForm, tr("Device"), device_);
    addRow(dataForm, tr("Correlation"), correlation_);
    outer->addWidget(dataBox);

    size_ = new QLabel(this);
    size_->setObjectName(QStringLiteral("modelSize"));
    size_->setWordWrap(true);
    size_->setAccessibleName(tr("Model size"));
    size_->setToolTip(tr("Parameters by formula, and an estimate of the memory training needs."));
    problemLabel_ = new QLabel(this);
    problemLabel_->setObjectName(QStringLiteral("configProblem"));
    problemLabel_->setWordWrap(true);
    problemLabel_->setTextFormat(Qt::RichText);
    problemLabel_->setStyleSheet(QStringLiteral("color: #c0392b;"));
    problemLabel_->setAccessibleName(tr("Why this config cannot run"));
    outer->addWidget(size_);
    outer->addWidget(problemLabel_);
    outer->addStretch(1);

    const auto notify = [this] { changed(); };
    const auto commit = [this] {
        if (!loading_) emit committed();
    };
    const auto notifyAndCommit = [this] {
        changed();
        if (!loading_) emit committed();
    };
    for (QComboBox* b : {architecture_, activation_, residual_, init_, optimizer_, schedule_, dataset_, device_, correlation_})
        connect(b, &QComboBox::currentIndexChanged, this, notifyAndCommit);
    for (QCheckBox* b : {bias_, nesterov_}) connect(b, &QCheckBox::toggled, this, notifyAndCommit);
    for (NumberField* f : {depth_, width_, channels_, kernel_, initScale_, lr_, momentum_, beta1_, beta2_, weightDecay_, steps_,
                           trainClass_, trainCount_, imageSize_, seed_}) {
        connect(f, &NumberField::textChanged, this, notify);
        connect(f, &NumberField::committed, this, commit);
    }
    connect(recipe_, &QComboBox::activated, this, &ExperimentPanel::applyRecipe);
    connect(trainIndices_, &QLineEdit::textChanged, this, notify);
    connect(trainIndices_, &QLineEdit::editingFinished, this, commit);
    connect(browse_, &QPushButton::clicked, this, &ExperimentPanel::browseTrainingImages);

    setConfig(il::ExperimentConfig{});
}

ExperimentPanel::Reading ExperimentPanel::read() const
{
    Reading r;
    il::ExperimentConfig& c = r.config;
    c = base_;
    // A number field's value, or `fallback` (the value last set) when its text is none; a text
    // that is not a number within the engine's limit is a problem of that field.
    const auto number = [&](NumberField* f, double fallback) {
        const il::NumericLimit& limit = *limits_.value(f);
        const QString range = QString::fromStdString(il::rangeText(limit));
        const QString label = rowOf(f)->label;
        const std::optional<double> v = f->number();
        if (!v) {
            r.problems.insert(
                f, limit.whole ? tr("%1 must be a whole number, %2").arg(label, range) : tr("%1 must be a number, %2").arg(label, range));
            return fallback;
        }
        if (!il::withinLimit(limit, *v)) r.problems.insert(f, tr("%1 must be %2").arg(label, range));
        return *v;
    };
    c.architecture = static_cast<il::Architecture>(valueOf(architecture_));
    c.depth = toInt(number(depth_, base_.depth));
    c.width = toInt(number(width_, base_.width));
    c.channels = toInt(number(channels_, base_.channels));
    c.kernelSize = toInt(number(kernel_, base_.kernelSize));
    c.activation = static_cast<il::Activation>(valueOf(activation_));
    c.bias = bias_->isChecked();
    c.residualForm = static_cast<il::ResidualForm>(valueOf(residual_));
    c.init = static_cast<il::InitScheme>(valueOf(init_));
    c.initScale = number(initScale_, base_.initScale);
    c.optimizer = static_cast<il::OptimizerKind>(valueOf(optimizer_));
    c.lr = number(lr_, base_.lr);
    c.momentum = number(momentum_, base_.momentum);
    c.nesterov = nesterov_->isChecked();
    c.beta1 = number(beta1_, base_.beta1);
    c.beta2 = number(beta2_, base_.beta2);
    c.weightDecay = number(weightDecay_, base_.weightDecay);
    c.schedule = static_cast<il::Schedule>(valueOf(schedule_));
    c.steps = toInt(number(steps_, base_.steps));
    c.dataset = static_cast<il::DatasetKind>(valueOf(dataset_));
    c.trainClass = toInt(number(trainClass_, base_.trainClass));
    c.trainCount = toInt(number(trainCount_, base_.trainCount));
    c.trainIndices.clear();
    QStringList notIndices;
    const QStringList parts = trainIndices_->text().split(QRegularExpression(QStringLiteral("[,;\\s]+")), Qt::SkipEmptyParts);
    for (const QString& p : parts) {
        bool ok = false;
        const int i = p.toInt(&ok);
        if (ok)
            c.trainIndices.push_back(i);
        else
            notIndices << QStringLiteral("'%1'").arg(p);
    }
    if (!notIndices.isEmpty())
        r.problems.insert(
            trainIndices_,
            notIndices.size() == 1
                ? tr("Training images: %1 is not an index (a whole number, 0 or more)").arg(notIndices.front())
                : tr("Training images: %1 are not indices (whole numbers, 0 or more)").arg(notIndices.join(QStringLiteral(", "))));
    if (!c.trainIndices.empty()) {
        c.trainCount = static_cast<int>(c.trainIndices.size());
        r.problems.remove(trainCount_);  // the list says how many; the count field is not used
    }
    c.imageSize = toInt(number(imageSize_, base_.imageSize));
    // Read as 64 bits: a seed above 2^53 is not a double.
    bool exact = false;
    const qulonglong seed = seed_->text().trimmed().toULongLong(&exact);
    const std::optional<double> seedNumber = seed_->number();
    if (exact && seed <= il::kMaxSeed)
        c.seed = seed;
    else if (!exact && seedNumber && *seedNumber >= 0 && *seedNumber < static_cast<double>(il::kMaxSeed))
        c.seed = static_cast<std::uint64_t>(*seedNumber);
    else
        r.problems.insert(seed_, tr("Seed must be a whole number, 0 to %1").arg(il::kMaxSeed));
    c.device = static_cast<il::DevicePreference>(valueOf(device_));
    c.correlation = static_cast<il::CorrelationKind>(valueOf(correlation_));
    return r;
}

il::ExperimentConfig ExperimentPanel::config() const { return read().config; }

void ExperimentPanel::setConfig(const il::ExperimentConfig& c)
{
    loading_ = true;
    base_ = c;
    selectData(architecture_, static_cast<int>(c.architecture));
    depth_->setNumber(c.depth);
    width_->setNumber(c.width);
    channels_->setNumber(c.channels);
    kernel_->setNumber(c.kernelSize);
    selectData(activation_, static_cast<int>(c.activation));
    bias_->setChecked(c.bias);
    selectData(residual_, static_cast<int>(c.residualForm));
    selectData(init_, static_cast<int>(c.init));
    initScale_->setNumber(c.initScale);
    selectData(optimizer_, static_cast<int>(c.optimizer));
    lr_->setNumber(c.lr);
    momentum_->setNumber(c.momentum);
    nesterov_->setChecked(c.nesterov);
    beta1_->setNumber(c.beta1);
    beta2_->setNumber(c.beta2);
    weightDecay_->setNumber(c.weightDecay);
    selectData(schedule_, static_cast<int>(c.schedule));
    steps_->setNumber(c.steps);
    selectData(dataset_, static_cast<int>(c.dataset));
    trainClass_->setNumber(c.trainClass);
    trainCount_->setNumber(c.trainCount);
    QStringList indices;
    for (int i : c.trainIndices) indices << QString::number(i);
    trainIndices_->setText(indices.join(QStringLiteral(", ")));
    imageSize_->setNumber(c.imageSize);
    seed_->setText(QString::number(static_cast<qulonglong>(c.seed)));
    selectData(device_, static_cast<int>(c.device));
    selectData(correlation_, static_cast<int>(c.correlation));
    loading_ = false;
    changed();
    emit committed();
}

QString ExperimentPanel::sizeText() const { return size_->text(); }

QString ExperimentPanel::fieldProblem(const QString& fieldName) const
{
    for (const Row& r : rows_)
        if (r.field->objectName() == fieldName) return fieldProblems_.value(r.field);
    return QString();
}

void ExperimentPanel::setReadOnly(bool readOnly)
{
    readOnly_ = readOnly;
    for (const Row& r : rows_) {
        if (auto* f = qobject_cast<NumberField*>(r.field))
            f->setReadOnly(readOnly);
        else if (auto* e = qobject_cast<QLineEdit*>(r.field))
            e->setReadOnly(readOnly);
        else if (r.field != trainingNoteLabel_)
            r.field->setEnabled(!readOnly);
    }
    browse_->setVisible(!readOnly);
    problemLabel_->setVisible(!problems_.isEmpty() && !readOnly);
}

void ExperimentPanel::setTrainingNote(const QString& note)
{
    trainingNote_ = note;
    trainingNoteLabel_->setText(note);
    updateVisibility(fieldProblems_);
}

void ExperimentPanel::updateVisibility(const QHash<QWidget*, QString>& problems)
{
    // The rows the chosen architecture and optimiser use, as their tables say; a row with a
    // problem stays, so that what keeps the settings from running can be seen and fixed.
    const il::ExperimentConfig c = config();
    using il::Setting;
    const std::pair<QWidget*, Setting> settingRows[] = {
        {width_, Setting::Width}, {channels_, Setting::Channels},      {kernel_, Setting::KernelSize}, {residual_, Setting::ResidualForm},
        {lr_, Setting::Lr},       {momentum_, Setting::Momentum},      {nesterov_, Setting::Nesterov}, {beta1_, Setting::Beta1},
        {beta2_, Setting::Beta2}, {weightDecay_, Setting::WeightDecay}};
    const bool customTraining = !trainingNote_.isEmpty();
    for (const Row& r : rows_) {
        bool visible = true;
        for (const auto& [field, setting] : settingRows)
            if (field == r.field) visible = il::settingApplies(c, setting);
        if (r.field == trainingNoteLabel_) visible = customTraining;
        if (customTraining && (r.field == dataset_ || r.field == trainClass_ || r.field == trainCount_ || r.field == trainIndices_))
            visible = false;
        const QString problem = problems.value(r.field);
        visible = visible || !problem.isEmpty();
        r.form->setRowVisible(r.formWidget, visible);
        // Wrapped here rather than by the label: QFormLayout gives a height-for-width label in
        // a row it hides and shows no height at all.
        r.problem->setText(wrapped(problem, r.problem->fontMetrics(), r.formWidget->width() > 120 ? r.formWidget->width() : 220));
        r.problem->setVisible(!problem.isEmpty());
    }
    // A list of images makes the class and count unused; a problem there stays fixable.
    const bool picked = trainIndices_->text().trimmed().isEmpty();
    trainClass_->setEnabled(!readOnly_ && (picked || problems.contains(trainClass_)));
    trainCount_->setEnabled(!readOnly_ && (picked || problems.contains(trainCount_)));
}

void ExperimentPanel::applyRecipe(int index)
{
    const QString name = recipe_->itemData(index).toString();
    const il::Recipe* recipe = il::findRecipe(name.toStdString());
    if (!recipe || readOnly_) return;  // "custom": the fields stay as they are
    il::ExperimentConfig c = config();
    il::applyRecipe(*recipe, c);
    setConfig(c);  // one commit, as one edit of the fields would be
}

void ExperimentPanel::changed()
{
    if (loading_) return;
    Reading r = read();
    const il::ExperimentConfig& c = r.config;
    {
        const il::Recipe* recipe = il::recipeOf(c);
        const QSignalBlocker quiet(recipe_);
        recipe_->setCurrentIndex(recipe_->findData(recipe ? QString::fromLatin1(recipe->name) : QString()));
    }
    // What the engine refuses besides the fields' own ranges (an even kernel, a ResNet depth,
    // Nesterov without momentum), on the field it is about; keys without a field, below.
    const QHash<QString, QWidget*> fieldOfKey{
        {QStringLiteral("depth"), depth_},
        {QStringLiteral("width"), width_},
        {QStringLiteral("channels"), channels_},
        {QStringLiteral("image_size"), imageSize_},
        {QStringLiteral("kernel_size"), kernel_},
        {QStringLiteral("init_scale"), initScale_},
        {QStringLiteral("lr"), lr_},
        {QStringLiteral("momentum"), momentum_},
        {QStringLiteral("beta1"), beta1_},
        {QStringLiteral("beta2"), beta2_},
        {QStringLiteral("weight_decay"), weightDecay_},
        {QStringLiteral("nesterov"), nesterov_},
        {QStringLiteral("steps"), steps_},
        {QStringLiteral("train_examples"), c.trainIndices.empty() ? static_cast<QWidget*>(trainCount_) : trainIndices_},
        {QStringLiteral("train_class"), trainClass_},
    };
    QStringList general;
    for (const il::ConfigProblem& p : il::configProblems(c)) {
        const QString key = QString::fromStdString(p.key);
        const QString message = QString::fromStdString(p.message);
        QWidget* field = fieldOfKey.value(key);
        if (!field) {
            general << tr("%1: %2").arg(key, message);
            continue;
        }
        if (!r.problems.contains(field)) r.problems.insert(field, tr("%1: %2").arg(rowOf(field)->label, message));
    }
    size_->clear();
    if (r.problems.isEmpty() && general.isEmpty()) {
        try {
            const il::ModelSize size = il::estimateModelSize(c);
            size_->setText(tr("<b>%1</b><br>%2 parameters")
                               .arg(QString::fromStdString(il::describeModel(c)).toHtmlEscaped(),
                                    QString::fromStdString(size.summary()).toHtmlEscaped()));
            il::requireFitsInMemory(size);
        } catch (const il::Error& e) {
            general << QString::fromStdString(e.what());
        }
    }
    // Field by field in the panel's order, then the rest.
    QStringList problems;
    for (const Row& row : rows_) {
        if (auto* f = qobject_cast<NumberField*>(row.field)) f->setProblem(r.problems.value(f));
        const QString problem = r.problems.value(row.field);
        if (!problem.isEmpty()) problems << problem;
        if (!qobject_cast<NumberField*>(row.field)) {
            // A red frame for the text field, red text for a check box.
            const bool marked = !problem.isEmpty();
            if (qobject_cast<QLineEdit*>(row.field))
                row.field->setStyleSheet(marked ? QStringLiteral("QLineEdit { border: 2px solid #c0392b; border-radius: 3px; }")
                                                : QString());
            else if (qobject_cast<QCheckBox*>(row.field))
                row.field->setStyleSheet(marked ? problemStyle() : QString());
        }
    }
    problems << general;
    fieldProblems_ = r.problems;
    updateVisibility(fieldProblems_);
    QStringList escaped;
    for (const QString& p : problems) escaped << p.toHtmlEscaped();
    problemLabel_->setText(problems.isEmpty() ? QString() : tr("<b>Cannot run:</b> %1").arg(escaped.join(QStringLiteral("<br>"))));
    problemLabel_->setVisible(!problems.isEmpty() && !readOnly_);  // a run's settings ran: no "Cannot run" there
    const bool validityChanged_ = problems.isEmpty() != problems_.isEmpty();
    problems_ = problems;
    if (validityChanged_) emit validityChanged(problems_.isEmpty());
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
    emit committed();
}

}  // namespace il::ui
