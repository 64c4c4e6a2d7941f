#pragma once
// The QCustomPlot views: correlation vs rho with the Zones A-D, the loss curve, and the
// layer-wise similarity-weighted classifier error. Each configures a live QCustomPlot with
// ui/figures/plots.h and replots with rpQueuedReplot; exports go through the same functions.

#include <QLabel>
#include <QPushButton>
#include <QSpinBox>

#include "ui/figures/plots.h"
#include "ui/views/run_view.h"

class QCustomPlot;

namespace il::ui {

class PlotView : public RunView {
    Q_OBJECT
public:
    explicit PlotView(QWidget* parent = nullptr);
    bool exportPdf(const QString& path, int scale, QString* error) override;  // vector; scale plays no part
    bool exportSvg(const QString& path, int scale, QString* error) override;  // vector; scale plays no part
    QImage renderImage(int scale) override;
    QCustomPlot* plot() const { return plot_; }
    static QSize exportSize() { return defaultPlotSize(); }

protected:
    // Fills `plot` with the data of the run at the shown step; false when there is nothing.
    virtual bool configure(QCustomPlot* plot) = 0;
    void redraw() override;

    QCustomPlot* plot_;
    QLabel* header_;
};

class RhoView : public PlotView {
    Q_OBJECT
public:
    explicit RhoView(QWidget* parent = nullptr);
    QString viewId() const override { return QStringLiteral("rho-zones"); }
    QString viewTitle() const override { return tr("Rho zones"); }
    QString helpText() const override;
    bool hasContent() const override;
    std::vector<RhoRun> rhoRuns() const;

protected:
    bool configure(QCustomPlot* plot) override;
};

class LossView : public PlotView {
    Q_OBJECT
public:
    explicit LossView(QWidget* parent = nullptr);
    QString viewId() const override { return QStringLiteral("loss"); }
    QString viewTitle() const override { return tr("Loss"); }
    QString helpText() const override;
    bool hasContent() const override;

protected:
    bool configure(QCustomPlot* plot) override;
};

class LayerErrorView : public PlotView {
    Q_OBJECT
public:
    explicit LayerErrorView(QWidget* parent = nullptr);
    QString viewId() const override { return QStringLiteral("layer-classifier"); }
    QString viewTitle() const override { return tr("Layer classifier"); }
    QString helpText() const override;
    bool hasContent() const override;

    void setComputing(bool computing);
    int imageCount() const { return images_->value(); }
    QPushButton* computeButton() const { return compute_; }

Q_SIGNALS:
    void computeRequested(int images);

protected:
    bool configure(QCustomPlot* plot) override;

private:
    QPushButton* compute_;
    QSpinBox* images_;
    QLabel* status_;
};

}  // namespace il::ui
