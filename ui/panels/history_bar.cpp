#include "ui/panels/history_bar.h"

#include <QHBoxLayout>
#include <QLabel>
#include <QSlider>
#include <QToolButton>

namespace il::ui {

HistoryBar::HistoryBar(QWidget* parent) : QWidget(parent)
{
    setObjectName(QStringLiteral("historyBar"));
    auto* row = new QHBoxLayout(this);
    row->setContentsMargins(8, 2, 8, 2);
    auto* title = new QLabel(tr("History"), this);
    title->setToolTip(tr("Snapshots recorded while training: drag to see every view at an earlier step."));
    slider_ = new QSlider(Qt::Horizontal, this);
    slider_->setObjectName(QStringLiteral("historySlider"));
    slider_->setAccessibleName(tr("History step"));
    slider_->setToolTip(title->toolTip());
    slider_->setRange(0, 0);
    slider_->setEnabled(false);
    slider_->setTickPosition(QSlider::TicksBelow);
    live_ = new QToolButton(this);
    live_->setObjectName(QStringLiteral("historyLive"));
    live_->setText(tr("Live"));
    live_->setCheckable(true);
    live_->setChecked(true);
    live_->setAccessibleName(tr("Follow the newest step"));
    live_->setToolTip(tr("Follow training as it goes (the newest snapshot)."));
    label_ = new QLabel(this);
    label_->setMinimumWidth(150);
    row->addWidget(title);
    row->addWidget(slider_, 1);
    row->addWidget(label_);
    row->addWidget(live_);
    connect(slider_, &QSlider::valueChanged, this, &HistoryBar::sliderMoved);
    connect(live_, &QToolButton::toggled, this, [this](bool on) {
        if (on)
            setLive();
        else
            sliderMoved(slider_->value());
    });
}

void HistoryBar::setRun(const RunPtr& run)
{
    run_ = run;
    setLive();
    framesChanged();
}

int HistoryBar::step() const { return step_; }

void HistoryBar::setLive()
{
    const QSignalBlocker block(live_);
    live_->setChecked(true);
    if (step_ != -1) {
        step_ = -1;
        emit stepChanged(-1);
    }
    framesChanged();
}

void HistoryBar::framesChanged()
{
    const int frames = run_ ? static_cast<int>(run_->history.size()) : 0;
    const QSignalBlocker block(slider_);
    slider_->setEnabled(frames > 1);
    slider_->setRange(0, std::max(0, frames - 1));
    slider_->setTickInterval(std::max(1, frames / 25));
    if (step_ < 0) {
        slider_->setValue(std::max(0, frames - 1));
        label_->setText(frames > 0 ? tr("step %1 (live)").arg(run_->history.back().step) : QString());
    }
}

void HistoryBar::sliderMoved(int index)
{
    if (!run_ || index < 0 || index >= static_cast<int>(run_->history.size())) return;
    const int step = run_->history[static_cast<std::size_t>(index)].step;
    {
        const QSignalBlocker block(live_);
        live_->setChecked(false);
    }
    label_->setText(tr("step %1 of %2").arg(step).arg(run_->config.steps));
    if (step_ != step) {
        step_ = step;
        emit stepChanged(step);
    }
}

}  // namespace il::ui
