// The choice tables (engine/config/choices.h) are the one place a choice's names live: every
// enum value has its entry, config files read and write those names, and the docs' table is the
// one they generate.
#include <QtTest>

#include <set>

#include "engine/config/choices.h"
#include "engine/config/config_json.h"

using namespace il;

namespace {

// Entries in the enum's order, one per value, each with a distinct config name that a config
// file reads back as that value.
template <typename Enum>
void checkTable(const char* key, int values) {
    const auto& table = choicesOf<Enum>();
    QCOMPARE(int(table.size()), values);
    std::set<std::string> names;
    for (int i = 0; i < values; ++i) {
        const Choice<Enum>& c = table[static_cast<std::size_t>(i)];
        QCOMPARE(static_cast<int>(c.value), i);
        QVERIFY(names.insert(c.name).second);
        QCOMPARE(std::string(toString(c.value)), std::string(c.name));
        QVERIFY(std::string(c.label).size() > 0 && std::string(c.tooltip).size() > 0);
        json::Value config = json::Value::object();
        config["depth"] = 4;  // valid for every architecture, ResNets included
        config[key] = c.name;
        json::Value other = configToJson(configFromJson(config));
        QCOMPARE(other[key].asString(), std::string(c.name));
    }
}

QString docsPath() {
    return QDir(qEnvironmentVariable("IDENTITYLAB_RESOURCES")).filePath(QStringLiteral("../docs/config.md"));
}

}  // namespace

class TstChoices : public QObject {
    Q_OBJECT

private slots:
    void everyValue_hasOneEntryThatConfigFilesRoundTrip() {
        checkTable<Architecture>("architecture", 4);
        checkTable<Activation>("activation", 4);
        checkTable<InitScheme>("init", 9);
        checkTable<OptimizerKind>("optimizer", 5);
        checkTable<Schedule>("schedule", 2);
        checkTable<ResidualForm>("residual_form", 2);
        checkTable<CorrelationKind>("correlation", 2);
        checkTable<DevicePreference>("device", 3);
    }

    void unknownName_isRefusedWithTheTablesNames() {
        json::Value config = json::Value::object();
        config["init"] = "xavier";
        try {
            configFromJson(config);
            QFAIL("accepted an unknown init");
        } catch (const ConfigError& e) {
            QVERIFY2(std::string(e.what()).find("accepted: pytorch_default, lecun_normal") != std::string::npos, e.what());
        }
    }

    // The GUI shows a setting while the chosen architecture or optimiser uses it.
    void settingApplies_followsTheTables() {
        ExperimentConfig c;
        c.optimizer = OptimizerKind::RmsProp;
        QVERIFY(settingApplies(c, Setting::Momentum) && settingApplies(c, Setting::Beta2));
        QVERIFY(!settingApplies(c, Setting::Beta1) && !settingApplies(c, Setting::Nesterov));
        c.optimizer = OptimizerKind::Adagrad;
        QVERIFY(settingApplies(c, Setting::Lr) && !settingApplies(c, Setting::Momentum));
        c.architecture = Architecture::Fcn;
        QVERIFY(settingApplies(c, Setting::Width) && !settingApplies(c, Setting::KernelSize));
        QVERIFY(!settingApplies(c, Setting::ResidualForm));
        c.architecture = Architecture::ResnetCnn;
        QVERIFY(settingApplies(c, Setting::Channels) && settingApplies(c, Setting::ResidualForm));
    }

    // docs/config.md holds the table the choices generate; on a difference the expected block
    // is printed, to paste between the markers.
    void docsTable_isTheGeneratedOne() {
        QFile file(docsPath());
        QVERIFY2(file.open(QIODevice::ReadOnly | QIODevice::Text), qPrintable(docsPath()));
        const QString text = QString::fromUtf8(file.readAll());
        const QString begin = QStringLiteral("<!-- choices:begin -->\n"), end = QStringLiteral("<!-- choices:end -->");
        const qsizetype from = text.indexOf(begin), to = text.indexOf(end);
        QVERIFY2(from >= 0 && to > from, "docs/config.md has no <!-- choices:begin --> ... <!-- choices:end --> block");
        const QString block = text.mid(from + begin.size(), to - from - begin.size());
        const QString expected = QString::fromStdString(choicesMarkdown());
        if (block != expected) qInfo().noquote() << "expected block in docs/config.md:\n" << begin + expected + end;
        QCOMPARE(block, expected);
    }
};

QTEST_GUILESS_MAIN(TstChoices)
#include "tst_choices.moc"
