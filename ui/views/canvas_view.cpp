#include "ui/views/canvas_view.h"

#include <QApplication>
#include <QButtonGroup>
#include <QClipboard>
#include <QFileDialog>
#include <QGridLayout>
#include <QHBoxLayout>
#include <QImageReader>
#include <QMessageBox>
#include <QMimeData>
#include <QPainter>
#include <QPushButton>
#include <QSlider>
#include <QStyle>
#include <QToolButton>
#include <QVBoxLayout>

#include <cmath>

#include "engine/metrics/correlation.h"
#include "ui/figures/image_convert.h"
#include "ui/figures/probe_grid.h"
#include "ui/training/training_controller.h"

namespace il::ui {

namespace {

QToolButton* toolButton(QWidget* parent, const QString& text, const QString& tip, const QKeySequence& key = {})
{
    auto* b = new QToolButton(parent);
    b->setText(text);
    b->setToolTip(key.isEmpty() ? tip : QStringLiteral("%1 (%2)").arg(tip, key.toString(QKeySequence::NativeText)));
    b->setAccessibleName(text);
    if (!key.isEmpty()) b->setShortcut(key);
    b->setMinimumHeight(30);
    return b;
}

}  // namespace

double CanvasView::corr(const std::vector<float>& a, const std::vector<float>& b) const
{
    if (a.empty() || a.size() != b.size()) return std::nan("");
    return il::correlation(run_ ? run_->config.correlation : il::CorrelationKind::Pearson, a, b);
}

CanvasView::CanvasView(TrainingController* controller, QWidget* parent) : RunView(parent), controller_(controller)
{
    auto* outer = new QVBoxLayout(this);
    outer->setContentsMargins(8, 8, 8, 8);
    auto* tools = new QHBoxLayout;
    pen_ = toolButton(this, tr("Pen"), tr("Draw white strokes"), QKeySequence(Qt::Key_P));
    eraser_ = toolButton(this, tr("Eraser"), tr("Erase to black"), QKeySequence(Qt::Key_E));
    pen_->setCheckable(true);
    eraser_->setCheckable(true);
    pen_->setChecked(true);
    auto* group = new QButtonGroup(this);
    group->addButton(pen_);
    group->addButton(eraser_);
    brush_ = new QSlider(Qt::Horizontal, this);
    brush_->setRange(5, 50);  // tenths of a model pixel
    brush_->setValue(22);
    brush_->setAccessibleName(tr("Brush size"));
    brush_->setToolTip(tr("Brush width in model pixels (MNIST strokes are about 2-3 pixels wide)."));
    auto* undo = toolButton(this, tr("Undo"), tr("Undo the last stroke"), QKeySequence::Undo);
    auto* redo = toolButton(this, tr("Redo"), tr("Redo"), QKeySequence::Redo);
    auto* clear = toolButton(this, tr("Clear"), tr("Clear the sheet"), QKeySequence(Qt::CTRL | Qt::Key_Delete));
    auto* load = toolButton(this, tr("Load..."), tr("Load an image file; it is made MNIST-like (grey, centred, 20 px box)"));
    auto* paste = toolButton(this, tr("Paste"), tr("Paste an image from the clipboard"), QKeySequence::Paste);
    for (QWidget* w : {static_cast<QWidget*>(pen_), static_cast<QWidget*>(eraser_)}) tools->addWidget(w);
    tools->addWidget(new QLabel(tr("brush"), this));
    tools->addWidget(brush_);
    for (QWidget* w : {static_cast<QWidget*>(undo), static_cast<QWidget*>(redo), static_cast<QWidget*>(clear), static_cast<QWidget*>(load),
                       static_cast<QWidget*>(paste)})
        tools->addWidget(w);
    brush_->setMinimumWidth(90);
    tools->addStretch(1);
    canvas_ = new DrawingCanvas(this);
    auto* main = new QHBoxLayout;
    main->addWidget(canvas_, 3);

    // Right: what the model sees and what it makes of it.
    auto* right = new QVBoxLayout;
    modelLabel_ = makeHeader();
    auto* grid = new QGridLayout;
    inputView_ = new FigureLabel(this);
    inputView_->setAccessibleName(tr("Model input"));
    inputView_->setToolTip(tr("Your drawing as the model sees it: 28 x 28, centred by its centre of mass, like MNIST."));
    inputView_->setPlaceholder(tr("draw on the left"));
    outputView_ = new FigureLabel(this);
    outputView_->setAccessibleName(tr("Model output"));
    outputView_->setToolTip(
        tr("The network's output for your drawing. Identity: your drawing comes back.\n"
           "Constant: the training image comes back, whatever you draw."));
    outputView_->setPlaceholder(tr("no model yet: train one, or press Reset to build the untrained network"));
    auto* inCaption = new QLabel(tr("<b>input</b> (28 x 28)"), this);
    auto* outCaption = new QLabel(tr("<b>output</b>"), this);
    grid->addWidget(inCaption, 0, 0, Qt::AlignHCenter);
    grid->addWidget(outCaption, 0, 1, Qt::AlignHCenter);
    grid->addWidget(inputView_, 1, 0);
    grid->addWidget(outputView_, 1, 1);
    grid->setRowStretch(1, 1);
    corr_ = new QLabel(this);
    corr_->setObjectName(QStringLiteral("canvasCorrelation"));
    corr_->setTextFormat(Qt::RichText);
    corr_->setAlignment(Qt::AlignCenter);
    corr_->setWordWrap(true);
    QFont big = corr_->font();
    big.setPointSizeF(big.pointSizeF() * 1.25);
    corr_->setFont(big);
    addProbe_ = new QPushButton(tr("Add to probe set"), this);
    addProbe_->setAccessibleName(tr("Add the drawing to the probe set"));
    addProbe_->setToolTip(tr("Adds the drawing as a column of the Outputs view (group 'user'), evaluated at every snapshot."));
    useTraining_ = new QPushButton(tr("Use as training image"), this);
    useTraining_->setAccessibleName(tr("Use the drawing as the training image"));
    useTraining_->setToolTip(tr("Train the network of the experiment panel on your drawing instead of a data set image."));
    auto* buttons = new QHBoxLayout;
    buttons->addWidget(addProbe_);
    buttons->addWidget(useTraining_);
    right->addLayout(grid, 1);
    right->addWidget(corr_);
    right->addLayout(buttons);
    main->addLayout(right, 2);
    outer->addLayout(tools);
    outer->addWidget(modelLabel_);
    outer->addLayout(main, 1);

    throttle_.setSingleShot(true);
    throttle_.setInterval(60);
    connect(&throttle_, &QTimer::timeout, this, &CanvasView::requestPrediction);
    connect(canvas_, &DrawingCanvas::changed, this, [this] {
        if (!throttle_.isActive()) throttle_.start();
    });
    connect(canvas_, &DrawingCanvas::strokeFinished, this, [this] {
        // The last movement of a stroke must not be lost to the throttle.
        if (!throttle_.isActive()) throttle_.start();
    });
    connect(brush_, &QSlider::valueChanged, this, [this](int v) { canvas_->setBrushSize(v / 10.0); });
    connect(pen_, &QToolButton::toggled, this, [this](bool on) {
        if (on) canvas_->setTool(DrawingCanvas::Tool::Pen);
    });
    connect(eraser_, &QToolButton::toggled, this, [this](bool on) {
        if (on) canvas_->setTool(DrawingCanvas::Tool::Eraser);
    });
    connect(undo, &QToolButton::clicked, canvas_, &DrawingCanvas::undo);
    connect(redo, &QToolButton::clicked, canvas_, &DrawingCanvas::redo);
    connect(clear, &QToolButton::clicked, canvas_, &DrawingCanvas::clear);
    connect(paste, &QToolButton::clicked, this, &CanvasView::pasteImage);
    connect(load, &QToolButton::clicked, this, [this] {
        const QString path = QFileDialog::getOpenFileName(this, tr("Load an image"), QString(),
                                                          tr("Images (*.png *.jpg *.jpeg *.bmp *.pgm *.gif *.webp);;All files (*)"));
        if (!path.isEmpty()) loadImageFile(path);
    });
    connect(addProbe_, &QPushButton::clicked, this, [this] {
        if (!canvas_->isBlank()) emit addToProbesRequested(currentInput());
    });
    connect(useTraining_, &QPushButton::clicked, this, [this] {
        if (!canvas_->isBlank()) emit useAsTrainingRequested(currentInput());
    });
    if (controller_) connect(controller_, &TrainingController::predictionReady, this, &CanvasView::showPrediction);
}

QString CanvasView::helpText() const
{
    return tr(
        "<b>Canvas</b>: draw anything and see what the current network makes of it, live, during or after "
        "training. A network that learned the identity gives your drawing back; one that learned the constant "
        "draws its training 7 whatever you draw. Load or paste a picture to try real images; add a drawing "
        "to the probe set to follow it through training.");
}

bool CanvasView::hasContent() const { return !canvas_->isBlank(); }

il::Image CanvasView::currentInput() const
{
    const int size = run_ ? run_->config.imageSize : 28;
    return canvas_->toModelInput(size);
}

void CanvasView::modelChanged()
{
    if (!canvas_->isBlank() && !throttle_.isActive()) throttle_.start();
}

void CanvasView::requestPrediction()
{
    input_ = currentInput();
    const int up = std::max(1, 224 / std::max(1, input_.width));
    inputView_->setImage(toQImage(input_, up));
    if (!controller_) return;
    if (run_ && run_->id == 0) {
        // A run opened from a folder without checkpoint.pt: the worker's model is another run's.
        output_ = il::Image();
        outputView_->setImage({});
        corr_->setText(tr("<i>no weights: this run was opened from a folder without checkpoint.pt</i>"));
        emit predictionShown();
        return;
    }
    latest_ = controller_->requestPrediction({input_});
    ++sent_;
}

void CanvasView::showPrediction(quint64 id, const std::vector<il::Image>& outputs)
{
    if (id < shownId_) return;  // an older answer overtaken by a newer one
    shownId_ = id;
    ++received_;
    if (outputs.empty()) {
        output_ = il::Image();
        outputView_->setImage({});
        corr_->setText(tr("<i>no model yet</i>"));
        emit predictionShown();
        return;
    }
    output_ = outputs.front();
    const int up = std::max(1, 224 / std::max(1, output_.width));
    outputView_->setImage(toQImage(output_, up));
    const double id_ = corr(output_.pixels, input_.pixels);
    double constant = std::nan("");
    if (run_ && !run_->trainingImages.empty() && run_->trainingImages.front().size() == output_.size())
        constant = corr(output_.pixels, run_->trainingImages.front().pixels);
    corr_->setText(tr("identity: corr with your drawing <b>%1</b><br>constant: corr with the training image <b>%2</b>")
                       .arg(formatCorrelation(id_), formatCorrelation(constant)));
    emit predictionShown();
}

bool CanvasView::loadImage(const QString& path, QString* error)
{
    auto fail = [&](const QString& message) {
        if (error) *error = message;
        return false;
    };
    QImageReader reader(path);
    reader.setAutoTransform(true);
    // The header first: a file that is not an image fails here, and a huge one is refused or
    // decoded smaller before gigabytes are allocated for a picture that ends up 28 x 28.
    const QSize size = reader.size();
    if (!reader.canRead() || !size.isValid())
        return fail(tr("Cannot read %1: it is not an image IdentityLab can open (%2)").arg(path, reader.errorString()));
    const double megapixels = double(size.width()) * size.height() / 1e6;
    if (megapixels > kMaxImageMegapixels)
        return fail(tr("%1 is %2 x %3 pixels (%4 megapixels); images above %5 megapixels are refused so that loading "
                       "them cannot exhaust the memory. Scale it down first.")
                        .arg(path)
                        .arg(size.width())
                        .arg(size.height())
                        .arg(megapixels, 0, 'f', 0)
                        .arg(kMaxImageMegapixels, 0, 'f', 0));
    if (std::max(size.width(), size.height()) > kMaxImageSide)
        reader.setScaledSize(size.scaled(kMaxImageSide, kMaxImageSide, Qt::KeepAspectRatio));
    const QImage picture = reader.read();
    if (picture.isNull()) return fail(tr("Cannot read %1: %2").arg(path, reader.errorString()));
    canvas_->setPicture(picture);
    return true;
}

void CanvasView::loadImageFile(const QString& path)
{
    QString error;
    if (!loadImage(path, &error)) QMessageBox::warning(this, tr("Load an image"), error);
}

void CanvasView::pasteImage()
{
    const QMimeData* mime = QApplication::clipboard()->mimeData();
    if (mime && mime->hasImage()) {
        canvas_->setPicture(qvariant_cast<QImage>(mime->imageData()));
    } else if (mime && mime->hasUrls() && !mime->urls().isEmpty() && mime->urls().front().isLocalFile()) {
        loadImageFile(mime->urls().front().toLocalFile());
    }
}

void CanvasView::redraw()
{
    outputView_->setPlaceholder(run_ ? tr("draw on the left: the model's output appears here")
                                     : tr("no model yet: train one, or press Reset to build the untrained network"));
    if (!run_) {
        modelLabel_->setText(tr("No model yet."));
        return;
    }
    const TrainingFrame* f = run_->frameAt(-1);
    modelLabel_->setText(tr("Model: <b>%1</b>%2").arg(run_->title().toHtmlEscaped(), f ? tr(" at step %1").arg(f->step) : QString()));
}

QImage CanvasView::renderImage(int scale)
{
    if (canvas_->isBlank()) return {};
    ProbeGridData data;
    ProbeGridRow row;
    row.label = run_ ? run_->shortTitle() : tr("model");
    il::ProbeOutcome o;
    o.name = tr("your drawing").toStdString();
    o.group = il::ProbeGroup::User;
    o.input = input_.empty() ? currentInput() : input_;
    o.output = output_;
    o.corrIdentity = corr(o.output.pixels, o.input.pixels);
    o.corrConstant = (run_ && !run_->trainingImages.empty() && run_->trainingImages.front().size() == o.output.size())
                         ? corr(o.output.pixels, run_->trainingImages.front().pixels)
                         : std::nan("");
    row.outcomes.push_back(o);
    data.rows.push_back(row);
    ProbeGridOptions options;
    options.cellSize = 112;
    options.showCaptions = true;
    options.showColumnTitles = true;
    options.trainingColumns = 0;
    const QSize logical = probeGridLayout(data, options).size;
    options.style.scale = std::max(1, scale);
    return exactlyScaled(renderProbeGrid(data, options), logical, options.style.scale);
}

}  // namespace il::ui
