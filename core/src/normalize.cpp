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

std::string trim_spaces(std::string_view s) {
  constexpr std::string_view kIdeographicSpace = "\xE3\x80\x80";
  auto ascii_space = [](char c) { return c == ' ' || c == '\t' || c == '\n' || c == '\r'; };
  while (true) {
    if (!s.empty() && ascii_space(s.front())) {
      s.remove_prefix(1);
    } else if (s.substr(0, 3) == kIdeographicSpace) {
      s.remove_prefix(3);
    } else {
      break;
    }
  }
  while (true) {
    if (!s.empty() && ascii_space(s.back())) {
      s.remove_suffix(1);
    } else if (s.size() >= 3 && s.substr(s.size() - 3) == kIdeographicSpace) {
      s.remove_suffix(3);
    } else {
      break;
    }
  }
  return std::string(s);
}

}  // namespace doui
