// The choice tables (engine/config/choices.h) are the one place a choice's names live: every
// enum value has its entry, config files read and write those names, the docs' table is the one
// they generate, and every setting a table says an optimiser or architecture uses changes a run.
#include <QtTest>

#include <functional>
#include <set>

#include "engine/config/choices.h"
#include "engine/config/config_json.h"
#include "engine/config/recipes.h"
#include "engine/train/training_session.h"

using namespace il;

namespace {

// Entries in the enum's order, one per value, each with a distinct config name that a config
// file reads back as that value.
template <typename Enum>
void checkTable(const char* key, int values)
{
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

QString docsPath() { return QDir(qEnvironmentVariable("IDENTITYLAB_RESOURCES")).filePath(QStringLiteral("../docs/config.md")); }

// The final loss of 3 steps of a small network: enough for every optimiser's settings to act
// (Adam's betas only from its second step on).
double shortRunLoss(const ExperimentConfig& c) { return TrainingSession(c, DataLocations::fromEnvironment()).run().finalLoss; }

ExperimentConfig tinyRun(Architecture architecture, OptimizerKind optimizer)
{
    ExperimentConfig c;
    c.architecture = architecture;
    c.depth = architecture == Architecture::ResnetFcn || architecture == Architecture::ResnetCnn ? 4 : 2;
    c.width = 32;
    c.channels = 4;
    c.kernelSize = 3;
    c.optimizer = optimizer;
    c.lr = optimizer == OptimizerKind::Sgd ? 0.01 : 0.001;
    c.steps = 3;
    c.rhoPoints = 2;
    c.rhoSamples = 1;
    c.device = DevicePreference::Cpu;
    return c;
}

// A different value of each setting, valid with the tiny run's others.
void change(ExperimentConfig& c, Setting s)
{
    switch (s) {
        case Setting::Width:
            c.width = 48;
            break;
        case Setting::Channels:
            c.channels = 6;
            break;
        case Setting::KernelSize:
            c.kernelSize = 5;
            break;
        case Setting::ResidualForm:
            c.residualForm = ResidualForm::PostActivation;
            break;
        case Setting::Momentum:
            c.momentum = 0.5;
            break;
        case Setting::Nesterov:
            c.nesterov = true;
            break;
        case Setting::Beta1:
            c.beta1 = 0.5;
            break;
        case Setting::Beta2:
            c.beta2 = 0.9;
            break;
        case Setting::WeightDecay:
            c.weightDecay = 0.5;
            break;
        case Setting::Lr:
            c.lr *= 2.0;
            break;
    }
}

template <typename Enum>
void checkEverySettingChangesARun(const std::function<ExperimentConfig(const Choice<Enum>&)>& base)
{
    for (const Choice<Enum>& choice : choicesOf<Enum>()) {
        const ExperimentConfig c = base(choice);
        const double reference = shortRunLoss(c);
        for (Setting s : choice.uses) {
            ExperimentConfig changed = c;
            change(changed, s);
            QVERIFY2(settingApplies(changed, s),
                     qPrintable(QString::fromUtf8(choice.name) + QStringLiteral(" ") + QString::fromUtf8(configKey(s))));
            QVERIFY2(shortRunLoss(changed) != reference,
                     qPrintable(QString::fromUtf8(choice.name) + QStringLiteral(" ignores ") + QString::fromUtf8(configKey(s))));
        }
    }
}

}  // namespace

class TstChoices : public QObject {
    Q_OBJECT

private slots:
    void everyValue_hasOneEntryThatConfigFilesRoundTrip()
    {
        checkTable<Architecture>("architecture", 4);
        checkTable<Activation>("activation", 4);
        checkTable<InitScheme>("init", 9);
        checkTable<OptimizerKind>("optimizer", 5);
        checkTable<Schedule>("schedule", 2);
        checkTable<ResidualForm>("residual_form", 2);
        checkTable<CorrelationKind>("correlation", 2);
        checkTable<DevicePreference>("device", 3);
    }

