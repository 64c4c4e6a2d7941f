#include "arguments.h"

#include <algorithm>
#include <cctype>
#include <cerrno>
#include <cstdio>
#include <cstdlib>

#include "engine/core/errors.h"

namespace il::cli {

Arguments::Arguments(std::string usage, std::string description) : usage_(std::move(usage)), description_(std::move(description))
{
    add("help", "", "Show this help.");
}

void Arguments::add(std::string name, std::string valueName, std::string help, std::string defaultValue, bool hidden)
{
    options_.push_back({std::move(name), std::move(valueName), std::move(help), std::move(defaultValue), hidden});
}

void Arguments::addPositional(const std::string& name, const std::string& help) { positionalHelp_.emplace_back(name, help); }

const Option* Arguments::find(const std::string& name) const
{
    for (const Option& o : options_)
        if (o.name == name) return &o;
    return nullptr;
}

bool Arguments::parse(const std::vector<std::string>& arguments)
{
    given_.clear();
    positionals_.clear();
    error_.clear();
    bool onlyPositionals = false;
    for (std::size_t i = 0; i < arguments.size(); ++i) {
        const std::string& a = arguments[i];
        if (onlyPositionals || a.size() < 2 || a[0] != '-') {
            positionals_.push_back(a);
            continue;
        }
        if (a == "--") {
            onlyPositionals = true;
            continue;
        }
        if (a == "-h") {
            given_["help"].emplace_back();
            continue;
        }
        if (a.compare(0, 2, "--") != 0) {
            error_ = "unknown option \"" + a + "\" (options start with --)";
            return false;
        }
        const std::size_t equals = a.find('=');
        const std::string name = a.substr(2, equals == std::string::npos ? std::string::npos : equals - 2);
        const Option* option = find(name);
        if (!option) {
            error_ = "unknown option \"--" + name + "\" (see --help)";
            return false;
        }
        if (option->valueName.empty()) {
            if (equals != std::string::npos) {
                error_ = "--" + name + " takes no value";
                return false;
            }
            given_[name].emplace_back();
        } else if (equals != std::string::npos) {
            given_[name].push_back(a.substr(equals + 1));
        } else if (i + 1 < arguments.size()) {
            given_[name].push_back(arguments[++i]);
        } else {
            error_ = "--" + name + " needs a value (" + option->valueName + ")";
            return false;
        }
    }
    return true;
}

std::string Arguments::command() const
{
    const std::size_t first = usage_.find(' ');
    const std::size_t second = first == std::string::npos ? first : usage_.find(' ', first + 1);
    return usage_.substr(0, second);
}

std::optional<int> Arguments::parseOrAnswer(const std::vector<std::string>& arguments)
{
    if (!parse(arguments)) {
        std::fprintf(stderr, "%s: %s\n", command().c_str(), error_.c_str());
        return 2;
    }
    if (helpRequested()) {
        std::printf("%s", helpText().c_str());
        return 0;
    }
    return std::nullopt;
}

std::string Arguments::helpText() const
{
    std::string text = "usage: " + usage_ + "\n\n" + description_ + "\n";
    if (!positionalHelp_.empty()) {
        text += "\narguments:\n";
        for (const auto& [name, help] : positionalHelp_) {
            std::string line = "  " + name;
            line.resize(std::max<std::size_t>(line.size() + 2, 26), ' ');
            text += line + help + "\n";
        }
    }
    text += "\noptions:\n";
    for (const Option& o : options_) {
        if (o.hidden) continue;
        std::string line = "  --" + o.name + (o.valueName.empty() ? "" : " " + o.valueName);
        line.resize(std::max<std::size_t>(line.size() + 2, 26), ' ');
        text += line + o.help;
        if (!o.defaultValue.empty()) text += " [default: " + o.defaultValue + "]";
        text += "\n";
    }
    return text;
}

bool Arguments::isSet(const std::string& name) const { return given_.count(name) > 0; }

std::string Arguments::value(const std::string& name) const
{
    const auto it = given_.find(name);
    if (it != given_.end() && !it->second.empty()) return it->second.back();
    const Option* option = find(name);
    return option ? option->defaultValue : std::string();
}

std::vector<std::string> Arguments::values(const std::string& name) const
{
    const auto it = given_.find(name);
    return it == given_.end() ? std::vector<std::string>{} : it->second;
}

int Arguments::intValue(const std::string& name, int minimum) const
{
    const std::string text = value(name);
    errno = 0;
    char* end = nullptr;
    const long v = std::strtol(text.c_str(), &end, 10);
    if (text.empty() || *end != '\0' || errno == ERANGE || v < minimum || v > 1000000000L)
        throw ConfigError("--" + name + " must be a whole number of at least " + std::to_string(minimum) + ", not \"" + text + "\"");
    return static_cast<int>(v);
}

std::vector<std::string> splitList(const std::string& commaSeparated)
{
    std::vector<std::string> parts;
    std::string current;
    for (char c : commaSeparated + ",") {
        if (c != ',') {
            current += c;
            continue;
        }
        const auto first = current.find_first_not_of(" \t");
        if (first != std::string::npos) parts.push_back(current.substr(first, current.find_last_not_of(" \t") - first + 1));
        current.clear();
    }
    return parts;
}

std::vector<std::string> figureFormats(const std::string& commaSeparated)
{
    std::vector<std::string> formats;
    for (std::string format : splitList(commaSeparated)) {
        std::transform(format.begin(), format.end(), format.begin(), [](unsigned char c) { return static_cast<char>(std::tolower(c)); });
        if (format != "png" && format != "svg" && format != "pdf")
            throw ConfigError("unknown figure format \"" + format + "\"; accepted: png, svg, pdf");
        if (std::find(formats.begin(), formats.end(), format) == formats.end()) formats.push_back(format);
    }
    if (formats.empty()) throw ConfigError("no figure format given; accepted: png, svg, pdf");
    return formats;
}

}  // namespace il::cli
