#include "engine/io/json.h"

#include <algorithm>
#include <cerrno>
#include <charconv>
#include <climits>
#include <cmath>
#include <cstdio>
#include <cstring>
#include <unordered_map>

#include "engine/io/atomic_file.h"

namespace il::json {

namespace {

constexpr int kMaxDepth = 256;

std::string withArticle(const char* typeName)
{
    const std::string name = typeName;
    if (name == "null") return name;
    return (name[0] == 'a' || name[0] == 'o' ? "an " : "a ") + name;
}

[[noreturn]] void wrongType(const Value& v, const char* expected)
{
    throw ConfigError(std::string("expected ") + expected + ", got " + withArticle(v.typeName()));
}

// Shared by the parser's messages: a printable character in quotes, anything else as a byte.
std::string describe(char c)
{
    const auto u = static_cast<unsigned char>(c);
    if (u > 0x20 && u < 0x7f) return std::string("'") + c + "'";
    char buf[16];
    std::snprintf(buf, sizeof buf, "byte 0x%02X", u);
    return buf;
}

void appendUtf8(std::string& out, unsigned long cp)
{
    if (cp < 0x80) {
        out += static_cast<char>(cp);
    } else if (cp < 0x800) {
        out += static_cast<char>(0xC0 | (cp >> 6));
        out += static_cast<char>(0x80 | (cp & 0x3F));
    } else if (cp < 0x10000) {
        out += static_cast<char>(0xE0 | (cp >> 12));
        out += static_cast<char>(0x80 | ((cp >> 6) & 0x3F));
        out += static_cast<char>(0x80 | (cp & 0x3F));
    } else {
        out += static_cast<char>(0xF0 | (cp >> 18));
        out += static_cast<char>(0x80 | ((cp >> 12) & 0x3F));
        out += static_cast<char>(0x80 | ((cp >> 6) & 0x3F));
        out += static_cast<char>(0x80 | (cp & 0x3F));
    }
}

// Length of the well-formed UTF-8 sequence starting at s[pos] with a lead byte >= 0x80, or 0.
// Rejects overlong forms, surrogates and code points above U+10FFFF, so we never write invalid
// UTF-8 back out.
std::size_t utf8SequenceLength(const std::string& s, std::size_t pos)
{
    const auto b0 = static_cast<unsigned char>(s[pos]);
    std::size_t extra;
    unsigned long cp;
    if (b0 >= 0xC2 && b0 <= 0xDF) {
        extra = 1;
        cp = b0 & 0x1Fu;
    } else if ((b0 & 0xF0) == 0xE0) {
        extra = 2;
        cp = b0 & 0x0Fu;
    } else if (b0 >= 0xF0 && b0 <= 0xF4) {
        extra = 3;
        cp = b0 & 0x07u;
    } else
        return 0;
    if (s.size() - pos <= extra) return 0;
    for (std::size_t i = 1; i <= extra; ++i) {
        const auto b = static_cast<unsigned char>(s[pos + i]);
        if ((b & 0xC0) != 0x80) return 0;
        cp = (cp << 6) | (b & 0x3Fu);
    }
    if (extra == 2 && (cp < 0x800 || (cp >= 0xD800 && cp <= 0xDFFF))) return 0;
    if (extra == 3 && (cp < 0x10000 || cp > 0x10FFFF)) return 0;
    return extra + 1;
}

}  // namespace

// Recursive descent; recursion depth is bounded by kMaxDepth, and every read goes through
// atEnd()/peek() or an explicit size check, so no input can crash it (it is fuzzed).
class detail::Parser {
public:
    explicit Parser(const std::string& text) : text_(text) {}

    Value document()
    {
        if (text_.compare(0, 3, "\xEF\xBB\xBF") == 0) pos_ = 3;  // BOM from Windows editors
        Value v = value(0);
        skipWhitespace();
        if (!atEnd()) fail("unexpected " + describe(peek()) + " after the JSON value");
        return v;
    }

private:
    const std::string& text_;
    std::size_t pos_ = 0;

    bool atEnd() const { return pos_ >= text_.size(); }
    char peek() const { return atEnd() ? '\0' : text_[pos_]; }
    std::string found() const { return atEnd() ? "end of input" : describe(peek()); }

