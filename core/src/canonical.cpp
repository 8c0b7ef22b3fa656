#include "doui/canonical.hpp"

#include <algorithm>
#include <cmath>
#include <cstdio>
#include <cstdlib>
#include <cstring>
#include <string>
#include <vector>

#include <nlohmann/json.hpp>

#ifdef __EMSCRIPTEN__
#include <emscripten/emscripten.h>

// In wasm the host is JavaScript: numbers are written by its String(d) (ECMAScript's
// Number::toString, which write_double implements natively), so the browser module carries no
// printf or strtod (with their long double arithmetic, ~10 KB gzip). `out` has room for 32
// bytes; the longest form, "-2.2250738585072014e-308", has 24.
EM_JS(int, doui_js_number_string, (double d, char* out), {
  var s = String(d);
  for (var i = 0; i < s.length; i++) HEAPU8[out + i] = s.charCodeAt(i);
  return s.length;
});
#endif

#include "decimal.hpp"
#include "json_strict.hpp"
#include "json_write.hpp"

namespace doui {

using nlohmann::json;

namespace {

// UTF-16 code units of a UTF-8 string (input is already validated by the parser).
std::u16string utf16(const std::string& s) {
  std::u16string out;
  out.reserve(s.size());
  for (std::size_t i = 0; i < s.size();) {
    auto b = static_cast<unsigned char>(s[i]);
    char32_t cp;
    int len;
    if (b < 0x80) {
      cp = b;
      len = 1;
    } else if (b < 0xE0) {
      cp = b & 0x1F;
      len = 2;
    } else if (b < 0xF0) {
      cp = b & 0x0F;
      len = 3;
    } else {
      cp = b & 0x07;
      len = 4;
    }
    for (int k = 1; k < len && i + k < s.size(); ++k) {
      cp = (cp << 6) | (static_cast<unsigned char>(s[i + k]) & 0x3F);
    }
    i += len;
    if (cp >= 0x10000) {
      cp -= 0x10000;
      out.push_back(static_cast<char16_t>(0xD800 + (cp >> 10)));
      out.push_back(static_cast<char16_t>(0xDC00 + (cp & 0x3FF)));
    } else {
      out.push_back(static_cast<char16_t>(cp));
    }
  }
  return out;
}

#ifdef __EMSCRIPTEN__
// JavaScript's String(d) (doui_js_number_string) is Number::toString itself.
void write_double(std::string& out, double d) {
  char buf[32];
  out.append(buf, static_cast<std::size_t>(doui_js_number_string(d, buf)));
}
#else
// ECMAScript Number::toString (ECMA-262 7.1.12.1): the fewest significant digits that read back
// as `d`, and of those the closest to `d`, laid out as JavaScript does.
void write_double(std::string& out, double d) {
  if (d == 0) {  // also -0
    out += '0';
    return;
  }
  if (d < 0) {
    out += '-';
    d = -d;
  }
  // printf's %e is correctly rounded, so "%.*e" with k - 1 decimals is the closest k-digit number
  // to `d`; the first k where it reads back as `d` gives the digits. (Grisu-style shortcuts are
  // not always closest; libc++ 14 has no floating-point std::to_chars. printf costs nothing in the
  // browser: nlohmann's lexer already links it.) 17 digits always read back.
  std::string digits;
  int n = 0;  // value = 0.digits × 10^n
  int exp2 = 0;
  // A power of two's neighbour below is half as far as the one above, so its rounding interval is
  // lopsided: the closest k digits may fall just outside it below while the next k-digit number
  // up is inside, and is then the answer.
  const bool power_of_two = std::frexp(d, &exp2) == 0.5;
  for (int k = 1; k <= 17; ++k) {
    char buf[32];  // "d.dddddddddddddddde-308"
    std::snprintf(buf, sizeof buf, "%.*e", k - 1, d);
    const char* const e = std::strchr(buf, 'e');
    digits.assign(1, buf[0]);
    if (k > 1) digits.append(buf + 2, static_cast<std::size_t>(e - (buf + 2)));  // skip the '.'
    n = std::atoi(e + 1) + 1;
    if (std::strtod(buf, nullptr) == d) break;
    if (power_of_two) {  // add one in the last digit, carrying
      std::size_t i = digits.size();
      while (i > 0 && digits[i - 1] == '9') digits[--i] = '0';
      if (i > 0) {
        ++digits[i - 1];
      } else {  // 99…9 became 100…0: still k digits, one place higher
        digits.insert(digits.begin(), '1');
        digits.pop_back();
        ++n;
      }
      if (std::strtod(("0." + digits + 'e' + std::to_string(n)).c_str(), nullptr) == d) break;
    }
  }
  const int k = static_cast<int>(digits.size());
  if (k <= n && n <= 21) {
    out += digits;
    out.append(static_cast<std::size_t>(n - k), '0');
  } else if (0 < n && n <= 21) {
    out += digits.substr(0, static_cast<std::size_t>(n));
    out += '.';
    out += digits.substr(static_cast<std::size_t>(n));
  } else if (-6 < n && n <= 0) {
    out += "0.";
    out.append(static_cast<std::size_t>(-n), '0');
    out += digits;
  } else {
    out += digits[0];
    if (k > 1) {
      out += '.';
      out += digits.substr(1);
    }
    out += 'e';
    out += n - 1 >= 0 ? '+' : '-';
    out += std::to_string(std::abs(n - 1));
  }
}
#endif

constexpr std::uint64_t kMaxExact = std::uint64_t{1} << 53;

// Where a value is, as a chain to its parent: turned into a JSON pointer only on error, so
// the common path builds no strings.
struct Where {
  const Where* parent;
  const std::string* key;  // object member, or
  std::size_t index;       // array element
};

std::string pointer(const Where* w) {
  std::string p;
  for (; w != nullptr && w->parent != nullptr; w = w->parent) {
    p.insert(0, "/" + (w->key ? detail::pointer_token(*w->key) : std::to_string(w->index)));
  }
  return p;
}

// std::map orders keys by UTF-8 bytes, i.e. by code point; RFC 8785 orders by UTF-16 code
// units. The two differ only when a key holds a code point at or above U+E000 (lead bytes
// 0xEE..0xF4), so only such objects are re-sorted.
bool needs_utf16_sort(const json& object) {
  for (auto it = object.begin(); it != object.end(); ++it) {
    for (unsigned char c : it.key()) {
      if (c >= 0xEE) return true;
    }
  }
  return false;
}

bool write(std::string& out, const json& v, const Where* where, Error& err) {
  switch (v.type()) {
    case json::value_t::null:
      out += "null";
      return true;
    case json::value_t::boolean:
      out += v.get_ref<const bool&>() ? "true" : "false";
      return true;
    case json::value_t::number_integer: {
      auto i = v.get_ref<const json::number_integer_t&>();
      std::uint64_t mag = i < 0 ? 0 - static_cast<std::uint64_t>(i) : static_cast<std::uint64_t>(i);
      if (mag > kMaxExact) {
        err = Error{Code::JsonBadNumber, pointer(where), "integer beyond 2^53", -1};
        return false;
      }
      detail::append_decimal(out, mag, i < 0);
      return true;
    }
    case json::value_t::number_unsigned: {
      auto u = v.get_ref<const json::number_unsigned_t&>();
      if (u > kMaxExact) {
        err = Error{Code::JsonBadNumber, pointer(where), "integer beyond 2^53", -1};
        return false;
      }
      detail::append_decimal(out, u, false);
      return true;
    }
    case json::value_t::number_float: {
      double d = v.get_ref<const json::number_float_t&>();
      if (!std::isfinite(d)) {
        err = Error{Code::JsonBadNumber, pointer(where), "not a finite number", -1};
        return false;
      }
      write_double(out, d);
      return true;
    }
    case json::value_t::string:
      detail::append_json_string(out, v.get_ref<const std::string&>());
      return true;
    case json::value_t::array: {
      out += '[';
      std::size_t i = 0;
      for (const auto& item : v) {
        if (i) out += ',';
        Where w{where, nullptr, i++};
        if (!write(out, item, &w, err)) return false;
      }
      out += ']';
      return true;
    }
    case json::value_t::object: {
      out += '{';
      bool first = true;
      auto member = [&](const std::string& key, const json& value) {
        if (!first) out += ',';
        first = false;
        detail::append_json_string(out, key);
        out += ':';
        Where w{where, &key, 0};
        return write(out, value, &w, err);
      };
      if (!needs_utf16_sort(v)) {
        for (auto it = v.begin(); it != v.end(); ++it) {
          if (!member(it.key(), it.value())) return false;
        }
      } else {
        std::vector<std::pair<std::u16string, json::const_iterator>> keys;
        keys.reserve(v.size());
        for (auto it = v.begin(); it != v.end(); ++it) keys.emplace_back(utf16(it.key()), it);
        std::sort(keys.begin(), keys.end(),
                  [](const auto& a, const auto& b) { return a.first < b.first; });
        for (const auto& [k16, it] : keys) {
          if (!member(it.key(), it.value())) return false;
        }
      }
      out += '}';
      return true;
    }
    case json::value_t::binary:
    case json::value_t::discarded:
      break;
  }
  err = Error{Code::JsonSyntax, pointer(where), "not a JSON value", -1};
  return false;
}

}  // namespace

namespace detail {

void append_json_string(std::string& out, std::string_view s) {
  static const char* hex = "0123456789abcdef";
  out += '"';
  for (std::size_t i = 0; i < s.size();) {
    const std::size_t run = plain_run(s.data() + i, s.size() - i);  // copied in one go
    out.append(s.data() + i, run);
    i += run;
    if (i == s.size()) break;
    const auto c = static_cast<unsigned char>(s[i++]);
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
        out += "\\u00";
        out += hex[c >> 4];
        out += hex[c & 0xF];
    }
  }
  out += '"';
}

}  // namespace detail

Result<std::string> canonicalize(const json& value) {
  std::string out;
  Error err{Code::JsonSyntax, "", "", -1};
  Where root{nullptr, nullptr, 0};
  if (!write(out, value, &root, err)) return err;
  return out;
}

Result<std::string> canonicalize_text(std::string_view json_text) {
  auto parsed = detail::parse_strict(json_text);
  if (!parsed) return parsed.errors();
  return canonicalize(*parsed);
}

}  // namespace doui
