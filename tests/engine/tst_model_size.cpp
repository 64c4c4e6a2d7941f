// Parameter counts: the paper's figures (bias off), the formula of model_size.h against the real
// LibTorch network, and the memory check that refuses what cannot fit.
#include <QtTest>

#include "engine/core/errors.h"
#include "engine/train/diagnostics.h"
#include "engine/train/model_size.h"

using namespace il;

class TstModelSize : public QObject {
    Q_OBJECT

private:
    static ExperimentConfig cnn(int k, int c, int depth)
    {
        ExperimentConfig cfg;
        cfg.architecture = Architecture::Cnn;
        cfg.kernelSize = k;
        cfg.channels = c;
        cfg.depth = depth;
        cfg.bias = false;
        return cfg;
    }

private slots:
    void weightsOnly_matchThePapersCounts_data()
    {
        QTest::addColumn<int>("kernel");
        QTest::addColumn<int>("channels");
        QTest::addColumn<int>("depth");
        QTest::addColumn<bool>("fcn");
        QTest::addColumn<qlonglong>("expected");
        QTest::newRow("k5 C3 L5 (talk: 825)") << 5 << 3 << 5 << false << 825LL;
        QTest::newRow("k5 C128 L5 (1M)") << 5 << 128 << 5 << false << 1235200LL;
        QTest::newRow("k5 C1024 L5 (78M)") << 5 << 1024 << 5 << false << 78694400LL;
        QTest::newRow("k7 C128 L6 (3.2M)") << 7 << 128 << 6 << false << 3223808LL;
        QTest::newRow("k7 C128 L7 (4.0M)") << 7 << 128 << 7 << false << 4026624LL;
        QTest::newRow("FCN L6 (3.6M)") << 1 << 0 << 6 << true << 3687936LL;
    }
    void weightsOnly_matchThePapersCounts()
    {
        QFETCH(int, kernel);
        QFETCH(int, channels);
        QFETCH(int, depth);
        QFETCH(bool, fcn);
        QFETCH(qlonglong, expected);
        ExperimentConfig cfg = cnn(kernel, std::max(channels, 1), depth);
        if (fcn) cfg.architecture = Architecture::Fcn;
        const ModelSize formula = estimateModelSize(cfg);
        QCOMPARE(formula.weights, expected);
        QCOMPARE(formula.biases, 0LL);
        QCOMPARE(formula.parameters(), expected);
    }

    void formula_equalsTheBuiltNetwork_data()
    {
        QTest::addColumn<int>("architecture");
        QTest::addColumn<int>("depth");
        QTest::addColumn<bool>("bias");
        QTest::addColumn<int>("imageSize");
        QTest::newRow("cnn 5 bias") << int(Architecture::Cnn) << 5 << true << 28;
        QTest::newRow("cnn 1") << int(Architecture::Cnn) << 1 << true << 28;
        QTest::newRow("fcn 3 bias") << int(Architecture::Fcn) << 3 << true << 28;
        QTest::newRow("fcn 2 at 14x14") << int(Architecture::Fcn) << 2 << false << 14;
        QTest::newRow("resnet fcn 6") << int(Architecture::ResnetFcn) << 6 << true << 28;
        QTest::newRow("resnet fcn 6 at 14 (plain ends)") << int(Architecture::ResnetFcn) << 6 << true << 14;
        QTest::newRow("resnet cnn 6") << int(Architecture::ResnetCnn) << 6 << true << 28;
    }
    void formula_equalsTheBuiltNetwork()
    {
        QFETCH(int, architecture);
        QFETCH(int, depth);
        QFETCH(bool, bias);
        QFETCH(int, imageSize);
        ExperimentConfig cfg;
        cfg.architecture = static_cast<Architecture>(architecture);
        cfg.depth = depth;
        cfg.bias = bias;
        cfg.channels = 8;
        cfg.width = 100;
        if (cfg.architecture == Architecture::ResnetFcn && imageSize == 28) cfg.width = 784;
        cfg.imageSize = imageSize;
        const ModelSize formula = estimateModelSize(cfg);
        const ModelSize built = countNetworkParameters(cfg);
        QCOMPARE(formula.weights, built.weights);
        QCOMPARE(formula.biases, built.biases);
    }

    void cnnWithBias_countsOneBiasPerOutputChannel()
    {
        ExperimentConfig cfg = cnn(5, 128, 5);
        cfg.bias = true;
        QCOMPARE(estimateModelSize(cfg).biases, 4LL * 128 + 1);  // (L-1) C + 1
    }

    void memoryEstimate_growsWithTheModel_andRefusesWhatCannotFit()
    {
        const ModelSize small = estimateModelSize(cnn(5, 128, 5));
        const ModelSize large = estimateModelSize(cnn(5, 1024, 5));
        QVERIFY(small.trainingBytes > 4LL * 3 * small.parameters());  // parameters, grads, momentum at least
        QVERIFY(large.trainingBytes > 10 * small.trainingBytes);      // 64x the weights, 8x the activations and workspace
        requireFitsInMemory(small, 24LL << 30);
        QVERIFY_THROWS_EXCEPTION(ResourceError, requireFitsInMemory(large, 256LL << 20));
    }

    void formatting_isReadable()
    {
        QCOMPARE(QString::fromStdString(formatCount(1235200)), QStringLiteral("1,235,200"));
        QCOMPARE(QString::fromStdString(formatCount(825)), QStringLiteral("825"));
        QCOMPARE(QString::fromStdString(formatBytes(1536)), QStringLiteral("1.5 KB"));
    }
};

QTEST_GUILESS_MAIN(TstModelSize)
#include "tst_model_size.moc"
