#pragma once
// The accepted range of every numeric config key, as data: validate() enforces these and the
// Experiment panel shows them beside its fields, so a limit is changed in one place.

#include <cstdint>
#include <string>
#include <vector>

namespace il {

struct NumericLimit {
    const char* key;   // the config file's key: "depth", "lr", "image_size", ...
    double lo;         // inclusive
    double hi;         // inclusive
    bool whole;        // a whole number (a count, a size, a class)
    const char* unit;  // "" or " pixels", appended to the range in messages
};

// Every numeric key validate() checks against a range, in the order it checks them.
const std::vector<NumericLimit>& numericLimits();
// The limit of `key`; throws il::Error for a key without one.
const NumericLimit& limitOf(const std::string& key);
// NaN is never within.
bool withinLimit(const NumericLimit& limit, double value);
// "1 to 30", "7 to 112 pixels", "1e-12 to 100": as the config errors name the range.
std::string rangeText(const NumericLimit& limit);
// A number as the config errors write it: whole numbers whole ("10000000"), others shortest.
std::string numberText(double value);

// Seeds ("seed", "data_seed") are whole numbers from 0 to this: what a config file can hold
// (a JSON integer is read as a signed 64-bit number).
inline constexpr std::uint64_t kMaxSeed = 9223372036854775807ULL;

}  // namespace il
