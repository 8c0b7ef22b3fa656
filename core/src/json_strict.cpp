#include "json_strict.hpp"

#include <algorithm>
#include <cmath>
#include <cstdint>
#include <cstdlib>
#include <limits>
#include <optional>
#include <vector>

#include "utf8.hpp"

#ifdef __EMSCRIPTEN__
#include <emscripten/emscripten.h>

// JavaScript's Number(), correctly rounded like strtod, instead of musl's strtod and its
// 128-bit long double arithmetic.
EM_JS(double, doui_js_number, (const char* p, int n), {
  var s = "";
  for (var i = 0; i < n; i++) s += String.fromCharCode(HEAPU8[p + i]);
  return +s;
});
#endif

namespace doui::detail {

using nlohmann::json;

std::string pointer_token(std::string_view token) {
  std::string out;
  out.reserve(token.size());
  for (char c : token) {
    if (c == '~') {
      out += "~0";
    } else if (c == '/') {
      out += "~1";
    } else {
      out += c;
    }
  }
  return out;
}

std::string line_column(std::string_view text, std::size_t offset) {
  std::size_t line = 1, col = 1;
  for (std::size_t i = 0; i < offset && i < text.size(); ++i) {
    if (text[i] == '\n') {
      ++line;
      col = 1;
    } else {
      ++col;
    }
  }
  return "line " + std::to_string(line) + ", column " + std::to_string(col);
}

const char* type_name(const json& v) {
  switch (v.type()) {
    case json::value_t::null:
      return "null";
    case json::value_t::boolean:
      return "boolean";
    case json::value_t::string:
      return "string";
    case json::value_t::array:
      return "array";
    case json::value_t::object:
      return "object";
    default:
      return "number";
  }
}

bool check_object(const json& v, const std::string& path,
                  std::initializer_list<const char*> required,
                  std::initializer_list<const char*> optional, const SchemaCodes& codes,
                  std::string_view format, std::vector<Error>& errors) {
  if (!v.is_object()) {
    errors.push_back(
        Error{codes.wrong_type, path, std::string("expected object, found ") + type_name(v), -1});
    return false;
  }
  for (const char* k : required) {
    if (!v.contains(k))
      errors.push_back(Error{codes.missing_field, path + "/" + k, "required", -1});
  }
  for (auto it = v.begin(); it != v.end(); ++it) {
    bool known = false;
    for (const char* k : required) known = known || it.key() == k;
    for (const char* k : optional) known = known || it.key() == k;
    if (!known) {
      errors.push_back(Error{codes.unknown_field, path + "/" + pointer_token(it.key()),
                             "not part of " + std::string(format), -1});
    }
  }
  return true;
}

namespace {

// canonical.cpp's limit: the integers a double holds exactly.
constexpr std::uint64_t kMaxExact = std::uint64_t{1} << 53;

// The tokens of RFC 8259, read the way nlohmann_json 3.11's lexer reads them (doui's parser
// before this reader, whose error locations the tests and json_strict.hpp fix): the same
// whitespace, escapes, UTF-8 ranges and number grammar, a NUL byte outside a string ending the
// input, and a UTF-8 byte order mark skipped at the start. Its own code, so that the browser
// module carries neither nlohmann's parser nor strtod and printf (numbers: number_from_text).
enum class Tok {
  BeginArray,
  EndArray,
  BeginObject,
  EndObject,
  NameSeparator,
  ValueSeparator,
  True,
  False,
  Null,
  String,
  Unsigned,
  Integer,
  Float,
  End,
  Error
};

struct Token {
  Tok type = Tok::Error;
  std::size_t start = 0;   // its first byte; for End the NUL byte or one past the end
  std::size_t fault = 0;   // Error: the byte at fault (one past the end for truncated input)
  bool utf8 = false;       // Error: an ill-formed UTF-8 sequence (json.invalid_utf8)
  bool in_string = false;  // Error: inside a string token
};

// The double nearest to a JSON number's text (which the lexer has checked).
double number_from_text(std::string_view text) {
#ifdef __EMSCRIPTEN__
  return doui_js_number(text.data(), static_cast<int>(text.size()));
#else
  return std::strtod(std::string(text).c_str(), nullptr);
#endif
}

class Lexer {
 public:
  explicit Lexer(std::string_view text) : t_(text) {}

