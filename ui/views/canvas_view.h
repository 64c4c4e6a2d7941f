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

public Q_SLOTS:
    // The model changed (a new frame, a new session): ask for a fresh output.
    void modelChanged();
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
