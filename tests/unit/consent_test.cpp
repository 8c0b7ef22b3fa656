#include <algorithm>

#include <gtest/gtest.h>

#include <nlohmann/json.hpp>

#include "doui/consent.hpp"
#include "doui/digest.hpp"
#include "doui/messages.hpp"
#include "doui/verify.hpp"
#include "test_util.hpp"

namespace {

using nlohmann::json;

const doui::Policy& policy() {
  return doui::test::bundled_policy();
}
using doui::test::at;

doui::ConsentInputs inputs_from(const json& j) {
  doui::ConsentInputs in = doui::test::base_inputs();
  in.subject = j.value("subject", "");
  in.birthdate = j.value("birthdate", "");
  in.policy_agreed = j.value("policy_agreed", false);
  in.linkages = j.value("linkages", std::vector<std::string>{});
  in.guardian_name = j.value("guardian_name", "");
  in.guardian_name_kana = j.value("guardian_name_kana", "");
  in.guardian_relationship = j.value("guardian_relationship", "");
  in.guardian_affirmed = j.value("guardian_affirmed", false);
  in.guardian_covers = j.value("guardian_covers", std::vector<std::string>{});
  return in;
}

json cases() {
  return json::parse(doui::test::read_source_file("tests/fixtures/consent-cases.json"), nullptr,
                     false)["cases"];
}

TEST(Consent, SharedCasesGiveTheExpectedState) {
  auto cs = cases();
  ASSERT_GE(cs.size(), 10u);
  for (const auto& c : cs) {
    auto state = doui::evaluate(policy(), inputs_from(c["inputs"]), at(c["at"]));
    if (c["age"].is_null()) {
      EXPECT_FALSE(state.age.has_value()) << c["name"];
    } else {
      ASSERT_TRUE(state.age.has_value()) << c["name"];
      EXPECT_EQ(*state.age, c["age"].get<int>()) << c["name"];
    }
    EXPECT_EQ(state.guardian_required, c["guardian_required"].get<bool>()) << c["name"];
    std::vector<std::pair<std::string, std::string>> got, want;
    for (const auto& p : state.problems) {
      got.emplace_back(p.field, std::string(doui::to_string(p.code)));
      EXPECT_FALSE(p.message.empty());
    }
    for (const auto& p : c["problems"]) want.emplace_back(p["field"], p["code"]);
    EXPECT_EQ(got, want) << c["name"];
    EXPECT_EQ(state.complete, want.empty()) << c["name"];
    // The birth date as read, in words with its era, where the case states it.
    if (c.contains("birthdate")) {
      const json j =
          json::parse(doui::consent_state_json(policy(), inputs_from(c["inputs"]), at(c["at"])));
      EXPECT_EQ(j["birthdate"], c["birthdate"]) << c["name"];
      EXPECT_EQ(state.birthdate.has_value(), !c["birthdate"].is_null()) << c["name"];
    }
  }
}

TEST(Consent, EveryCompleteCaseBuildsARecordThatVerifies) {
  doui::PolicyRegistry reg;
  reg.add(policy());
  int built = 0;
  for (const auto& c : cases()) {
    auto record = doui::build_record(policy(), inputs_from(c["inputs"]), at(c["at"]));
    EXPECT_EQ(record.ok(), c["problems"].empty()) << c["name"];
    if (!record) continue;
    ++built;
    auto v = doui::verify_record(*record, reg, at(c["at"]));
    EXPECT_TRUE(v.valid) << c["name"] << ": " << doui::verdict_json(v);
    json r = json::parse(*record);
    EXPECT_EQ(r["person"]["age"], c["age"]) << c["name"];
    EXPECT_EQ(r["digest"], v.digest);
  }
  EXPECT_EQ(built, 5) << "every complete case of the fixture";
}

TEST(Consent, RecordIsCanonicalAndComplete) {
  auto in = inputs_from(json{{"subject", "u-1"},
                             {"birthdate", "2010/4/1"},
                             {"policy_agreed", true},
                             {"linkages", {"amazon"}},
                             {"guardian_name", "　山田 花子 "},
                             {"guardian_name_kana", "ﾔﾏﾀﾞ ﾊﾅｺ"},
                             {"guardian_relationship", "parent"},
                             {"guardian_affirmed", true},
                             {"guardian_covers", {"amazon"}}});
  auto rec = doui::build_record(policy(), in, at("2026-03-31T12:00:00+09:00"),
                                "0b8e2f7c-4f7a-4c1e-9d1a-2b3c4d5e6f70");
  ASSERT_TRUE(rec.ok()) << doui::format_error(rec.error());
  json r = json::parse(*rec);
  EXPECT_EQ(r.dump(), *rec) << "canonical: keys sorted, no spaces";
  EXPECT_EQ(r["schema"], "doui.consent/1");
  EXPECT_EQ(r["consented_at"], "2026-03-31T03:00:00.000Z");
  EXPECT_EQ(r["person"]["birthdate"], "2010-04-01");
  EXPECT_EQ(r["person"]["age"], 15);
  EXPECT_EQ(r["consent_by"]["role"], "guardian");
  EXPECT_EQ(r["consent_by"]["name"], "山田 花子");           // kanji: trimmed (U+3000 too), kept
  EXPECT_EQ(r["consent_by"]["name_kana"], "ヤマダ ハナコ");  // kana: NFKC
  EXPECT_EQ(r["consent_by"]["relationship"], "parent");
  ASSERT_EQ(r["choices"].size(), 3u);
  EXPECT_EQ(r["choices"][2]["id"], "amazon");
  EXPECT_TRUE(r["choices"][2]["chosen"].get<bool>());
  EXPECT_FALSE(r["choices"][0]["chosen"].get<bool>());
  EXPECT_EQ(r["choices"][2]["recipients"][0], "アマゾンジャパン合同会社");
  EXPECT_EQ(r["policy"]["digest"], policy().digest);
  EXPECT_EQ(r["record_id"], "0b8e2f7c-4f7a-4c1e-9d1a-2b3c4d5e6f70");
  // Golden: the record's bytes, by their digest and the digest they state. A change to the
  // layout, the policy data or the normalisation shows here first.
  EXPECT_EQ(doui::sha256_hex(*rec),
            "cdd85a334c59c9b6eb22dc9b1a2ebaa94da53ec7e7a6736b4bff1b9a62758f21");
  EXPECT_EQ(r["digest"], "6683f1a8298c35a99e687ca523b806297bcc568f156113b589f744642adeb999");
}

TEST(Consent, KanjiNamesAreNfcNotNfkcAndInvisibleNamesAreNoNames) {
  doui::ConsentInputs in = doui::test::base_inputs();
  in.subject = "u-1";
  in.birthdate = "2012-05-05";
  in.policy_agreed = true;
  in.guardian_relationship = "parent";
  in.guardian_affirmed = true;
  // ㈱ and half-width kana in the kanji field are kept as typed (NFKC would give (株) and ヤマダ);
  // が written as か + combining dakuten is composed (NFC).
  in.guardian_name = "㈱ﾔﾏﾀﾞ か\u3099";
  auto rec = doui::build_record(policy(), in, at("2025-06-01T00:00:00Z"));
  ASSERT_TRUE(rec.ok()) << doui::format_error(rec.error());
  EXPECT_EQ(json::parse(*rec)["consent_by"]["name"], "㈱ﾔﾏﾀﾞ が");
  // What a person cannot see is no name: blanks, format and default-ignorable characters,
  // fillers, variation selectors, tags, a combining mark alone (ICU's properties).
  for (const char* blank : {"\u00a0", "\u2003\u200b", "\u3000 \ufeff", "\u2060", "\u3164", "\ufe0f",
                            "\U000E0041", "\u0301", "\u2800", "\u115f\u1160"}) {
    in.guardian_name = blank;
    auto refused = doui::build_record(policy(), in, at("2025-06-01T00:00:00Z"));
    ASSERT_FALSE(refused.ok()) << blank;
    EXPECT_EQ(doui::to_string(refused.error().code), "guardian.missing_name");
    EXPECT_EQ(refused.error().path, "/guardian/name");
  }
}

// Control characters and bidi overrides never reach a record: refused at the name's pointer.
TEST(Consent, NamesArePrintableText) {
  doui::ConsentInputs in = doui::test::base_inputs();
  in.subject = "u-1";
  in.birthdate = "2012-05-05";
  in.policy_agreed = true;
  in.guardian_relationship = "parent";
  in.guardian_affirmed = true;
  for (const std::string& name :
       std::vector<std::string>{"山田\x1b[31m花子", "山田\x07", std::string("山田\0花子", 10),
                                "a\u202eb", "a\u2066b", "a\nb", "\x7f", "a\u0085b"}) {
    in.guardian_name = name;
    auto refused = doui::build_record(policy(), in, at("2025-06-01T00:00:00Z"));
    ASSERT_FALSE(refused.ok()) << name;
    EXPECT_EQ(doui::to_string(refused.error().code), "record.bad_value") << name;
    EXPECT_EQ(refused.error().path, "/guardian/name") << name;
  }
  in.guardian_name = "山田 花子";
  in.guardian_name_kana = "ﾔﾏﾀﾞ\tﾊﾅｺ";
  auto kana = doui::build_record(policy(), in, at("2025-06-01T00:00:00Z"));
  ASSERT_FALSE(kana.ok());
  EXPECT_EQ(kana.error().path, "/guardian/name_kana");
  in.guardian_name_kana = "";
  in.surface = "sign\x1bup";
  auto surface = doui::build_record(policy(), in, at("2025-06-01T00:00:00Z"));
  ASSERT_FALSE(surface.ok());
  EXPECT_EQ(doui::to_string(surface.error().code), "record.bad_value");
  EXPECT_EQ(surface.error().path, "/surface");
}

TEST(Consent, UuidsAreRandomVersion4) {
  auto a = doui::new_uuid_v4();
  auto b = doui::new_uuid_v4();
  EXPECT_TRUE(doui::is_uuid_v4(a)) << a;
  EXPECT_NE(a, b);
  EXPECT_FALSE(doui::is_uuid_v4("0b8e2f7c-4f7a-1c1e-9d1a-2b3c4d5e6f70"));  // version 1
  EXPECT_FALSE(doui::is_uuid_v4("0B8E2F7C-4F7A-4C1E-9D1A-2B3C4D5E6F70"));  // one spelling only
}

TEST(Messages, EveryCodeHasAJapaneseAndEnglishMessage) {
  for (auto code : {doui::Code::GuardianRequired, doui::Code::BirthdateBadFormat,
                    doui::Code::RecordDigestMismatch}) {
    auto ja = doui::message("ja", code, {{"age", "15"}});
    auto en = doui::message("en", code, {{"age", "15"}});
    EXPECT_NE(ja, en);
    EXPECT_NE(ja, std::string(doui::to_string(code))) << "missing ja message";
    EXPECT_NE(en, std::string(doui::to_string(code))) << "missing en message";
  }
  EXPECT_EQ(doui::message("ja", doui::Code::GuardianRequired, {{"age", "15"}}),
            "15歳のため、保護者・親権者等の法定代理人の同意が必要です。");
  EXPECT_EQ(doui::message("en", doui::Code::GuardianRequired, {{"age", "12"}}),
            "At age 12, a parent or other legal representative must consent.");
}

TEST(Messages, CatalogsCoverEveryCodeWithTheSamePlaceholders) {
  json codes = json::parse(doui::test::read_source_file("core/codes/codes.json"));
  json ja = json::parse(doui::test::read_source_file("i18n/messages/ja.json"));
  json en = json::parse(doui::test::read_source_file("i18n/messages/en.json"));
  // The same placeholders, in whatever order each language puts them.
  auto placeholders = [](const std::string& s) {
    std::vector<std::string> out;
    for (auto i = s.find('{'); i != std::string::npos; i = s.find('{', i + 1)) {
      out.push_back(s.substr(i, s.find('}', i) - i + 1));
    }
    std::sort(out.begin(), out.end());
    return out;
  };
  for (const auto& e : codes["errors"]) {
    std::string code = e["code"];
    ASSERT_TRUE(ja["errors"].contains(code)) << code;
    ASSERT_TRUE(en["errors"].contains(code)) << code;
    EXPECT_EQ(placeholders(ja["errors"][code]), placeholders(en["errors"][code])) << code;
  }
  EXPECT_EQ(ja["errors"].size(), codes["errors"].size());
  EXPECT_EQ(ja["ui"].size(), en["ui"].size());
  for (const auto& [key, text] : ja["ui"].items()) {
    ASSERT_TRUE(en["ui"].contains(key)) << key;
    EXPECT_EQ(placeholders(text), placeholders(en["ui"][key])) << key;
  }
}

TEST(Messages, UiKeysAreTheCatalogsKeysInBothLanguages) {
  // doui::UiKey is generated from the catalogs (scripts/gen_codes.py): each key has a text in both
  // languages with the same placeholders, and the catalogs have no key beyond them.
  std::size_t keys = 0;
  for (auto k = doui::UiKey::HeadingPolicy; doui::to_string(k) != "unknown";
       k = static_cast<doui::UiKey>(static_cast<int>(k) + 1)) {
    ++keys;
    const std::string key(doui::to_string(k));
    EXPECT_NE(doui::ui_text("ja", k), key);
    EXPECT_NE(doui::ui_text("en", k), key);
    EXPECT_EQ(doui::ui_text("ja", k), doui::ui_text("ja", key));
  }
  // The privacy center's keys (site.*) are an enum of their own, SiteKey.
  for (auto k = doui::SiteKey::Name; doui::to_string(k) != "unknown";
       k = static_cast<doui::SiteKey>(static_cast<int>(k) + 1)) {
    ++keys;
    const std::string key(doui::to_string(k));
    EXPECT_EQ(key.rfind("site.", 0), 0u);
    EXPECT_NE(doui::ui_text("ja", k), key);
    EXPECT_NE(doui::ui_text("en", k), key);
  }
  for (std::string_view lang : {"ja", "en"}) {
    const json catalog = json::parse(doui::messages_json(lang));
    EXPECT_EQ(catalog["locale"], lang);
    EXPECT_EQ(catalog["ui"].size(), keys);
    EXPECT_EQ(catalog["errors"]["birthdate.missing"],
              doui::message(lang, doui::Code::BirthdateMissing));
  }
  EXPECT_EQ(doui::ui_text("ja", doui::UiKey::LabelBirthdate), "生年月日");
  EXPECT_EQ(doui::ui_text("ja", doui::UiKey::ActionSubmit), "同意する");
  EXPECT_TRUE(doui::messages_json("fr").empty());
  EXPECT_TRUE(doui::messages_json("").empty());
}

}  // namespace
