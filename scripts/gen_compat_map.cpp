// Writes core/src/compat_map.inc: every code point whose compatibility decomposition (NFKD)
// differs from its canonical one (NFD), with that NFKD, from ICU. Built and run by
// scripts/gen_icu_tables.sh, natively only. tests/unit/normalize_test.cpp checks every code point
// of the table against the ICU it is built with, so a mistake here or a newer ICU fails the test
// instead of changing what a record holds.
#include <unicode/normalizer2.h>
#include <unicode/unistr.h>
#include <unicode/uversion.h>

#include <cstdint>
#include <cstdio>
#include <string>
#include <vector>

#include "gen_table.hpp"

int main(int argc, char** argv) {
  if (argc != 2) {
    std::fprintf(stderr, "usage: %s OUT.inc\n", argv[0]);
    return 2;
  }
  UErrorCode status = U_ZERO_ERROR;
  const icu::Normalizer2* nfd = icu::Normalizer2::getNFDInstance(status);
  const icu::Normalizer2* nfkd = icu::Normalizer2::getNFKDInstance(status);
  const icu::Normalizer2* nfkc = icu::Normalizer2::getNFKCInstance(status);
  if (U_FAILURE(status)) {
    std::fprintf(stderr, "ICU: %s\n", u_errorName(status));
    return 1;
  }
  // Three streams, one entry after another in code point order, laid out for gzip (the browser
  // module is measured gzipped), which finds little in a stream of mixed varints and UTF-8:
  //   code points  LEB128 varint of (code point − the previous entry's code point): most entries
  //                are neighbours (full-width forms, mathematical letters), so mostly 0x01;
  //   lengths      one byte per entry: how many code points its NFKD has (at most kMaxLength);
  //   deltas       each code point of each NFKD as a zigzag varint of (it − 1 − the code point
  //                at the same position of the NFKD before): runs such as U+FF21… → A, B, …
  //                or U+2474… → (1), (2), … are then runs of zeros.
  // Against one stream of (delta, length, UTF-8) entries: 6.4 → 4.0 KB gzip.
  constexpr std::size_t kMaxLength = 32;
  std::vector<std::uint8_t> code_points, lengths, deltas;
  std::size_t entries = 0, utf8_bytes = 0;
  UChar32 previous = 0;
  UChar32 at_position[kMaxLength] = {};
  // FNV-1a (32-bit) over ICU's NFKC of every code point in order, each followed by 0xFF (never
  // in UTF-8) and whether NFKC has a boundary before it: normalize_test recomputes it with
  // doui::nfkc on every target, so the browser module is proven to normalise as ICU does.
  std::uint32_t digest = 2166136261u;
  auto fnv = [&digest](std::uint8_t b) { digest = (digest ^ b) * 16777619u; };
  for (UChar32 c = 0; c <= 0x10FFFF; ++c) {
    if (U_IS_SURROGATE(c)) continue;
    const icu::UnicodeString s(c);
    const icu::UnicodeString canonical = nfd->normalize(s, status);
    const icu::UnicodeString compat = nfkd->normalize(s, status);
    if (U_FAILURE(status)) {
      std::fprintf(stderr, "ICU: %s at U+%04X\n", u_errorName(status), static_cast<unsigned>(c));
      return 1;
    }
    std::string normal;
    nfkc->normalize(s, status).toUTF8String(normal);
    for (char b : normal) fnv(static_cast<std::uint8_t>(b));
    fnv(0xFF);
    fnv(nfkc->hasBoundaryBefore(c) ? 1 : 0);
    if (canonical == compat) continue;
    std::string utf8;
    compat.toUTF8String(utf8);
    const auto length = static_cast<std::size_t>(compat.countChar32());
    if (length > kMaxLength) {
      std::fprintf(stderr, "U+%04X: NFKD of %zu code points\n", static_cast<unsigned>(c), length);
      return 1;
    }
    gen::put_varint(code_points, static_cast<std::uint32_t>(c - previous));
    lengths.push_back(static_cast<std::uint8_t>(length));
    for (std::size_t j = 0, i = 0; j < length; ++j) {
      const UChar32 d = compat.char32At(static_cast<int32_t>(i));
      i += U16_LENGTH(d);
      const std::int32_t diff = d - 1 - at_position[j];
      gen::put_varint(deltas, diff >= 0 ? static_cast<std::uint32_t>(diff) << 1
                                        : (static_cast<std::uint32_t>(-diff) << 1) - 1);
      at_position[j] = d;
    }
    utf8_bytes += utf8.size();
    previous = c;
    ++entries;
  }
  FILE* out = gen::open_table(argv[1]);
  if (out == nullptr) return 1;
  std::fprintf(out,
               "// The %zu code points whose NFKD differs from their NFD, in order, as three "
               "streams\n// (scripts/gen_compat_map.cpp says how each is coded).\n"
               "#pragma once\n\n#include <cstddef>\n#include <cstdint>\n\n"
               "namespace doui::detail {\n\n"
               "inline constexpr std::size_t kCompatMapEntries = %zu;\n"
               "inline constexpr std::size_t kCompatMaxLength = %zu;\n"
               "inline constexpr std::size_t kCompatUtf8Bytes = %zu;\n"
               "inline constexpr std::uint8_t kCompatCodePoints[%zu] = {\n",
               entries, entries, kMaxLength, utf8_bytes, code_points.size());
  gen::write_bytes(out, code_points);
  std::fprintf(out, "};\ninline constexpr std::uint8_t kCompatLengths[%zu] = {\n", lengths.size());
  gen::write_bytes(out, lengths);
  std::fprintf(out, "};\ninline constexpr std::uint8_t kCompatDeltas[%zu] = {\n", deltas.size());
  gen::write_bytes(out, deltas);
  std::fprintf(out,
               "};\n\n// FNV-1a (32-bit) over ICU's NFKC of each code point but surrogates, in "
               "order, each followed\n// by 0xFF and 1 if NFKC has a boundary before it, else 0.\n"
               "inline constexpr std::uint32_t kNfkcDigest = 0x%08xu;\n\n"
               "}  // namespace doui::detail\n",
               digest);
  return std::fclose(out) == 0 ? 0 : 1;
}
