#include <gtest/gtest.h>

#include <nlohmann/json.hpp>

#include "doui/disclosure.hpp"

namespace {

using nlohmann::json;

std::vector<doui::Disclosure> derived() {
  auto p = doui::load_policy(doui::bundled_policy_json());
  EXPECT_TRUE(p.ok());
  return doui::derive_disclosures(*p);
}

const doui::Disclosure& find(const std::vector<doui::Disclosure>& ds, const std::string& id) {
  for (const auto& d : ds) {
    if (d.id == id) return d;
  }
  static doui::Disclosure none;
  ADD_FAILURE() << "no disclosure " << id;
  return none;
}

TEST(Disclosures, EveryProvisionOfSections3To6IsARecord) {
  auto ds = derived();
  std::vector<std::string> ids;
  for (const auto& d : ds) ids.push_back(d.id);
  EXPECT_EQ(ids, (std::vector<std::string>{
                     "participating-organizations", "recruit", "indeed-japan",
                     "paid-placement-agencies", "ponta", "d-account", "amazon",
                     "research-institutions", "participating-organizations-receipt",
                     "foreign-third-parties", "foreign-outsourcing", "foreign-succession"}));
}

TEST(Disclosures, OptionalLinkagesCarryTheirRecipientsAndTerms) {
  auto ds = derived();
  struct Expect {
    const char* id;
    const char* recipient;
    const char* when;
  };
  const Expect linkages[] = {
      {"ponta", "株式会社ロイヤリティマーケティング",
       "ユーザー自身の選択によりリクルートIDにPonta会員IDを連携する場合"},
      {"d-account", "株式会社NTTドコモ",
       "ユーザー自身の選択によりリクルートIDにdアカウントを連携する場合"},
      {"amazon", "アマゾンジャパン合同会社",
       "ユーザー自身の選択によりリクルートIDにAmazonアカウントを連携する場合"},
  };
  for (const auto& e : linkages) {
    const auto& d = find(ds, e.id);
    EXPECT_TRUE(d.optional_linkage) << e.id;
    EXPECT_EQ(d.kind, "provision");
    ASSERT_EQ(d.recipients.size(), 1u);
    EXPECT_EQ(d.recipients[0].name, e.recipient);
    EXPECT_EQ(d.recipients[0].type, "organization");
    ASSERT_EQ(d.when.size(), 1u);
    EXPECT_EQ(d.when[0], e.when);
    EXPECT_GE(d.purposes.size(), 2u);
    EXPECT_EQ(d.data_items.size(), 3u);
    ASSERT_EQ(d.notes.size(), 1u) << e.id;  // the ※ exclusion
    EXPECT_NE(d.notes[0].find("提供しません"), std::string::npos);
    EXPECT_EQ(d.deidentified, "none");
    EXPECT_EQ(d.digest.size(), 64u);
  }
  // d-account's purposes span two lists in the text; both are purposes.
  EXPECT_EQ(find(ds, "d-account").purposes.front().text, "dアカウントの新規登録");
  EXPECT_EQ(find(ds, "d-account").purposes.size(), 5u);
  for (const auto& d : ds) {
    bool linkage = d.id == "ponta" || d.id == "d-account" || d.id == "amazon";
    EXPECT_EQ(d.optional_linkage, linkage) << d.id;
  }
}

TEST(Disclosures, DeidentificationAndExamplesFollowTheText) {
  auto ds = derived();
  EXPECT_EQ(find(ds, "participating-organizations").deidentified, "partial");
  EXPECT_EQ(find(ds, "research-institutions").deidentified, "all");
  const auto& recruit = find(ds, "recruit");
  ASSERT_EQ(recruit.purposes.size(), 4u);
  EXPECT_EQ(recruit.purposes[0].text, "当社サービスおよびリクルートが運営するサービスの運営");
  EXPECT_EQ(recruit.purposes[0].examples,
            (std::vector<std::string>{"ご意見・お問い合わせ・その他のやりとりの内容確認や回答"}));
  const auto& agencies = find(ds, "paid-placement-agencies");
  EXPECT_EQ(agencies.recipients.size(), 3u);
  const auto& receipt = find(ds, "participating-organizations-receipt");
  EXPECT_EQ(receipt.kind, "receipt");
  EXPECT_EQ(receipt.data_items.front(), "当社サービスの利用事実・利用状況・利用結果");
  EXPECT_EQ(receipt.data_items.size(), 2u);
  const auto& foreign = find(ds, "foreign-third-parties");
  EXPECT_EQ(foreign.source, "s6");
  EXPECT_EQ(foreign.statements.size(), 3u);
}

TEST(Disclosures, DigestsAreStableAndTrackTheText) {
  auto a = derived();
  auto b = derived();
  ASSERT_EQ(a.size(), b.size());
  for (std::size_t i = 0; i < a.size(); ++i) EXPECT_EQ(a[i].digest, b[i].digest);
  json doc = json::parse(doui::bundled_policy_json(), nullptr, false);
  // Change one purpose of the Amazon linkage: only its digest changes.
  auto& amazon = doc["sections"][2]["blocks"][7];
  ASSERT_EQ(amazon["disclosure"]["id"], "amazon");
  amazon["blocks"][1]["blocks"][0]["items"][0][0] = "変更された目的";
  auto p = doui::load_policy(doc.dump());
  ASSERT_TRUE(p.ok());
  auto c = doui::derive_disclosures(*p);
  for (std::size_t i = 0; i < a.size(); ++i) {
    if (a[i].id == "amazon") {
      EXPECT_NE(a[i].digest, c[i].digest);
    } else {
      EXPECT_EQ(a[i].digest, c[i].digest) << a[i].id;
    }
  }
}

TEST(Disclosures, JsonIsCanonical) {
  auto ds = derived();
  std::string j = doui::disclosures_json(ds);
  json parsed = json::parse(j, nullptr, false);
  ASSERT_TRUE(parsed.is_array());
  EXPECT_EQ(parsed.size(), ds.size());
  EXPECT_EQ(parsed[4]["id"], "ponta");
  EXPECT_EQ(parsed[4]["digest"], ds[4].digest);
}

}  // namespace
