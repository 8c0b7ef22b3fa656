#include "doui/normalize.hpp"

#include <algorithm>
#include <cstdint>
#include <cstring>
#include <vector>

#include <unicode/bytestream.h>
#include <unicode/utf8.h>
#if DOUI_ICU_COMPILED_NORM
// In wasm: ICU's normaliser itself (Normalizer2Impl, the engine behind Normalizer2) over ICU's
// own NFC data (libicuuc's norm2_nfc_data.h, stored recoded for gzip and decoded once:
// nfc_data.hpp), called at its UTF-8 entry point. NFKC is that
// NFC over the compatibility decompositions (compat_map.hpp), not ICU's NFKC data: the result is
// the same, 10 KB gzip smaller. Normalizer2's UTF-16 entry points, ICU's data loading and the
// packaged nfkc.nrm stay out of the module, so the bytes are the same as natively.
#include "nfc_data.hpp"
#include "nfc_data.inc"  // ICU's norm2_nfc_data.h, recoded (scripts/gen_nfc_data.py)
#include "normalizer2impl.h"
using icu::Normalizer2Impl;
#else
#include <unicode/normalizer2.h>
#endif

#include "char_classes.hpp"
#include "char_classes.inc"
#include "compat_map.hpp"
#include "compat_map.inc"
#include "utf8.hpp"

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

#if DOUI_ICU_COMPILED_NORM
// Composition without "only contiguous" (that is FCC): what ComposeNormalizer2::normalizeUTF8
// does for NFC and NFKC.
std::optional<std::string> normalize(std::string_view s, const Normalizer2Impl& n) {
  if (!is_valid_utf8(s)) return std::nullopt;
  std::string out;
  icu::StringByteSink<std::string> sink(&out, static_cast<int32_t>(s.size()));
  UErrorCode status = U_ZERO_ERROR;
  const auto* p = reinterpret_cast<const uint8_t*>(s.data());
  n.composeUTF8(0, false, p, p + s.size(), &sink, nullptr, status);
  sink.Flush();
  if (U_FAILURE(status)) return std::nullopt;
  return out;
}

const Normalizer2Impl& nfc_impl() {
  // Never deleted: made once, used for the module's lifetime.
  static const Normalizer2Impl& n = []() -> const Normalizer2Impl& {
    const detail::NfcData& d = detail::nfc_data();
    auto* impl = new Normalizer2Impl;
    impl->init(d.indexes, d.trie, d.extra, d.small_fcd);
    return *impl;
  }();
  return n;
}

}  // namespace

std::optional<std::string> nfkc(std::string_view s) {
  // Ill-formed input stays ill-formed through expand_compat and is refused by normalize.
  return normalize(detail::expand_compat(s), nfc_impl());
}

bool nfkc_boundary_before(char32_t c) {
  // NFKC composes what NFC composes: the boundary is NFC's before the first code point c
  // decomposes to (normalize_test compares this with ICU's NFKC for every code point).
  const std::string_view d = detail::compat_decomposition(c);
  if (!d.empty()) {
    int32_t i = 0;
    UChar32 first;
    U8_NEXT(reinterpret_cast<const uint8_t*>(d.data()), i, static_cast<int32_t>(d.size()), first);
    c = static_cast<char32_t>(first);
  }
  return nfc_impl().hasCompBoundaryBefore(static_cast<UChar32>(c));
}

std::optional<std::string> nfc(std::string_view s) {
  return normalize(s, nfc_impl());
}
#else
// UTF-8 straight through (normalizeUTF8): no UTF-16 round trip.
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

bool nfkc_boundary_before(char32_t c) {
  UErrorCode status = U_ZERO_ERROR;
  const icu::Normalizer2* n = icu::Normalizer2::getNFKCInstance(status);
  return U_FAILURE(status) || n == nullptr || n->hasBoundaryBefore(static_cast<UChar32>(c));
}
#endif

