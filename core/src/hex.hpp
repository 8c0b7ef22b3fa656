// Lowercase hex of public bytes (digests). sodium_bin2hex is constant-time, which secrets need
// and digests do not; this table form is what the verifier's per-record cost can afford.
#pragma once

#include <cstddef>
#include <string>

namespace doui::detail {

inline std::string lower_hex(const unsigned char* bytes, std::size_t n) {
  static constexpr char kDigits[] = "0123456789abcdef";
  std::string out(2 * n, '\0');
  for (std::size_t i = 0; i < n; ++i) {
    out[2 * i] = kDigits[bytes[i] >> 4];
    out[2 * i + 1] = kDigits[bytes[i] & 0x0f];
  }
  return out;
}

}  // namespace doui::detail
