// The Debian package as CPack builds it (`cmake --build build --target package`): its Depends
// name the Debian package of every shared library the executables link, plus the fast BLAS and
// Qt's platform plugins; it holds the desktop integration; unpacked into a temporary root, its
// CLI runs with the resources it carries. Skipped where dpkg-deb is missing (not Debian).

#include <QDir>
#include <QHash>
#include <QRegularExpression>
#include <QSet>
#include <QTemporaryDir>
#include <QTest>

#include "packaging/packaging_test_support.h"

using il::test::installedEnvironment;
using il::test::ProcessResult;
using il::test::runProcess;
using il::test::tool;

namespace {

const QString kAppId = QStringLiteral("io.github.identitylab.IdentityLab");

// "libc6 (>= 2.34), libtorch1.13, a | b" -> {libc6, libtorch1.13, a, b}
QSet<QString> packageNames(const QString& field)
{
    QSet<QString> names;
    for (QString part : field.split(QRegularExpression(QStringLiteral("[,|]")), Qt::SkipEmptyParts)) {
        part = part.trimmed();
        part = part.section(QLatin1Char(' '), 0, 0).section(QLatin1Char(':'), 0, 0);
        if (!part.isEmpty()) names.insert(part);
    }
    return names;
}

}  // namespace

class DebPackageTest : public QObject {
    Q_OBJECT

private:
    QTemporaryDir tmp_;
    QString deb_;

    QString field(const QString& name) const
    {
        const ProcessResult r = runProcess(tool("dpkg-deb"), {QStringLiteral("--field"), deb_, name});
        return r.out.trimmed();
    }

private Q_SLOTS:
    void initTestCase()
    {
        if (tool("dpkg-deb").isEmpty()) QSKIP("dpkg-deb is not installed: not a Debian system");
        QVERIFY(tmp_.isValid());
        const ProcessResult r = runProcess(QStringLiteral(CPACK_COMMAND),
                                           {QStringLiteral("--config"), QStringLiteral(IDENTITYLAB_BUILD_DIR "/CPackConfig.cmake"),
                                            QStringLiteral("-G"), QStringLiteral("DEB"), QStringLiteral("-B"), tmp_.path()});
        QVERIFY2(r.exitCode == 0, qPrintable(r.text()));
        const QStringList debs = QDir(tmp_.path()).entryList({QStringLiteral("*.deb")}, QDir::Files);
        QCOMPARE(debs.size(), 1);
        deb_ = tmp_.filePath(debs.front());
        QVERIFY2(debs.front().startsWith(QStringLiteral("identitylab_" IDENTITYLAB_VERSION)), qPrintable(debs.front()));
    }

    void control_namesPackageVersionAndSection()
    {
        QCOMPARE(field(QStringLiteral("Package")), QStringLiteral("identitylab"));
        QVERIFY(field(QStringLiteral("Version")).startsWith(QStringLiteral(IDENTITYLAB_VERSION)));
        QCOMPARE(field(QStringLiteral("Section")), QStringLiteral("science"));
        QVERIFY(!field(QStringLiteral("Description")).isEmpty());
    }

