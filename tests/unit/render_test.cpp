#include <gtest/gtest.h>

#include <nlohmann/json.hpp>

#include "doui/policy.hpp"
#include "doui/render.hpp"
#include "fidelity.hpp"

namespace {

using nlohmann::json;

doui::Policy bundled() {
  auto p = doui::load_policy(doui::bundled_policy_json());
  EXPECT_TRUE(p.ok());
  return std::move(p).value();
}

std::size_t count(const std::string& hay, const std::string& needle) {
  std::size_t n = 0;
  for (auto at = hay.find(needle); at != std::string::npos; at = hay.find(needle, at + 1)) ++n;
  return n;
}

TEST(Fidelity, PublishedTextHasSentences) {
  auto sentences = doui::test::published_sentences();
  EXPECT_GT(sentences.size(), 200u);
  // The sentinel sentences at both ends and across the mended break in section 7.
  EXPECT_EQ(sentences.front(), "プライバシーポリシー");
  EXPECT_EQ(sentences.back(), "TOPへ戻る");
}

TEST(Fidelity, EverySentenceIsInTheHtmlInOrder) {
  std::string html = doui::render_html(bundled(), {});
  EXPECT_EQ(doui::test::first_missing_sentence(doui::test::html_text(html)), "");
}

TEST(Fidelity, ReorderingIsDetected) {
  // The check itself must be able to fail: swap two sections and it does.
  json doc = json::parse(doui::bundled_policy_json(), nullptr, false);
  std::swap(doc["sections"][7], doc["sections"][8]);
  auto p = doui::load_policy(doc.dump());
  ASSERT_TRUE(p.ok());
  EXPECT_NE(doui::test::first_missing_sentence(doui::test::html_text(doui::render_html(*p, {}))),
            "");
}

TEST(Html, IsSemanticAndAccessible) {
  std::string html = doui::render_html(bundled(), {});
  EXPECT_EQ(html.rfind("<!DOCTYPE html>\n<html lang=\"ja\">", 0), 0u);
  EXPECT_EQ(count(html, "<h1"), 1u);
  EXPECT_EQ(count(html, "<h2"), 11u);
  EXPECT_EQ(count(html, "<nav "), 1u);
  EXPECT_NE(html.find("<meta charset=\"utf-8\">"), std::string::npos);
  EXPECT_NE(html.find("<time datetime=\"2025-04-01\">2025年04月01日施行</time>"),
            std::string::npos);
  // Numbering is text, and every table-of-contents link has its target.
  EXPECT_NE(html.find("<h2 id=\"doui-s3-h\">3. 個人情報の第三者への提供</h2>"), std::string::npos);
  EXPECT_NE(
      html.find(
          "<h3>(5) "
          "リクルートIDとPonta会員IDの連携による株式会社ロイヤリティマーケティングへの提供</h3>"),
      std::string::npos);
  for (int i = 1; i <= 11; ++i) {
    std::string id = "doui-s" + std::to_string(i);
    EXPECT_NE(html.find("href=\"#" + id + "\""), std::string::npos) << id;
    EXPECT_EQ(count(html, "id=\"" + id + "\""), 1u) << id;
  }
  EXPECT_EQ(html.find("href=\"#\""), std::string::npos);
  EXPECT_GT(count(html, "<ul>"), 20u);
  EXPECT_GT(count(html, "<p class=\"doui-note\">※"), 8u);
  EXPECT_NE(html.find("<dt>[事業責任者]</dt>"), std::string::npos);
}

TEST(Html, LinksWithoutUrlAreText) {
  auto p = bundled();
  std::string html = doui::render_html(p, {});
  EXPECT_NE(html.find("<p class=\"doui-revision\">改定概要はこちら</p>"), std::string::npos);
  doui::Links links{{"revision-summary", "https://example.jp/revisions?a=1&b=2"}};
  html = doui::render_html(p, links);
  EXPECT_NE(html.find("<p class=\"doui-revision\">改定概要は<a "
                      "href=\"https://example.jp/revisions?a=1&amp;b=2\">こちら</a></p>"),
            std::string::npos);
}

TEST(Html, FragmentIsAnArticleOnly) {
  doui::HtmlOptions opt;
  opt.fragment = true;
  std::string html = doui::render_html(bundled(), {}, opt);
  EXPECT_EQ(html.rfind("<article class=\"doui-policy\" lang=\"ja\"", 0), 0u);
  EXPECT_EQ(html.find("<html"), std::string::npos);
  EXPECT_EQ(html.substr(html.size() - 11), "</article>\n");
}

TEST(Html, EveryStringIsEscaped) {
  json doc = json::parse(doui::bundled_policy_json(), nullptr, false);
  doc["title"] = "<script>alert(\"x\")</script>&'";
  doc["sections"][0]["title"] = "<img src=x onerror=alert(1)>";
  doc["sections"][0]["blocks"][0]["content"][0] = "a<b>&c";
  doc["sections"][8]["blocks"][0]["entries"][0]["term"] = "\"><svg>";
  auto p = doui::load_policy(doc.dump());
  ASSERT_TRUE(p.ok());
  std::string html = doui::render_html(*p, {});
  EXPECT_EQ(html.find("<script>"), std::string::npos);
  EXPECT_EQ(html.find("<img"), std::string::npos);
  EXPECT_EQ(html.find("<svg>"), std::string::npos);
  EXPECT_NE(html.find("&lt;script&gt;alert(&quot;x&quot;)&lt;/script&gt;&amp;&#39;"),
            std::string::npos);
  EXPECT_NE(html.find("a&lt;b&gt;&amp;c"), std::string::npos);
}

}  // namespace