namespace detail {

#if DOUI_ICU_COMPILED_NORM
namespace {

// Decoded into static arrays: zero-initialised, so they take no bytes in the module.
std::uint16_t nfc_trie_index[kNfcTrieIndexLength];
std::uint16_t nfc_trie_data[kNfcTrieDataLength];
std::uint16_t nfc_extra[kNfcExtraLength];

// A uint16 array from its two planes (low bytes, then high bytes); `deltas`: each element was
// stored as its difference from the one before.
void from_planes(const std::uint8_t* planes, std::size_t n, std::uint16_t* out, bool deltas) {
  std::uint16_t before = 0;
  for (std::size_t i = 0; i < n; ++i) {
    auto v = static_cast<std::uint16_t>(planes[i] | planes[n + i] << 8);
    if (deltas) v = static_cast<std::uint16_t>(v + before);
    out[i] = before = v;
  }
}

}  // namespace

const NfcData& nfc_data() {
  static const NfcData data = [] {
    from_planes(kNfcTrieIndexPlanes, kNfcTrieIndexLength, nfc_trie_index, false);
    from_planes(kNfcTrieDataPlanes, kNfcTrieDataLength, nfc_trie_data, true);
    from_planes(kNfcExtraPlanes, kNfcExtraLength, nfc_extra, false);
    static UCPTrie trie{};
    const std::int32_t* f = kNfcTrieFields;
    trie.index = nfc_trie_index;
    trie.data.ptr16 = nfc_trie_data;
    trie.indexLength = f[0];
    trie.dataLength = f[1];
    trie.highStart = f[2];
    trie.shifted12HighStart = static_cast<std::uint16_t>(f[3]);
    trie.type = static_cast<std::int8_t>(f[4]);
    trie.valueWidth = static_cast<std::int8_t>(f[5]);
    trie.reserved32 = static_cast<std::uint32_t>(f[6]);
    trie.reserved16 = static_cast<std::uint16_t>(f[7]);
    trie.index3NullOffset = static_cast<std::uint16_t>(f[8]);
    trie.dataNullOffset = f[9];
    trie.nullValue = static_cast<std::uint32_t>(f[10]);
    return NfcData{kNfcIndexes, &trie, nfc_extra, kNfcSmallFcd};
  }();
  return data;
}
#endif

namespace {

// The map decoded on first use (its streams are coded for size: gen_compat_map.cpp), into static
// arrays, not the heap: zero-initialised (no bytes in the module), filled once. Then a binary
// search by code point.
struct CompatEntry {
  char32_t c;
  std::uint16_t at;  // of its NFKD in compat_utf8
  std::uint8_t size;
};
static_assert(kCompatUtf8Bytes <= 0xFFFF);
char compat_utf8[kCompatUtf8Bytes];

// Appends chars to compat_utf8 (for append_utf8).
struct Utf8Cursor {
  std::size_t at = 0;
  void operator+=(char b) { compat_utf8[at++] = b; }
};

std::uint32_t read_varint(const std::uint8_t* bytes, std::size_t& i) {
  std::uint32_t v = 0;
  for (unsigned shift = 0;; shift += 7) {
    const std::uint8_t b = bytes[i++];
    v |= static_cast<std::uint32_t>(b & 0x7Fu) << shift;
    if (b < 0x80) return v;
  }
}

const CompatEntry* compat_index() {
  static CompatEntry index[kCompatMapEntries];
  static const bool filled = [] {
    char32_t c = 0;
    char32_t at_position[kCompatMaxLength] = {};
    std::size_t code_points = 0, deltas = 0;
    Utf8Cursor out;
    for (std::size_t n = 0; n < kCompatMapEntries; ++n) {
      c += read_varint(kCompatCodePoints, code_points);
      const std::size_t start = out.at;
      for (std::size_t j = 0; j < kCompatLengths[n]; ++j) {
        const std::uint32_t z = read_varint(kCompatDeltas, deltas);  // zigzag
        at_position[j] += 1 + ((z & 1u) != 0 ? ~(z >> 1) : z >> 1);
        append_utf8(out, at_position[j]);
      }
      index[n] = {c, static_cast<std::uint16_t>(start), static_cast<std::uint8_t>(out.at - start)};
    }
    return true;
  }();
  (void)filled;
  return index;
}

}  // namespace

std::string_view compat_decomposition(char32_t c) {
  if (c < 0xA0) return {};  // U+00A0 NO-BREAK SPACE is the first
  const CompatEntry* index = compat_index();
  const CompatEntry* end = index + kCompatMapEntries;
  const CompatEntry* it =
      std::lower_bound(index, end, c, [](const CompatEntry& e, char32_t x) { return e.c < x; });
  if (it == end || it->c != c) return {};
  return {compat_utf8 + it->at, it->size};
}

std::string expand_compat(std::string_view s) {
  std::string out;
  out.reserve(s.size());
  const auto* p = reinterpret_cast<const uint8_t*>(s.data());
  const auto n = static_cast<int32_t>(s.size());
  for (int32_t i = 0; i < n;) {
    const int32_t start = i;
    UChar32 c;
    U8_NEXT(p, i, n, c);
    const std::string_view d =
        c < 0 ? std::string_view() : compat_decomposition(static_cast<char32_t>(c));
    if (d.empty())
      out.append(s.substr(static_cast<std::size_t>(start), static_cast<std::size_t>(i - start)));
    else
      out.append(d);
  }
  return out;
}

CharClass char_class(char32_t c) {
  // ASCII, most of what is typed, straight from its properties (the test holds these to ICU too).
  if (c < 0x80) {
    if (c >= 0x09 && c <= 0x0D) return CharClass::ControlBlank;
    if (c < 0x20 || c == 0x7F) return CharClass::Control;
    return c == 0x20 ? CharClass::Blank : CharClass::Visible;
  }
  // The table's runs decoded once (a few KB of memory, no bytes in the module), then a binary
  // search: a kanji name costs a dozen steps per character, not a scan of ~800 runs.
  struct Run {
    char32_t last;
    CharClass k;
  };
  static const std::vector<Run> runs = [] {
    std::vector<Run> v;
    for_each_char_class_run(kCharClassRuns, sizeof kCharClassRuns,
                            [&](char32_t, char32_t last, CharClass run) {
                              v.push_back(Run{last, run});
                              return true;
                            });
    return v;
  }();
  const auto it = std::lower_bound(runs.begin(), runs.end(), c,
                                   [](const Run& r, char32_t x) { return r.last < x; });
  return it == runs.end() ? CharClass::Control : it->k;
}

}  // namespace detail

