#include "doui/canonical.hpp"

#include <algorithm>
#include <cmath>
#include <cstdio>
#include <cstdlib>
#include <string>
#include <vector>

#include <nlohmann/json.hpp>

#include "json_strict.hpp"

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

void write_string(std::string& out, const std::string& s) {
  static const char* hex = "0123456789abcdef";
  out += '"';
  for (char ch : s) {
    auto c = static_cast<unsigned char>(ch);
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
        if (c < 0x20) {
          out += "\\u00";
          out += hex[c >> 4];
          out += hex[c & 0xF];
        } else {
          out += ch;
        }
    }
  }
  out += '"';
}

// ECMAScript Number::toString (ECMA-262 7.1.12.1) from the shortest round-trip digits.
void write_double(std::string& out, double d) {
  if (d == 0) {  // also -0
    out += '0';
    return;
  }
  if (d < 0) {
    out += '-';
    d = -d;
  }
  // The shortest digits that round-trip: the first precision whose correctly rounded output
  // parses back to the same double (libc++ 14 has no floating-point std::to_chars).
  char buf[40];
  for (int precision = 0; precision <= 16; ++precision) {
    std::snprintf(buf, sizeof buf, "%.*e", precision, d);
    if (std::strtod(buf, nullptr) == d) break;
  }
  std::string sci(buf);  // e.g. "1.5e-07"
  std::size_t e = sci.find('e');
  std::string digits;
  for (std::size_t i = 0; i < e; ++i) {
    if (sci[i] != '.') digits += sci[i];
  }
  int exp10 = std::stoi(sci.substr(e + 1));
  int k = static_cast<int>(digits.size());
  int n = exp10 + 1;  // value = 0.digits × 10^n
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

constexpr std::uint64_t kMaxExact = std::uint64_t{1} << 53;

bool write(std::string& out, const json& v, std::string& path, Error& err) {
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
        err = Error{Code::JsonBadNumber, path, "integer beyond 2^53", -1};
        return false;
      }
      out += std::to_string(i);
      return true;
    }
    case json::value_t::number_unsigned: {
      auto u = v.get_ref<const json::number_unsigned_t&>();
      if (u > kMaxExact) {
        err = Error{Code::JsonBadNumber, path, "integer beyond 2^53", -1};
        return false;
      }
      out += std::to_string(u);
      return true;
    }
    case json::value_t::number_float: {
      double d = v.get_ref<const json::number_float_t&>();
      if (!std::isfinite(d)) {
        err = Error{Code::JsonBadNumber, path, "not a finite number", -1};
        return false;
      }
      write_double(out, d);
      return true;
    }
    case json::value_t::string:
      write_string(out, v.get_ref<const std::string&>());
      return true;
    case json::value_t::array: {
      out += '[';
      std::size_t i = 0;
      for (const auto& item : v) {
        if (i) out += ',';
        std::size_t len = path.size();
        path += '/' + std::to_string(i++);
        if (!write(out, item, path, err)) return false;
        path.resize(len);
      }
      out += ']';
      return true;
    }
    case json::value_t::object: {
      std::vector<std::pair<std::u16string, const std::string*>> keys;
      keys.reserve(v.size());
      for (auto it = v.begin(); it != v.end(); ++it) keys.emplace_back(utf16(it.key()), &it.key());
      std::sort(keys.begin(), keys.end(),
                [](const auto& a, const auto& b) { return a.first < b.first; });
      out += '{';
      bool first = true;
      for (const auto& [k16, key] : keys) {
        if (!first) out += ',';
        first = false;
        write_string(out, *key);
        out += ':';
        std::size_t len = path.size();
        path += '/' + detail::pointer_token(*key);
        if (!write(out, v.find(*key).value(), path, err)) return false;
        path.resize(len);
      }
      out += '}';
      return true;
    }
    case json::value_t::binary:
    case json::value_t::discarded:
      break;
  }
  err = Error{Code::JsonSyntax, path, "not a JSON value", -1};
  return false;
}

}  // namespace

Result<std::string> canonicalize(const json& value) {
  std::string out, path;
  Error err{Code::JsonSyntax, "", "", -1};
  if (!write(out, value, path, err)) return err;
  return out;
}

Result<std::string> canonicalize_text(std::string_view json_text) {
  auto parsed = detail::parse_strict(json_text);
  if (!parsed) return parsed.errors();
  return canonicalize(*parsed);
}

}  // namespace doui
