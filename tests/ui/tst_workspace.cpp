// The workspace (ui/workspace/): each change is signalled once, and only when something really
// changes; the gallery selection stays a subset of the gallery. The session autosave restores a
// saved workspace into a fresh one as it was, through a host without any of the window's
// widgets: it needs nothing of the window but SessionHost.

#include <QAction>
#include <QDir>
#include <QFile>
#include <QMainWindow>
#include <QMenu>
#include <QPainter>
#include <QSignalSpy>
#include <QTemporaryDir>
#include <QTest>

#include "engine/config/config_json.h"
#include "support/gui_test_helpers.h"
#include "ui/session/session_autosave.h"
#include "ui/session/session_host.h"
#include "ui/training/training_controller.h"
#include "ui/workspace/workspace.h"

using il::ui::RunPtr;
using il::ui::RunRecord;
using il::ui::SessionAutosave;
using il::ui::Workspace;

namespace {

QImage drawingSheet()
{
    QImage sheet(280, 280, QImage::Format_Grayscale8);
    sheet.fill(0);
    QPainter p(&sheet);
    p.setPen(QPen(Qt::white, 22, Qt::SolidLine, Qt::RoundCap));
    p.drawLine(140, 40, 120, 240);
    return sheet;
}

il::Probe probe(const std::string& name, float value)
{
    il::Probe p;
    p.name = name;
    p.group = il::ProbeGroup::User;
    p.image = il::Image(1, 28, 28, value);
    return p;
}

// A finished run whose "weights" are a small file: the session copies them as bytes.
RunPtr finishedRun(const QString& folder, int depth, int steps)
{
    auto run = std::make_shared<RunRecord>();
    run->config = il::test::tinyCnn(steps);
    run->config.depth = depth;
    for (int s = 0; s < steps; ++s) run->loss.push_back({s, 1.0 / (1 + s), 0.01});
    run->metrics.stepsDone = steps;
    run->metrics.finalLoss = run->loss.back().loss;
    run->finished = true;
    run->checkpointPath = QDir(folder).filePath(QStringLiteral("weights-%1.pt").arg(depth));
    QFile f(run->checkpointPath);
    if (f.open(QIODevice::WriteOnly)) f.write(QByteArray(100 + depth, char('a' + depth)));
    return run;
}

std::string configText(const il::ExperimentConfig& c) { return il::configToJson(c).dump(-1); }

// A window without the main window's widgets: what the autosave needs and no more.
class BareHost : public il::ui::SessionHost {
public:
    explicit BareHost(Workspace* workspace) : workspace_(workspace), menu_(QStringLiteral("File")) {}
    QMainWindow* hostWindow() override { return &window_; }
    QMenu* sessionMenu() override { return &menu_; }
    il::ui::TrainingController* controller() const override { return controller_; }
    void openRun(const RunPtr& run) override { workspace_->setCurrentRun(run); }
    bool isSavingRun() const override { return false; }

private:
    Workspace* workspace_;
    QMainWindow window_;
    QMenu menu_;
    il::ui::TrainingController* controller_ = new il::ui::TrainingController(&window_);
};

}  // namespace

class WorkspaceTest : public QObject {
    Q_OBJECT
private Q_SLOTS:
    void currentRun_signalledOnce_perChange()
    {
        Workspace w;
        QSignalSpy changed(&w, &Workspace::currentRunChanged);
        auto run = std::make_shared<RunRecord>();
        w.setCurrentRun(run);
        w.setCurrentRun(run);  // the same: nothing to say
        QCOMPARE(changed.count(), 1);
        QCOMPARE(changed.at(0).at(0).value<RunPtr>(), run);
        w.setCurrentRun(nullptr);
        QCOMPARE(changed.count(), 2);
        QVERIFY(!w.currentRun());
    }

