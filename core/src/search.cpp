#include "doui/search.hpp"

#include <algorithm>
#include <cstdint>

#include <unicode/uchar.h>
#include <unicode/utf8.h>

#include "doui/normalize.hpp"

namespace doui {

namespace {

void append_utf8(std::string& out, UChar32 c) {
  char buf[4];
  int32_t n = 0;
  UBool error = false;
  U8_APPEND(reinterpret_cast<uint8_t*>(buf), n, 4, c, error);
  if (!error) out.append(buf, static_cast<std::size_t>(n));
}

// Case and kana folding of NFKC output, code point by code point.
void fold_into(std::string_view normalized, std::string& out) {
  const auto* p = reinterpret_cast<const uint8_t*>(normalized.data());
  const auto n = static_cast<int32_t>(normalized.size());
  for (int32_t i = 0; i < n;) {
    UChar32 c;
    U8_NEXT(p, i, n, c);
    if (c < 0) continue;
    if (c < 0x80) {
      out += static_cast<char>(c >= 'A' && c <= 'Z' ? c + 0x20 : c);
      continue;
    }
    c = u_foldCase(c, U_FOLD_CASE_DEFAULT);
    if ((c >= 0x30A1 && c <= 0x30F6) || c == 0x30FD || c == 0x30FE) c -= 0x60;
    append_utf8(out, c);
  }
}

// The text cut where NFKC cannot join across (nfkc_boundary_before), each piece folded on its
// own: the folded text, and where each piece's folding starts in it and came from in the text.
struct Folded {
  std::string text;
  struct Piece {
    std::size_t folded;          // byte offset in `text`
    std::size_t begin16, end16;  // the piece in the original, UTF-16 code units
  };
  std::vector<Piece> pieces;
};

std::optional<Folded> fold_text(std::string_view s) {
  if (!is_valid_utf8(s)) return std::nullopt;
  Folded f;
  f.text.reserve(s.size());
  const auto* p = reinterpret_cast<const uint8_t*>(s.data());
  const auto n = static_cast<int32_t>(s.size());
  int32_t start = 0;
  std::size_t start16 = 0, at16 = 0;
  auto flush = [&](int32_t end) {
    if (end == start) return;
    const std::string_view piece =
        s.substr(static_cast<std::size_t>(start), static_cast<std::size_t>(end - start));
    f.pieces.push_back({f.text.size(), start16, at16});
    // ASCII needs no normalising (NFKC leaves it as it is).
    if (piece.size() == 1 && static_cast<unsigned char>(piece[0]) < 0x80) {
      fold_into(piece, f.text);
    } else {
      fold_into(nfkc(piece).value_or(std::string(piece)), f.text);
    }
    start = end;
    start16 = at16;
  };
  for (int32_t i = 0; i < n;) {
    const int32_t here = i;
    UChar32 c;
    U8_NEXT(p, i, n, c);
    if (here > start && nfkc_boundary_before(static_cast<char32_t>(c))) flush(here);
    at16 += U16_LENGTH(c);
  }
  flush(n);
  return f;
}

// Spaces at the ends of a query are not what is looked for (an ideographic space folds to one).
std::string_view trim(std::string_view s) {
  while (!s.empty() && s.front() == ' ') s.remove_prefix(1);
  while (!s.empty() && s.back() == ' ') s.remove_suffix(1);
  return s;
}

}  // namespace

std::optional<std::string> search_fold(std::string_view utf8) {
  auto f = fold_text(utf8);
  if (!f) return std::nullopt;
  return std::move(f->text);
}

std::vector<TextSpan> search_text(std::string_view text, std::string_view query,
                                  std::size_t max_hits) {
  std::vector<TextSpan> hits;
  const auto folded = search_fold(query);
  if (!folded) return hits;
  const std::string_view needle = trim(*folded);
  if (needle.empty()) return hits;
  const auto hay = fold_text(text);
  if (!hay) return hits;
  const auto& pieces = hay->pieces;
  // The piece whose folding holds byte `b` of the folded text.
  auto piece_at = [&pieces](std::size_t b) {
    auto it = std::upper_bound(pieces.begin(), pieces.end(), b,
                               [](std::size_t x, const Folded::Piece& p) { return x < p.folded; });
    return std::prev(it);
  };
  // Valid UTF-8 in valid UTF-8: a byte match starts and ends on character boundaries.
  for (std::size_t at = hay->text.find(needle); at != std::string::npos && hits.size() < max_hits;
       at = hay->text.find(needle, at + needle.size())) {
    hits.push_back({piece_at(at)->begin16, piece_at(at + needle.size() - 1)->end16});
  }
  return hits;
}

}  // namespace doui