    [[noreturn]] void fail(const std::string& what) const { failAt(pos_, what); }
    [[noreturn]] void failAt(std::size_t at, const std::string& what) const
    {
        // Computed only on error, so the happy path pays nothing for positions.
        long long line = 1, column = 1;
        for (std::size_t i = 0; i < at && i < text_.size(); ++i) {
            if (text_[i] == '\n') {
                ++line;
                column = 1;
            } else if ((static_cast<unsigned char>(text_[i]) & 0xC0) != 0x80)
                ++column;
        }
        throw ParseError(what, static_cast<int>(std::min<long long>(line, INT_MAX)),
                         static_cast<int>(std::min<long long>(column, INT_MAX)));
    }

    void skipWhitespace()
    {
        while (!atEnd() && (peek() == ' ' || peek() == '\t' || peek() == '\n' || peek() == '\r')) ++pos_;
    }
    bool isDigit() const { return peek() >= '0' && peek() <= '9'; }
    void skipDigits()
    {
        while (isDigit()) ++pos_;
    }

    Value value(int depth)
    {
        skipWhitespace();
        if (atEnd()) fail("unexpected end of input, expected a value");
        const char c = peek();
        if ((c == '[' || c == '{') && depth >= kMaxDepth) fail("nesting deeper than " + std::to_string(kMaxDepth) + " levels");
        switch (c) {
            case '[':
                return array(depth + 1);
            case '{':
                return object(depth + 1);
            case '"':
                return Value(string());
            case 't':
                return literal("true", Value(true));
            case 'f':
                return literal("false", Value(false));
            case 'n':
                return literal("null", Value());
            default:
                if (c == '-' || (c >= '0' && c <= '9')) return number();
                fail("expected a value (object, array, string, number, true, false or null), found " + describe(c));
        }
    }

    Value literal(const char* word, Value v)
    {
        const std::size_t n = std::strlen(word);
        if (text_.compare(pos_, n, word) != 0) fail("invalid literal, expected true, false or null");
        pos_ += n;
        return v;
    }

    Value array(int depth)
    {
        Value result = Value::array();
        ++pos_;  // '['
        skipWhitespace();
        if (peek() == ']') {
            ++pos_;
            return result;
        }
        for (;;) {
            result.push_back(value(depth));
            skipWhitespace();
            if (peek() == ']') {
                ++pos_;
                return result;
            }
            if (peek() != ',') fail("expected ',' or ']' after an array element, found " + found());
            ++pos_;
            skipWhitespace();
            if (peek() == ']') fail("trailing comma before ']' is not allowed");
        }
    }

    Value object(int depth)
    {
        Value::Object members;
        // Key -> index in members: duplicate keys overwrite in O(1), so hostile input with many
        // keys cannot make parsing quadratic.
        std::unordered_map<std::string, std::size_t> index;
        ++pos_;  // '{'
        skipWhitespace();
        if (peek() != '}') {
            for (;;) {
                if (peek() == '}') fail("trailing comma before '}' is not allowed");
                if (peek() != '"') fail("expected a string key in double quotes, found " + found());
                std::string key = string();
                skipWhitespace();
                if (peek() != ':') fail("expected ':' after an object key, found " + found());
                ++pos_;
                Value v = value(depth);
                const auto [it, inserted] = index.emplace(key, members.size());
                if (inserted)
                    members.emplace_back(std::move(key), std::move(v));
                else
                    members[it->second].second = std::move(v);  // last wins
                skipWhitespace();
                if (peek() == '}') break;
                if (peek() != ',') fail("expected ',' or '}' after an object member, found " + found());
                ++pos_;
                skipWhitespace();
            }
        }
        ++pos_;  // '}'
        Value result;
        result.data_ = std::move(members);
        return result;
    }

