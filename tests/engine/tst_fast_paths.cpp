// The fast training paths compute what the generic one does. Each is run beside the reference
// (LibTorch's autograd and torch::optim::SGD, PyTorch's own code) from the same initial
// weights, and after a few dozen steps every parameter must agree to 1e-5 relative (float
// rounding, not a different algorithm). Also: which configs get the fused FCN step, that a
// session's fused run follows the forced generic one, and that the old SGD checkpoint format
// still loads.
#include "engine/nn/fast_fcn.h"
#include "engine/nn/initialization.h"
#include "engine/nn/network.h"
#include "engine/nn/optimizers.h"
#include "engine/nn/training_path.h"

#include <QtTest>

#include "engine/metrics/correlation.h"
#include "engine/metrics/rho_inputs.h"
#include "engine/train/model_size.h"
#include "engine/train/training_session.h"

using namespace il;

namespace {

ExperimentConfig fcn(Architecture a, int depth, int width)
{
    ExperimentConfig c;
    c.architecture = a;
    c.depth = depth;
    c.width = width;
    c.init = InitScheme::PytorchDefault;  // nonzero biases: their update is checked too
    c.optimizer = OptimizerKind::Sgd;
    c.lr = 0.01;
    c.momentum = 0.9;
    c.schedule = Schedule::Constant;
    return c;
}

nn::Network makeNetwork(const ExperimentConfig& c)
{
    torch::manual_seed(static_cast<std::uint64_t>(c.seed));
    nn::Network net(c);
    nn::initialize(net, c.init, c.initScale);
    return net;
}

torch::Tensor images(int n, int channels = 1)
{
    torch::manual_seed(123);
    return torch::rand({n, channels, 28, 28});
}

// max |a - b| / max |a| over one tensor.
double relativeDifference(const torch::Tensor& a, const torch::Tensor& b)
{
    const double scale = a.abs().max().item<double>();
    return (a - b).abs().max().item<double>() / std::max(scale, 1e-30);
}

double worstParameterDifference(const nn::Network& a, const nn::Network& b)
{
    const auto pa = a->parameters(), pb = b->parameters();
    double worst = 0.0;
    for (std::size_t i = 0; i < pa.size(); ++i) worst = std::max(worst, relativeDifference(pa[i], pb[i]));
    return worst;
}

// The reference step: autograd and LibTorch's SGD, as the generic path did before FusedSgd.
double referenceStep(nn::Network& net, torch::optim::SGD& sgd, const torch::Tensor& x)
{
    sgd.zero_grad();
    const torch::Tensor loss = torch::mse_loss(net->forward(x), x);
    loss.backward();
    sgd.step();
    return loss.item<double>();
}

torch::optim::SGD referenceSgd(nn::Network& net, const ExperimentConfig& c)
{
    return torch::optim::SGD(net->parameters(),
                             torch::optim::SGDOptions(c.lr).momentum(c.momentum).nesterov(c.nesterov).weight_decay(c.weightDecay));
}

struct ThreadCount {
    explicit ThreadCount(int n) : saved(torch::get_num_threads()) { torch::set_num_threads(n); }
    ~ThreadCount() { torch::set_num_threads(saved); }
    int saved;
};

}  // namespace