    // Every NEEDED entry of both executables, resolved to its file and that file's Debian
    // package (dpkg -S), must be a dependency: no library may be left to chance.
    void depends_coverEveryLinkedLibrary()
    {
        const QString readelf = tool("readelf"), dpkg = tool("dpkg"), ldconfig = QStringLiteral("/sbin/ldconfig");
        if (readelf.isEmpty() || dpkg.isEmpty()) QSKIP("readelf or dpkg missing");
        const QSet<QString> depends = packageNames(field(QStringLiteral("Depends")));
        QVERIFY2(depends.contains(QStringLiteral("libopenblas0-openmp")), qPrintable(field(QStringLiteral("Depends"))));
        QVERIFY(depends.contains(QStringLiteral("qt6-qpa-plugins")));
        QVERIFY(packageNames(field(QStringLiteral("Recommends"))).contains(QStringLiteral("dataset-fashion-mnist")));

        const ProcessResult cache = runProcess(ldconfig, {QStringLiteral("-p")});
        QVERIFY2(cache.exitCode == 0, qPrintable(cache.text()));
        QSet<QString> sonames;
        for (const char* exe : {"identitylab", "identitylab-cli"}) {
            const ProcessResult elf =
                runProcess(readelf, {QStringLiteral("-d"), QStringLiteral(IDENTITYLAB_BUILD_DIR "/app/") + QLatin1String(exe)});
            QVERIFY2(elf.exitCode == 0, qPrintable(elf.text()));
            const QRegularExpression needed(QStringLiteral("\\(NEEDED\\).*\\[(.+)\\]"));
            for (auto it = needed.globalMatch(elf.out); it.hasNext();) sonames.insert(it.next().captured(1));
        }
        QVERIFY(sonames.size() >= 10);  // torch, Qt, QCustomPlot, OpenCV, zlib, libc, libstdc++ ...
        // Each library's file as ldconfig resolves it, and the names dpkg may know it by: the
        // symlink or its target, under /lib or /usr/lib (merged /usr).
        QHash<QString, QStringList> candidates;
        QStringList all;
        for (const QString& soname : sonames) {
            // "libQt6Core.so.6 (libc6,x86-64) => /lib/x86_64-linux-gnu/libQt6Core.so.6"
            QRegularExpressionMatch m =
                QRegularExpression(QStringLiteral("^\\s*%1 \\(.*x86-64.*\\) => (\\S+)$").arg(QRegularExpression::escape(soname)),
                                   QRegularExpression::MultilineOption)
                    .match(cache.out);
            if (!m.hasMatch())  // another architecture: take whatever ldconfig knows
                m = QRegularExpression(QStringLiteral("^\\s*%1 \\(.*\\) => (\\S+)$").arg(QRegularExpression::escape(soname)),
                                       QRegularExpression::MultilineOption)
                        .match(cache.out);
            QVERIFY2(m.hasMatch(), qPrintable(soname + QStringLiteral(" is not in the linker cache")));
            const QString path = m.captured(1), file = QFileInfo(path).canonicalFilePath();
            QString lib = file;
            lib.replace(QRegularExpression(QStringLiteral("^/usr/lib/")), QStringLiteral("/lib/"));
            candidates[soname] = {path, QStringLiteral("/usr") + path, file, lib};
            all << candidates[soname];
        }
        // One dpkg -S for all ("libqt6core6:amd64: /usr/lib/x86_64-linux-gnu/libQt6Core.so.6");
        // it fails for the names it does not know, and still prints the others.
        const ProcessResult owners = runProcess(dpkg, QStringList{QStringLiteral("-S")} + all);
        QHash<QString, QString> ownerOf;
        for (const QString& line : owners.out.split(QLatin1Char('\n'), Qt::SkipEmptyParts)) {
            const int sep = line.indexOf(QStringLiteral(": "));
            if (sep > 0) ownerOf.insert(line.mid(sep + 2).trimmed(), line.left(sep).section(QLatin1Char(':'), 0, 0));
        }
        for (const QString& soname : sonames) {
            QString package;
            for (const QString& c : candidates[soname])
                if (package.isEmpty()) package = ownerOf.value(c);
            QVERIFY2(!package.isEmpty(), qPrintable(soname + QStringLiteral(": no package owns it: ") + owners.err));
            QVERIFY2(depends.contains(package),
                     qPrintable(QStringLiteral("%1 (%2) is not in Depends: %3").arg(package, soname, field(QStringLiteral("Depends")))));
        }
    }

    void contents_holdTheAppItsResourcesAndTheDesktopIntegration()
    {
        const ProcessResult r = runProcess(tool("dpkg-deb"), {QStringLiteral("--contents"), deb_});
        QVERIFY2(r.exitCode == 0, qPrintable(r.text()));
        const QStringList expected = {
            QStringLiteral("./usr/bin/identitylab"),
            QStringLiteral("./usr/bin/identitylab-cli"),
            QStringLiteral("./usr/share/identitylab/presets/cnn-depth.json"),
            QStringLiteral("./usr/share/identitylab/mnist/train-images-idx3-ubyte.gz"),
            QStringLiteral("./usr/share/applications/%1.desktop").arg(kAppId),
            QStringLiteral("./usr/share/metainfo/%1.metainfo.xml").arg(kAppId),
            QStringLiteral("./usr/share/mime/packages/%1.xml").arg(kAppId),
            QStringLiteral("./usr/share/icons/hicolor/scalable/apps/%1.svg").arg(kAppId),
            QStringLiteral("./usr/share/icons/hicolor/48x48/apps/%1.png").arg(kAppId),
            QStringLiteral("./usr/share/man/man1/identitylab-cli.1.gz"),
        };
        for (const QString& path : expected) QVERIFY2(r.out.contains(QLatin1Char(' ') + path + QLatin1Char('\n')), qPrintable(path));
        QVERIFY(!r.out.contains(QStringLiteral("/usr/local/")));
    }

    void unpackedPackage_runsItsCliWithItsOwnResources()
    {
        const QString root = tmp_.filePath(QStringLiteral("root"));
        const ProcessResult x = runProcess(tool("dpkg-deb"), {QStringLiteral("--extract"), deb_, root});
        QVERIFY2(x.exitCode == 0, qPrintable(x.text()));
        const QString cli = root + QStringLiteral("/usr/bin/identitylab-cli");
        // Stripped (CPACK_STRIP_FILES): far smaller than the RelWithDebInfo build.
        QVERIFY(QFileInfo(cli).size() < QFileInfo(QStringLiteral(IDENTITYLAB_BUILD_DIR "/app/identitylab-cli")).size());
        const QString home = tmp_.filePath(QStringLiteral("home"));
        QDir().mkpath(home);
        const ProcessResult r =
            runProcess(cli, {QStringLiteral("reproduce"), QStringLiteral("--list")}, installedEnvironment(home), tmp_.path());
        QVERIFY2(r.exitCode == 0, qPrintable(r.text()));
        QVERIFY(r.out.contains(QStringLiteral("cnn-depth")));
        QVERIFY(r.out.contains(QStringLiteral("fcn-depth")));
    }
};

QTEST_GUILESS_MAIN(DebPackageTest)
#include "tst_deb_package.moc"
