#pragma once
// One slider over the snapshots recorded while training: moving it scrubs every view to the
// same step; "Live" follows the newest frame again.

#include <QWidget>

#include "ui/run/run_record.h"

class QLabel;
class QSlider;
class QToolButton;

namespace il::ui {

class HistoryBar : public QWidget {
    Q_OBJECT
public:
    explicit HistoryBar(QWidget* parent = nullptr);

    void setRun(const RunPtr& run);
    void framesChanged();  // the run got a frame: extend the slider
    int step() const;      // -1 when live
    QSlider* slider() const { return slider_; }
    QToolButton* liveButton() const { return live_; }
    void setLive();

Q_SIGNALS:
    void stepChanged(int step);  // -1: live

private:
    void sliderMoved(int index);
    RunPtr run_;
    QSlider* slider_;
    QToolButton* live_;
    QLabel* label_;
    int step_ = -1;
};

}  // namespace il::ui