class TstFastPaths : public QObject {
    Q_OBJECT

private slots:
    void fusedFcnStep_matchesAutogradAndLibTorchSgd_data()
    {
        QTest::addColumn<int>("architecture");
        QTest::addColumn<int>("depth");
        QTest::addColumn<int>("width");
        QTest::addColumn<int>("activation");
        QTest::addColumn<int>("residualForm");
        QTest::addColumn<bool>("bias");
        QTest::addColumn<int>("batch");
        QTest::addColumn<bool>("nesterov");
        QTest::addColumn<double>("weightDecay");
        QTest::addColumn<double>("momentum");
        QTest::addColumn<int>("threads");
        const int fcnA = int(Architecture::Fcn), res = int(Architecture::ResnetFcn);
        const int relu = int(Activation::Relu), tanh = int(Activation::Tanh), leaky = int(Activation::LeakyRelu),
                  linear = int(Activation::Linear);
        const int talk = int(ResidualForm::Talk), post = int(ResidualForm::PostActivation);
        // The bench's fcn3 at full width on two threads: two row chunks and their partial sums.
        QTest::newRow("fcn 3x784 relu, 2 threads") << fcnA << 3 << 784 << relu << talk << true << 1 << false << 0.0 << 0.9 << 2;
        QTest::newRow("fcn 3x784 relu, 1 thread") << fcnA << 3 << 784 << relu << talk << true << 1 << false << 0.0 << 0.9 << 1;
        QTest::newRow("fcn 1 linear, no bias (Theorem 1)") << fcnA << 1 << 784 << linear << talk << false << 1 << false << 0.0 << 0.9 << 2;
        QTest::newRow("fcn 4x64 tanh") << fcnA << 4 << 64 << tanh << talk << true << 1 << false << 0.0 << 0.9 << 1;
        QTest::newRow("fcn 3x96 leaky relu, batch 3") << fcnA << 3 << 96 << leaky << talk << true << 3 << false << 0.0 << 0.9 << 2;
        QTest::newRow("fcn 2x64 nesterov, weight decay") << fcnA << 2 << 64 << relu << talk << true << 1 << true << 1e-3 << 0.9 << 1;
        QTest::newRow("fcn 2x64 plain sgd, batch 2") << fcnA << 2 << 64 << relu << talk << true << 2 << false << 0.0 << 0.0 << 1;
        QTest::newRow("resnet-fcn 6x784 talk, 2 threads") << res << 6 << 784 << relu << talk << true << 1 << false << 0.0 << 0.9 << 2;
        QTest::newRow("resnet-fcn 4x784 post-activation") << res << 4 << 784 << relu << post << true << 1 << false << 0.0 << 0.9 << 1;
        QTest::newRow("resnet-fcn 6x64 plain ends, tanh, post") << res << 6 << 64 << tanh << post << true << 1 << false << 0.0 << 0.9 << 1;
        QTest::newRow("resnet-fcn 6x64 plain ends, talk, batch 2")
            << res << 6 << 64 << relu << talk << false << 2 << false << 0.0 << 0.9 << 2;
    }
    void fusedFcnStep_matchesAutogradAndLibTorchSgd()
    {
        QFETCH(int, architecture);
        QFETCH(int, depth);
        QFETCH(int, width);
        QFETCH(int, activation);
        QFETCH(int, residualForm);
        QFETCH(bool, bias);
        QFETCH(int, batch);
        QFETCH(bool, nesterov);
        QFETCH(double, weightDecay);
        QFETCH(double, momentum);
        QFETCH(int, threads);
        const ThreadCount threadCount(threads);
        ExperimentConfig c = fcn(static_cast<Architecture>(architecture), depth, width);
        c.activation = static_cast<Activation>(activation);
        c.residualForm = static_cast<ResidualForm>(residualForm);
        c.bias = bias;
        c.nesterov = nesterov;
        c.weightDecay = weightDecay;
        c.momentum = momentum;
        QCOMPARE(nn::chooseTrainingPath(c, true, batch), nn::TrainingPath::FusedFcn);

        nn::Network reference = makeNetwork(c), fused = makeNetwork(c);
        QCOMPARE(worstParameterDifference(reference, fused), 0.0);  // the same start
        torch::optim::SGD sgd = referenceSgd(reference, c);
        nn::FusedSgd fusedSgd(fused->parameters(), c.lr, c.momentum, c.nesterov, c.weightDecay);
        nn::FastFcnTrainer trainer(fused, c, fusedSgd);
        const torch::Tensor x = images(batch);
        constexpr int kSteps = 25;
        for (int s = 0; s < kSteps; ++s) {
            const double expected = referenceStep(reference, sgd, x);
            const double loss = trainer.step(x);
            QVERIFY2(std::abs(loss - expected) <= 1e-5 * std::abs(expected),
                     qPrintable(QStringLiteral("step %1: loss %2, reference %3").arg(s).arg(loss, 0, 'g', 9).arg(expected, 0, 'g', 9)));
        }
        const double worst = worstParameterDifference(reference, fused);
        QVERIFY2(worst <= 1e-5, qPrintable(QStringLiteral("parameters differ by %1 relative").arg(worst)));
        // Training moved the weights: the comparison is not between two untouched copies.
        QVERIFY(worstParameterDifference(reference, makeNetwork(c)) > 1e-4);
    }

