#include <gtest/gtest.h>

#include <cstdint>
#include <random>
#include <string>
#include <string_view>
#include <vector>

#include "char_classes.hpp"
#include "char_classes.inc"
#include "compat_map.hpp"
#include "compat_map.inc"
#include "doui/normalize.hpp"
#include "utf8.hpp"

#ifndef __EMSCRIPTEN__
#include <unicode/normalizer2.h>
#include <unicode/uchar.h>
#include <unicode/unistr.h>
#endif
#if DOUI_ICU_COMPILED_NORM
#include "nfc_data.hpp"
#include "normalizer2impl.h"
using icu::Normalizer2Impl;
#define INCLUDED_FROM_NORMALIZER2_CPP
#include "norm2_nfc_data.h"  // ICU's own, as libicuuc compiles it in
#endif

namespace {

using doui::TextProblem;
using doui::detail::CharClass;

const char* name(TextProblem p) {
  switch (p) {
    case TextProblem::None:
      return "None";
    case TextProblem::NotPrintable:
      return "NotPrintable";
    case TextProblem::NoVisible:
      return "NoVisible";
    case TextProblem::InvalidUtf8:
      return "InvalidUtf8";
  }
  return "?";
}

struct Case {
  std::string text;
  TextProblem expected;
};

void expect_all(const std::vector<Case>& cases) {
  ASSERT_FALSE(cases.empty());
  for (const auto& c : cases) {
    EXPECT_STREQ(name(doui::check_typed_text(c.text)), name(c.expected)) << '"' << c.text << '"';
  }
}

TEST(TypedText, NamesWithSomethingVisibleAreAccepted) {
  expect_all({
      {"山田太郎", TextProblem::None},
      {"ﾔﾏﾀﾞ", TextProblem::None},
      {"やまだ たろう", TextProblem::None},
      {"\U0001F468\u200D\U0001F469\u200D\U0001F467",
       TextProblem::None},                      // 👨‍👩‍👧, ZWJ inside
      {"e\u0301", TextProblem::None},           // a mark on a letter
      {"\u200b山田\u200b", TextProblem::None},  // invisible around visible: trim's business
      {"\u00a0a", TextProblem::None},
      {"\U00020BB7野家", TextProblem::None},  // 𠮷, outside the BMP
      {"\u0378", TextProblem::None},          // unassigned: a later Unicode may draw it
  });
}

TEST(TypedText, NothingVisibleIsNoName) {
  expect_all({
      {"", TextProblem::NoVisible},
      {"\u2060", TextProblem::NoVisible},        // WORD JOINER
      {"\u3164", TextProblem::NoVisible},        // HANGUL FILLER
      {"\uffa0", TextProblem::NoVisible},        // HALFWIDTH HANGUL FILLER
      {"\u115f\u1160", TextProblem::NoVisible},  // HANGUL CHOSEONG/JUNGSEONG FILLER
      {"\u200b\u200b", TextProblem::NoVisible},
      {"\ufe0f", TextProblem::NoVisible},      // VARIATION SELECTOR-16
      {"\U000E0041", TextProblem::NoVisible},  // TAG LATIN CAPITAL LETTER A
      {" \u3000 ", TextProblem::NoVisible},
      {"\u0301", TextProblem::NoVisible},  // a combining mark alone
      {"\u20dd", TextProblem::NoVisible},  // an enclosing mark alone
      {"\u00ad", TextProblem::NoVisible},  // SOFT HYPHEN
      {"\u180e", TextProblem::NoVisible},  // MONGOLIAN VOWEL SEPARATOR
      {"\ufeff", TextProblem::NoVisible},
      {"\u0600", TextProblem::NoVisible},  // ARABIC NUMBER SIGN: Cf, not default-ignorable
      {"\u2800", TextProblem::NoVisible},  // BRAILLE PATTERN BLANK: the one explicit exception
  });
}

TEST(TypedText, ControlsAndBidiOverridesAreNotPrintable) {
  expect_all({
      {"山田\x1b[31m", TextProblem::NotPrintable},
      {"a\u202eb", TextProblem::NotPrintable},
      {"a\nb", TextProblem::NotPrintable},
      {std::string("a\0b", 3), TextProblem::NotPrintable},  // embedded NUL
      {"\x7f", TextProblem::NotPrintable},
      {"a\tb", TextProblem::NotPrintable},
      {"a\rb", TextProblem::NotPrintable},
      {"\x07", TextProblem::NotPrintable},
      {"a\u0085", TextProblem::NotPrintable},  // C1 NEXT LINE
      {"a\u009b", TextProblem::NotPrintable},  // C1 CSI
      {"a\u061c", TextProblem::NotPrintable},  // ARABIC LETTER MARK
      {"a\u200e", TextProblem::NotPrintable},  // LRM
      {"a\u2066b\u2069", TextProblem::NotPrintable},
      {"a\u2028b", TextProblem::NotPrintable},
      {"a\u2029b", TextProblem::NotPrintable},
      {"a\ufdd0", TextProblem::NotPrintable},      // noncharacters
      {"a\uffff", TextProblem::NotPrintable},      //
      {"a\U0010FFFE", TextProblem::NotPrintable},  //
      {"\u2060\x1b", TextProblem::NotPrintable},   // not printable wins over nothing visible
  });
}

// Printable ASCII is decided bytewise, without the table: the two must agree on every byte,
// alone and after a visible letter.
TEST(TypedText, AsciiAgreesWithTheTable) {
  for (char32_t c = 0; c < 0x80; ++c) {
    const auto k = doui::detail::char_class(c);
    const TextProblem alone = !doui::detail::is_printable(k)          ? TextProblem::NotPrintable
                              : k == doui::detail::CharClass::Visible ? TextProblem::None
                                                                      : TextProblem::NoVisible;
    const std::string s(1, static_cast<char>(c));
    EXPECT_EQ(doui::check_typed_text(s), alone) << "U+" << static_cast<int>(c);
    EXPECT_EQ(doui::check_typed_text("a" + s),
              alone == TextProblem::NotPrintable ? TextProblem::NotPrintable : TextProblem::None)
        << "U+" << static_cast<int>(c);
  }
}

TEST(TypedText, IllFormedUtf8WinsOverEverythingElse) {
  expect_all({
      {"\xc0\xaf", TextProblem::InvalidUtf8},          // overlong '/'
      {"\xed\xa0\x80", TextProblem::InvalidUtf8},      // surrogate U+D800
      {"\xf4\x90\x80\x80", TextProblem::InvalidUtf8},  // past U+10FFFF
      {"山\xe5\xb1", TextProblem::InvalidUtf8},        // truncated
      {"\x1b\x80", TextProblem::InvalidUtf8},
      {"ab\x1b\x80", TextProblem::InvalidUtf8},
      {"ab\x80", TextProblem::InvalidUtf8},
  });
}

TEST(TrimSpaces, RemovesWhiteSpaceAndDefaultIgnorablesAtEitherEnd) {
  EXPECT_EQ(doui::trim_spaces(" \u3000山田\u00a0\t"), "山田");
  EXPECT_EQ(doui::trim_spaces("\u200b\ufeff\u2060山 田\u3164\u200b"), "山 田");
  EXPECT_EQ(doui::trim_spaces("\ufe0f\U000E0041a\u202e"), "a");
  EXPECT_EQ(doui::trim_spaces("\n2009-04-01\r\n"), "2009-04-01");
  EXPECT_EQ(doui::trim_spaces(" \u3000 "), "");
  EXPECT_EQ(doui::trim_spaces(""), "");
  // Inside stays; marks, NUL and U+2800 are not blanks.
  EXPECT_EQ(doui::trim_spaces("\u0301a\u2800"), "\u0301a\u2800");
  EXPECT_EQ(doui::trim_spaces(std::string(" \0 ", 3)), std::string("\0", 1));
  // An ill-formed sequence stops trimming and stays.
  EXPECT_EQ(doui::trim_spaces(" \xc0\xaf "), "\xc0\xaf");
  EXPECT_EQ(doui::trim_spaces("\x80 "), "\x80");
  EXPECT_EQ(doui::trim_spaces(" \xe3\x80"), "\xe3\x80");  // U+3000 cut short
  EXPECT_EQ(doui::trim_spaces("\xe3\x80\x80\x80"), "\x80");
}

// The class of every code point, as the runs of the table give it.
std::vector<CharClass> classes_from_runs() {
  std::vector<CharClass> out;
  out.reserve(0x110000);
  doui::detail::for_each_char_class_run(
      doui::detail::kCharClassRuns, sizeof doui::detail::kCharClassRuns,
      [&](char32_t first, char32_t last, CharClass k) {
        const auto from = static_cast<std::uint32_t>(first), to = static_cast<std::uint32_t>(last);
        EXPECT_EQ(from, out.size());
        EXPECT_LE(from, to);
        out.insert(out.end(), last - first + 1, k);
        // char_class() at both ends of every run: its search, not only the decoding, is held.
        EXPECT_EQ(doui::detail::char_class(first), k) << std::hex << from;
        EXPECT_EQ(doui::detail::char_class(last), k) << std::hex << to;
        return true;
      });
  return out;
}

// The table decoded on this target against the digest the generator computed from ICU: run on
// every target, so wasm is proven to classify exactly as native does.
TEST(CharClasses, LookupMatchesTheGeneratedDigestOnThisTarget) {
  const std::vector<CharClass> classes = classes_from_runs();
  ASSERT_EQ(classes.size(), 0x110000u);
  std::uint32_t digest = 2166136261u;
  for (CharClass k : classes) digest = (digest ^ static_cast<std::uint32_t>(k)) * 16777619u;
  EXPECT_EQ(digest, doui::detail::kCharClassDigest);
  EXPECT_EQ(doui::detail::char_class(0x110000), CharClass::Control);
  EXPECT_EQ(doui::detail::char_class(0xFFFFFFFF), CharClass::Control);
}

#ifndef __EMSCRIPTEN__
// The rules restated from ICU's properties for every code point, independently of the generator
// (scripts/gen_char_classes.cpp): a wrong rule there or a newer ICU fails here. To regenerate the
// table: scripts/gen_icu_tables.sh, then commit core/src/char_classes.inc.
TEST(CharClasses, TableAgreesWithIcuForEveryCodePoint) {
  const std::vector<CharClass> classes = classes_from_runs();
  ASSERT_EQ(classes.size(), 0x110000u);
  int mismatches = 0;
  for (UChar32 c = 0; c <= 0x10FFFF; ++c) {
    const int gc = u_charType(c);
    const bool white = u_hasBinaryProperty(c, UCHAR_WHITE_SPACE);
    const bool ignorable = u_hasBinaryProperty(c, UCHAR_DEFAULT_IGNORABLE_CODE_POINT);
    const bool printable = gc != U_CONTROL_CHAR && gc != U_LINE_SEPARATOR &&
                           gc != U_PARAGRAPH_SEPARATOR && gc != U_SURROGATE &&
                           !u_hasBinaryProperty(c, UCHAR_BIDI_CONTROL) &&
                           !u_hasBinaryProperty(c, UCHAR_NONCHARACTER_CODE_POINT);
    const bool visible = !white && !ignorable && gc != U_CONTROL_CHAR && gc != U_FORMAT_CHAR &&
                         gc != U_SURROGATE && gc != U_SPACE_SEPARATOR && gc != U_LINE_SEPARATOR &&
                         gc != U_PARAGRAPH_SEPARATOR && gc != U_NON_SPACING_MARK &&
                         gc != U_ENCLOSING_MARK && c != 0x2800 && printable;
    const bool trimmed = white || ignorable;
    const CharClass k = classes[static_cast<std::size_t>(c)];
    const bool ok = doui::detail::is_printable(k) == printable &&
                    (k == CharClass::Visible) == visible && doui::detail::is_trimmed(k) == trimmed;
    if (!ok && ++mismatches <= 20) {
      ADD_FAILURE() << "U+" << std::hex << c << ": table says " << static_cast<int>(k) << ", ICU "
                    << U_ICU_VERSION << " printable=" << printable << " visible=" << visible
                    << " trimmed=" << trimmed;
    }
  }
  EXPECT_EQ(mismatches, 0) << "regenerate with scripts/gen_icu_tables.sh";
}
#endif

// ---- NFKC ------------------------------------------------------------------------------------

std::string utf8(char32_t c) {
  std::string s;
  doui::detail::append_utf8(s, c);
  return s;
}

bool surrogate(char32_t c) {
  return c >= 0xD800 && c <= 0xDFFF;
}

// What people type, on every target (in wasm NFKC is NFC over the compatibility map).
TEST(Nfkc, WhatPeopleType) {
  const std::vector<std::pair<std::string, std::string>> cases = {
      {"ﾔﾏﾀﾞ ﾊﾅｺ", "ヤマダ ハナコ"},         // half-width kana, voiced marks composed
      {"㍻21年４月１日", "平成21年4月1日"},  // the square era name, full-width digits
      {"㋿元年", "令和元年"},
      {"ﬁ①Ⅷ", "fi1VIII"},
      {"ẛ̣", "ṩ"},                // U+1E9B U+0323: compat, then canonical reordering
      {"か\u3099", "が"},        // combining voiced mark composes
      {"か゛", "か \u3099"},     // U+309B is a spacing mark: space + U+3099
      {"ᄀ\u1161\u11A8", "각"},  // conjoining jamo compose
      {"ㄱㅏ", "가"},            // compatibility jamo become conjoining ones, which compose
      {"", ""},
  };
  for (const auto& [in, want] : cases) EXPECT_EQ(doui::nfkc(in).value_or("<none>"), want) << in;
  EXPECT_FALSE(doui::nfkc("ｶ\xFF").has_value());         // ill-formed UTF-8
  EXPECT_FALSE(doui::nfkc("\xED\xA0\x80").has_value());  // a surrogate
}

// Every code point's NFKC, and whether NFKC has a boundary before it, against the digest the
// generator computed with ICU's NFKC (scripts/gen_compat_map.cpp): run on every target, so the
// browser module is proven to normalise every code point exactly as ICU does natively.
TEST(Nfkc, EveryCodePointMatchesIcusDigestOnThisTarget) {
  std::uint32_t digest = 2166136261u;
  auto fnv = [&digest](std::uint8_t b) { digest = (digest ^ b) * 16777619u; };
  for (char32_t c = 0; c <= 0x10FFFF; ++c) {
    if (surrogate(c)) continue;
    const auto normal = doui::nfkc(utf8(c));
    ASSERT_TRUE(normal.has_value()) << std::hex << static_cast<std::uint32_t>(c);
    for (char b : *normal) fnv(static_cast<std::uint8_t>(b));
    fnv(0xFF);
    fnv(doui::nfkc_boundary_before(c) ? 1 : 0);
  }
  EXPECT_EQ(digest, doui::detail::kNfkcDigest) << "regenerate with scripts/gen_icu_tables.sh";
}

#if DOUI_ICU_COMPILED_NORM
// The browser module's NFC data is ICU's norm2_nfc_data.h recoded for gzip
// (scripts/gen_nfc_data.py): decoded, it must be that file element for element.
TEST(NfcData, DecodesToIcusOwnArrays) {
  const doui::detail::NfcData& d = doui::detail::nfc_data();
  for (int i = 0; i < Normalizer2Impl::IX_COUNT; ++i)
    ASSERT_EQ(d.indexes[i], norm2_nfc_data_indexes[i]) << i;
  const UCPTrie& want = norm2_nfc_data_trie;
  const UCPTrie& got = *d.trie;
  ASSERT_EQ(got.indexLength, want.indexLength);
  ASSERT_EQ(got.dataLength, want.dataLength);
  EXPECT_EQ(got.highStart, want.highStart);
  EXPECT_EQ(got.shifted12HighStart, want.shifted12HighStart);
  EXPECT_EQ(got.type, want.type);
  EXPECT_EQ(got.valueWidth, want.valueWidth);
  EXPECT_EQ(got.index3NullOffset, want.index3NullOffset);
  EXPECT_EQ(got.dataNullOffset, want.dataNullOffset);
  EXPECT_EQ(got.nullValue, want.nullValue);
  for (int i = 0; i < want.indexLength; ++i) ASSERT_EQ(got.index[i], want.index[i]) << i;
  for (int i = 0; i < want.dataLength; ++i) ASSERT_EQ(got.data.ptr16[i], want.data.ptr16[i]) << i;
  const std::size_t extra = sizeof norm2_nfc_data_extraData / sizeof norm2_nfc_data_extraData[0];
  for (std::size_t i = 0; i < extra; ++i) ASSERT_EQ(d.extra[i], norm2_nfc_data_extraData[i]) << i;
  for (std::size_t i = 0; i < 256; ++i) ASSERT_EQ(d.small_fcd[i], norm2_nfc_data_smallFCD[i]) << i;
}
#endif

#ifndef __EMSCRIPTEN__
// The table restated from ICU for every code point, independently of the generator: a newer ICU
// fails here. To regenerate it: scripts/gen_icu_tables.sh, then commit core/src/compat_map.inc.
TEST(CompatMap, TableAgreesWithIcuForEveryCodePoint) {
  UErrorCode status = U_ZERO_ERROR;
  const icu::Normalizer2* nfd = icu::Normalizer2::getNFDInstance(status);
  const icu::Normalizer2* nfkd = icu::Normalizer2::getNFKDInstance(status);
  ASSERT_TRUE(U_SUCCESS(status));
  int mismatches = 0;
  for (char32_t c = 0; c <= 0x10FFFF; ++c) {
    if (surrogate(c)) continue;
    const icu::UnicodeString s(static_cast<UChar32>(c));
    const icu::UnicodeString compat = nfkd->normalize(s, status);
    std::string want;
    if (nfd->normalize(s, status) != compat) compat.toUTF8String(want);
    if (std::string(doui::detail::compat_decomposition(c)) != want && ++mismatches <= 20)
      ADD_FAILURE() << "U+" << std::hex << static_cast<std::uint32_t>(c);
  }
  EXPECT_TRUE(U_SUCCESS(status));
  EXPECT_EQ(mismatches, 0) << "regenerate with scripts/gen_icu_tables.sh";
}

// What the browser module computes (NFC of the expansion; NFC's boundary before the first code
// point of it), done here with ICU's own NFC, against ICU's NFKC: every code point, then strings
// that mix what interacts across code points (compatibility characters, combining marks in every
// order, jamo, voiced-sound marks, singletons).
TEST(CompatMap, NfcOfTheExpansionIsIcusNfkc) {
  UErrorCode status = U_ZERO_ERROR;
  const icu::Normalizer2* nfc = icu::Normalizer2::getNFCInstance(status);
  const icu::Normalizer2* nfkc = icu::Normalizer2::getNFKCInstance(status);
  ASSERT_TRUE(U_SUCCESS(status));
  auto by_map = [&](const std::string& s) {
    std::string out;
    nfc->normalize(icu::UnicodeString::fromUTF8(doui::detail::expand_compat(s)), status)
        .toUTF8String(out);
    return out;
  };
  auto icu_nfkc = [&](const std::string& s) {
    std::string out;
    nfkc->normalize(icu::UnicodeString::fromUTF8(s), status).toUTF8String(out);
    return out;
  };
  int mismatches = 0;
  for (char32_t c = 0; c <= 0x10FFFF; ++c) {
    if (surrogate(c)) continue;
    const std::string s = utf8(c);
    const std::string expanded = doui::detail::expand_compat(s);
    const UChar32 first = icu::UnicodeString::fromUTF8(expanded).char32At(0);
    const bool ok =
        by_map(s) == icu_nfkc(s) &&
        nfc->hasBoundaryBefore(first) == nfkc->hasBoundaryBefore(static_cast<UChar32>(c));
    if (!ok && ++mismatches <= 20)
      ADD_FAILURE() << "U+" << std::hex << static_cast<std::uint32_t>(c);
  }
  const std::vector<char32_t> alphabet = {
      'a',    'A',     's',     ' ',     0x00A8,  0x00AF, 0x00B4, 0x00B8,  0x017F,  0x0300,
      0x0301, 0x0307,  0x0308,  0x0313,  0x0323,  0x0327, 0x0342, 0x0344,  0x0345,  0x0385,
      0x03B1, 0x03C9,  0x1E9B,  0x1FBE,  0x1FC1,  0x1FED, 0x1FEE, 0x2126,  0x212B,  0x1100,
      0x1161, 0x11A8,  0x3131,  0x314F,  0x3164,  0xAC00, 0xFFA1, 0xFFC2,  0x304B,  0x30AB,
      0x3099, 0x309A,  0x309B,  0x309C,  0xFF76,  0xFF9E, 0xFF9F, 0x3300,  0x337B,  0x32FF,
      0xFB01, 0xFB2C,  0x05E9,  0x05C1,  0x05BC,  0x0F71, 0x0F72, 0x0F73,  0x0F77,  0x0F81,
      0x2460, 0x1D400, 0x1D15E, 0x1D165, 0x1D16E, 0xFDFA, 0x0627, 0x0654,  0xFE8B,  0x0B47,
      0x0B3E, 0x0B57,  0x0DD9,  0x0DCF,  0x0DDF,  0x1B05, 0x1B35, 0x110A5, 0x110BA, 0x2FA1D,
      0xF900, 0x0340,  0x0343,  0x0958,  0x093C,  0x0915, 0x1DC0, 0x20D1,  0xFE20,  0x0F75};
  std::mt19937 rng(20261202);
  std::uniform_int_distribution<std::size_t> pick(0, alphabet.size() - 1), length(1, 7);
  for (int n = 0; n < 200000; ++n) {
    std::string s;
    for (std::size_t k = length(rng); k > 0; --k) s += utf8(alphabet[pick(rng)]);
    if (by_map(s) != icu_nfkc(s) && ++mismatches <= 20) ADD_FAILURE() << s;
  }
  EXPECT_TRUE(U_SUCCESS(status));
  EXPECT_EQ(mismatches, 0);
}
#endif

}  // namespace