  // The next token; a string's decoded text and a number's value are in string_ and the
  // number fields.
  Token next() {
    if (i_ == 0 && !skip_bom()) return error(last());
    while (i_ < t_.size() && (t_[i_] == ' ' || t_[i_] == '\t' || t_[i_] == '\n' || t_[i_] == '\r'))
      ++i_;
    Token tok;
    tok.start = i_;
    if (i_ >= t_.size() || t_[i_] == '\0') {
      tok.type = Tok::End;
      return tok;
    }
    const char c = t_[i_++];
    switch (c) {
      case '[':
        tok.type = Tok::BeginArray;
        return tok;
      case ']':
        tok.type = Tok::EndArray;
        return tok;
      case '{':
        tok.type = Tok::BeginObject;
        return tok;
      case '}':
        tok.type = Tok::EndObject;
        return tok;
      case ':':
        tok.type = Tok::NameSeparator;
        return tok;
      case ',':
        tok.type = Tok::ValueSeparator;
        return tok;
      case 't':
        return literal(tok, "true", Tok::True);
      case 'f':
        return literal(tok, "false", Tok::False);
      case 'n':
        return literal(tok, "null", Tok::Null);
      case '"':
        return string(tok);
      default:
        if (c == '-' || is_digit(c)) return number(tok);
        return error(tok.start);
    }
  }

  std::string string_;
  std::uint64_t unsigned_ = 0;
  std::int64_t integer_ = 0;
  double float_ = 0;
  std::string_view number_text_;

 private:
  static bool is_digit(char c) { return c >= '0' && c <= '9'; }

  // The byte at i_ (advancing), or -1 past the end.
  int get() { return i_ < t_.size() ? static_cast<unsigned char>(t_[i_++]) : (++i_, -1); }
  // Where the byte just read by get() is (one past the end when get() found none).
  std::size_t last() const { return std::min(i_, t_.size() + 1) - 1; }

  Token error(std::size_t at, bool utf8 = false, bool in_string = false) {
    Token tok;
    tok.type = Tok::Error;
    tok.fault = at;
    tok.utf8 = utf8;
    tok.in_string = in_string;
    return tok;
  }

  bool skip_bom() {
    if (get() != 0xEF) {
      i_ = 0;
      return true;
    }
    return get() == 0xBB && get() == 0xBF;
  }

  Token literal(Token tok, std::string_view word, Tok type) {
    for (std::size_t k = 1; k < word.size(); ++k) {
      if (get() != static_cast<unsigned char>(word[k])) return error(last());
    }
    tok.type = type;
    return tok;
  }

  // Four hex digits after "\u", or -1 (the byte at fault just read).
  int codepoint() {
    int cp = 0;
    for (int k = 0; k < 4; ++k) {
      const int c = get();
      int d;
      if (c >= '0' && c <= '9') {
        d = c - '0';
      } else if (c >= 'a' && c <= 'f') {
        d = c - 'a' + 10;
      } else if (c >= 'A' && c <= 'F') {
        d = c - 'A' + 10;
      } else {
        return -1;
      }
      cp = cp * 16 + d;
    }
    return cp;
  }

  Token string(Token tok) {
    string_.clear();
    for (;;) {
      const int c = get();
      if (c < 0) return error(last(), false, true);  // missing closing quote
      if (c == '"') break;
      if (c < 0x20) return error(last(), false, true);  // a control character must be escaped
      if (c == '\\') {
        const int e = get();
        switch (e) {
          case '"':
          case '\\':
          case '/':
            string_ += static_cast<char>(e);
            continue;
          case 'b':
            string_ += '\b';
            continue;
          case 'f':
            string_ += '\f';
            continue;
          case 'n':
            string_ += '\n';
            continue;
          case 'r':
            string_ += '\r';
            continue;
          case 't':
            string_ += '\t';
            continue;
          case 'u':
            break;
          default:
            return error(last(), false, true);  // forbidden character after a backslash
        }
        int cp = codepoint();
        if (cp < 0) return error(last(), false, true);
        if (cp >= 0xD800 && cp <= 0xDBFF) {
          // A high surrogate: "\u" and a low one must follow.
          if (get() != '\\' || get() != 'u') return error(last(), false, true);
          const int low = codepoint();
          if (low < 0 || low < 0xDC00 || low > 0xDFFF) return error(last(), false, true);
          cp = 0x10000 + ((cp - 0xD800) << 10) + (low - 0xDC00);
        } else if (cp >= 0xDC00 && cp <= 0xDFFF) {
          return error(last(), false, true);  // a low surrogate alone
        }
        append_utf8(string_, static_cast<char32_t>(cp));
        continue;
      }
      if (c < 0x80) {
        string_ += static_cast<char>(c);
        continue;
      }
      // UTF-8 as RFC 3629 defines it: the second byte's range depends on the first.
      int lo = 0x80, hi = 0xBF, more;
      if (c >= 0xC2 && c <= 0xDF) {
        more = 1;
      } else if (c >= 0xE0 && c <= 0xEF) {
        more = 2;
        if (c == 0xE0) lo = 0xA0;
        if (c == 0xED) hi = 0x9F;
      } else if (c >= 0xF0 && c <= 0xF4) {
        more = 3;
        if (c == 0xF0) lo = 0x90;
        if (c == 0xF4) hi = 0x8F;
      } else {
        return error(last(), true, true);
      }
      string_ += static_cast<char>(c);
      for (int k = 0; k < more; ++k) {
        const int b = get();
        if (b < lo || b > hi) return error(last(), true, true);
        string_ += static_cast<char>(b);
        lo = 0x80;
        hi = 0xBF;
      }
    }
    tok.type = Tok::String;
    return tok;
  }