    void gallery_addRemoveAndChange_areSignalled()
    {
        Workspace w;
        QSignalSpy added(&w, &Workspace::runAdded);
        QSignalSpy removed(&w, &Workspace::runRemoved);
        QSignalSpy changed(&w, &Workspace::runChanged);
        auto a = std::make_shared<RunRecord>();
        auto b = std::make_shared<RunRecord>();
        w.addRun(a);
        w.addRun(b);
        w.addRun(a);        // already there
        w.addRun(nullptr);  // nothing
        QCOMPARE(added.count(), 2);
        QCOMPARE(w.runs().size(), std::size_t(2));
        w.markRunChanged(b);
        QCOMPARE(changed.count(), 1);
        w.removeRun(a);
        w.removeRun(a);  // gone already
        QCOMPARE(removed.count(), 1);
        QCOMPARE(removed.at(0).at(0).value<RunPtr>(), a);
        QVERIFY(!w.contains(a));
        QVERIFY(w.contains(b));
    }

    void selection_isASubsetOfTheGallery_inGalleryOrder()
    {
        Workspace w;
        auto a = std::make_shared<RunRecord>();
        auto b = std::make_shared<RunRecord>();
        auto stranger = std::make_shared<RunRecord>();
        w.addRun(a);
        w.addRun(b);
        QSignalSpy selection(&w, &Workspace::selectionChanged);
        w.setSelectedRuns({b, stranger, a});
        QCOMPARE(selection.count(), 1);
        QCOMPARE(w.selectedRuns(), (std::vector<RunPtr>{a, b}));
        w.setSelectedRuns({a, b});  // the same selection
        QCOMPARE(selection.count(), 1);
        w.removeRun(a);  // a removed run leaves the selection too
        QCOMPARE(selection.count(), 2);
        QCOMPARE(w.selectedRuns(), (std::vector<RunPtr>{b}));
    }

    void probesDrawingAndConfig_signalOnlyRealChanges()
    {
        Workspace w;
        QSignalSpy probes(&w, &Workspace::probesChanged);
        w.addProbe(probe("drawing 1", 0.5f));
        w.setProbes(w.probes());  // the same
        QCOMPARE(probes.count(), 1);
        w.setProbes({});
        QCOMPARE(probes.count(), 2);
        QVERIFY(w.probes().empty());

        QSignalSpy drawing(&w, &Workspace::drawingChanged);
        w.setDrawing(QImage());  // blank already
        QCOMPARE(drawing.count(), 0);
        w.setDrawing(drawingSheet());
        w.setDrawing(drawingSheet());  // the same pixels
        QCOMPARE(drawing.count(), 1);
        QCOMPARE(w.drawing(), drawingSheet());

        QSignalSpy config(&w, &Workspace::configChanged);
        il::ExperimentConfig c = w.config();
        w.setConfig(c);
        QCOMPARE(config.count(), 0);
        c.depth = 7;
        w.setConfig(c);
        w.setConfig(c);
        QCOMPARE(config.count(), 1);
        QCOMPARE(w.config().depth, 7);
    }

    // A replacement of the settings as a whole keeps the ones it replaced until the next edit.
    void configReplacement_canBeUndone_untilTheNextEdit()
    {
        Workspace w;
        QSignalSpy replacement(&w, &Workspace::configReplacementChanged);
        il::ExperimentConfig mine = w.config();
        mine.depth = 3;
        w.setConfig(mine);
        QVERIFY(!w.canUndoConfigReplacement());
        il::ExperimentConfig preset = mine;
        preset.depth = 20;
        QVERIFY(!w.replaceConfig(mine, QStringLiteral("nothing new")));  // the same settings: nothing to undo
        QVERIFY(w.replaceConfig(preset, QStringLiteral("the preset 'CNN 20'")));
        QCOMPARE(replacement.count(), 1);
        QVERIFY(w.canUndoConfigReplacement());
        QCOMPARE(w.configReplacedBy(), QStringLiteral("the preset 'CNN 20'"));
        QCOMPARE(w.config().depth, 20);
        QVERIFY(w.undoConfigReplacement());
        QCOMPARE(w.config().depth, 3);
        QVERIFY(!w.canUndoConfigReplacement());
        QVERIFY(!w.undoConfigReplacement());
        QCOMPARE(replacement.count(), 2);

        QVERIFY(w.replaceConfig(preset, QStringLiteral("the preset 'CNN 20'")));
        preset.steps = 99;
        w.setConfig(preset);  // an edit: the settings are the user's now
        QVERIFY(!w.canUndoConfigReplacement());
        QCOMPARE(replacement.count(), 4);
        QCOMPARE(w.config().steps, 99);
    }

