// Compile-time guard of the Qt/LibTorch boundary (CONTRIBUTING.md, "The layers"). Qt defines `slots` as a
// macro and LibTorch has a member named `slots`: a translation unit that sees Qt first and then
// torch fails to compile, unless torch comes through engine/core/torch.h. This file includes
// Qt Widgets and qcustomplot.h (which writes `signals:`) first, then every engine header, so
// the build breaks the day an engine header includes torch the wrong way. The runtime check
// makes sure the generated list is not empty.
#include <QtTest>
#include <QtWidgets>
#include <qcustomplot.h>

#include "all_engine_headers.h"

class TstHeaderBoundary : public QObject {
    Q_OBJECT

private slots:
    void everyEngineHeader_compilesAfterQtAndQCustomPlot()
    {
        // Types from both worlds in one translation unit.
        il::ExperimentConfig config;
        QCOMPARE(config.depth, 5);
        const torch::Tensor t = torch::ones({2});
        QCOMPARE(t.sum().item<float>(), 2.0f);
    }
};

QTEST_GUILESS_MAIN(TstHeaderBoundary)
#include "tst_header_boundary.moc"