  // -?(0|[1-9][0-9]*)(\.[0-9]+)?([eE][+-]?[0-9]+)?
  Token number(Token tok) {
    const auto digits = [&] {
      while (i_ < t_.size() && is_digit(t_[i_])) ++i_;
    };
    const auto digit = [&]() -> bool {
      const int c = get();
      return c >= '0' && c <= '9';
    };
    bool integral = true;
    if (t_[tok.start] == '-' && !digit()) return error(last());
    if (t_[i_ - 1] != '0') digits();
    if (i_ < t_.size() && t_[i_] == '.') {
      ++i_;
      integral = false;
      if (!digit()) return error(last());
      digits();
    }
    if (i_ < t_.size() && (t_[i_] == 'e' || t_[i_] == 'E')) {
      ++i_;
      integral = false;
      int c = get();
      if (c == '+' || c == '-') {
        if (!digit()) return error(last());
      } else if (c < '0' || c > '9') {
        return error(last());
      }
      digits();
    }
    number_text_ = t_.substr(tok.start, i_ - tok.start);
    if (integral && integer(number_text_)) {
      tok.type = t_[tok.start] == '-' ? Tok::Integer : Tok::Unsigned;
    } else {
      float_ = number_from_text(number_text_);
      tok.type = Tok::Float;
    }
    return tok;
  }

  // An integer that fits 64 bits (unsigned, or signed when negative), as strtoull/strtoll
  // would read it; false when it does not fit.
  bool integer(std::string_view s) {
    const bool negative = s[0] == '-';
    std::uint64_t v = 0;
    for (std::size_t k = negative ? 1 : 0; k < s.size(); ++k) {
      const auto d = static_cast<std::uint64_t>(s[k] - '0');
      if (v > (~std::uint64_t{0} - d) / 10) return false;
      v = v * 10 + d;
    }
    if (!negative) {
      unsigned_ = v;
      return true;
    }
    if (v > std::uint64_t{1} << 63) return false;
    integer_ = v == std::uint64_t{1} << 63 ? std::numeric_limits<std::int64_t>::min()
                                           : -static_cast<std::int64_t>(v);
    return true;
  }

  std::string_view t_;
  std::size_t i_ = 0;
};

// What the parser was reading when it met a bad token: a value (also after a key's ':'), an
// object's key, the ':' after a key, or the ',' or closing bracket of a container.
enum class Ctx { Value, Key, Separator, Container };

// Builds the DOM and sees what a DOM parser hides: the order of keys (duplicates), the depth,
// and the path to every value.
class StrictSax {
 public:
  StrictSax(std::string_view text, const ParseLimits& limits) : text_(text), limits_(limits) {}

  bool null() { return put(json(nullptr)); }
  bool boolean(bool v) { return put(json(v)); }
  // Integers beyond 2^53 are refused here as canonicalize() refuses them (canonical.cpp), so that
  // every number a loader accepts has one exact canonical form.
  bool number_integer(std::int64_t v) {
    if (v < -static_cast<std::int64_t>(kMaxExact)) return bad_integer();
    return put(json(static_cast<json::number_integer_t>(v)));
  }
  bool number_unsigned(std::uint64_t v) {
    if (v > kMaxExact) return bad_integer();
    return put(json(static_cast<json::number_unsigned_t>(v)));
  }
  bool number_float(double v, std::string_view text) {
    // Integer syntax reaches here only when it overflowed 64 bits: far beyond 2^53, and it would
    // otherwise turn silently into a rounded double. (Infinite values never get here: the parser
    // reports them as json.bad_number at the number, overflow().)
    if (text.find_first_of(".eE") == std::string_view::npos) return bad_integer();
    return put(json(v));
  }
  bool string(std::string&& v) { return put(json(std::move(v))); }

