// File > Preferences: the data folders. A folder is checked for the files the readers expect and
// the dialog names what is missing; OK saves to the preferences; the environment variables win.

#include <QDir>
#include <QFile>
#include <QLabel>
#include <QLineEdit>
#include <QPushButton>
#include <QSettings>
#include <QStandardPaths>
#include <QTemporaryDir>
#include <QTest>

#include "engine/data/cifar_reader.h"
#include "ui/preferences/data_folders.h"
#include "ui/preferences/preferences_dialog.h"

using il::ui::DataFolderKind;

namespace {

void writeFile(const QString& path, const QByteArray& bytes)
{
    QDir().mkpath(QFileInfo(path).absolutePath());
    QFile f(path);
    QVERIFY(f.open(QIODevice::WriteOnly));
    f.write(bytes);
}

QByteArray idxHeader(bool images)
{
    // Magic 0x00000803 (images) or 0x00000801 (labels), then one item's count.
    QByteArray b("\0\0\x08", 3);
    b.append(images ? '\x03' : '\x01');
    b.append(QByteArray("\0\0\0\x01", 4));
    return b;
}

// Restores an environment variable when the test ends.
struct ScopedUnset {
    QByteArray name, old;
    bool had;
    explicit ScopedUnset(const char* n) : name(n), old(qgetenv(n)), had(qEnvironmentVariableIsSet(n)) { qunsetenv(n); }
    ~ScopedUnset()
    {
        if (had)
            qputenv(name.constData(), old);
        else
            qunsetenv(name.constData());
    }
};

}  // namespace

class PreferencesTest : public QObject {
    Q_OBJECT

private Q_SLOTS:
    void initTestCase()
    {
        QStandardPaths::setTestModeEnabled(true);
        QCoreApplication::setOrganizationName(QStringLiteral("IdentityLabTest"));
        QCoreApplication::setApplicationName(QStringLiteral("tst_preferences"));
    }

    void init() { QSettings().clear(); }

    void mnistFolder_namesTheMissingFiles()
    {
        QTemporaryDir dir;
        auto check = il::ui::checkDataFolder(DataFolderKind::Mnist, dir.path());
        QVERIFY(!check.ok);
        QCOMPARE(check.missing, il::ui::expectedDataFiles(DataFolderKind::Mnist));
        QVERIFY(check.summary.contains(QStringLiteral("t10k-labels-idx1-ubyte")));

        // Raw, gzipped and the dotted mirror names all count, as in the engine's reader.
        writeFile(dir.filePath(QStringLiteral("train-images-idx3-ubyte")), idxHeader(true));
        writeFile(dir.filePath(QStringLiteral("train-labels.idx1-ubyte")), idxHeader(false));
        check = il::ui::checkDataFolder(DataFolderKind::Mnist, dir.path());
        QVERIFY(!check.ok);
        QCOMPARE(check.missing, (QStringList{QStringLiteral("t10k-images-idx3-ubyte"), QStringLiteral("t10k-labels-idx1-ubyte")}));
        writeFile(dir.filePath(QStringLiteral("t10k-images-idx3-ubyte.gz")), QByteArray("\x1f\x8b\x08\0", 4));
        writeFile(dir.filePath(QStringLiteral("t10k-labels-idx1-ubyte")), idxHeader(false));
        check = il::ui::checkDataFolder(DataFolderKind::Mnist, dir.path());
        QVERIFY2(check.ok, qPrintable(check.summary));

        // Labels where images belong: found, but refused with the reason.
        writeFile(dir.filePath(QStringLiteral("train-images-idx3-ubyte")), idxHeader(false));
        check = il::ui::checkDataFolder(DataFolderKind::Mnist, dir.path());
        QVERIFY(!check.ok);
        QVERIFY(check.missing.isEmpty());
        QVERIFY2(check.summary.contains(QStringLiteral("train-images-idx3-ubyte is not an IDX image file")), qPrintable(check.summary));

        check = il::ui::checkDataFolder(DataFolderKind::Fashion, dir.filePath(QStringLiteral("nowhere")));
        QVERIFY(!check.ok);
        QVERIFY(check.summary.contains(QStringLiteral("is not a folder")));
    }

    void cifarFolder_directlyOrAsUnpacked()
    {
        QTemporaryDir dir;
        const QByteArray oneRecord(static_cast<int>(il::kCifarRecordBytes), '\0');
        const QString unpacked = dir.filePath(QStringLiteral("cifar-10-batches-bin"));
        for (const QString& name : il::ui::expectedDataFiles(DataFolderKind::Cifar))
            if (name != QStringLiteral("test_batch.bin")) writeFile(unpacked + QLatin1Char('/') + name, oneRecord);
        auto check = il::ui::checkDataFolder(DataFolderKind::Cifar, dir.path());
        QVERIFY(!check.ok);
        QCOMPARE(check.folder, unpacked);  // found where the archive unpacks
        QCOMPARE(check.missing, QStringList{QStringLiteral("test_batch.bin")});
        writeFile(unpacked + QStringLiteral("/test_batch.bin"), oneRecord.left(100));
        check = il::ui::checkDataFolder(DataFolderKind::Cifar, dir.path());
        QVERIFY(!check.ok);
        QVERIFY2(check.summary.contains(QStringLiteral("test_batch.bin has 100 bytes")), qPrintable(check.summary));
        writeFile(unpacked + QStringLiteral("/test_batch.bin"), oneRecord);
        check = il::ui::checkDataFolder(DataFolderKind::Cifar, dir.path());
        QVERIFY2(check.ok, qPrintable(check.summary));
    }

