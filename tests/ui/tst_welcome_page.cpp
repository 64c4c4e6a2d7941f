// First contact: the window opens on the welcome page; one click on "Train the 5-layer CNN on a
// 7" starts training at once; the paper's figures are listed from resources/presets with their
// descriptions and queue their runs; the page says where the data comes from.

#include <QAbstractButton>
#include <QLabel>
#include <QPushButton>
#include <QSignalSpy>
#include <QStandardPaths>
#include <QTest>
#include <QToolButton>

#include <algorithm>
#include <cmath>

#include "engine/config/preset.h"
#include "engine/data/dataset.h"
#include "ui/mainwindow/main_window.h"
#include "ui/mainwindow/presets.h"
#include "ui/mainwindow/welcome_page.h"
#include "ui/panels/training_bar.h"
#include "ui/views/gallery_view.h"

using il::ui::MainWindow;
using il::ui::TrainingController;
using il::ui::WelcomePage;

class WelcomePageTest : public QObject {
    Q_OBJECT

private:
    static void stopAndWait(MainWindow& w)
    {
        QTRY_VERIFY_WITH_TIMEOUT(w.trainingBar()->stopButton()->isEnabled(), 60000);
        QTest::mouseClick(w.trainingBar()->stopButton(), Qt::LeftButton);
        QTRY_VERIFY_WITH_TIMEOUT(!w.controller()->isTraining(), 60000);
    }

private Q_SLOTS:
    void initTestCase()
    {
        QStandardPaths::setTestModeEnabled(true);
        QCoreApplication::setOrganizationName(QStringLiteral("IdentityLabTest"));
        QCoreApplication::setApplicationName(QStringLiteral("tst_welcome_page"));
    }

    void firstStart_showsTheWelcomePageWithoutARun()
    {
        MainWindow w;
        w.resize(1280, 800);
        w.show();
        QVERIFY(w.isWelcomeShown());
        QVERIFY(!w.workspace()->currentRun());
        QVERIFY(w.welcomePage()->isVisible());
    }

    void oneClick_trainsTheFiveLayerCnnOnASeven()
    {
        MainWindow w;
        w.resize(1280, 800);
        w.show();
        QPushButton* button = w.welcomePage()->quickStartButton(QStringLiteral("cnn5"));
        QVERIFY(button);
        QCOMPARE(button->text(), QStringLiteral("Train the 5-layer CNN on a 7"));
        QVERIFY(button->isVisible());

        QSignalSpy progress(w.controller(), &TrainingController::progress);
        QTest::mouseClick(button, Qt::LeftButton);
        // Training starts at once, with the paper's recipe: a 5-layer CNN, 128 channels, the 7.
        QVERIFY(!w.isWelcomeShown());
        QVERIFY(w.workspace()->currentRun());
        const il::ExperimentConfig c = w.workspace()->currentRun()->config;
        QCOMPARE(c.architecture, il::Architecture::Cnn);
        QCOMPARE(c.depth, 5);
        QCOMPARE(c.channels, 128);
        QCOMPARE(c.trainClass, 7);
        QCOMPARE(c.trainCount, 1);
        QVERIFY(w.controller()->isTraining() || w.controller()->state() == TrainingController::State::Building);
        // Real steps, not just a queued request: the loss arrives.
        QVERIFY(progress.wait(60000));
        QTRY_VERIFY_WITH_TIMEOUT(!w.workspace()->currentRun()->loss.empty(), 60000);
        QVERIFY(std::isfinite(w.workspace()->currentRun()->loss.front().loss));
        stopAndWait(w);
    }

    void paperFigures_areListedFromThePresetFilesWithTheirDescriptions()
    {
        MainWindow w;
        w.resize(1280, 800);
        w.show();
        const std::string resources = il::findResourcesDir();
        const std::vector<std::string> names = il::presetNames(resources);
        QVERIFY(names.size() >= 10);
        const QList<QAbstractButton*> buttons = w.welcomePage()->paperFigureButtons();
        QCOMPARE(buttons.size(), static_cast<qsizetype>(names.size()));
        const auto descriptions = w.welcomePage()->findChildren<QLabel*>(QStringLiteral("paperFigureDescription"));
        for (const std::string& name : names) {
            const il::Preset preset = il::loadPreset(il::presetPath(resources, name));
            const QString id = QString::fromStdString(name);
            auto it =
                std::find_if(buttons.begin(), buttons.end(), [&](QAbstractButton* b) { return b->property("preset").toString() == id; });
            QVERIFY2(it != buttons.end(), qPrintable(id));
            QCOMPARE((*it)->toolTip(), QString::fromStdString(preset.description));
            const bool shown = std::any_of(descriptions.begin(), descriptions.end(), [&](QLabel* l) {
                return l->text().contains(QString::fromStdString(preset.description).toHtmlEscaped());
            });
            QVERIFY2(shown, qPrintable(id));
            // Needs CIFAR-10: enabled only when a CIFAR-10 folder is configured.
            if (preset.requires == "cifar10") QCOMPARE((*it)->isEnabled(), !w.controller()->dataLocations().cifarDir.empty());
        }
    }

    void paperFigure_queuesItsRuns()
    {
        MainWindow w;
        w.resize(1280, 800);
        w.show();
        QAbstractButton* fcnDepth = nullptr;
        for (QAbstractButton* b : w.welcomePage()->paperFigureButtons())
            if (b->property("preset").toString() == QStringLiteral("fcn-depth")) fcnDepth = b;
        QVERIFY(fcnDepth);
        const il::Preset preset = il::loadPreset(il::presetPath(il::findResourcesDir(), "fcn-depth"));
        QTest::mouseClick(fcnDepth, Qt::LeftButton);
        QVERIFY(!w.isWelcomeShown());
        QVERIFY(w.workspace()->currentRun());
        QCOMPARE(w.workspace()->currentRun()->config.architecture, preset.runs.front().config.architecture);
        QCOMPARE(w.workspace()->currentRun()->config.depth, preset.runs.front().config.depth);
        int trained = 0;
        for (const auto& r : preset.runs) trained += r.train ? 1 : 0;
        QCOMPARE(w.workspace()->sweepRemaining(), trained - 1);  // the first is running, the rest queued
        stopAndWait(w);                                          // Stop also drops the queue
        QCOMPARE(w.workspace()->sweepRemaining(), 0);
    }

    void dataLine_saysWhereTheDataComesFrom()
    {
        il::DataLocations data;
        data.fashionDir = "/nonexistent/fashion";
        WelcomePage page(il::ui::presets());
        QSignalSpy preferences(&page, &WelcomePage::preferencesRequested);
        page.setDataLocations(data);
        QVERIFY(page.dataText().contains(QStringLiteral("shipped")));
        QVERIFY(page.dataText().contains(QStringLiteral("not found in /nonexistent/fashion")));
        QVERIFY(page.dataText().contains(QStringLiteral("dataset-fashion-mnist")));
        QVERIFY(page.dataText().contains(QStringLiteral("CIFAR-10: not set")));
        data.cifarDir = "/nonexistent/cifar";
        page.setDataLocations(data);
        QVERIFY(page.dataText().contains(QStringLiteral("/nonexistent/cifar (")));  // with what is wrong
        QTest::mouseClick(page.findChild<QPushButton*>(QStringLiteral("welcomePreferences")), Qt::LeftButton);
        QCOMPARE(preferences.count(), 1);
    }
};

QTEST_MAIN(WelcomePageTest)
#include "tst_welcome_page.moc"
