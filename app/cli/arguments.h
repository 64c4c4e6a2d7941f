#pragma once
// Command-line options of identitylab-cli's commands, with the standard library only, so that
// the CLI builds on a GPU node that has LibTorch and a compiler but no Qt. GNU style:
// "--name value" or "--name=value", flags without a value, positionals anywhere, "--help".

#include <map>
#include <optional>
#include <string>
#include <vector>

namespace il::cli {

struct Option {
    std::string name;          // without the dashes: "out"
    std::string valueName;     // empty: a flag; else what the value is ("dir")
    std::string help;
    std::string defaultValue;  // what value() returns when the option is not given
    bool hidden = false;       // left out of --help (internal options)
};

class Arguments {
public:
    // usage: "identitylab-cli train [options]"; description: what the command does.
    Arguments(std::string usage, std::string description);

    // A flag when valueName is empty.
    void add(std::string name, std::string valueName, std::string help, std::string defaultValue = {}, bool hidden = false);
    void addPositional(const std::string& name, const std::string& help);

    // False on an unknown option or a missing value; errorText() says which.
    bool parse(const std::vector<std::string>& arguments);
    // parse(), then the answers every command gives the same way: on a bad option the error on
    // stderr and exit code 2; on --help the help on stdout and exit code 0. Empty: go on.
    std::optional<int> parseOrAnswer(const std::vector<std::string>& arguments);
    // "identitylab-cli train": the start of the command's messages (the usage's first two words).
    std::string command() const;
    const std::string& errorText() const { return error_; }
    std::string helpText() const;
    bool helpRequested() const { return isSet("help"); }

    bool isSet(const std::string& name) const;
    std::string value(const std::string& name) const;                // the last one given, else the default
    std::vector<std::string> values(const std::string& name) const;  // every one given, in order
    const std::vector<std::string>& positionals() const { return positionals_; }

    // The value as an integer of at least `minimum`; throws ConfigError naming the option.
    int intValue(const std::string& name, int minimum) const;

private:
    const Option* find(const std::string& name) const;

    std::string usage_, description_;
    std::vector<Option> options_;
    std::vector<std::pair<std::string, std::string>> positionalHelp_;
    std::map<std::string, std::vector<std::string>> given_;
    std::vector<std::string> positionals_;
    std::string error_;
};

// "png,svg" as a list of figure formats (png, svg, pdf), each once; throws ConfigError.
std::vector<std::string> figureFormats(const std::string& commaSeparated);

// Splits "a,b,,c" into {"a", "b", "c"}.
std::vector<std::string> splitList(const std::string& commaSeparated);

}  // namespace il::cli
