#include <gtest/gtest.h>

#include <nlohmann/json.hpp>

#include "doui/digest.hpp"
#include "doui/policy.hpp"
#include "test_util.hpp"

namespace {

using nlohmann::json;

json error_fixtures() {
  return json::parse(doui::test::read_source_file("tests/fixtures/policy-errors.json"), nullptr,
                     false);
}

// Each error as "code at path", in order: what a test compares in full.
std::vector<std::string> code_paths(const std::vector<doui::Error>& errors) {
  std::vector<std::string> out;
  for (const auto& e : errors)
    out.push_back(std::string(doui::to_string(e.code)) + " at " + e.path);
  return out;
}

// What a fixture case expects: `code` at `path`, then each of `also`.
std::vector<std::string> expected_code_paths(const json& c) {
  std::vector<std::string> out{c["code"].get<std::string>() + " at " +
                               c["path"].get<std::string>()};
  if (c.contains("also")) {
    for (const auto& e : c["also"])
      out.push_back(e["code"].get<std::string>() + " at " + e["path"].get<std::string>());
  }
  return out;
}

std::string dump_errors(const std::vector<doui::Error>& errors) {
  std::string s;
  for (const auto& e : errors) s += doui::format_error(e) + "\n";
  return s;
}

TEST(Policy, BundledPolicyLoads) {
  auto p = doui::load_policy(doui::bundled_policy_json());
  ASSERT_TRUE(p.ok()) << dump_errors(p.errors());
  EXPECT_EQ(p->id, "irp-privacy-policy");
  EXPECT_EQ(p->effective_date, "2025-04-01");
  EXPECT_EQ(p->lang, "ja");
  ASSERT_EQ(p->sections.size(), 11u);
  EXPECT_EQ(p->sections[2].title, "個人情報の第三者への提供");
  // Golden: the published policy's digest, checked once against an independent RFC 8785
  // canonicalisation (Python) of i18n/policy/ja/policy.json. Any change to the text or to the
  // canonical form changes it; update it only with the policy.
  EXPECT_EQ(p->digest, "8460caa26d74f20abcc9f28c772ee7d70a0ffee4d7e94663988e1f79b4771513");
  EXPECT_EQ(p->canonical_json.size(), 40167u);
  const std::string head =
      R"({"back_to_top":[{"ref":"top","text":"TOPへ戻る"}],"effective":{"date":"2025-04-01",)";
  EXPECT_EQ(p->canonical_json.substr(0, head.size()), head);
  EXPECT_EQ(doui::sha256_hex(p->canonical_json), p->digest);
}

TEST(Policy, BundledPolicyIsTheRepositoryFile) {
  // Minified when embedded: the same JSON value, and so the same digest.
  const std::string file = doui::test::read_source_file("i18n/policy/ja/policy.json");
  EXPECT_EQ(json::parse(doui::bundled_policy_json()), json::parse(file));
  EXPECT_LT(doui::bundled_policy_json().size(), file.size());
  auto a = doui::load_policy(doui::bundled_policy_json());
  auto b = doui::load_policy(file);
  ASSERT_TRUE(a.ok() && b.ok());
  EXPECT_EQ(a->digest, b->digest);
}

TEST(Policy, DigestIsSha256OfCanonicalJsonAndTracksEveryCharacter) {
  auto p = doui::load_policy(doui::bundled_policy_json());
  ASSERT_TRUE(p.ok());
  // Reformatting the file does not change the digest; changing one character of text does.
  json doc = json::parse(doui::bundled_policy_json(), nullptr, false);
  auto compact = doui::load_policy(doc.dump());
  ASSERT_TRUE(compact.ok());
  EXPECT_EQ(compact->digest, p->digest);
  doc["sections"][6]["blocks"][0]["content"][0] =
      "当社は、法令遵守または利用目的の達成に必要な範囲・期間において、";
  auto changed = doui::load_policy(doc.dump());
  ASSERT_TRUE(changed.ok()) << dump_errors(changed.errors());
  EXPECT_NE(changed->digest, p->digest);
}

TEST(Policy, MalformedPoliciesAreRejectedWithCodeAndPath) {
  json fixtures = error_fixtures();
  ASSERT_FALSE(fixtures.is_discarded());
  json base = json::parse(doui::bundled_policy_json(), nullptr, false);
  ASSERT_GE(fixtures["patch"].size(), 36u);
  std::size_t ran = 0;
  for (const auto& c : fixtures["patch"]) {
    json doc = base.patch(c["patch"]);
    auto p = doui::load_policy(doc.dump(2));
    ASSERT_FALSE(p.ok()) << c["name"];
    // The whole list: one edit, the errors it causes and no others.
    EXPECT_EQ(code_paths(p.errors()), expected_code_paths(c)) << c["name"];
    ++ran;
  }
  EXPECT_EQ(ran, fixtures["patch"].size());
}

TEST(Policy, MalformedBytesAreRejectedWithCodeAndLocation) {
  json fixtures = error_fixtures();
  std::string base = doui::test::read_source_file("i18n/policy/ja/policy.json");
  ASSERT_EQ(fixtures["raw"].size(), 4u);
  std::size_t ran = 0;
  for (const auto& c : fixtures["raw"]) {
    ++ran;
    std::string text;
    if (c.contains("whole")) {
      text = c["whole"];
    } else {
      std::string find = c["find"];
      std::string repl;
      if (c.contains("replace_hex")) {
        repl = static_cast<char>(std::stoi(c["replace_hex"].get<std::string>(), nullptr, 16));
      } else {
        repl = c["replace"];
      }
      auto at = base.find(find);
      ASSERT_NE(at, std::string::npos) << c["name"];
      text = base;
      text.replace(at + (c.contains("replace_hex") ? 3 : 0),
                   c.contains("replace_hex") ? 1 : find.size(), repl);
    }
    auto p = doui::load_policy(text);
    ASSERT_FALSE(p.ok()) << c["name"];
    ASSERT_EQ(p.errors().size(), 1u) << c["name"] << "\n" << dump_errors(p.errors());
    EXPECT_EQ(doui::to_string(p.error().code), c["code"].get<std::string>()) << c["name"];
    if (c.contains("path")) {
      EXPECT_EQ(p.error().path, c["path"].get<std::string>()) << c["name"];
    }
    if (p.error().code == doui::Code::JsonInvalidUtf8 || p.error().code == doui::Code::JsonSyntax) {
      EXPECT_GT(p.error().offset, 0) << c["name"];
      EXPECT_NE(p.error().detail.find("line "), std::string::npos) << c["name"];
    }
  }
  EXPECT_EQ(ran, 4u);
}

TEST(Policy, ReportsEveryProblemNotJustTheFirst) {
  json doc = json::parse(doui::bundled_policy_json(), nullptr, false);
  doc.erase("title");
  doc["sections"][0]["id"] = "s2";
  doc["sections"][3]["blocks"][0]["type"] = "video";
  auto p = doui::load_policy(doc.dump());
  ASSERT_FALSE(p.ok());
  EXPECT_EQ(code_paths(p.errors()),
            (std::vector<std::string>{"policy.missing_field at /title",
                                      "policy.duplicate_id at /sections/1/id",
                                      "policy.bad_value at /sections/3/blocks/0/type"}));
  ASSERT_EQ(p.errors().size(), 3u);
  EXPECT_EQ(p.errors()[1].detail, "\"s2\" is already used at /sections/0/id");
}

TEST(Links, AcceptsDeclaredTargetsWithSafeUrls) {
  auto p = doui::load_policy(doui::bundled_policy_json());
  ASSERT_TRUE(p.ok());
  auto links = doui::load_links(
      R"({"contact":"https://example.jp/contact","privacy-center":"/privacy/","revision-summary":"mailto:privacy@example.jp"})",
      *p);
  ASSERT_TRUE(links.ok()) << dump_errors(links.errors());
  EXPECT_EQ(*links, (doui::Links{{"contact", "https://example.jp/contact"},
                                 {"privacy-center", "/privacy/"},
                                 {"revision-summary", "mailto:privacy@example.jp"}}));
}

TEST(Links, RejectsUnknownTargetsAndUnsafeUrls) {
  auto p = doui::load_policy(doui::bundled_policy_json());
  ASSERT_TRUE(p.ok());
  struct Case {
    const char* json;
    doui::Code code;
    const char* path;
  };
  const Case cases[] = {
      {R"J({"nope":"https://example.jp/"})J", doui::Code::LinksUnknownTarget, "/nope"},
      {R"J({"contact":"javascript:alert(1)"})J", doui::Code::LinksBadUrl, "/contact"},
      {R"J({"contact":"java\tscript:alert(1)"})J", doui::Code::LinksBadUrl, "/contact"},
      {R"J({"contact":"//evil.example/"})J", doui::Code::LinksBadUrl, "/contact"},
      {R"J({"contact":"data:text/html,hi"})J", doui::Code::LinksBadUrl, "/contact"},
      // Browsers read a backslash as '/' in http(s) URLs: both of these go to another host.
      {R"J({"contact":"/\\evil.example/"})J", doui::Code::LinksBadUrl, "/contact"},
      {R"J({"contact":"https:///\\evil"})J", doui::Code::LinksBadUrl, "/contact"},
      {R"J({"contact":"https://example.jp@evil.example/"})J", doui::Code::LinksBadUrl, "/contact"},
      {R"J({"contact":"https://0x7f.1/"})J", doui::Code::LinksBadUrl, "/contact"},
      {R"J({"contact":42})J", doui::Code::LinksWrongType, "/contact"},
      {R"J(["https://example.jp/"])J", doui::Code::LinksWrongType, ""},
  };
  for (const auto& c : cases) {
    auto links = doui::load_links(c.json, *p);
    ASSERT_FALSE(links.ok()) << c.json;
    ASSERT_EQ(links.errors().size(), 1u) << c.json;
    EXPECT_EQ(links.error().code, c.code) << c.json;
    EXPECT_EQ(links.error().path, c.path) << c.json;
  }
  // The refused URL is quoted as JSON: a newline in it cannot split the error line.
  auto nl = doui::load_links(R"J({"contact":"https://example.jp/\n"})J", *p);
  ASSERT_FALSE(nl.ok());
  EXPECT_EQ(nl.error().detail, "\"https://example.jp/\n\"");
}

}  // namespace
