// Writes core/src/char_classes.inc: the CharClass of every code point (char_classes.hpp), from
// ICU's properties, as sorted ranges. Built and run by scripts/gen_icu_tables.sh, natively only.
// tests/unit/normalize_test.cpp restates the same rules independently and checks every code
// point, so a mistake here or a newer ICU fails the test instead of changing behaviour silently.
#include <unicode/uchar.h>
#include <unicode/uversion.h>

#include <cstdint>
#include <cstdio>
#include <vector>

#include "char_classes.hpp"
#include "gen_table.hpp"

using doui::detail::CharClass;

namespace {

bool has(UChar32 c, UProperty p) {
  return u_hasBinaryProperty(c, p) != 0;
}

CharClass classify(UChar32 c) {
  const auto gc = static_cast<UCharCategory>(u_charType(c));
  const bool trimmed = has(c, UCHAR_WHITE_SPACE) || has(c, UCHAR_DEFAULT_IGNORABLE_CODE_POINT);
  const bool control = gc == U_CONTROL_CHAR || gc == U_LINE_SEPARATOR ||
                       gc == U_PARAGRAPH_SEPARATOR || gc == U_SURROGATE ||
                       has(c, UCHAR_BIDI_CONTROL) || has(c, UCHAR_NONCHARACTER_CODE_POINT);
  if (control) return trimmed ? CharClass::ControlBlank : CharClass::Control;
  if (trimmed) return CharClass::Blank;
  // Zs, Zl, Zp, Cc, Cs are all handled above (every Zs is White_Space).
  const bool invisible = gc == U_FORMAT_CHAR || gc == U_SPACE_SEPARATOR ||
                         gc == U_NON_SPACING_MARK || gc == U_ENCLOSING_MARK || c == 0x2800;
  return invisible ? CharClass::Invisible : CharClass::Visible;
}

}  // namespace

int main(int argc, char** argv) {
  if (argc != 2) {
    std::fprintf(stderr, "usage: %s OUT.inc\n", argv[0]);
    return 2;
  }
  std::vector<std::uint32_t> ranges;
  std::uint32_t digest = 2166136261u;  // FNV-1a over the class of every code point, in order
  int previous = -1;
  for (UChar32 c = 0; c <= 0x10FFFF; ++c) {
    const int k = static_cast<int>(classify(c));
    digest = (digest ^ static_cast<std::uint32_t>(k)) * 16777619u;
    if (k != previous)
      ranges.push_back(static_cast<std::uint32_t>(c) << 3 | static_cast<std::uint32_t>(k));
    previous = k;
  }
  // Runs, not starts: each range as a LEB128 varint of (length << 3 | class). A third of the
  // bytes of a start table, which matters in the browser module; lookups scan it linearly.
  std::vector<std::uint8_t> runs;
  for (std::size_t i = 0; i < ranges.size(); ++i) {
    const std::uint32_t start = ranges[i] >> 3;
    const std::uint32_t end = i + 1 < ranges.size() ? ranges[i + 1] >> 3 : 0x110000;
    std::uint32_t v = (end - start) << 3 | (ranges[i] & 7u);
    gen::put_varint(runs, v);
  }
  FILE* out = gen::open_table(argv[1]);
  if (out == nullptr) return 1;
  std::fprintf(out,
               "// %zu runs from U+0000 to U+10FFFF, each a LEB128 varint of (length << 3) | "
               "CharClass.\n"
               "#pragma once\n\n#include <cstdint>\n\nnamespace doui::detail {\n\n"
               "inline constexpr std::uint8_t kCharClassRuns[%zu] = {\n",
               ranges.size(), runs.size());
  gen::write_bytes(out, runs);
  std::fprintf(out,
               "};\n\n// FNV-1a (32-bit) over the class of code points 0..0x10FFFF in order: the "
               "unit test\n// recomputes it from the lookup on every target.\n"
               "inline constexpr std::uint32_t kCharClassDigest = 0x%08xu;\n\n"
               "}  // namespace doui::detail\n",
               digest);
  return std::fclose(out) == 0 ? 0 : 1;
}
