#include <gtest/gtest.h>

#include <nlohmann/json.hpp>

#include "doui/digest.hpp"
#include "doui/disclosure.hpp"

namespace {

using nlohmann::json;

std::vector<doui::Disclosure> derived() {
  auto p = doui::load_policy(doui::bundled_policy_json());
  EXPECT_TRUE(p.ok());
  return doui::derive_disclosures(*p);
}

// Golden digests of the bundled policy's disclosures (SHA-256 of each derived record's RFC 8785
// JSON without `digest`), checked once against an independent canonicalisation (Python) of
// `doui policy disclosures`; ponta's is also the one the consent records in docs/ and
// tests/fuzz/corpus/ name. They change only when the policy text or the derivation changes.
struct Golden {
  const char* id;
  const char* digest;
};
constexpr Golden kGolden[] = {
    {"participating-organizations",
     "215400e5d39c1c937b5d42c373fcce398066fb3f8df53dbf03f7838485daad54"},
    {"recruit", "78fb8a7ace8826e643c798d0c3a1000b0e1f4ddd91051baa6b13ece484e38c85"},
    {"indeed-japan", "f367416eac21522d4deb7f4d2455270ccdcb44e242ae2434672df1e25107186e"},
    {"paid-placement-agencies", "0f26adefaa2756f566d43d9bcdec78fa1b89d474cf38543b22ce6fee3cbdf9a0"},
    {"ponta", "cee8fac9a4dbe24ac3c412d5eec7cd0facdd2f940febcd4c1c56fc6a1fd80875"},
    {"d-account", "daa6c280c0e5e9c9b47f237e1dc3ebd2ee8cd4038b0ef71e8be0a3d51c25e49c"},
    {"amazon", "4e8c2cd2ea404fdbd9b991b815679c4bb41d69289304d0be1c92deccd9a2e842"},
    {"research-institutions", "ee4cef75b95b95004976d6c080829bbe2ff5051d172598aebf9b58919da06dc7"},
    {"participating-organizations-receipt",
     "f76cc445a1f5c1534beb8ec9bebd99c8acd3747cb485c37e6a06310b23586c8d"},
    {"foreign-third-parties", "8cdc51727925e3c764300ac463c5fba94fbdc564c2a1380a51820730c02c9f84"},
    {"foreign-outsourcing", "8736db334ae3553f51149d695a599001353897b65a79d265d24a08eda10ba23c"},
    {"foreign-succession", "10f8e4cb34cf8b34c84c5414b9e3f1a73eafe2af18ea10df97ad48f01c1ba452"},
};
// Amazon's digest once its first purpose reads "変更された目的" (same check).
constexpr const char* kAmazonChanged =
    "e59070430553a9ce77ee4c1e091f808a07bea1d37bbac7d6fb2e83bdf2be6b11";
// SHA-256 of disclosures_json() for the bundled policy (`doui policy disclosures` without its
// final newline; those bytes are also what the independent canonicalisation gives), 18396 bytes.
constexpr const char* kDisclosuresJsonSha256 =
    "e1657947ee9edf0e8584f4be37ccbe0d7d80cc562d35060d58668fcec443e522";

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
  std::size_t ran = 0;
  for (const auto& e : linkages) {
    ++ran;
    const auto& d = find(ds, e.id);
    EXPECT_TRUE(d.optional_linkage) << e.id;
    EXPECT_EQ(d.kind, "provision");
    ASSERT_EQ(d.recipients.size(), 1u);
    EXPECT_EQ(d.recipients[0].name, e.recipient);
    EXPECT_EQ(d.recipients[0].type, "organization");
    ASSERT_EQ(d.when.size(), 1u);
    EXPECT_EQ(d.when[0], e.when);
    EXPECT_EQ(d.data_items.size(), 3u);
    ASSERT_EQ(d.notes.size(), 1u) << e.id;  // the ※ exclusion
    EXPECT_NE(d.notes[0].find("提供しません"), std::string::npos);
    EXPECT_EQ(d.deidentified, "none");
  }
  EXPECT_EQ(ran, 3u);
  EXPECT_EQ(find(ds, "ponta").purposes.size(), 5u);
  EXPECT_EQ(find(ds, "amazon").purposes.size(), 2u);
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

TEST(Disclosures, DigestsAreTheGoldenOnes) {
  auto ds = derived();
  ASSERT_EQ(ds.size(), std::size(kGolden));
  for (std::size_t i = 0; i < ds.size(); ++i) {
    EXPECT_EQ(ds[i].id, kGolden[i].id);
    EXPECT_EQ(ds[i].digest, kGolden[i].digest) << ds[i].id;
  }
}

TEST(Disclosures, ChangingOnePurposeChangesOnlyItsDigest) {
  json doc = json::parse(doui::bundled_policy_json(), nullptr, false);
  auto& amazon = doc["sections"][2]["blocks"][7];
  ASSERT_EQ(amazon["disclosure"]["id"], "amazon");
  amazon["blocks"][1]["blocks"][0]["items"][0][0] = "変更された目的";
  auto p = doui::load_policy(doc.dump());
  ASSERT_TRUE(p.ok());
  auto c = doui::derive_disclosures(*p);
  ASSERT_EQ(c.size(), std::size(kGolden));
  for (std::size_t i = 0; i < c.size(); ++i) {
    ASSERT_EQ(c[i].id, kGolden[i].id);
    EXPECT_EQ(c[i].digest, c[i].id == "amazon" ? kAmazonChanged : kGolden[i].digest) << c[i].id;
  }
  EXPECT_EQ(find(c, "amazon").purposes.front().text, "変更された目的");
}

TEST(Disclosures, JsonIsCanonical) {
  auto ds = derived();
  std::string j = doui::disclosures_json(ds);
  EXPECT_EQ(j.size(), 18396u);
  EXPECT_EQ(doui::sha256_hex(j), kDisclosuresJsonSha256);
  // Keys sorted, no spaces: the opening bytes of the first record.
  const std::string head = R"([{"data_items":[")";
  EXPECT_EQ(j.substr(0, head.size()), head);
  EXPECT_EQ(j.back(), ']');
  json parsed = json::parse(j, nullptr, false);
  ASSERT_TRUE(parsed.is_array());
  ASSERT_EQ(parsed.size(), std::size(kGolden));
  for (std::size_t i = 0; i < parsed.size(); ++i) EXPECT_EQ(parsed[i]["digest"], kGolden[i].digest);
}

}  // namespace
