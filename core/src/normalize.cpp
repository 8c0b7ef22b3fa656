#include "doui/normalize.hpp"

#include <cstdint>
#include <cstring>

#include <unicode/bytestream.h>
#include <unicode/normalizer2.h>
#include <unicode/utf8.h>

namespace doui {

bool is_valid_utf8(std::string_view s) {
  const auto* p = reinterpret_cast<const uint8_t*>(s.data());
  const auto n = static_cast<int32_t>(s.size());
  for (int32_t i = 0; i < n;) {
    // ASCII a word at a time (most of a record is), ICU's decoder for the rest.
    std::uint64_t word;
    if (i + 8 <= n && (std::memcpy(&word, p + i, 8), (word & 0x8080808080808080u) == 0)) {
      i += 8;
      continue;
    }
    UChar32 c;
    U8_NEXT(p, i, n, c);
    if (c < 0) return false;
  }
  return true;
}

namespace {

// UTF-8 straight through (normalizeUTF8): no UTF-16 round trip, less code in the browser.
std::optional<std::string> normalize(std::string_view s, const icu::Normalizer2* n,
                                     UErrorCode status) {
  if (U_FAILURE(status) || n == nullptr || !is_valid_utf8(s)) return std::nullopt;
  std::string out;
  icu::StringByteSink<std::string> sink(&out, static_cast<int32_t>(s.size()));
  n->normalizeUTF8(0, icu::StringPiece(s.data(), static_cast<int32_t>(s.size())), sink, nullptr,
                   status);
  if (U_FAILURE(status)) return std::nullopt;
  return out;
}

}  // namespace

std::optional<std::string> nfkc(std::string_view s) {
  UErrorCode status = U_ZERO_ERROR;
  const icu::Normalizer2* n = icu::Normalizer2::getNFKCInstance(status);
  return normalize(s, n, status);
}

std::optional<std::string> nfc(std::string_view s) {
  UErrorCode status = U_ZERO_ERROR;
  const icu::Normalizer2* n = icu::Normalizer2::getNFCInstance(status);
  return normalize(s, n, status);
}

namespace {

// Unicode White_Space, plus the invisible ZERO WIDTH SPACE and BYTE ORDER MARK: what a person
// cannot see at either end of a name (a name of nothing else is no name).
bool is_blank(char32_t c) {
  return (c >= 0x09 && c <= 0x0D) || c == 0x20 || c == 0x85 || c == 0xA0 || c == 0x1680 ||
         (c >= 0x2000 && c <= 0x200B) || c == 0x2028 || c == 0x2029 || c == 0x202F || c == 0x205F ||
         c == 0x3000 || c == 0xFEFF;
}

// The code point of the UTF-8 sequence `s` (one whole sequence, at most 3 bytes here: every
// blank is in the BMP), or U+FFFD for anything else.
char32_t decode(std::string_view s) {
  const auto b = [&](std::size_t i) { return static_cast<unsigned char>(s[i]) & 0x3Fu; };
  const auto lead = static_cast<unsigned char>(s[0]);
  if (s.size() == 1 && lead < 0x80) return lead;
  if (s.size() == 2 && (lead & 0xE0) == 0xC0) return ((lead & 0x1Fu) << 6) | b(1);
  if (s.size() == 3 && (lead & 0xF0) == 0xE0) return ((lead & 0x0Fu) << 12) | (b(1) << 6) | b(2);
  return 0xFFFD;
}

std::size_t sequence_length(unsigned char lead) {
  return lead < 0x80 ? 1 : (lead & 0xE0) == 0xC0 ? 2 : (lead & 0xF0) == 0xE0 ? 3 : 4;
}

}  // namespace

std::string trim_spaces(std::string_view s) {
  while (!s.empty()) {
    const std::size_t n = sequence_length(static_cast<unsigned char>(s[0]));
    if (n > s.size() || !is_blank(decode(s.substr(0, n)))) break;
    s.remove_prefix(n);
  }
  while (!s.empty()) {
    std::size_t n = 1;  // back over continuation bytes to the last sequence's lead
    while (n < s.size() && n < 4 && (static_cast<unsigned char>(s[s.size() - n]) & 0xC0) == 0x80)
      ++n;
    if (!is_blank(decode(s.substr(s.size() - n)))) break;
    s.remove_suffix(n);
  }
  return std::string(s);
}

}  // namespace doui
