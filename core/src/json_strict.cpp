#include "json_strict.hpp"

#include <algorithm>
#include <cstdint>
#include <optional>
#include <vector>

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

// The length of the token in nlohmann's "… - unexpected string literal; …" (also number, true,
// false, null literal), from the token text for strings and numbers (the lexer restarts it for
// them only), or 0: "unexpected '}'", "unexpected end of input", a lexer error ("last read").
std::size_t unexpected_literal_size(std::string_view what, const std::string& token) {
  static constexpr std::string_view kUnexpected = "- unexpected ";
  const std::size_t from = what.find(kUnexpected);
  if (from == std::string::npos) return 0;
  std::string_view name = what.substr(from + kUnexpected.size());
  name = name.substr(0, name.find(';'));
  if (name == "string literal" || name == "number literal") return token.size();
  if (name == "true literal" || name == "null literal") return 4;
  return name == "false literal" ? 5 : 0;
}

// A SAX handler that builds the DOM itself so that it can see what the DOM parser hides: the
// order of keys (duplicates), the depth, and the path to every value.
class StrictSax {
 public:
  StrictSax(std::string_view text, const ParseLimits& limits) : text_(text), limits_(limits) {}

  bool null() { return put(json(nullptr)); }
  bool boolean(bool v) { return put(json(v)); }
  // Integers beyond 2^53 are refused here as canonicalize() refuses them (canonical.cpp), so that
  // every number a loader accepts has one exact canonical form.
  bool number_integer(json::number_integer_t v) {
    if (v < -static_cast<json::number_integer_t>(kMaxExact)) return bad_integer();
    return put(json(v));
  }
  bool number_unsigned(json::number_unsigned_t v) {
    if (v > kMaxExact) return bad_integer();
    return put(json(v));
  }
  bool number_float(json::number_float_t v, const json::string_t& text) {
    // Integer syntax reaches here only when it overflowed 64 bits: far beyond 2^53, and it would
    // otherwise turn silently into a rounded double. (Infinite values never get here: nlohmann
    // reports them through parse_error, id 406.)
    if (text.find_first_of(".eE") == json::string_t::npos) return bad_integer();
    return put(json(v));
  }
  bool string(json::string_t& v) { return put(json(std::move(v))); }
  bool binary(json::binary_t&) { return fail(Code::JsonSyntax, "binary values are not JSON"); }

  bool start_object(std::size_t) { return open(json::object(), false); }
  bool start_array(std::size_t) { return open(json::array(), true); }
  bool end_object() { return close(); }
  bool end_array() { return close(); }

  bool key(json::string_t& k) {
    Frame& f = frames_.back();
    // The object under construction already holds every earlier key: no separate set needed.
    if (f.value->contains(k)) {
      return fail(Code::JsonDuplicateKey, "duplicate key \"" + k + "\"",
                  path() + "/" + pointer_token(k));
    }
    f.key = k;
    return true;
  }

  bool parse_error(std::size_t position, const std::string& token,
                   const nlohmann::detail::exception& ex) {
    if (error_) return false;
    const std::string_view what = ex.what();
    const bool overflow = ex.id == 406;  // out_of_range.406: a number beyond a double (1e999)
    // The byte at which the lexer gave up (position counts bytes read); for an overflowing number
    // or a whole string, number or literal in the wrong place, its first byte.
    std::size_t at = position > 0 ? position - 1 : 0;
    const std::size_t size = overflow ? token.size() : unexpected_literal_size(what, token);
    if (size > 0 && position >= size) at = position - size;
    // nlohmann's lexer validates UTF-8 itself; its message is the only place that says so.
    const Code code = overflow                          ? Code::JsonBadNumber
                      : what.find("UTF-8") != what.npos ? Code::JsonInvalidUtf8
                                                        : Code::JsonSyntax;
    error_ = Error{code, overflow ? child_path() : error_path(what, token, at),
                   line_column(text_, at), static_cast<std::int64_t>(at)};
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

  // Where a parse error belongs, from the context nlohmann names in its message ("syntax error
  // while parsing <context> - …"): a value being read (also a bad string or number inside it) is
  // the member or element at fault; a bad key string is that key as far as it decodes; a missing
  // ':' belongs to the member of the key before it; a missing ',' or closing bracket (truncated
  // input too) to the container.
  std::string error_path(std::string_view what, const std::string& token, std::size_t at) const {
    if (what.find("parsing value -") != what.npos ||
        what.find("parsing object separator -") != what.npos) {
      return child_path();
    }
    if (what.find("parsing object key -") != what.npos && !token.empty() && token[0] == '"') {
      return path() + '/' + pointer_token(key_prefix(at));
    }
    return path();
  }

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

}  // namespace

Result<json> parse_strict(std::string_view text, const ParseLimits& limits) {
  if (text.size() > limits.max_bytes) {
    return Error{
        Code::JsonTooLarge, "",
        std::to_string(text.size()) + " bytes; the limit is " + std::to_string(limits.max_bytes),
        -1};
  }
  StrictSax sax(text, limits);
  json::sax_parse(text.begin(), text.end(), &sax, nlohmann::detail::input_format_t::json, true);
  return sax.take();
}

}  // namespace doui::detail