namespace {

// The code point starting at byte i (advancing i), or a negative value for an ill-formed sequence.
UChar32 next(std::string_view s, int32_t& i) {
  const auto* p = reinterpret_cast<const uint8_t*>(s.data());
  const auto n = static_cast<int32_t>(s.size());
  UChar32 c;
  U8_NEXT(p, i, n, c);
  return c;
}

bool trimmed_at(std::string_view s, int32_t i, int32_t expected_end) {
  const UChar32 c = next(s, i);
  return c >= 0 && i == expected_end &&
         detail::is_trimmed(detail::char_class(static_cast<char32_t>(c)));
}

}  // namespace

std::string trim_spaces(std::string_view s) {
  // Sizes fit int32_t: typed names and dates, far below 2 GB.
  int32_t begin = 0;
  auto end = static_cast<int32_t>(s.size());
  while (begin < end) {
    int32_t i = begin;
    const UChar32 c = next(s, i);
    if (c < 0 || !detail::is_trimmed(detail::char_class(static_cast<char32_t>(c)))) break;
    begin = i;
  }
  while (end > begin) {
    // Back over continuation bytes to the last sequence's lead, then decode it forwards: it must
    // be one well-formed sequence ending exactly at `end`.
    int32_t lead = end - 1;
    while (lead > begin && end - lead < 4 && (static_cast<unsigned char>(s[lead]) & 0xC0) == 0x80)
      --lead;
    if (!trimmed_at(s.substr(0, static_cast<std::size_t>(end)), lead, end)) break;
    end = lead;
  }
  return std::string(
      s.substr(static_cast<std::size_t>(begin), static_cast<std::size_t>(end - begin)));
}

TextProblem check_typed_text(std::string_view utf8) {
  // Printable ASCII, the common case (surface, agent, romanised names), decided bytewise.
  std::size_t ascii = 0;
  bool visible = false;
  for (; ascii < utf8.size(); ++ascii) {
    const auto c = static_cast<unsigned char>(utf8[ascii]);
    // Anything else (a control character too: ill-formed UTF-8 later must still win) takes
    // the general path from here.
    if (c >= 0x80 || c < 0x20 || c == 0x7f) break;
    visible = visible || c != ' ';
  }
  if (ascii == utf8.size()) return visible ? TextProblem::None : TextProblem::NoVisible;
  if (!is_valid_utf8(utf8.substr(ascii))) return TextProblem::InvalidUtf8;
  for (int32_t i = static_cast<int32_t>(ascii); i < static_cast<int32_t>(utf8.size());) {
    const auto k = detail::char_class(static_cast<char32_t>(next(utf8, i)));
    if (!detail::is_printable(k)) return TextProblem::NotPrintable;
    visible = visible || k == detail::CharClass::Visible;
  }
  return visible ? TextProblem::None : TextProblem::NoVisible;
}

}  // namespace doui
