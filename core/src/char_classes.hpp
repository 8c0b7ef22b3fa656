// What a typed name may contain, per code point, from ICU's character properties, looked up in a
// committed table (char_classes.inc) rather than asked of ICU at run time: ICU's property tables
// would add tens of KB to the browser module, and a table in the core is the same bytes natively
// and in wasm. scripts/gen_char_classes.sh regenerates the table from ICU; normalize_test holds
// every code point of it against ICU, so it cannot drift.
#pragma once

#include <cstdint>

namespace doui::detail {

// The values are written into char_classes.inc: change them only together with the generator.
enum class CharClass : std::uint8_t {
  // Printable and visible: anything not below (letters, digits, symbols, punctuation, and
  // unassigned code points, which a later Unicode may make visible).
  Visible = 0,
  // Printable but not visible, and not trimmed: gc Mn, Me and the Cf that are not
  // Default_Ignorable_Code_Point (U+0301, U+20DD, U+0600, …), and U+2800 BRAILLE PATTERN BLANK
  // (drawn blank, yet gc=So and flagged by no property: the one hand-made exception).
  Invisible = 1,
  // Printable, not visible, trimmed at either end: White_Space ∪ Default_Ignorable_Code_Point
  // (U+3000, NBSP, U+200B, U+2060, U+3164, U+FEFF, variation selectors, tags, …).
  Blank = 2,
  // Not printable, but also trimmed at either end: the White_Space / Default_Ignorable members of
  // the class below (TAB, LF, CR, U+0085, U+2028, U+2029, the Bidi_Control characters).
  ControlBlank = 3,
  // Not printable: gc Cc, Zl, Zp, Cs, Bidi_Control, Noncharacter_Code_Point.
  Control = 4,
};

/// The class of code point `c` (0..0x10FFFF; anything above is Control).
CharClass char_class(char32_t c);

inline bool is_printable(CharClass k) {
  return k == CharClass::Visible || k == CharClass::Invisible || k == CharClass::Blank;
}
inline bool is_trimmed(CharClass k) {
  return k == CharClass::Blank || k == CharClass::ControlBlank;
}

}  // namespace doui::detail
