#include <gtest/gtest.h>

#include <memory>
#include <sstream>

#include <unicode/brkiter.h>
#include <unicode/unistr.h>

#include "doui/text.hpp"
#include "fidelity.hpp"

namespace {

doui::Policy bundled() {
  auto p = doui::load_policy(doui::bundled_policy_json());
  EXPECT_TRUE(p.ok());
  return std::move(p).value();
}

std::vector<std::string> lines_of(const std::string& text) {
  std::vector<std::string> out;
  std::istringstream in(text);
  std::string l;
  while (std::getline(in, l)) out.push_back(l);
  return out;
}

// JIS X 4051 / JLREQ: never at a line start, never at a line end (strict: small kana, ー too).
const std::vector<std::string> kNoStart = {
    "、", "。", "，", "．", "」", "）", "』", "】", "〕", "〉", "》", "！", "？",
    "：", "；", "・", "ー", "ぁ", "ぃ", "ぅ", "ぇ", "ぉ", "っ", "ゃ", "ゅ", "ょ",
    "ァ", "ィ", "ゥ", "ェ", "ォ", "ッ", "ャ", "ュ", "ョ", ")",  "]",  "、"};
const std::vector<std::string> kNoEnd = {"「", "（", "『", "【", "〔", "〈", "《", "(", "["};

bool starts_with(const std::string& s, const std::string& p) {
  return s.rfind(p, 0) == 0;
}
bool ends_with(const std::string& s, const std::string& p) {
  return s.size() >= p.size() && s.compare(s.size() - p.size(), p.size(), p) == 0;
}

// True when ICU's `ja` line rules offer no break inside `s` (it is one unbreakable run).
bool unbreakable(const std::string& s) {
  UErrorCode status = U_ZERO_ERROR;
  std::unique_ptr<icu::BreakIterator> bi(
      icu::BreakIterator::createLineInstance(icu::Locale("ja@lb=strict"), status));
  icu::UnicodeString u = icu::UnicodeString::fromUTF8(s);
  bi->setText(u);
  bi->first();
  int32_t b = bi->next();
  return b == icu::BreakIterator::DONE || b >= u.length();
}

TEST(Text, DisplayWidthCountsEastAsianWideAsTwo) {
  EXPECT_EQ(doui::display_width("abc"), 3);
  EXPECT_EQ(doui::display_width("日本語"), 6);
  EXPECT_EQ(doui::display_width("ＡＢ"), 4);     // fullwidth
  EXPECT_EQ(doui::display_width("ｱｲ"), 2);       // halfwidth katakana
  EXPECT_EQ(doui::display_width("e\u0301"), 1);  // combining acute
  EXPECT_EQ(doui::display_width("※"), 1);        // Ambiguous counts one
}

TEST(Text, WrapKeepsKinsoku) {
  // 「。」 must not start a line, 「「」 must not end one, even when that overflows nothing.
  auto lines = doui::wrap("あいうえお「かきくけ」。さしすせそ", 10);
  for (const auto& l : lines) {
    EXPECT_LE(doui::display_width(l), 10) << l;
    EXPECT_FALSE(starts_with(l, "。")) << l;
    EXPECT_FALSE(starts_with(l, "」")) << l;
    EXPECT_FALSE(ends_with(l, "「")) << l;
  }
  std::string joined;
  for (const auto& l : lines) joined += l;
  EXPECT_EQ(joined, "あいうえお「かきくけ」。さしすせそ");
}

TEST(Text, WrapHangsListItems) {
  auto lines = doui::wrap("ユーザーから直接、個人情報の提供を受ける方法", 20, "- ", "  ");
  ASSERT_GE(lines.size(), 2u);
  EXPECT_TRUE(starts_with(lines[0], "- "));
  for (std::size_t i = 1; i < lines.size(); ++i)
    EXPECT_TRUE(starts_with(lines[i], "  ")) << lines[i];
}

TEST(Text, RejectsWidthOutOfRange) {
  auto p = bundled();
  static_assert(doui::kMinTextWidth == 8 && doui::kMaxTextWidth == 1000);
  for (int bad : {doui::kMinTextWidth - 1, 3, 0, -1, doui::kMaxTextWidth + 1, 1 << 30}) {
    auto r = doui::render_text(p, {}, bad);
    ASSERT_FALSE(r.ok()) << bad;
    ASSERT_EQ(r.errors().size(), 1u) << bad;
    EXPECT_EQ(r.error().code, doui::Code::RenderBadOption) << bad;
    EXPECT_EQ(r.error().path, "") << bad;
  }
  EXPECT_EQ(doui::render_text(p, {}, doui::kMaxTextWidth + 1).error().detail,
            "width 1001 is outside 8..1000");
  EXPECT_TRUE(doui::render_text(p, {}, doui::kMinTextWidth).ok());
  // The widest accepted renders every sentence, no line past the width.
  auto widest = doui::render_text(p, {}, doui::kMaxTextWidth);
  ASSERT_TRUE(widest.ok());
  EXPECT_EQ(doui::test::first_missing_sentence(*widest), "");
  for (const auto& line : lines_of(*widest))
    EXPECT_LE(doui::display_width(line), doui::kMaxTextWidth);
}

// The rule, at every width from 20 to 100: nothing lost or reordered, no line wider
// than the width unless it is one unbreakable run, and kinsoku at every line edge.
TEST(Text, EveryWidthFrom20To100KeepsTheRules) {
  auto p = bundled();
  for (int width = 20; width <= 100; ++width) {
    auto text = doui::render_text(p, {}, width);
    ASSERT_TRUE(text.ok());
    ASSERT_EQ(doui::test::first_missing_sentence(*text), "") << "width " << width;
    for (const auto& line : lines_of(*text)) {
      EXPECT_FALSE(ends_with(line, " ")) << width << ": [" << line << "]";
      std::string content = line;
      while (starts_with(content, " ")) content.erase(0, 1);
      if (starts_with(content, "- ")) content.erase(0, 2);
      if (doui::display_width(line) > width) {
        EXPECT_TRUE(unbreakable(content)) << "width " << width << ": [" << line << "]";
      }
      for (const auto& c : kNoStart) {
        EXPECT_FALSE(starts_with(content, c)) << "width " << width << ": [" << line << "]";
      }
      for (const auto& c : kNoEnd) {
        EXPECT_FALSE(ends_with(line, c)) << "width " << width << ": [" << line << "]";
      }
    }
  }
}

TEST(Text, LinksWithUrlsShowTheUrl) {
  auto p = bundled();
  auto text = doui::render_text(p, {{"contact", "https://example.jp/contact"}}, 80);
  ASSERT_TRUE(text.ok());
  EXPECT_NE(text->find("こちら <https://example.jp/contact>よりお問い合わせください。"),
            std::string::npos);
}

}  // namespace
