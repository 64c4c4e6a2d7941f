#pragma once
// Error types the engine throws. Every message is written for the user: it says what was
// wrong, where (file, key, value), and what is accepted instead.

#include <stdexcept>
#include <string>

namespace il {

// Base of everything the engine throws on purpose.
class Error : public std::runtime_error {
public:
    using std::runtime_error::runtime_error;
};

// A config key that is unknown, of the wrong type, or out of range.
class ConfigError : public Error {
public:
    using Error::Error;
};

// A data file that is missing, truncated, corrupt or of the wrong format.
class DataError : public Error {
public:
    using Error::Error;
};

// A model or run that does not fit the machine (memory, device).
class ResourceError : public Error {
public:
    using Error::Error;
};

}  // namespace il
