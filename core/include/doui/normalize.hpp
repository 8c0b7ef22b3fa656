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

/// NFC; nullopt for ill-formed UTF-8.
std::optional<std::string> nfc(std::string_view s);

/// Without leading and trailing blanks: Unicode White_Space (U+3000 IDEOGRAPHIC SPACE, NBSP, …)
/// and the invisible U+200B and U+FEFF.
std::string trim_spaces(std::string_view s);

}  // namespace doui