    // Validates the RFC 8259 grammar ourselves, then converts with from_chars, which (unlike
    // strtod) ignores the C locale's decimal point.
    Value number()
    {
        const std::size_t start = pos_;
        bool integral = true;
        if (peek() == '-') ++pos_;
        if (!isDigit()) fail("expected a digit after '-', found " + found());
        if (peek() == '0') {
            ++pos_;
            if (isDigit()) fail("leading zeros are not allowed in numbers");
        } else {
            skipDigits();
        }
        if (peek() == '.') {
            integral = false;
            ++pos_;
            if (!isDigit()) fail("expected a digit after the decimal point, found " + found());
            skipDigits();
        }
        if (peek() == 'e' || peek() == 'E') {
            integral = false;
            ++pos_;
            if (peek() == '+' || peek() == '-') ++pos_;
            if (!isDigit()) fail("expected a digit in the exponent, found " + found());
            skipDigits();
        }
        const char* first = text_.data() + start;
        const char* last = text_.data() + pos_;
        if (integral) {
            long long i = 0;
            if (std::from_chars(first, last, i).ec == std::errc()) return Value(i);
        }  // an integer beyond int64 falls through to double
        double d = 0.0;
        if (std::from_chars(first, last, d).ec != std::errc()) failAt(start, "number is too large or too small for a double");
        return Value(d);
    }

    unsigned long hex4()
    {
        if (text_.size() - pos_ < 4) fail("expected 4 hex digits after \\u");
        unsigned long v = 0;
        for (int i = 0; i < 4; ++i) {
            const char c = text_[pos_ + static_cast<std::size_t>(i)];
            int digit;
            if (c >= '0' && c <= '9')
                digit = c - '0';
            else if (c >= 'a' && c <= 'f')
                digit = c - 'a' + 10;
            else if (c >= 'A' && c <= 'F')
                digit = c - 'A' + 10;
            else
                fail("expected 4 hex digits after \\u");
            v = v * 16 + static_cast<unsigned long>(digit);
        }
        pos_ += 4;
        return v;
    }