    void preferences_applyUnlessTheEnvironmentSetsTheFolder()
    {
        ScopedUnset mnist("IDENTITYLAB_MNIST_DIR"), cifar("IDENTITYLAB_CIFAR_DIR"), fashion("IDENTITYLAB_FASHION_DIR");
        QCOMPARE(il::ui::dataLocationsWithPreferences().cifarDir, std::string());
        il::ui::setPreferredDataFolder(DataFolderKind::Cifar, QStringLiteral("/data/cifar/"));
        il::ui::setPreferredDataFolder(DataFolderKind::Mnist, QStringLiteral("/data/mnist"));
        il::DataLocations where = il::ui::dataLocationsWithPreferences();
        QCOMPARE(where.cifarDir, std::string("/data/cifar"));
        QCOMPARE(where.mnistDir, std::string("/data/mnist"));
        QCOMPARE(where.fashionDir, std::string(il::kDebianFashionMnistDir));  // not set: Debian's
        qputenv("IDENTITYLAB_MNIST_DIR", "/env/mnist");
        where = il::ui::dataLocationsWithPreferences();
        QCOMPARE(where.mnistDir, std::string("/env/mnist"));
        QCOMPARE(where.cifarDir, std::string("/data/cifar"));
        il::ui::setPreferredDataFolder(DataFolderKind::Cifar, QString());  // back to the default
        QCOMPARE(il::ui::dataLocationsWithPreferences().cifarDir, std::string());
    }

    void dialog_checksAsYouTypeAndSavesOnOk()
    {
        ScopedUnset mnist("IDENTITYLAB_MNIST_DIR"), cifar("IDENTITYLAB_CIFAR_DIR");
        QTemporaryDir dir;
        il::ui::PreferencesDialog dialog;
        QLineEdit* edit = dialog.folderEdit(DataFolderKind::Mnist);
        QVERIFY(edit->text().isEmpty());
        QVERIFY(dialog.okButton()->isEnabled());  // the defaults are always fine
        QTest::keyClicks(edit, dir.path());
        QVERIFY(!dialog.okButton()->isEnabled());
        QVERIFY(dialog.statusLabel(DataFolderKind::Mnist)->text().contains(QStringLiteral("Missing: train-images-idx3-ubyte")));
        for (const QString& name : il::ui::expectedDataFiles(DataFolderKind::Mnist))
            writeFile(dir.filePath(name), idxHeader(name.contains(QStringLiteral("images"))));
        edit->setText(dir.path() + QLatin1Char('/'));  // re-checked on every change
        QVERIFY2(dialog.statusLabel(DataFolderKind::Mnist)->text().startsWith(QStringLiteral("All 4 files found")),
                 qPrintable(dialog.statusLabel(DataFolderKind::Mnist)->text()));
        QVERIFY(dialog.okButton()->isEnabled());
        QTest::mouseClick(dialog.okButton(), Qt::LeftButton);
        QCOMPARE(dialog.result(), int(QDialog::Accepted));
        QCOMPARE(il::ui::preferredDataFolder(DataFolderKind::Mnist), QDir::cleanPath(dir.path()));
        QCOMPARE(il::ui::preferredDataFolder(DataFolderKind::Cifar), QString());
    }

    void dialog_showsAFolderSetByTheEnvironmentReadOnly()
    {
        ScopedUnset cifar("IDENTITYLAB_CIFAR_DIR");
        qputenv("IDENTITYLAB_CIFAR_DIR", "/env/cifar");
        il::ui::setPreferredDataFolder(DataFolderKind::Cifar, QStringLiteral("/prefs/cifar"));
        il::ui::PreferencesDialog dialog;
        QCOMPARE(dialog.folderEdit(DataFolderKind::Cifar)->text(), QStringLiteral("/env/cifar"));
        QVERIFY(dialog.folderEdit(DataFolderKind::Cifar)->isReadOnly());
        QVERIFY(dialog.statusLabel(DataFolderKind::Cifar)->text().contains(QStringLiteral("IDENTITYLAB_CIFAR_DIR")));
        QVERIFY(dialog.okButton()->isEnabled());  // not the user's to fix here
        dialog.accept();
        QCOMPARE(il::ui::preferredDataFolder(DataFolderKind::Cifar), QStringLiteral("/prefs/cifar"));  // untouched
    }
};

QTEST_MAIN(PreferencesTest)
#include "tst_preferences.moc"
