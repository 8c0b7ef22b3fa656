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
  // Entries in code point order, each: LEB128 varint of (code point − the previous entry's code
  // point), one byte of length, the NFKD in UTF-8. Deltas, not code points: most entries are
  // neighbours (full-width forms, mathematical letters), which keeps the browser module small.
  std::vector<std::uint8_t> map;
  std::size_t entries = 0;
  UChar32 previous = 0;
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
    if (utf8.size() > 255) {
      std::fprintf(stderr, "U+%04X: NFKD of %zu bytes\n", static_cast<unsigned>(c), utf8.size());
      return 1;
    }
    gen::put_varint(map, static_cast<std::uint32_t>(c - previous));
    map.push_back(static_cast<std::uint8_t>(utf8.size()));
    map.insert(map.end(), utf8.begin(), utf8.end());
    previous = c;
    ++entries;
  }
  FILE* out = gen::open_table(argv[1]);
  if (out == nullptr) return 1;
  std::fprintf(out,
               "// The %zu code points whose NFKD differs from their NFD, in order, each as a "
               "LEB128 varint\n// of its distance from the one before, a length byte and its "
               "NFKD in UTF-8.\n"
               "#pragma once\n\n#include <cstddef>\n#include <cstdint>\n\n"
               "namespace doui::detail {\n\n"
               "inline constexpr std::size_t kCompatMapEntries = %zu;\n"
               "inline constexpr std::uint8_t kCompatMap[%zu] = {\n",
               entries, entries, map.size());
  gen::write_bytes(out, map);
  std::fprintf(out,
               "};\n\n// FNV-1a (32-bit) over ICU's NFKC of each code point but surrogates, in "
               "order, each followed\n// by 0xFF and 1 if NFKC has a boundary before it, else 0.\n"
               "inline constexpr std::uint32_t kNfkcDigest = 0x%08xu;\n\n"
               "}  // namespace doui::detail\n",
               digest);
  return std::fclose(out) == 0 ? 0 : 1;
}
