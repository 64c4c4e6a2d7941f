#pragma once
// Draw a digit (or load / paste a picture) and see the current model's output beside it,
// updated as you draw: requests go to the worker at most every ~60 ms, the newest wins, and
// the GUI thread never waits for an answer. Works during and after training.

#include <QLabel>
#include <QTimer>

#include "ui/canvas/drawing_canvas.h"
#include "ui/views/run_view.h"

class QSlider;
class QToolButton;
class QPushButton;

namespace il::ui {

class TrainingController;

class CanvasView : public RunView {
    Q_OBJECT
public:
    explicit CanvasView(TrainingController* controller, QWidget* parent = nullptr);

    QString viewId() const override { return QStringLiteral("canvas"); }
    QString viewTitle() const override { return tr("Canvas"); }
    QString helpText() const override;
    QImage renderImage(int scale) override;
    bool hasContent() const override;

    DrawingCanvas* canvas() const { return canvas_; }
    const il::Image& modelInput() const { return input_; }
    const il::Image& modelOutput() const { return output_; }
    int predictionsReceived() const { return received_; }
    quint64 requestsSent() const { return sent_; }

    // Larger pictures are decoded at most this many pixels on a side (the canvas keeps 28 x 28);
    // above this many megapixels they are refused before decoding.
    static constexpr int kMaxImageSide = 2048;
    static constexpr double kMaxImageMegapixels = 60.0;  // decodes within Qt's default 256 MiB allocation limit
    // Puts a picture from a file on the canvas. False, with `error` set for the user, when the
    // file is not an image, is damaged, or is too large (no dialog: the tests use this one).
    bool loadImage(const QString& path, QString* error);

public Q_SLOTS:
    // The model changed (a new frame, a new session): ask for a fresh output.
    void modelChanged();
    // loadImage, with a message box on failure.
    void loadImageFile(const QString& path);
    void pasteImage();

Q_SIGNALS:
    void addToProbesRequested(const il::Image& image);
    void useAsTrainingRequested(const il::Image& image);
    void predictionShown();

protected:
    void redraw() override;

private:
    void requestPrediction();
    void showPrediction(quint64 id, const std::vector<il::Image>& outputs);
    il::Image currentInput() const;
    double corr(const std::vector<float>& a, const std::vector<float>& b) const;

    TrainingController* controller_;
    DrawingCanvas* canvas_;
    FigureLabel* inputView_;
    FigureLabel* outputView_;
    QLabel* corr_;
    QLabel* modelLabel_;
    QSlider* brush_;
    QToolButton* pen_;
    QToolButton* eraser_;
    QPushButton* addProbe_;
    QPushButton* useTraining_;
    QTimer throttle_;
    il::Image input_;
    il::Image output_;
    quint64 latest_ = 0;
    quint64 shownId_ = 0;
    quint64 sent_ = 0;
    int received_ = 0;
};

}  // namespace il::ui