  bool start_object() { return open(json::object(), false); }
  bool start_array() { return open(json::array(), true); }
  bool end() { return close(); }
  // The containers open, and whether the innermost is an array.
  std::size_t depth() const { return frames_.size(); }
  bool in_array() const { return frames_.back().is_array; }

  bool key(const std::string& k) {
    Frame& f = frames_.back();
    // The object under construction already holds every earlier key: no separate set needed.
    if (f.value->contains(k)) {
      return fail(Code::JsonDuplicateKey, "duplicate key \"" + k + "\"",
                  path() + "/" + pointer_token(k));
    }
    f.key = k;
    return true;
  }

  // A token that is malformed (the byte at fault) or out of place (its first byte).
  bool error(Ctx ctx, const Token& tok) {
    if (error_) return false;
    const bool malformed = tok.type == Tok::Error;
    const std::size_t at = malformed ? tok.fault : tok.start;
    // A value being read (also a bad string or number inside it) is the member or element at
    // fault; a bad key string is that key as far as it decodes; a missing ':' belongs to the
    // member of the key before it; a missing ',' or closing bracket (truncated input too) to
    // the container.
    std::string p;
    if (ctx == Ctx::Value || ctx == Ctx::Separator) {
      p = child_path();
    } else if (ctx == Ctx::Key && malformed && tok.in_string) {
      p = path() + '/' + pointer_token(key_prefix(at));
    } else {
      p = path();
    }
    error_ = Error{malformed && tok.utf8 ? Code::JsonInvalidUtf8 : Code::JsonSyntax, std::move(p),
                   line_column(text_, at), static_cast<std::int64_t>(at)};
    return false;
  }

  // A number beyond a double (1e999): the member or element, at the number's first byte.
  bool overflow(const Token& tok) {
    if (!error_) {
      error_ = Error{Code::JsonBadNumber, child_path(), line_column(text_, tok.start),
                     static_cast<std::int64_t>(tok.start)};
    }
    return false;
  }

  Result<json> take() {
    if (error_) return *error_;
    return std::move(root_);
  }

 private:
  struct Frame {
    json* value;
    bool is_array;
    std::size_t index = 0;
    std::string key;
  };

  // The pointer to the innermost open container; with `child`, to the value being read in it
  // (the element at the array's next index, or the member of the last key).
  std::string path(bool child = false) const {
    std::string p;
    for (std::size_t i = 0; i < frames_.size(); ++i) {
      const Frame& f = frames_[i];
      bool last = i + 1 == frames_.size();
      if (last && !child) break;
      p += '/';
      if (!f.is_array) {
        p += pointer_token(f.key);
      } else {
        p += std::to_string(last ? f.value->size() : f.index);
      }
    }
    return p;
  }
  std::string child_path() const { return path(true); }

  // The key whose string token the lexer rejected at byte `at`, decoded up to the fault. It starts
  // after the last unescaped '"' before `at`: no quote inside the string so far is unescaped, or
  // the string would have ended.
  std::string key_prefix(std::size_t at) const {
    std::size_t open = std::min(at, text_.size());
    for (;;) {
      if (open == 0) return {};  // no opening quote: cannot happen for a string token
      if (text_[--open] != '"') continue;
      std::size_t slashes = 0;
      while (slashes < open && text_[open - 1 - slashes] == '\\') ++slashes;
      if (slashes % 2 == 0) break;
    }
    // The longest prefix of the key's text that parses as a string: only the end can be bad
    // (the lexer accepted the rest), and at most an escape pair's length (12 bytes) is dropped.
    std::string body(text_.substr(open + 1, std::min(at, text_.size()) - (open + 1)));
    for (; !body.empty(); body.pop_back()) {
      auto decoded = parse_strict('"' + body + '"');
      if (decoded.ok()) return decoded->get<std::string>();
    }
    return {};
  }

  bool bad_integer() { return fail(Code::JsonBadNumber, "integer beyond 2^53", child_path()); }

  bool fail(Code code, std::string detail, std::string at = {}) {
    if (!error_) error_ = Error{code, at.empty() ? path() : std::move(at), std::move(detail), -1};
    return false;
  }