    void fusedSgd_matchesLibTorchSgdOnACnn_data()
    {
        QTest::addColumn<bool>("nesterov");
        QTest::addColumn<double>("weightDecay");
        QTest::addColumn<double>("momentum");
        QTest::newRow("momentum") << false << 0.0 << 0.9;
        QTest::newRow("nesterov, weight decay") << true << 1e-3 << 0.9;
        QTest::newRow("no momentum") << false << 0.0 << 0.0;
    }
    void fusedSgd_matchesLibTorchSgdOnACnn()
    {
        QFETCH(bool, nesterov);
        QFETCH(double, weightDecay);
        QFETCH(double, momentum);
        const ThreadCount threadCount(2);
        ExperimentConfig c;
        c.architecture = Architecture::Cnn;
        c.depth = 3;
        c.channels = 48;
        c.kernelSize = 5;
        c.init = InitScheme::PytorchDefault;
        c.lr = 0.02;
        c.nesterov = nesterov;
        c.weightDecay = weightDecay;
        c.momentum = momentum;
        QCOMPARE(nn::chooseTrainingPath(c, true, 1), nn::TrainingPath::Autograd);
        nn::Network reference = makeNetwork(c), fused = makeNetwork(c);
        torch::optim::SGD sgd = referenceSgd(reference, c);
        std::unique_ptr<nn::Optimizer> fusedSgd = nn::makeOptimizer(c, fused->parameters());
        QVERIFY(dynamic_cast<nn::FusedSgd*>(fusedSgd.get()));
        const torch::Tensor x = images(1);
        for (int s = 0; s < 15; ++s) {
            const double expected = referenceStep(reference, sgd, x);
            nn::clearGradients(fused->parameters());
            const torch::Tensor loss = torch::mse_loss(fused->forward(x), x);
            loss.backward();
            fusedSgd->step();
            QVERIFY(std::abs(loss.item<double>() - expected) <= 1e-5 * std::abs(expected));
        }
        const double worst = worstParameterDifference(reference, fused);
        QVERIFY2(worst <= 1e-5, qPrintable(QStringLiteral("parameters differ by %1 relative").arg(worst)));
        QVERIFY(worstParameterDifference(reference, makeNetwork(c)) > 1e-4);
    }

    void pathChoice_fusedOnlyForSgdFcnsOnTheCpuWithSmallBatches()
    {
        const ExperimentConfig f = fcn(Architecture::Fcn, 3, 784);
        QCOMPARE(nn::chooseTrainingPath(f, true, 1), nn::TrainingPath::FusedFcn);
        QCOMPARE(nn::chooseTrainingPath(fcn(Architecture::ResnetFcn, 10, 784), true, 1), nn::TrainingPath::FusedFcn);
        QCOMPARE(nn::chooseTrainingPath(f, true, nn::kFusedFcnMaxBatch), nn::TrainingPath::FusedFcn);
        QCOMPARE(nn::chooseTrainingPath(f, true, nn::kFusedFcnMaxBatch + 1), nn::TrainingPath::Autograd);
        QCOMPARE(nn::chooseTrainingPath(f, false, 1), nn::TrainingPath::Autograd);  // CUDA
        ExperimentConfig adam = f;
        adam.optimizer = OptimizerKind::Adam;
        QCOMPARE(nn::chooseTrainingPath(adam, true, 1), nn::TrainingPath::Autograd);
        ExperimentConfig cnn = f;
        cnn.architecture = Architecture::Cnn;
        QCOMPARE(nn::chooseTrainingPath(cnn, true, 1), nn::TrainingPath::Autograd);
        qputenv("IDENTITYLAB_TRAINING_PATH", "autograd");
        QCOMPARE(nn::chooseTrainingPath(f, true, 1), nn::TrainingPath::Autograd);
        qunsetenv("IDENTITYLAB_TRAINING_PATH");
        QCOMPARE(QString::fromLatin1(nn::toString(nn::TrainingPath::FusedFcn)), QStringLiteral("fused-fcn"));
    }

