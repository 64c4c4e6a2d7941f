// libFuzzer target: the config parser, from JSON text to a validated ExperimentConfig
// (engine/io/json.h, engine/config/config_json.h), as the CLI's --config and --set, the GUI's
// "Open config" and the presets use it. An input whose first line holds '=' but no '{' is
// taken as a --set override applied to the rest.
// Beyond "no crash", it checks two round trips: any JSON value that parses dumps to text that
// parses back equal; any accepted config, written out as config.json, reads back the same
// config (the file records everything needed to repeat the run).
//   fuzz_config tests/fuzz/corpus/config -max_total_time=600

#include <cstddef>
#include <cstdint>
#include <string>

#include "engine/config/config_json.h"
#include "engine/io/json.h"
#include "fuzz_common.h"

using namespace il;
using il::fuzz::require;

extern "C" int LLVMFuzzerTestOneInput(const std::uint8_t* data, std::size_t size)
{
    std::string text(reinterpret_cast<const char*>(data), size);
    std::string assignment;
    const std::size_t newline = text.find('\n');
    if (newline != std::string::npos && newline < 256) {
        const std::string first = text.substr(0, newline);
        if (first.find('=') != std::string::npos && first.find('{') == std::string::npos) {
            assignment = first;
            text.erase(0, newline + 1);
        }
    }

    json::Value root;
    try {
        root = json::parse(text);
    } catch (const json::ParseError& e) {
        require(e.line() >= 1 && e.column() >= 1, "parse error position");
        require(!e.reason().empty(), "empty parse error");
        return 0;
    }

    // Any parsed value survives dump and parse, compact and indented.
    for (int indent : {-1, 2}) {
        const std::string dumped = root.dump(indent);
        json::Value again;
        try {
            again = json::parse(dumped);
        } catch (const json::ParseError& e) {
            fuzz::broken("dump() wrote text parse() refuses:", std::string(e.what()) + " in " + dumped.substr(0, 200));
        }
        require(again == root, "dump/parse changed the value:", dumped.substr(0, 200));
    }

    ExperimentConfig config;
    try {
        if (!assignment.empty()) {
            if (!root.isObject()) return 0;  // the CLI refuses that before applying overrides
            applyOverride(root, assignment);
        }
        config = configFromJson(root);
    } catch (const ConfigError& e) {
        fuzz::checkMessage(e, {});
        return 0;
    }

    // Accepted: the resolved config (config.json of a run folder) reads back the same.
    const std::string written = configToJson(config).dump(2);
    try {
        const ExperimentConfig back = configFromJson(json::parse(written));
        require(configToJson(back) == configToJson(config), "config.json does not read back the same config:", written);
    } catch (const Error& e) {
        fuzz::broken("config.json of an accepted config is refused:", std::string(e.what()) + "\n" + written);
    }
    require(!describeModel(config).empty(), "describeModel");
    return 0;
}
