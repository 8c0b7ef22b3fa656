// What a typed name may contain, per code point, from ICU's character properties, looked up in a
// committed table (char_classes.inc) rather than asked of ICU at run time: ICU's property tables
// would add tens of KB to the browser module, and a table in the core is the same bytes natively
// and in wasm. scripts/gen_icu_tables.sh regenerates the table from ICU; normalize_test holds
// every code point of it against ICU, so it cannot drift.
#pragma once

#include <cstddef>
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

/// Calls f(first, last, class) for each run of the table in order, U+0000 to U+10FFFF; stops early
/// when f returns false.
template <class F>
void for_each_char_class_run(const std::uint8_t* runs, std::size_t size, F&& f) {
  char32_t first = 0;
  for (std::size_t i = 0; i < size;) {
    std::uint32_t v = 0;
    for (unsigned shift = 0; i < size; shift += 7) {
      const std::uint8_t b = runs[i++];
      v |= static_cast<std::uint32_t>(b & 0x7Fu) << shift;
      if (b < 0x80) break;
    }
    const char32_t next = first + (v >> 3);
    if (!f(first, next - 1, static_cast<CharClass>(v & 7u))) return;
    first = next;
  }
}

/// The class of code point `c` (0..0x10FFFF; anything above is Control).
CharClass char_class(char32_t c);

inline bool is_printable(CharClass k) {
  return k == CharClass::Visible || k == CharClass::Invisible || k == CharClass::Blank;
}
inline bool is_trimmed(CharClass k) {
  return k == CharClass::Blank || k == CharClass::ControlBlank;
}

}  // namespace doui::detail
