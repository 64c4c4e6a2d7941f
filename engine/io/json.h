#pragma once
// A small JSON DOM (RFC 8259) for configs, run manifests and metric files. The engine may use
// only the standard library (it also builds without Qt), hence no QJsonDocument or nlohmann.
// Objects keep insertion order so files we write diff cleanly and read the way they were written.

#include <cstddef>
#include <string>
#include <utility>
#include <variant>
#include <vector>

#include "engine/core/errors.h"

namespace il::json {

// Malformed JSON text. what() is "line L, column C: what was expected" (prefixed with
// "FILE: " by parseFile); lines and columns are 1-based, columns count UTF-8 characters.
class ParseError : public il::Error {
public:
    ParseError(const std::string& what, int line, int column, const std::string& file = {});
    int line() const { return line_; }
    int column() const { return column_; }
    const std::string& reason() const { return reason_; }  // the message without position

private:
    std::string reason_;
    int line_;
    int column_;
};

namespace detail {
class Parser;
}

class Value {
public:
    enum class Type { Null, Bool, Number, String, Array, Object };
    using Array = std::vector<Value>;
    using Object = std::vector<std::pair<std::string, Value>>;

    Value() = default;
    Value(std::nullptr_t) {}
    Value(bool b) : data_(b) {}
    // Integers are stored exactly as int64 (seeds, counts); asNumber() still works on them.
    Value(int i) : data_(static_cast<long long>(i)) {}
    Value(long i) : data_(static_cast<long long>(i)) {}
    Value(long long i) : data_(i) {}
    Value(unsigned i) : data_(static_cast<long long>(i)) {}
    Value(unsigned long u) : Value(static_cast<unsigned long long>(u)) {}
    Value(unsigned long long u);  // above INT64_MAX it becomes a double
    Value(double d) : data_(d) {}
    Value(const char* s);  // nullptr gives null rather than a crash
    Value(std::string s) : data_(std::move(s)) {}
    // Without this any other pointer would silently convert to bool.
    Value(const void*) = delete;

    static Value array();
    static Value object();

    Type type() const;
    bool isNull() const { return type() == Type::Null; }
    bool isBool() const { return type() == Type::Bool; }
    bool isNumber() const { return type() == Type::Number; }
    bool isString() const { return type() == Type::String; }
    bool isArray() const { return type() == Type::Array; }
    bool isObject() const { return type() == Type::Object; }
    const char* typeName() const;  // "null", "boolean", "number", "string", "array", "object"

    // Typed access; a wrong type throws il::ConfigError ("expected a number, got a string").
    bool asBool() const;
    double asNumber() const;
    const std::string& asString() const;
    bool isInteger() const;       // a number with no fractional part, within int64 range
    long long asInteger() const;  // throws il::ConfigError unless isInteger()
    const Array& asArray() const;
    Array& asArray();
    const Object& members() const;  // object members in insertion order

    const Value* find(const std::string& key) const;  // nullptr if absent or not an object
    bool contains(const std::string& key) const { return find(key) != nullptr; }
    const Value& at(const std::string& key) const;  // throws il::ConfigError if absent
    Value& operator[](const std::string& key);      // inserts null if absent; null becomes an object
    void push_back(Value v);                        // null becomes an array
    std::size_t size() const;                       // array/object size, else 0

    // indent < 0: one compact line. Integers print without ".0", other numbers in the shortest
    // form that parses back to the same double, NaN/Inf as null (JSON has no spelling for them).
    // Like ==, it recurses: fine for parsed values (depth <= 256) and any sane built value.
    std::string dump(int indent = 2) const;

    // Numbers compare by value (1 == 1.0); objects compare as unordered key sets.
    bool operator==(const Value& other) const;
    bool operator!=(const Value& other) const { return !(*this == other); }

private:
    friend class detail::Parser;  // builds objects directly, without a key rescan per member
    std::variant<std::monostate, bool, long long, double, std::string, Array, Object> data_;
};

// Strict RFC 8259: no comments, trailing commas, NaN or single quotes; \uXXXX escapes (with
// surrogate pairs) become UTF-8; raw strings must be valid UTF-8; nothing may follow the value.
// Nesting deeper than 256 levels is a ParseError. Duplicate keys: the last value wins (kept at
// the first key's position). A leading UTF-8 byte order mark is skipped.
Value parse(const std::string& text);

// Throws il::DataError "cannot open FILE: reason"; a ParseError's message starts with FILE.
Value parseFile(const std::string& path);

// Writes PATH.tmp-XXXXXXXX next to PATH, then renames it over PATH, so a crash or a full disk
// never leaves a half-written file behind. Throws il::Error naming PATH and strerror(errno).
void writeFileAtomic(const std::string& path, const std::string& text);

}  // namespace il::json