    void unknownName_isRefusedWithTheTablesNames()
    {
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
    void settingApplies_followsTheTables()
    {
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
    void docsTable_isTheGeneratedOne()
    {
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

    // A recipe sets its keys; a key written beside it wins, before or after it in the file.
    void recipe_setsItsKeys_andExplicitKeysWin()
    {
        QVERIFY(recipes().size() >= 3);
        for (const Recipe& r : recipes()) {
            const ExperimentConfig c = configFromJson(json::parse("{\"recipe\": \"" + std::string(r.name) + "\"}"));
            QCOMPARE(c.lr, r.lr);
            QCOMPARE(c.momentum, r.momentum);
            QCOMPARE(c.steps, r.steps);
            QCOMPARE(c.initScale, r.initScale);
            QVERIFY(c.schedule == r.schedule && c.optimizer == r.optimizer);
            QCOMPARE(recipeOf(c), &r);
        }
        for (const char* text : {"{\"lr\": 0.3, \"recipe\": \"vanilla-1200\", \"steps\": 50}", "{\"steps\": 50, \"recipe\": \"vanilla-1200\", \"lr\": 0.3}"}) {
            const ExperimentConfig c = configFromJson(json::parse(text));
            QCOMPARE(c.lr, 0.3);
            QCOMPARE(c.steps, 50);
            QCOMPARE(c.momentum, 0.0);
            QVERIFY(recipeOf(c) == nullptr);  // its own settings: no recipe's
        }
        // The init scale is one of the recipe's keys like the others.
        const ExperimentConfig unscaled = configFromJson(json::parse("{\"init_scale\": 1.0, \"recipe\": \"gentle\"}"));
        QCOMPARE(unscaled.initScale, 1.0);
        QCOMPARE(unscaled.lr, findRecipe("gentle")->lr);
        QVERIFY(recipeOf(unscaled) == nullptr);
        // A resolved config lists the keys, so it reads back the same without the recipe.
        const ExperimentConfig vanilla = configFromJson(json::parse("{\"recipe\": \"vanilla-1200\"}"));
        QCOMPARE(recipeOf(configFromJson(configToJson(vanilla))), findRecipe("vanilla-1200"));
    }

    // The defaults are the first recipe, with weight seed 0 (docs/reproduction.md).
    void defaults_areTheFirstRecipeWithSeedZero()
    {
        const ExperimentConfig defaults;
        QCOMPARE(recipeOf(defaults), &recipes().front());
        QCOMPARE(std::string(recipes().front().name), std::string("gentle"));
        QCOMPARE(defaults.seed, std::uint64_t(0));
    }

    void unknownRecipe_isRefusedWithEveryName()
    {
        for (const char* text : {"{\"recipe\": \"adam\"}", "{\"recipe\": 3}"}) {
            try {
                configFromJson(json::parse(text));
                QFAIL(text);
            } catch (const ConfigError& e) {
                const std::string message = e.what();
                QVERIFY2(message.rfind("config key \"recipe\": ", 0) == 0, e.what());
                if (std::string(text).find("adam") != std::string::npos)
                    QCOMPARE(message, std::string("config key \"recipe\": unknown value \"adam\"; accepted: gentle, slow, momentum, momentum-1200, vanilla-1200"));
            }
        }
    }

    // docs/config.md names every recipe, as `name`, with its summary.
    void docs_listEveryRecipe()
    {
        QFile file(docsPath());
        QVERIFY(file.open(QIODevice::ReadOnly | QIODevice::Text));
        const QString text = QString::fromUtf8(file.readAll());
        for (const Recipe& r : recipes()) {
            QVERIFY2(text.contains(QStringLiteral("| `%1` |").arg(QLatin1String(r.name))), r.name);
            QVERIFY2(text.contains(QString::fromUtf8(r.summary)), r.summary);
        }
    }

    void everyOptimiserSetting_changesARun()
    {
        checkEverySettingChangesARun<OptimizerKind>([](const Choice<OptimizerKind>& o) { return tinyRun(Architecture::Fcn, o.value); });
    }

    void everyArchitectureSetting_changesARun()
    {
        checkEverySettingChangesARun<Architecture>([](const Choice<Architecture>& a) { return tinyRun(a.value, OptimizerKind::Sgd); });
    }
};

QTEST_GUILESS_MAIN(TstChoices)
#include "tst_choices.moc"