    std::string string()
    {
        const std::size_t start = pos_;
        ++pos_;  // '"'
        std::string out;
        for (;;) {
            if (atEnd()) failAt(start, "unterminated string");
            const char c = text_[pos_];
            const auto u = static_cast<unsigned char>(c);
            if (c == '"') {
                ++pos_;
                return out;
            }
            if (u < 0x20) fail("control character " + describe(c) + " in a string must be escaped");
            if (u >= 0x80) {
                const std::size_t n = utf8SequenceLength(text_, pos_);
                if (n == 0) fail("invalid UTF-8 in a string");
                out.append(text_, pos_, n);
                pos_ += n;
                continue;
            }
            if (c != '\\') {
                out += c;
                ++pos_;
                continue;
            }
            const std::size_t escape = pos_++;
            if (atEnd()) failAt(start, "unterminated string");
            const char e = text_[pos_++];
            switch (e) {
                case '"':
                    out += '"';
                    break;
                case '\\':
                    out += '\\';
                    break;
                case '/':
                    out += '/';
                    break;
                case 'b':
                    out += '\b';
                    break;
                case 'f':
                    out += '\f';
                    break;
                case 'n':
                    out += '\n';
                    break;
                case 'r':
                    out += '\r';
                    break;
                case 't':
                    out += '\t';
                    break;
                case 'u': {
                    unsigned long cp = hex4();
                    if (cp >= 0xDC00 && cp <= 0xDFFF) failAt(escape, "unpaired low surrogate");
                    if (cp >= 0xD800 && cp <= 0xDBFF) {
                        // UTF-16 pair: a low surrogate escape must follow immediately.
                        if (text_.compare(pos_, 2, "\\u") != 0) failAt(escape, "unpaired high surrogate");
                        pos_ += 2;
                        const unsigned long low = hex4();
                        if (low < 0xDC00 || low > 0xDFFF) failAt(escape, "unpaired high surrogate");
                        cp = 0x10000 + ((cp - 0xD800) << 10) + (low - 0xDC00);
                    }
                    appendUtf8(out, cp);
                    break;
                }
                default:
                    failAt(escape, "invalid escape \\" + std::string(1, e) + " (allowed: \\\" \\\\ \\/ \\b \\f \\n \\r \\t \\uXXXX)");
            }
        }
    }
};

namespace {

void writeString(std::string& out, const std::string& s)
{
    out += '"';
    for (const char c : s) {
        switch (c) {
            case '"':
                out += "\\\"";
                break;
            case '\\':
                out += "\\\\";
                break;
            case '\b':
                out += "\\b";
                break;
            case '\f':
                out += "\\f";
                break;
            case '\n':
                out += "\\n";
                break;
            case '\r':
                out += "\\r";
                break;
            case '\t':
                out += "\\t";
                break;
            default:
                if (static_cast<unsigned char>(c) < 0x20) {
                    char buf[8];
                    std::snprintf(buf, sizeof buf, "\\u%04X", static_cast<unsigned>(c));
                    out += buf;
                } else {
                    out += c;  // UTF-8 passes through unchanged
                }
        }
    }
    out += '"';
}

void writeNumber(std::string& out, double d)
{
    if (!std::isfinite(d)) {
        out += "null";
        return;
    }
    // to_chars without a precision gives the shortest text that round-trips (what a %.17g-then-
    // shorter search finds), and, unlike printf, never writes a locale's decimal comma.
    char buf[64];
    const auto r = std::to_chars(buf, buf + sizeof buf, d);
    out.append(buf, r.ptr);
}

void write(std::string& out, const Value& v, int indent, int level)
{
    const auto newline = [&](int lvl) {
        if (indent < 0) return;
        out += '\n';
        out.append(static_cast<std::size_t>(indent) * static_cast<std::size_t>(lvl), ' ');
    };
    switch (v.type()) {
        case Value::Type::Null:
            out += "null";
            return;
        case Value::Type::Bool:
            out += v.asBool() ? "true" : "false";
            return;
        case Value::Type::String:
            writeString(out, v.asString());
            return;
        case Value::Type::Number:
            // Integral doubles too (3.0 -> "3", 1e6 -> "1000000"): configs read better that way.
            if (v.isInteger())
                out += std::to_string(v.asInteger());
            else
                writeNumber(out, v.asNumber());
            return;
        case Value::Type::Array:
        case Value::Type::Object: {
            const bool isArray = v.isArray();
            if (v.size() == 0) {
                out += isArray ? "[]" : "{}";
                return;
            }
            out += isArray ? '[' : '{';
            for (std::size_t i = 0; i < v.size(); ++i) {
                if (i > 0) out += ',';
                newline(level + 1);
                if (!isArray) {
                    writeString(out, v.members()[i].first);
                    out += indent < 0 ? ":" : ": ";
                }
                write(out, isArray ? v.asArray()[i] : v.members()[i].second, indent, level + 1);
            }
            newline(level);
            out += isArray ? ']' : '}';
            return;
        }
    }
}

}  // namespace

ParseError::ParseError(const std::string& what, int line, int column, const std::string& file)
    : Error((file.empty() ? "" : file + ": ") + "line " + std::to_string(line) + ", column " + std::to_string(column) + ": " + what),
      reason_(what),
      line_(line),
      column_(column)
{
}

Value::Value(unsigned long long u)
{
    if (u <= static_cast<unsigned long long>(LLONG_MAX))
        data_ = static_cast<long long>(u);
    else
        data_ = static_cast<double>(u);
}

Value::Value(const char* s)
{
    if (s) data_ = std::string(s);
}

Value Value::array()
{
    Value v;
    v.data_ = Array();
    return v;
}
Value Value::object()
{
    Value v;
    v.data_ = Object();
    return v;
}

Value::Type Value::type() const
{
    switch (data_.index()) {
        case 0:
            return Type::Null;
        case 1:
            return Type::Bool;
        case 2:
        case 3:
            return Type::Number;
        case 4:
            return Type::String;
        case 5:
            return Type::Array;
        default:
            return Type::Object;
    }
}

const char* Value::typeName() const
{
    static const char* const names[] = {"null", "boolean", "number", "string", "array", "object"};
    return names[static_cast<int>(type())];
}

bool Value::asBool() const
{
    if (const auto* b = std::get_if<bool>(&data_)) return *b;
    wrongType(*this, "a boolean");
}

double Value::asNumber() const
{
    if (const auto* i = std::get_if<long long>(&data_)) return static_cast<double>(*i);
    if (const auto* d = std::get_if<double>(&data_)) return *d;
    wrongType(*this, "a number");
}

const std::string& Value::asString() const
{
    if (const auto* s = std::get_if<std::string>(&data_)) return *s;
    wrongType(*this, "a string");
}

bool Value::isInteger() const
{
    if (std::holds_alternative<long long>(data_)) return true;
    const auto* d = std::get_if<double>(&data_);
    // 2^63 is exactly representable; anything below it that is integral fits in int64.
    return d && std::isfinite(*d) && *d == std::trunc(*d) && *d >= -9223372036854775808.0 && *d < 9223372036854775808.0;
}

long long Value::asInteger() const
{
    if (const auto* i = std::get_if<long long>(&data_)) return *i;
    if (isInteger()) return static_cast<long long>(std::get<double>(data_));
    if (isNumber()) {
        std::string text;
        writeNumber(text, asNumber());
        throw ConfigError("expected an integer, got " + text);
    }
    wrongType(*this, "an integer");
}

const Value::Array& Value::asArray() const
{
    if (const auto* a = std::get_if<Array>(&data_)) return *a;
    wrongType(*this, "an array");
}

Value::Array& Value::asArray()
{
    if (auto* a = std::get_if<Array>(&data_)) return *a;
    wrongType(*this, "an array");
}

const Value::Object& Value::members() const
{
    if (const auto* o = std::get_if<Object>(&data_)) return *o;
    wrongType(*this, "an object");
}

const Value* Value::find(const std::string& key) const
{
    const auto* o = std::get_if<Object>(&data_);
    if (!o) return nullptr;
    for (const auto& [k, v] : *o)
        if (k == key) return &v;
    return nullptr;
}

const Value& Value::at(const std::string& key) const
{
    if (!isObject()) wrongType(*this, "an object");
    if (const Value* v = find(key)) return *v;
    throw ConfigError("missing key \"" + key + "\"");
}

Value& Value::operator[](const std::string& key)
{
    if (isNull()) data_ = Object();
    auto* o = std::get_if<Object>(&data_);
    if (!o) wrongType(*this, "an object");
    for (auto& [k, v] : *o)
        if (k == key) return v;
    return o->emplace_back(key, Value()).second;
}

void Value::push_back(Value v)
{
    if (isNull()) data_ = Array();
    auto* a = std::get_if<Array>(&data_);
    if (!a) wrongType(*this, "an array");
    a->push_back(std::move(v));
}

std::size_t Value::size() const
{
    if (const auto* a = std::get_if<Array>(&data_)) return a->size();
    if (const auto* o = std::get_if<Object>(&data_)) return o->size();
    return 0;
}

std::string Value::dump(int indent) const
{
    std::string out;
    write(out, *this, indent, 0);
    return out;
}

bool Value::operator==(const Value& other) const
{
    if (type() != other.type()) return false;
    switch (type()) {
        case Type::Number: {
            const auto* a = std::get_if<long long>(&data_);
            const auto* b = std::get_if<long long>(&other.data_);
            if (a && b) return *a == *b;  // exact, even above 2^53
            // Mixed int/double: equal only if the double is that exact integer.
            if (a || b) {
                const Value& d = a ? other : *this;
                return d.isInteger() && d.asInteger() == (a ? *a : *b);
            }
            return asNumber() == other.asNumber();
        }
        case Type::Object: {
            if (size() != other.size()) return false;
            for (const auto& [k, v] : members()) {
                const Value* w = other.find(k);
                if (!w || *w != v) return false;
            }
            return true;
        }
        default:
            return data_ == other.data_;
    }
}

Value parse(const std::string& text) { return detail::Parser(text).document(); }

Value parseFile(const std::string& path)
{
    std::FILE* f = std::fopen(path.c_str(), "rb");
    if (!f) throw DataError("cannot open " + path + ": " + std::strerror(errno));
    std::string text;
    char buf[65536];
    std::size_t n;
    while ((n = std::fread(buf, 1, sizeof buf, f)) > 0) text.append(buf, n);
    const bool failed = std::ferror(f) != 0;
    const int err = errno;
    std::fclose(f);
    if (failed) throw DataError("cannot read " + path + ": " + std::strerror(err));
    try {
        return parse(text);
    } catch (const ParseError& e) {
        throw ParseError(e.reason(), e.line(), e.column(), path);
    }
}

// The engine has one atomic writer (engine/io/atomic_file.h); JSON files go through it too.
void writeFileAtomic(const std::string& path, const std::string& text) { il::writeFileAtomic(path, text); }

}  // namespace il::json
