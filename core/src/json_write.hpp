// Canonical JSON written directly, without building a DOM first: what the JCS writer
// (canonical.cpp), the record writer and the verdict writer share. Callers write object members
// in RFC 8785 order themselves; tests hold their output to canonicalize() of the same value.
#pragma once

#include <cstddef>
#include <cstdint>
#include <cstring>
#include <string>
#include <string_view>
#include <vector>

#include "doui/result.hpp"

namespace doui::detail {

/// How many bytes from `p` (of `n`) need no escaping in a JSON string: none is '"', '\\' or a
/// control character. Eight bytes at a time with the classic word tests (has a byte below 0x20,
/// has a zero byte after XOR with '"' or '\\'), which are exact for "is there any such byte";
/// the rest one by one.
inline std::size_t plain_run(const char* p, std::size_t n) {
  constexpr std::uint64_t kOnes = 0x0101010101010101u, kHighs = 0x8080808080808080u;
  std::size_t i = 0;
  for (; i + 8 <= n; i += 8) {
    std::uint64_t x;
    std::memcpy(&x, p + i, 8);
    const std::uint64_t quote = x ^ (kOnes * '"'), backslash = x ^ (kOnes * '\\');
    const std::uint64_t special = (((x - kOnes * 0x20) & ~x) | ((quote - kOnes) & ~quote) |
                                   ((backslash - kOnes) & ~backslash)) &
                                  kHighs;
    if (special != 0) break;
  }
  for (; i < n; ++i) {
    const auto c = static_cast<unsigned char>(p[i]);
    if (c < 0x20 || c == '"' || c == '\\') break;
  }
  return i;
}

/// Appends `s` (valid UTF-8) as a JSON string escaped as RFC 8785 requires: `"`, `\` and the
/// control characters only, with the short escapes where JSON has them.
void append_json_string(std::string& out, std::string_view s);

/// A string, or null for an empty one (verdicts: an id or digest that could not be read).
inline void append_json_string_or_null(std::string& out, std::string_view s) {
  if (s.empty()) {
    out += "null";
  } else {
    append_json_string(out, s);
  }
}

/// `[{"code":…,"path":…},…]`: a verdict's problems, as `doui verify` and `doui receipt verify`
/// print them.
inline void append_error_list(std::string& out, const std::vector<Error>& errors) {
  out += '[';
  for (std::size_t i = 0; i < errors.size(); ++i) {
    out += i ? R"(,{"code":)" : R"({"code":)";
    append_json_string(out, to_string(errors[i].code));
    out += R"(,"path":)";
    append_json_string(out, errors[i].path);
    out += '}';
  }
  out += ']';
}

}  // namespace doui::detail