    // The whole session (schedule with learning-rate drops, minibatches drawn from 4 images):
    // fused and forced-generic runs give the same losses and probe outputs.
    void session_fusedRunFollowsTheGenericRun()
    {
        ExperimentConfig c = fcn(Architecture::ResnetFcn, 4, 784);
        c.schedule = Schedule::Step;
        c.lr = 0.05;
        c.steps = 40;
        c.trainCount = 4;
        c.batchSize = 2;
        c.rhoSamples = 2;
        QCOMPARE(nn::chooseTrainingPath(c), nn::TrainingPath::FusedFcn);
        TrainingSession fused(c, DataLocations::fromEnvironment());
        const RunMetrics mf = fused.run();
        qputenv("IDENTITYLAB_TRAINING_PATH", "autograd");
        TrainingSession generic(c, DataLocations::fromEnvironment());
        qunsetenv("IDENTITYLAB_TRAINING_PATH");
        const RunMetrics mg = generic.run();
        QCOMPARE(fused.lossHistory().size(), generic.lossHistory().size());
        for (std::size_t i = 0; i < fused.lossHistory().size(); ++i) {
            const double a = fused.lossHistory()[i].loss, b = generic.lossHistory()[i].loss;
            QVERIFY2(std::abs(a - b) <= 1e-5 * std::abs(b), qPrintable(QStringLiteral("step %1: %2 vs %3").arg(i).arg(a).arg(b)));
            QCOMPARE(fused.lossHistory()[i].lr, generic.lossHistory()[i].lr);
        }
        const double first = fused.lossHistory().front().loss, last = fused.lossHistory().back().loss;
        QVERIFY2(last < 0.8 * first, qPrintable(QStringLiteral("loss %1 -> %2: it did not train").arg(first).arg(last)));
        QCOMPARE(mf.probes.size(), mg.probes.size());
        for (std::size_t i = 0; i < mf.probes.size(); ++i) QVERIFY(std::abs(mf.probes[i].corrIdentity - mg.probes[i].corrIdentity) < 1e-4);
    }

    // The rho sweep forwards each distinct input once (at rho = 1 all samples are the training
    // image) and gives what forwarding every input one at a time gives.
    void rhoSweep_equalsOneInputAtATime()
    {
        ExperimentConfig c = fcn(Architecture::Fcn, 3, 64);
        c.steps = 30;
        c.rhoPoints = 3;
        c.rhoSamples = 4;
        TrainingSession session(c, DataLocations::fromEnvironment());
        for (int i = 0; i < c.steps; ++i) session.step();
        const std::vector<RhoPoint> sweep = session.rhoSweep();
        QCOMPARE(int(sweep.size()), 3);
        const auto grid = rhoGrid(c.rhoPoints);
        const Image& reference = session.trainingImages().front();
        for (std::size_t r = 0; r < grid.size(); ++r) {
            double identity = 0.0, constant = 0.0;
            for (int s = 0; s < c.rhoSamples; ++s) {
                const Image x =
                    imageAtCorrelation(reference, grid[r], c.correlation, c.dataSeed * 7919ULL + r * 1000ULL + static_cast<unsigned>(s));
                const Image y = session.predict({x}).front();
                identity += correlation(c.correlation, y.pixels, x.pixels) / c.rhoSamples;
                constant += correlation(c.correlation, y.pixels, reference.pixels) / c.rhoSamples;
            }
            QVERIFY2(std::abs(sweep[r].corrIdentity - identity) < 1e-5, qPrintable(QString::number(grid[r])));
            QVERIFY(std::abs(sweep[r].corrConstant - constant) < 1e-5);
        }
        QCOMPARE(sweep.back().corrIdentityStd, 0.0);  // rho = 1: one input, four times
        QVERIFY(sweep.front().corrIdentityStd > 0.0);
    }

