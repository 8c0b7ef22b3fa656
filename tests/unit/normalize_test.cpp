#include <gtest/gtest.h>

#include <cstdint>
#include <string>
#include <string_view>
#include <vector>

#include "char_classes.hpp"
#include "char_classes.inc"
#include "doui/normalize.hpp"

#ifndef __EMSCRIPTEN__
#include <unicode/uchar.h>
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
// table: scripts/gen_char_classes.sh, then commit core/src/char_classes.inc.
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
  EXPECT_EQ(mismatches, 0) << "regenerate with scripts/gen_char_classes.sh";
}
#endif

}  // namespace
