// Folded search (doui/search.hpp): the shared cases (tests/fixtures/search-cases.json, also run
// against the browser module by tests/wasm/search.test.mjs), and the published policy searched
// the way a person would.
#include <gtest/gtest.h>

#include <nlohmann/json.hpp>

#include "doui/search.hpp"
#include "test_util.hpp"

namespace {

using nlohmann::json;

// A UTF-16 span of UTF-8 text, back as UTF-8 (the test's own decoding, for readable failures).
std::string slice16(const std::string& s, std::size_t begin, std::size_t end) {
  std::string out;
  std::size_t at16 = 0;
  for (std::size_t i = 0; i < s.size();) {
    const auto b = static_cast<unsigned char>(s[i]);
    const std::size_t len = b < 0x80 ? 1 : b < 0xE0 ? 2 : b < 0xF0 ? 3 : 4;
    if (at16 >= begin && at16 < end) out += s.substr(i, len);
    at16 += len == 4 ? 2 : 1;
    i += len;
  }
  return out;
}

TEST(Search, SharedCases) {
  const json doc = json::parse(doui::test::read_source_file("tests/fixtures/search-cases.json"));
  ASSERT_GE(doc["cases"].size(), 10u);
  for (const auto& c : doc["cases"]) {
    SCOPED_TRACE(c["name"].get<std::string>());
    std::vector<doui::TextSpan> want;
    for (const auto& h : c["hits"])
      want.push_back({h[0].get<std::size_t>(), h[1].get<std::size_t>()});
    EXPECT_EQ(doui::search_text(c["text"].get<std::string>(), c["query"].get<std::string>()), want);
  }
}

TEST(Search, FoldsWidthKanaAndCase) {
  EXPECT_EQ(doui::search_fold("ｲﾝﾌｫﾏﾃｨﾌﾞ").value(), "いんふぉまてぃぶ");
  EXPECT_EQ(doui::search_fold("インフォマティブ").value(), "いんふぉまてぃぶ");
  EXPECT_EQ(doui::search_fold("ＡＡＩＤ Idfa").value(), "aaid idfa");
  EXPECT_EQ(doui::search_fold("ヽヾ").value(), "ゝゞ");
  EXPECT_EQ(doui::search_fold("ΣΑΣ").value(), "σασ");
  EXPECT_FALSE(doui::search_fold("\xC0\xAF").has_value());
  EXPECT_TRUE(doui::search_text("\xC0\xAF abc", "abc").empty());
  EXPECT_TRUE(doui::search_text("abc", "\xFF").empty());
}

TEST(Search, ThePolicyAsAPersonTypesIt) {
  const std::string text = doui::test::read_source_file("tests/fixtures/published-policy.txt");
  const auto hits = doui::search_text(text, "ｲﾝﾌｫﾏﾃｨﾌﾞ情報");
  ASSERT_FALSE(hits.empty());
  for (const auto& h : hits) EXPECT_EQ(slice16(text, h.begin, h.end), "インフォマティブ情報");
  // The same hits whichever way it is typed.
  EXPECT_EQ(doui::search_text(text, "いんふぉまてぃぶ情報"), hits);
  EXPECT_EQ(doui::search_text(text, "インフォマティブ情報"), hits);
  // Hits are in order and apart; the cap holds.
  for (std::size_t i = 1; i < hits.size(); ++i) EXPECT_LE(hits[i - 1].end, hits[i].begin);
  EXPECT_EQ(doui::search_text(text, "の", 5).size(), 5u);
  EXPECT_GT(doui::search_text(text, "の").size(), 100u);
}

}  // namespace
