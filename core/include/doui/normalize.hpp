// Unicode normalisation of what people type (ICU), per field: NFKC for digits and kana
// (２００９ -> 2009, ﾔﾏﾀﾞ -> ヤマダ), NFC for names in kanji (NFKC would also rewrite ㈱, ①
// and half-width kana; NFC changes only canonical equivalents, which include the CJK
// compatibility ideographs U+F900–FAFF: 朗 U+F929 becomes 朗 U+6717).
#pragma once

#include <optional>
#include <string>
#include <string_view>

namespace doui {

/// True for well-formed UTF-8 (no overlongs, surrogates or code points past U+10FFFF).
bool is_valid_utf8(std::string_view s);

/// NFKC; nullopt for ill-formed UTF-8 (never passed through into a record).
std::optional<std::string> nfkc(std::string_view s);

/// True when NFKC never joins `c` with what comes before it: text cut just before such code
/// points normalises piece by piece to the same as whole (doui/search.hpp relies on it).
bool nfkc_boundary_before(char32_t c);

/// NFC; nullopt for ill-formed UTF-8.
std::optional<std::string> nfc(std::string_view s);

/// Without what cannot be seen at either end: Unicode White_Space (U+3000 IDEOGRAPHIC SPACE,
/// NBSP, TAB, LF, …) and Default_Ignorable_Code_Point (U+200B, U+2060, U+FEFF, U+3164, variation
/// selectors, bidi controls, …), by ICU 72's properties (the same table as check_typed_text).
/// Stops at an ill-formed UTF-8 sequence, which it leaves in place.
std::string trim_spaces(std::string_view s);

/// Why typed text (a guardian's name or kana) is not acceptable as a name.
enum class TextProblem {
  None,
  /// A code point that must not be stored in a record: a control character (gc=Cc: NUL, TAB, LF,
  /// CR, ESC, DEL, C1), a Bidi_Control character (U+061C, U+200E/F, U+202A–E, U+2066–9), a line
  /// or paragraph separator (U+2028/9), or a noncharacter (U+FDD0–FDEF, U+xxFFFE/F).
  NotPrintable,
  /// No visible code point, e.g. "", " \u3000 ", "\u2060", "\u3164", "\u200b", "\ufe0f",
  /// "\u0301" alone, "\u2800". Visible: not White_Space, not Default_Ignorable_Code_Point,
  /// gc not Cc/Cf/Cs/Zs/Zl/Zp/Mn/Me, and not U+2800 BRAILLE PATTERN BLANK.
  NoVisible,
  /// Ill-formed UTF-8 (overlongs, surrogates, truncated sequences, past U+10FFFF).
  InvalidUtf8,
};

/// The first problem of `utf8` in the order InvalidUtf8, NotPrintable, NoVisible; None if it is
/// printable text with at least one visible character. Checks the text as given: trim and
/// normalise first if that is what is stored. Same answer natively and in wasm (a compiled-in
/// table, no ICU property data at run time).
TextProblem check_typed_text(std::string_view utf8);

}  // namespace doui