    void sweep_queueTakeCancelFinish()
    {
        Workspace w;
        QSignalSpy sweep(&w, &Workspace::sweepChanged);
        il::ExperimentConfig one = il::test::tinyCnn();
        il::ExperimentConfig two = one;
        two.depth = 3;
        w.queueSweep({one, two});
        QCOMPARE(sweep.count(), 1);
        QCOMPARE(w.sweepTotal(), 2);
        QCOMPARE(w.sweepRemaining(), 2);
        const auto first = w.takeNextSweepRun();
        QVERIFY(first);
        QCOMPARE(configText(*first), configText(one));
        QCOMPARE(w.sweepRemaining(), 1);
        QCOMPARE(sweep.count(), 2);
        w.cancelSweep();  // the runs not started go; the total stays for the last message
        QCOMPARE(w.sweepRemaining(), 0);
        QCOMPARE(w.sweepTotal(), 2);
        QVERIFY(!w.takeNextSweepRun());
        QCOMPARE(sweep.count(), 3);
        w.finishSweep();
        QCOMPARE(w.sweepTotal(), 0);
        QCOMPARE(sweep.count(), 4);
    }

    void recentFiles_newestFirst_withoutRepeats_bounded()
    {
        Workspace w;
        QSignalSpy recent(&w, &Workspace::recentFilesChanged);
        QTemporaryDir dir;
        for (int i = 0; i < Workspace::kMaxRecentFiles + 2; ++i)
            w.addRecentFile(QDir(dir.path()).filePath(QStringLiteral("f%1.json").arg(i)));
        w.addRecentFile(QDir(dir.path()).filePath(QStringLiteral("f5.json")));
        QCOMPARE(recent.count(), Workspace::kMaxRecentFiles + 3);
        QCOMPARE(w.recentFiles().size(), Workspace::kMaxRecentFiles);
        QCOMPARE(w.recentFiles().front(), QDir(dir.path()).filePath(QStringLiteral("f5.json")));
        QCOMPARE(w.recentFiles().count(QDir(dir.path()).filePath(QStringLiteral("f5.json"))), 1);
        w.addRecentFile(QDir(dir.path()).filePath(QStringLiteral("f5.json")));  // first already
        QCOMPARE(recent.count(), Workspace::kMaxRecentFiles + 3);
    }

    void clear_emptiesTheSession_keepsSettingsAndRecentFiles()
    {
        Workspace w;
        QTemporaryDir dir;
        auto run = finishedRun(dir.path(), 2, 5);
        il::ExperimentConfig c = w.config();
        c.depth = 4;
        w.setConfig(c);
        w.addRecentFile(QDir(dir.path()).filePath(QStringLiteral("a.json")));
        w.addRun(run);
        w.setSelectedRuns({run});
        w.setCurrentRun(run);
        w.addProbe(probe("drawing 1", 0.25f));
        w.setDrawing(drawingSheet());
        w.queueSweep({il::test::tinyCnn()});
        QSignalSpy cleared(&w, &Workspace::cleared);
        QSignalSpy removed(&w, &Workspace::runRemoved);
        QSignalSpy current(&w, &Workspace::currentRunChanged);
        w.clear();
        QCOMPARE(cleared.count(), 1);
        QCOMPARE(removed.count(), 1);
        QCOMPARE(current.count(), 1);
        QVERIFY(w.runs().empty() && w.selectedRuns().empty() && !w.currentRun());
        QVERIFY(w.probes().empty());
        QVERIFY(w.drawing().isNull());
        QCOMPARE(w.sweepRemaining(), 0);
        QCOMPARE(w.sweepTotal(), 0);
        QCOMPARE(w.config().depth, 4);
        QCOMPARE(w.recentFiles().size(), 1);
    }

