#include <gtest/gtest.h>

#include <functional>

#include <nlohmann/json.hpp>

#include "doui/consent.hpp"
#include "doui/export.hpp"
#include "doui/verify.hpp"
#include "test_util.hpp"

namespace {

using nlohmann::json;

const doui::Policy& policy() {
  return doui::test::bundled_policy();
}
using doui::test::at;

doui::PolicyRegistry registry() {
  doui::PolicyRegistry r;
  r.add(policy());
  return r;
}

// A minor's record with a guardian and one covered linkage, made at a fixed instant.
json minor_record() {
  doui::ConsentInputs in = doui::test::base_inputs();
  in.subject = "u-42";
  in.birthdate = "2012-05-05";
  in.policy_agreed = true;
  in.linkages = {"ponta"};
  in.guardian_name = "鈴木 恵";
  in.guardian_relationship = "parent";
  in.guardian_affirmed = true;
  in.guardian_covers = {"ponta"};
  auto rec = doui::build_record(policy(), in, at("2025-06-01T09:00:00+09:00"),
                                "6f1c2a3b-4d5e-4f60-8a7b-9c0d1e2f3a4b");
  EXPECT_TRUE(rec.ok());
  return json::parse(*rec);
}

// Verifies a (possibly tampered) record; its digest is left as it is: the rules are re-derived.
doui::Verdict verify(const json& rec, const std::string& now = "2025-06-02T00:00:00Z") {
  return doui::verify_record(rec.dump(), registry(), at(now));
}

// Every error of a verdict as "code path", in order.
std::vector<std::string> errors_of(const doui::Verdict& v) {
  std::vector<std::string> out;
  for (const auto& e : v.errors) out.push_back(std::string(doui::to_string(e.code)) + " " + e.path);
  return out;
}

TEST(Verify, AnUntouchedRecordIsValid) {
  auto v = verify(minor_record());
  EXPECT_TRUE(v.valid) << doui::verdict_json(v);
  EXPECT_FALSE(v.reconsent_required);
  EXPECT_EQ(v.record_id, "6f1c2a3b-4d5e-4f60-8a7b-9c0d1e2f3a4b");
}

// Every problem of a tampered record is reported, each at its member: the broken rules, the
// members that differ from the re-derived record, and the digest that no longer fits the bytes.
TEST(Verify, TamperingIsFoundWithCodeAndPath) {
  struct Case {
    const char* name;
    std::function<void(json&)> tamper;
    std::vector<std::string> errors;  ///< every error, "code path", in the verdict's order
  };
  const std::vector<Case> cases = {
      {"age lowered",
       [](json& r) { r["person"]["age"] = 12; },
       {"record.age_mismatch /person/age", "record.digest_mismatch /digest"}},
      {"guardian dropped",
       [](json& r) {
         r["consent_by"] = {{"role", "subject"}};
       },
       {"guardian.required /consent_by", "linkage.not_covered_by_guardian /choices/0",
        "record.digest_mismatch /digest"}},
      {"linkage not covered",
       [](json& r) { r["consent_by"]["covers"] = json::array(); },
       {"linkage.not_covered_by_guardian /choices/0", "record.digest_mismatch /digest"}},
      {"extra linkage",
       [](json& r) { r["choices"][2]["chosen"] = true; },
       {"linkage.not_covered_by_guardian /choices/2", "record.digest_mismatch /digest"}},
      {"disclosure changed",
       [](json& r) { r["choices"][0]["purposes"][0] = "何でも"; },
       {"linkage.disclosure_mismatch /choices/0/purposes/0", "record.digest_mismatch /digest"}},
      {"disclosure digest",
       [](json& r) { r["choices"][0]["disclosure_digest"] = std::string(64, '0'); },
       {"linkage.disclosure_mismatch /choices/0/disclosure_digest",
        "record.digest_mismatch /digest"}},
      {"digest",
       [](json& r) { r["digest"] = std::string(64, 'a'); },
       {"record.digest_mismatch /digest"}},
      {"policy digest",
       [](json& r) { r["policy"]["digest"] = std::string(64, 'b'); },
       {"record.policy_digest_mismatch /policy/digest", "record.digest_mismatch /digest"}},
      {"unknown policy",
       [](json& r) { r["policy"]["version"] = "2099-01-01"; },
       {"record.unknown_policy /policy", "record.digest_mismatch /digest"}},
      {"unknown field", [](json& r) { r["note"] = "x"; }, {"record.unknown_field /note"}},
      {"missing field", [](json& r) { r.erase("subject"); }, {"record.missing_field /subject"}},
      {"wrong type",
       [](json& r) { r["policy_agreed"] = "yes"; },
       {"record.wrong_type /policy_agreed"}},
      {"future",
       [](json& r) { r["consented_at"] = "2025-06-02T00:10:00.000Z"; },
       {"record.instant_in_future /consented_at", "record.age_mismatch /person/tokyo_date",
        "record.digest_mismatch /digest"}},
      {"before effective",
       [](json& r) { r["consented_at"] = "2025-03-31T14:59:59.000Z"; },
       {"record.before_effective /consented_at", "record.age_mismatch /person/age",
        "record.age_mismatch /person/tokyo_date", "record.digest_mismatch /digest"}},
      {"bad instant",
       [](json& r) { r["consented_at"] = "yesterday"; },
       {"time.bad_instant /consented_at", "record.digest_mismatch /digest"}},
      {"unknown linkage",
       [](json& r) { r["choices"][0]["id"] = "line"; },
       {"linkage.unknown /choices/0", "record.bad_value /consent_by/covers",
        "record.digest_mismatch /digest"}},
      {"not agreed",
       [](json& r) { r["policy_agreed"] = false; },
       {"consent.not_given /policy_agreed", "record.digest_mismatch /digest"}},
      {"bad schema",
       [](json& r) { r["schema"] = "doui.consent/9"; },
       {"record.unsupported_schema /schema"}},
      {"bad locale and forged policy digest",
       [](json& r) {
         r["locale"] = "fr";
         r["policy"]["digest"] = std::string(64, 'b');
       },
       {"record.bad_value /locale", "record.policy_digest_mismatch /policy/digest",
        "record.digest_mismatch /digest"}},
      {"huge name",
       [](json& r) { r["consent_by"]["name"] = std::string(5000, 'x'); },
       {"record.too_large /consent_by/name"}},
  };
  for (const auto& c : cases) {
    json r = minor_record();
    c.tamper(r);
    auto v = verify(r);
    EXPECT_FALSE(v.valid) << c.name;
    EXPECT_EQ(errors_of(v), c.errors) << c.name << ": " << doui::verdict_json(v);
  }
}

TEST(Verify, UnreadableInputIsAVerdictNotACrash) {
  const std::vector<std::pair<std::string, std::vector<std::string>>> cases = {
      {"", {"json.syntax "}},
      {"null", {"record.wrong_type "}},
      {"[]", {"record.wrong_type "}},
      {"{", {"json.syntax "}},
      {"\xff", {"json.syntax "}},
      // The schema walk names every member at fault, in the layout's order.
      {"{\"schema\":1}",
       {"record.missing_field /choices", "record.missing_field /collection",
        "record.missing_field /consent_by", "record.missing_field /consented_at",
        "record.missing_field /digest", "record.missing_field /event",
        "record.missing_field /locale", "record.missing_field /person",
        "record.missing_field /policy", "record.missing_field /policy_agreed",
        "record.missing_field /previous_record", "record.missing_field /record_id",
        "record.wrong_type /schema", "record.missing_field /subject"}},
      {"{\"a\":1,\"a\":2}", {"json.duplicate_key /a"}},
  };
  for (const auto& [text, errors] : cases) {
    auto v = doui::verify_record(text, registry(), at("2025-06-02T00:00:00Z"));
    EXPECT_FALSE(v.valid) << text;
    EXPECT_EQ(errors_of(v), errors) << text;
    EXPECT_EQ(v.digest, "") << text;
  }
}

TEST(Verify, SupersededPolicyIsValidButNeedsReconsent) {
  json newer = json::parse(doui::bundled_policy_json());
  newer["version"] = "2026-01-01";
  newer["effective"]["date"] = "2026-01-01";
  auto reg = registry();
  reg.add(doui::load_policy(newer.dump()).value());
  auto before = doui::verify_record(minor_record().dump(), reg, at("2025-12-31T14:59:59Z"));
  EXPECT_TRUE(before.valid);
  EXPECT_FALSE(before.reconsent_required) << "the newer policy is not yet in effect";
  auto after = doui::verify_record(minor_record().dump(), reg, at("2026-01-01T00:00:00+09:00"));
  EXPECT_TRUE(after.valid) << doui::verdict_json(after);
  EXPECT_TRUE(after.reconsent_required);
}

TEST(Verify, AgeIsReDerivedAtTheConsentInstantNotNow) {
  // Valid when made at 15 with a guardian, and still valid years later.
  auto v = doui::verify_record(minor_record().dump(), registry(), at("2040-01-01T00:00:00Z"));
  EXPECT_TRUE(v.valid) << doui::verdict_json(v);
}

TEST(Export, DpvShowsGuardianAndLinkageDecisions) {
  auto dpv = doui::export_dpv(minor_record().dump());
  ASSERT_TRUE(dpv.ok());
  json d = json::parse(*dpv);
  EXPECT_EQ(d["@type"], "dpv:ConsentRecord");
  EXPECT_EQ(d["dpv:hasConsentStatus"]["@id"], "dpv:ConsentGiven");
  EXPECT_EQ(d["dpv:isIndicatedBy"]["@type"], "dpv:ParentOfDataSubject");
  EXPECT_EQ(d["dpv:hasDataSubject"]["@type"][1], "dpv:Child");
  EXPECT_EQ(d["doui:linkages"][0]["dpv:hasConsentStatus"]["@id"], "dpv:ConsentGiven");
  EXPECT_EQ(d["doui:linkages"][1]["dpv:hasConsentStatus"]["@id"], "dpv:ConsentRefused");
  EXPECT_EQ(d["doui:linkages"][0]["dpv:hasRecipient"][0]["rdfs:label"]["@value"],
            "株式会社ロイヤリティマーケティング");
  EXPECT_EQ(d["doui:linkages"][0]["dpv:hasRecipient"][0]["rdfs:label"]["@language"], "ja");
}

TEST(Export, AnyValueOfTheWrongTypeIsAnErrorOrIgnoredNeverACrash) {
  // Every value of a record, in turn, replaced by each JSON type: export reads what it can.
  const json rec = minor_record();
  const json flat = rec.flatten();
  std::size_t exported = 0;
  for (auto it = flat.begin(); it != flat.end(); ++it) {
    for (const json& other : {json(5), json(nullptr), json("x"), json::array(), json::object()}) {
      json bad = rec;
      bad[json::json_pointer(it.key())] = other;
      auto dpv = doui::export_dpv(bad.dump());
      if (dpv.ok()) {
        ++exported;
        EXPECT_TRUE(json::parse(*dpv).is_object());
      }
    }
  }
  EXPECT_GT(exported, 0u);
}

}  // namespace
