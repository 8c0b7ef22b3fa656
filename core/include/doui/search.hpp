// Finding what a person types in a text the way they mean it: full-width and half-width,
// katakana and hiragana, upper and lower case are the same ("ｲﾝﾌｫﾏﾃｨﾌﾞ" finds インフォマティブ,
// "ＡＡＩＤ" finds aaid). Used by the privacy center's in-page search, in the browser module.
#pragma once

#include <cstddef>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

namespace doui {

/// A stretch of the searched text in UTF-16 code units (a browser's string offsets), [begin, end).
struct TextSpan {
  std::size_t begin = 0;
  std::size_t end = 0;
  friend bool operator==(const TextSpan&, const TextSpan&) = default;
};

/// The folded form both sides are compared in: NFKC (ICU), then simple case folding (ICU), then
/// katakana as hiragana (U+30A1–U+30F6 and the iteration marks U+30FD–U+30FE). nullopt for
/// ill-formed UTF-8.
std::optional<std::string> search_fold(std::string_view utf8);

/// Every match of `query` in `text`, folded alike, left to right and not overlapping in the
/// folded text, at most `max_hits`; each span covers whole characters of `text` (a match inside
/// what one character folds to, such as 株 in ㈱, covers that character, so a character that
/// folds to several, such as ⅲ, can be hit more than once). Empty for an empty or blank query,
/// and for ill-formed UTF-8 on either side.
std::vector<TextSpan> search_text(std::string_view text, std::string_view query,
                                  std::size_t max_hits = 1000);

}  // namespace doui
