// Sweep plans (engine/sweep/plan.h, plan_tasks.h): the expansion order the docs promise, ranges,
// seeds, explicit runs, every bad axis with its exact message, and plan.json read back. Every
// shipped preset is a plan that expands to the runs the preset reader makes of it.

#include <QtTest>

#include "engine/config/config_json.h"
#include "engine/config/preset.h"
#include "engine/core/errors.h"
#include "engine/data/dataset.h"
#include "engine/sweep/plan.h"
#include "engine/sweep/plan_tasks.h"

using namespace il;

namespace {

ExpandedPlan expand(const char* text) { return expandPlan(planFromJson(json::parse(text), "p.json")); }

std::vector<std::string> labelsOf(const ExpandedPlan& e)
{
    std::vector<std::string> labels;
    for (const PlanTask& t : e.tasks) labels.push_back(t.label);
    return labels;
}

// The message a plan gives on reading or expanding, or "" when it is accepted.
QString messageFor(const std::string& text)
{
    try {
        expandPlan(planFromJson(json::parse(text), "p.json"));
    } catch (const ConfigError& e) {
        return QString::fromStdString(e.what());
    }
    return {};
}

}  // namespace

class TstPlan : public QObject {
    Q_OBJECT

private slots:
    void axes_expandInWrittenOrder_lastAxisFastest()
    {
        const ExpandedPlan e = expand(R"({"base": {"steps": 10},
            "axes": [{"key": "depth", "values": [1, 3]}, {"key": "kernel_size", "values": [3, 5]}]})");
        QCOMPARE(labelsOf(e), (std::vector<std::string>{"depth=1 kernel_size=3", "depth=1 kernel_size=5", "depth=3 kernel_size=3",
                                                        "depth=3 kernel_size=5"}));
        for (int i = 0; i < 4; ++i) QCOMPARE(e.tasks[static_cast<std::size_t>(i)].index, i);
        QCOMPARE(e.tasks[2].config.depth, 3);
        QCOMPARE(e.tasks[2].config.kernelSize, 3);
        QCOMPARE(e.tasks[2].config.steps, 10);
        QCOMPARE(e.tasks[1].folder, std::string("001-depth-1-kernel_size-5"));
        QCOMPARE(e.tasks[1].overrides, json::parse(R"({"depth": 1, "kernel_size": 5})"));
        QCOMPARE(e.tasks[1].cell, e.tasks[1].label);
    }

    void stringValues_labelWithoutQuotes()
    {
        const ExpandedPlan e = expand(R"({"axes": [{"key": "init", "values": ["orthogonal", "lecun_normal"]}]})");
        QCOMPARE(labelsOf(e), (std::vector<std::string>{"init=orthogonal", "init=lecun_normal"}));
        QCOMPARE(e.tasks[1].config.init, InitScheme::LecunNormal);
    }

    void ranges_includeTheirEnd_andKeepWholeNumbersWhole()
    {
        const ExpandedPlan up = expand(R"({"axes": [{"key": "depth", "range": {"from": 1, "to": 8, "step": 3}}]})");
        QCOMPARE(labelsOf(up), (std::vector<std::string>{"depth=1", "depth=4", "depth=7"}));
        QVERIFY(up.tasks[0].overrides.at("depth").isInteger());
        const ExpandedPlan down = expand(R"({"axes": [{"key": "depth", "range": {"from": 20, "to": 14, "step": -3}}]})");
        QCOMPARE(labelsOf(down), (std::vector<std::string>{"depth=20", "depth=17", "depth=14"}));
        const ExpandedPlan one = expand(R"({"axes": [{"key": "depth", "range": {"from": 6, "to": 6, "step": 2}}]})");
        QCOMPARE(labelsOf(one), (std::vector<std::string>{"depth=6"}));
        // Binary fractions: 0.1 + 2 * 0.1 must be written 0.3, and 0.5 must not be lost.
        const ExpandedPlan lr = expand(R"({"axes": [{"key": "lr", "range": {"from": 0.1, "to": 0.5, "step": 0.1}}]})");
        QCOMPARE(labelsOf(lr), (std::vector<std::string>{"lr=0.1", "lr=0.2", "lr=0.3", "lr=0.4", "lr=0.5"}));
        QCOMPARE(lr.tasks[2].config.lr, 0.3);
    }

    void seeds_varyOnlyTheWeightSeed_fastest()
    {
        const ExpandedPlan e = expand(R"({"base": {"data_seed": 7, "seed": 4},
            "axes": [{"key": "depth", "values": [1, 20]}], "seeds": 3})");
        QCOMPARE(labelsOf(e), (std::vector<std::string>{"depth=1 seed=0", "depth=1 seed=1", "depth=1 seed=2", "depth=20 seed=0",
                                                        "depth=20 seed=1", "depth=20 seed=2"}));
        for (const PlanTask& t : e.tasks) {
            QCOMPARE(t.config.seed, static_cast<std::uint64_t>(t.index % 3));
            QCOMPARE(t.config.dataSeed, std::uint64_t(7));  // the same training image for every seed
            QCOMPARE(t.cell, std::string(t.index < 3 ? "depth=1" : "depth=20"));
            // Only the weight seed differs within a cell.
            json::Value a = configToJson(t.config), b = configToJson(e.tasks[static_cast<std::size_t>(t.index / 3 * 3)].config);
            a["seed"] = 0;
            b["seed"] = 0;
            QCOMPARE(a, b);
        }
        QCOMPARE(e.tasks[4].folder, std::string("004-depth-20-seed-1"));
        const ExpandedPlan listed = expand(R"({"seeds": [9, 2]})");
        QCOMPARE(listed.tasks.size(), std::size_t(2));
        QCOMPARE(listed.tasks[0].config.seed, std::uint64_t(9));
        QCOMPARE(listed.tasks[1].config.seed, std::uint64_t(2));
        QCOMPARE(listed.tasks[1].label, std::string("CNN 5x128 k5 relu seed=2"));
    }

    void explicitRuns_followTheGrid_withTheirFlags()
    {
        const ExpandedPlan e = expand(R"plan({"name": "mine", "base": {"architecture": "cnn"},
            "axes": [{"key": "depth", "values": [3, 5]}],
            "runs": [{"label": "CNN 20 (random init)", "set": {"depth": 20}, "train": false},
                     {"set": {"depth": 7}, "slow": true, "evaluate_sizes": [7, 28]}],
            "seeds": [0, 1]})plan");
        QCOMPARE(labelsOf(e), (std::vector<std::string>{"depth=3 seed=0", "depth=3 seed=1", "depth=5 seed=0", "depth=5 seed=1",
                                                        "CNN 20 (random init) seed=0", "CNN 20 (random init) seed=1",
                                                        "CNN 7x128 k5 relu seed=0", "CNN 7x128 k5 relu seed=1"}));
        QCOMPARE(e.tasks[4].options.train, false);
        QCOMPARE(e.tasks[4].config.depth, 20);
        QCOMPARE(e.tasks[4].folder, std::string("004-cnn-20-random-init-seed-0"));
        QCOMPARE(e.tasks[4].overrides, json::parse(R"({"depth": 20, "seed": 0})"));
        QCOMPARE(e.tasks[7].options.slow, true);
        QCOMPARE(e.tasks[7].options.evaluateSizes, (std::vector<int>{7, 28}));
        QCOMPARE(e.tasks[0].options.train, true);
    }

    void docsExample_expandsAsDocumented()
    {
        // docs/config.md, "Sweep plans": Figure 3's depths with five seeds and an untrained control.
        const ExpandedPlan e = expand(R"plan({"format": "identitylab-plan/1", "name": "cnn-depth-seeds",
            "figure": "probe_grid",
            "base": {"architecture": "cnn", "channels": 128, "kernel_size": 5, "steps": 1200},
            "axes": [{"key": "depth", "values": [1, 5, 10, 15, 20]}],
            "runs": [{"label": "CNN 20 (random init)", "set": {"depth": 20}, "train": false}],
            "seeds": 5})plan");
        QCOMPARE(e.tasks.size(), std::size_t(30));
        QCOMPARE(e.tasks[0].label, std::string("depth=1 seed=0"));
        QCOMPARE(e.tasks[0].folder, std::string("000-depth-1-seed-0"));
        QCOMPARE(e.tasks[4].label, std::string("depth=1 seed=4"));
        QCOMPARE(e.tasks[5].label, std::string("depth=5 seed=0"));
        QCOMPARE(e.tasks[25].label, std::string("CNN 20 (random init) seed=0"));
        QCOMPARE(e.tasks[29].label, std::string("CNN 20 (random init) seed=4"));
        QCOMPARE(e.tasks[29].options.train, false);
    }

    void noAxesNoRuns_isTheBaseAlone()
    {
        const ExpandedPlan named = expand(R"({"name": "one", "base": {"depth": 2}})");
        QCOMPARE(labelsOf(named), (std::vector<std::string>{"one"}));
        QCOMPARE(named.tasks[0].folder, std::string("000-one"));
        const ExpandedPlan unnamed = expand(R"({})");
        QCOMPARE(labelsOf(unnamed), (std::vector<std::string>{"CNN 5x128 k5 relu"}));
    }

    void folders_widenWithTheTaskCount()
    {
        const ExpandedPlan e = expand(R"({"axes": [{"key": "steps", "range": {"from": 1, "to": 1000, "step": 1}}]})");
        QCOMPARE(e.tasks.front().folder, std::string("000-steps-1"));
        QCOMPARE(e.tasks.back().folder, std::string("999-steps-1000"));
        const ExpandedPlan more = expand(R"({"axes": [{"key": "steps", "range": {"from": 1, "to": 1001, "step": 1}}]})");
        QCOMPARE(more.tasks.front().folder, std::string("0000-steps-1"));
    }

    void badPlans_haveExactMessages_data()
    {
        QTest::addColumn<QString>("json");
        QTest::addColumn<QString>("message");
        auto row = [](const char* name, const char* json, const char* message) {
            QTest::newRow(name) << QString::fromUtf8(json) << QString::fromUtf8(message);
        };
        row("unknown key", R"({"axes": [{"key": "dpeth", "values": [1]}]})",
            R"(p.json: axis "dpeth": not a config key (see docs/config.md for the accepted keys))");
        row("empty values", R"({"axes": [{"key": "depth", "values": []}]})", R"(p.json: axis "depth": has no values)");
        row("values not a list", R"({"axes": [{"key": "depth", "values": 5}]})", R"(p.json: axis "depth": "values" must be a list)");
        row("rejected value", R"({"axes": [{"key": "depth", "values": [5, 0]}]})",
            R"(p.json: axis "depth", value 0: config key "depth": 0 is out of range; accepted 1 to 30)");
        row("rejected name",
            R"({"name": "grid", "axes": [{"key": "depth", "values": [5]}, {"key": "init", "values": ["xavier", "orthogonal"]}]})",
            R"(p.json: axis "init", value "xavier": config key "init": unknown value "xavier"; accepted: pytorch_default, lecun_normal, lecun_uniform, xavier_normal, xavier_uniform, kaiming_normal, kaiming_uniform, orthogonal, fan_product_normal)");
        row("step 0", R"({"axes": [{"key": "depth", "range": {"from": 1, "to": 5, "step": 0}}]})",
            R"(p.json: axis "depth": the range's step must not be 0)");
        row("range the wrong way", R"({"axes": [{"key": "depth", "range": {"from": 5, "to": 1, "step": 1}}]})",
            R"(p.json: axis "depth": a range from 5 to 1 by 1 has no values)");
        row("range incomplete", R"({"axes": [{"key": "depth", "range": {"from": 1, "to": 5}}]})",
            R"(p.json: axis "depth": "range" needs the numbers "from", "to" and "step", and nothing else)");
        row("huge range", R"({"axes": [{"key": "lr", "range": {"from": 0.000001, "to": 1, "step": 0.000001}}]})",
            R"(p.json: axis "lr": the range gives more than 10000 values)");
        row("values and range", R"({"axes": [{"key": "depth", "values": [1], "range": {"from": 1, "to": 5, "step": 1}}]})",
            R"(p.json: axis "depth": needs either "values" (a list) or "range" ({"from", "to", "step"}))");
        row("no key", R"({"axes": [{"values": [1]}]})", R"(p.json: axis 1: needs "key", the config key it varies)");
        row("axis not an object", R"({"axes": [{"key": "depth", "values": [1]}, 3]})",
            R"(p.json: axis 2: expected an object {"key": ..., "values": [...]})");
        row("unknown axis field", R"({"axes": [{"key": "depth", "value": [1]}]})",
            R"(p.json: axis "depth": unknown field "value"; accepted: key, values, range)");
        row("seed axis", R"({"axes": [{"key": "seed", "values": [1, 2]}]})",
            R"(p.json: axis "seed": vary the weight seed with the plan's "seeds", which keeps a cell's seeds together)");
        row("twice", R"({"axes": [{"key": "depth", "values": [1]}, {"key": "depth", "values": [2]}]})",
            R"(p.json: axis "depth": varied twice)");
        row("value wrong on this base",
            R"({"base": {"architecture": "resnet_cnn", "depth": 4}, "axes": [{"key": "depth", "values": [4, 5]}]})",
            R"(p.json: axis "depth", value 5: config key "depth": 5 does not fit this ResNet: it needs an even depth of at least 4 (input layer, blocks of two layers, output layer))");
        row("values wrong together",
            R"({"base": {"depth": 4}, "axes": [{"key": "architecture", "values": ["resnet_cnn"]}, {"key": "depth", "values": [4, 5]}]})",
            R"(p.json: task 1 (architecture=resnet_cnn depth=5, {"architecture":"resnet_cnn","depth":5}): config key "depth": 5 does not fit this ResNet: it needs an even depth of at least 4 (input layer, blocks of two layers, output layer))");
        row("bad run", R"({"runs": [{"label": "deep", "set": {"depth": 99}}]})",
            R"(p.json: run "deep": config key "depth": 99 is out of range; accepted 1 to 30)");
        row("base typo", R"({"base": {"dpeth": 3}, "axes": [{"key": "depth", "values": [1]}]})",
            R"(p.json: "base": unknown config key "dpeth" (see docs/config.md for the accepted keys))");
        row("set typo", R"({"runs": [{"label": "a"}, {"label": "b", "set": {"kernel": 3}}]})",
            R"(p.json: run 2: "set": unknown config key "kernel" (see docs/config.md for the accepted keys))");
        row("base wrong itself", R"({"base": {"lr": -1}, "axes": [{"key": "depth", "values": [1, 2]}]})",
            R"(p.json: "base": config key "lr": must be a positive number, got -1)");
        row("unknown run field", R"({"runs": [{"label": "deep", "sett": {"depth": 9}}]})",
            R"(p.json: run 1: unknown field "sett"; accepted: label, set, train, slow, evaluate_sizes)");
        row("unknown plan key", R"({"axis": []})",
            R"(p.json: unknown plan key "axis"; accepted: format, name, title, description, figure, requires, layer_classifier_images, base, axes, seeds, runs)");
        row("seeds 0", R"({"seeds": 0})", R"(p.json: "seeds": a count of seeds is a whole number from 1 to 10000, got 0)");
        row("seed twice", R"({"seeds": [1, 2, 1]})", R"(p.json: "seeds": seed 1 is listed twice)");
        row("negative seed", R"({"seeds": [-1]})", R"(p.json: "seeds": a seed is a whole number of at least 0, got -1)");
        row("unknown figure", R"({"figure": "heatmap"})",
            R"(p.json: unknown figure "heatmap"; accepted: probe_grid, rho, activations, layer_classifier)");
        row("too many tasks", R"({"axes": [{"key": "steps", "range": {"from": 1, "to": 1000, "step": 1}},
            {"key": "rho_points", "range": {"from": 2, "to": 200, "step": 1}}]})",
            R"(p.json: the plan expands to more than 100000 tasks)");
    }

    void badPlans_haveExactMessages()
    {
        QFETCH(QString, json);
        QFETCH(QString, message);
        QCOMPARE(messageFor(json.toStdString()), message);
    }

    void aPastedConfig_isABase()
    {
        const ExpandedPlan e = expand(R"({"base": {"format": "identitylab-config/1", "depth": 2}})");
        QCOMPARE(e.tasks[0].config.depth, 2);
    }

    void axisValuesValidOnlyTogether_areAccepted()
    {
        // resnet_cnn is wrong on the base's depth 5 alone; with the depth axis every task is fine.
        const ExpandedPlan e = expand(R"({"axes": [{"key": "architecture", "values": ["cnn", "resnet_cnn"]},
            {"key": "depth", "values": [4, 6]}]})");
        QCOMPARE(e.tasks.size(), std::size_t(4));
        QCOMPARE(e.tasks[3].config.architecture, Architecture::ResnetCnn);
    }

    void expansion_isDeterministic()
    {
        const char* text = R"({"axes": [{"key": "depth", "values": [1, 3]}, {"key": "lr", "values": [0.01, 0.02]}], "seeds": 2})";
        QCOMPARE(planToJson(expand(text)).dump(), planToJson(expand(text)).dump());
    }

    void planJson_readsBackToTheSameTasks()
    {
        const ExpandedPlan e = expand(R"({"name": "grid", "title": "A grid", "base": {"steps": 50},
            "axes": [{"key": "depth", "range": {"from": 1, "to": 5, "step": 2}}],
            "runs": [{"label": "rnd", "set": {"depth": 20}, "train": false, "evaluate_sizes": [14]}], "seeds": 2})");
        const json::Value written = planToJson(e);
        const json::Value reread = json::parse(written.dump());
        const ExpandedPlan back = expandedPlanFromJson(reread, "plan.json");
        QCOMPARE(planToJson(back), written);
        QCOMPARE(back.tasks.size(), std::size_t(8));
        QCOMPARE(back.tasks[6].options.train, false);
        // The written plan has its range as a list and its seeds spelled out.
        QCOMPARE(written.at("plan").at("axes").asArray()[0].at("values"), json::parse("[1, 3, 5]"));
        QCOMPARE(written.at("plan").at("seeds"), json::parse("[0, 1]"));
        QCOMPARE(written.at("tasks").asArray()[3].at("config").at("depth").asInteger(), 3LL);

        json::Value tampered = reread;
        tampered["tasks"].asArray()[2]["config"]["depth"] = 9;
        QVERIFY_THROWS_EXCEPTION(DataError, expandedPlanFromJson(tampered, "plan.json"));
        json::Value shortened = reread;
        shortened["tasks"].asArray().pop_back();
        QVERIFY_THROWS_EXCEPTION(DataError, expandedPlanFromJson(shortened, "plan.json"));
        QVERIFY_THROWS_EXCEPTION(DataError, expandedPlanFromJson(json::parse("{}"), "plan.json"));
    }

    void everyShippedPreset_isAPlanWithTheSameRuns()
    {
        const std::string resources = findResourcesDir();
        const std::vector<std::string> names = presetNames(resources);
        QVERIFY(names.size() >= 10);
        for (const std::string& name : names) {
            const std::string path = presetPath(resources, name);
            const Preset preset = loadPreset(path);
            const ExpandedPlan plan = expandPlan(loadPlan(path));
            QCOMPARE(plan.plan.name, preset.name);
            QCOMPARE(plan.plan.figure, std::string(toString(preset.figure)));
            QCOMPARE(plan.plan.requires, preset.requires);
            QCOMPARE(plan.plan.layerClassifierImages, preset.layerClassifierImages);
            QCOMPARE(plan.tasks.size(), preset.runs.size());
            for (std::size_t i = 0; i < preset.runs.size(); ++i) {
                const PresetRun& run = preset.runs[i];
                const PlanTask& task = plan.tasks[i];
                QCOMPARE(task.label, run.label);
                QCOMPARE(configToJson(task.config), configToJson(run.config));
                QCOMPARE(task.options.train, run.train);
                QCOMPARE(task.options.slow, run.slow);
                QCOMPARE(task.options.evaluateSizes, run.evaluateSizes);
            }
            // With seeds, each run becomes a cell of seeds that differ in the weight seed only.
            Plan seeded = loadPlan(path);
            seeded.seeds = seedsFromJson(json::Value(3));
            const ExpandedPlan withSeeds = expandPlan(seeded);
            QCOMPARE(withSeeds.tasks.size(), 3 * preset.runs.size());
            QCOMPARE(withSeeds.tasks[4].cell, preset.runs[1].label);
            QCOMPARE(withSeeds.tasks[4].config.seed, std::uint64_t(1));
        }
    }
};

QTEST_GUILESS_MAIN(TstPlan)
#include "tst_plan.moc"
