// Decimal integers without printf, which would add ~5 KB gzip to the browser module. Shared by
// the canonical JSON writer and the date/time formatters.
#pragma once

#include <cstdint>
#include <string>

namespace doui::detail {

/// Appends `magnitude` (with a '-' first when `negative`), zero-padded to `min_digits`.
inline void append_decimal(std::string& out, std::uint64_t magnitude, bool negative,
                           int min_digits = 1) {
  char digits[24];
  int n = 0;
  do {
    digits[n++] = static_cast<char>('0' + magnitude % 10);
    magnitude /= 10;
  } while (magnitude > 0);
  if (negative) out += '-';
  for (int i = n; i < min_digits; ++i) out += '0';
  while (n > 0) out += digits[--n];
}

/// The same for a signed value (no overflow at the most negative one).
inline void append_decimal(std::string& out, long long value, int min_digits = 1) {
  const bool negative = value < 0;
  const std::uint64_t magnitude =
      negative ? 0 - static_cast<std::uint64_t>(value) : static_cast<std::uint64_t>(value);
  append_decimal(out, magnitude, negative, min_digits);
}

}  // namespace doui::detail