  // Inserts a value into the current container (or makes it the root) and returns where it went.
  json* insert(json&& v) {
    if (frames_.empty()) {
      root_ = std::move(v);
      return &root_;
    }
    Frame& f = frames_.back();
    if (f.is_array) {
      f.value->push_back(std::move(v));
      f.index = f.value->size() - 1;
      return &f.value->back();
    }
    json& slot = (*f.value)[f.key];
    slot = std::move(v);
    return &slot;
  }

  bool put(json&& v) {
    insert(std::move(v));
    return true;
  }

  bool open(json&& v, bool is_array) {
    if (frames_.size() >= limits_.max_depth) {
      return fail(Code::JsonTooDeep, "nesting deeper than " + std::to_string(limits_.max_depth),
                  path(true));
    }
    json* where = insert(std::move(v));
    frames_.push_back(Frame{where, is_array, 0, {}});
    return true;
  }

  bool close() {
    frames_.pop_back();
    return true;
  }

  std::string_view text_;
  ParseLimits limits_;
  json root_;
  std::vector<Frame> frames_;
  std::optional<Error> error_;
};

// The parse itself, in the order nlohmann's SAX parser takes it (which decides which error
// wins): a container is opened before its first token is read, a key is checked for duplicates
// before its ':'.
bool parse_document(Lexer& lex, StrictSax& sax) {
  Token tok = lex.next();
  bool closed = false;  // a container just ended: go on in the one around it
  for (;;) {
    if (!closed) {
      switch (tok.type) {
        case Tok::BeginObject:
          if (!sax.start_object()) return false;
          tok = lex.next();
          if (tok.type == Tok::EndObject) {
            sax.end();
            break;
          }
          if (tok.type != Tok::String) return sax.error(Ctx::Key, tok);
          if (!sax.key(lex.string_)) return false;
          tok = lex.next();
          if (tok.type != Tok::NameSeparator) return sax.error(Ctx::Separator, tok);
          tok = lex.next();
          continue;
        case Tok::BeginArray:
          if (!sax.start_array()) return false;
          tok = lex.next();
          if (tok.type == Tok::EndArray) {
            sax.end();
            break;
          }
          continue;
        case Tok::Float:
          if (!std::isfinite(lex.float_)) return sax.overflow(tok);
          if (!sax.number_float(lex.float_, lex.number_text_)) return false;
          break;
        case Tok::Unsigned:
          if (!sax.number_unsigned(lex.unsigned_)) return false;
          break;
        case Tok::Integer:
          if (!sax.number_integer(lex.integer_)) return false;
          break;
        case Tok::String:
          sax.string(std::move(lex.string_));
          break;
        case Tok::True:
        case Tok::False:
          sax.boolean(tok.type == Tok::True);
          break;
        case Tok::Null:
          sax.null();
          break;
        default:
          return sax.error(Ctx::Value, tok);
      }
    }
    closed = false;
    if (sax.depth() == 0) return true;
    tok = lex.next();
    if (sax.in_array()) {
      if (tok.type == Tok::ValueSeparator) {
        tok = lex.next();
        continue;
      }
      if (tok.type != Tok::EndArray) return sax.error(Ctx::Container, tok);
    } else {
      if (tok.type == Tok::ValueSeparator) {
        tok = lex.next();
        if (tok.type != Tok::String) return sax.error(Ctx::Key, tok);
        if (!sax.key(lex.string_)) return false;
        tok = lex.next();
        if (tok.type != Tok::NameSeparator) return sax.error(Ctx::Separator, tok);
        tok = lex.next();
        continue;
      }
      if (tok.type != Tok::EndObject) return sax.error(Ctx::Container, tok);
    }
    sax.end();
    closed = true;
  }
}

}  // namespace

Result<json> parse_strict(std::string_view text, const ParseLimits& limits) {
  if (text.size() > limits.max_bytes) {
    return Error{
        Code::JsonTooLarge, "",
        std::to_string(text.size()) + " bytes; the limit is " + std::to_string(limits.max_bytes),
        -1};
  }
  Lexer lex(text);
  StrictSax sax(text, limits);
  if (parse_document(lex, sax)) {
    // One document: only whitespace (or a NUL byte) may follow it.
    const Token tok = lex.next();
    if (tok.type != Tok::End) sax.error(Ctx::Value, tok);
  }
  return sax.take();
}

}  // namespace doui::detail