    // bench --memory's yardstick: weights, gradients, optimiser buffers and one output per layer.
    void memoryNeed_countsWeightsGradientsStateAndActivations()
    {
        ExperimentConfig c = fcn(Architecture::Fcn, 2, 10);
        const std::int64_t parameters = 784 * 10 + 10 + 10 * 784 + 784;
        TrainingMemoryNeed need = trainingMemoryNeed(c);
        QCOMPARE(need.weights, 4 * parameters);
        QCOMPARE(need.gradients, 4 * parameters);
        QCOMPARE(need.optimizerState, 4 * parameters);  // SGD's momentum
        QCOMPARE(need.activations, std::int64_t(4 * (784 + 10 + 784)));
        QCOMPARE(need.total(), 3 * 4 * parameters + 4 * (784 + 10 + 784));
        c.optimizer = OptimizerKind::Adam;
        c.trainCount = 3;
        need = trainingMemoryNeed(c);
        QCOMPARE(need.optimizerState, 2 * 4 * parameters);
        QCOMPARE(need.activations, std::int64_t(3 * 4 * (784 + 10 + 784)));
        c.architecture = Architecture::Cnn;
        c.depth = 3;
        c.channels = 8;
        c.kernelSize = 3;
        c.trainCount = 1;
        c.optimizer = OptimizerKind::Sgd;
        c.momentum = 0.0;
        need = trainingMemoryNeed(c);
        QCOMPARE(need.weights, std::int64_t(4 * (9 * (1 * 8 + 8 * 8 + 8 * 1) + 8 + 8 + 1)));
        QCOMPARE(need.optimizerState, std::int64_t(0));
        QCOMPARE(need.activations, std::int64_t(4 * 784 * (1 + 8 + 8 + 1)));
        // This process's resident memory, as bench --memory reads it.
        QVERIFY(residentBytes() > 0);
        QVERIFY(peakResidentBytes() >= residentBytes());
    }

    // Checkpoints written while LibTorch's SGD was the optimiser keep their momentum.
    void fusedSgd_loadsLibTorchSgdArchives()
    {
        const ExperimentConfig c = fcn(Architecture::Fcn, 2, 32);
        nn::Network a = makeNetwork(c), b = makeNetwork(c);
        torch::optim::SGD sgd = referenceSgd(a, c);
        const torch::Tensor x = images(1);
        referenceStep(a, sgd, x);
        referenceStep(a, sgd, x);
        torch::serialize::OutputArchive out;
        sgd.save(out);
        std::stringstream bytes;
        out.save_to(bytes);
        torch::serialize::InputArchive in;
        in.load_from(bytes);
        nn::FusedSgd fused(b->parameters(), c.lr, c.momentum, c.nesterov, c.weightDecay);
        fused.load(in);
        const auto pa = a->parameters(), pb = b->parameters();
        for (std::size_t i = 0; i < pa.size(); ++i) {
            const auto& state =
                static_cast<torch::optim::SGDParamState&>(*sgd.state().at(c10::guts::to_string(pa[i].unsafeGetTensorImpl())));
            QVERIFY(state.momentum_buffer().abs().max().item<double>() > 0.0);
            QVERIFY(torch::equal(fused.momentumBuffer(pb[i]), state.momentum_buffer()));
        }
    }
};

QTEST_GUILESS_MAIN(TstFastPaths)
#include "tst_fast_paths.moc"
