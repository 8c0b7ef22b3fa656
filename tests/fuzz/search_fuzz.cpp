// libFuzzer target: the in-page search (doui/search.hpp) on arbitrary text and queries, as a
// person types them into the privacy center: never a crash; every hit a stretch of the text, in
// order, no more than the cap; a query that is a piece of plain ASCII text is found there.
// Input: the first byte is the query's length, the query, then the text.
#include <algorithm>
#include <cstddef>
#include <cstdint>
#include <cstdlib>
#include <string_view>

#include "doui/search.hpp"

namespace {

std::size_t utf16_length(std::string_view s) {
  std::size_t n = 0;
  for (unsigned char c : s) {
    if ((c & 0xC0) != 0x80) n += c >= 0xF0 ? 2 : 1;  // a lead byte: 4-byte sequences are pairs
  }
  return n;
}

}  // namespace

extern "C" int LLVMFuzzerTestOneInput(const std::uint8_t* data, std::size_t size) {
  if (size == 0) return 0;
  const std::size_t qlen = std::min<std::size_t>(data[0], size - 1);
  const std::string_view query(reinterpret_cast<const char*>(data + 1), qlen);
  const std::string_view text(reinterpret_cast<const char*>(data + 1 + qlen), size - 1 - qlen);

  const auto hits = doui::search_text(text, query, 50);
  if (hits.size() > 50) std::abort();
  const std::size_t len16 = utf16_length(text);
  std::size_t last = 0;
  for (const auto& h : hits) {
    // (A character that folds to several, such as ⅲ to "iii", can be hit more than once.)
    if (h.begin >= h.end || h.end > len16 || h.begin < last) std::abort();
    last = h.begin;
  }
  // Plain ASCII letters and digits fold only in case: a piece of such a text is always found.
  bool plain = !text.empty();
  for (char c : text) {
    const bool alnum = (c >= 'a' && c <= 'z') || (c >= '0' && c <= '9');
    if (!alnum) plain = false;
  }
  if (plain) {
    const std::string_view piece = text.substr(text.size() / 3, 1 + text.size() / 3);
    if (doui::search_text(text, piece).empty()) std::abort();
  }
  (void)doui::search_fold(query);
  return 0;
}