    void autosave_restoresIntoAFreshWorkspace_whatWasSaved()
    {
        QTemporaryDir dir;
        QTemporaryDir weights;
        const QString sessionDir = QDir(dir.path()).filePath(QStringLiteral("session"));
        Workspace saved;
        {
            BareHost host(&saved);
            SessionAutosave session(&saved, &host, sessionDir);
            QVERIFY(session.start());
            QCOMPARE(host.sessionMenu()->actions().value(0), session.newSessionAction());
            il::ExperimentConfig c = il::test::tinyFcn(33);
            c.lr = 0.03;
            saved.setConfig(c);
            const RunPtr a = finishedRun(weights.path(), 1, 10);
            const RunPtr b = finishedRun(weights.path(), 3, 20);
            const RunPtr notInGallery = finishedRun(weights.path(), 5, 30);
            saved.addRun(a);
            saved.addRun(b);
            saved.setSelectedRuns({b});
            saved.setCurrentRun(notInGallery);
            saved.addProbe(probe("drawing 1", 0.75f));
            saved.addProbe(probe("drawing 2", 0.125f));
            saved.setDrawing(drawingSheet());
            session.saveNow();
            QVERIFY2(session.lastError().isEmpty(), qPrintable(session.lastError()));
            QCOMPARE(session.stats().runWrites, 3);
        }

        Workspace restored;
        BareHost host(&restored);
        SessionAutosave session(&restored, &host, sessionDir);
        QSignalSpy added(&restored, &Workspace::runAdded);
        QSignalSpy current(&restored, &Workspace::currentRunChanged);
        QVERIFY(session.start());
        QVERIFY2(session.restoreMessage().contains(QStringLiteral("Session restored")), qPrintable(session.restoreMessage()));
        QCOMPARE(added.count(), 2);
        QCOMPARE(current.count(), 1);

        QCOMPARE(configText(restored.config()), configText(saved.config()));
        QCOMPARE(SessionAutosave::sheetDigest(restored.drawing()), SessionAutosave::sheetDigest(saved.drawing()));
        QCOMPARE(restored.probes().size(), saved.probes().size());
        for (std::size_t i = 0; i < saved.probes().size(); ++i) {
            QCOMPARE(restored.probes()[i].name, saved.probes()[i].name);
            QCOMPARE(SessionAutosave::imageDigest(restored.probes()[i].image), SessionAutosave::imageDigest(saved.probes()[i].image));
        }
        QCOMPARE(restored.runs().size(), saved.runs().size());
        for (std::size_t i = 0; i < saved.runs().size(); ++i) {
            QCOMPARE(configText(restored.runs()[i]->config), configText(saved.runs()[i]->config));
            QCOMPARE(restored.runs()[i]->loss.size(), saved.runs()[i]->loss.size());
            QCOMPARE(restored.runs()[i]->metrics.finalLoss, saved.runs()[i]->metrics.finalLoss);
        }
        QCOMPARE(restored.selectedRuns().size(), std::size_t(1));
        QCOMPARE(restored.selectedRuns().front(), restored.runs()[1]);
        QVERIFY(restored.currentRun());
        QVERIFY(!restored.contains(restored.currentRun()));
        QCOMPARE(restored.currentRun()->config.depth, 5);
        QCOMPARE(restored.currentRun()->metrics.stepsDone, 30);
        // The weights come back byte for byte.
        QFile back(restored.currentRun()->checkpointPath);
        QVERIFY(back.open(QIODevice::ReadOnly));
        QCOMPARE(back.readAll(), QByteArray(105, char('a' + 5)));

        // Nothing is rewritten for having been restored; New session empties it.
        session.saveNow();
        QCOMPARE(session.stats().runWrites, 0);
        QVERIFY(session.newSession(false));
        QVERIFY(restored.runs().empty() && !restored.currentRun() && restored.probes().empty() && restored.drawing().isNull());
    }
};

QTEST_MAIN(WorkspaceTest)
#include "tst_workspace.moc"
