// The consent engine's JSON doors (consent_inputs_from_json, consent_state_json) and the rules of
// changed and withdrawn records, with exact codes and pointers.
#include <gtest/gtest.h>

#include <string>
#include <vector>

#include <nlohmann/json.hpp>

#include "doui/consent.hpp"
#include "doui/verify.hpp"
#include "test_util.hpp"

namespace {

using doui::test::at;
using doui::test::errors_of;
using nlohmann::json;

std::vector<std::string> input_errors(const std::string& text) {
  auto in = doui::consent_inputs_from_json(text);
  return in ? std::vector<std::string>{} : errors_of(in.errors());
}

TEST(ConsentInputsJson, ReadsEveryField) {
  auto in = doui::consent_inputs_from_json(R"({"subject":"u-1","birthdate":"2010-04-01",
    "policy_agreed":true,"linkages":["ponta"],"guardian":{"name":"山田 花子","name_kana":"ヤマダ",
    "relationship":"parent","affirmed":true,"covers":["ponta"]},"locale":"en","surface":"signup",
    "agent":"doui-widget/0.1.0","previous_record":"0b8e2f7c-4f7a-4c1e-9d1a-2b3c4d5e6f70",
    "event":"changed"})");
  ASSERT_TRUE(in.ok());
  EXPECT_EQ(in->subject, "u-1");
  EXPECT_EQ(in->birthdate, "2010-04-01");
  EXPECT_TRUE(in->policy_agreed);
  EXPECT_EQ(in->linkages, std::vector<std::string>{"ponta"});
  EXPECT_EQ(in->guardian_name, "山田 花子");
  EXPECT_EQ(in->guardian_name_kana, "ヤマダ");
  EXPECT_EQ(in->guardian_relationship, "parent");
  EXPECT_TRUE(in->guardian_affirmed);
  EXPECT_EQ(in->guardian_covers, std::vector<std::string>{"ponta"});
  EXPECT_EQ(in->locale, "en");
  EXPECT_EQ(in->surface, "signup");
  EXPECT_EQ(in->agent, "doui-widget/0.1.0");
  EXPECT_EQ(in->previous_record, "0b8e2f7c-4f7a-4c1e-9d1a-2b3c4d5e6f70");
  EXPECT_EQ(in->event, "changed");
}

TEST(ConsentInputsJson, RefusesUnknownFieldsWrongTypesAndOversizeWithPointers) {
  const std::string many_ids = "[" + std::string(R"("a",)") + [] {
    std::string s;
    for (int i = 0; i < 16; ++i) s += R"("x",)";
    return s;
  }() + R"("z"])";
  const std::vector<std::pair<std::string, std::vector<std::string>>> cases = {
      {R"({"__proto__":{"linkages":["ponta"]}})", {"record.unknown_field /__proto__"}},
      {R"({"constructor":1,"linkages":["ponta"]})", {"record.unknown_field /constructor"}},
      {R"({"guardian":{"nmae":"x","prototype":{}}})",
       {"record.unknown_field /guardian/nmae", "record.unknown_field /guardian/prototype"}},
      {R"({"a/b~c":1})", {"record.unknown_field /a~1b~0c"}},
      {R"({"subject":1})", {"record.wrong_type /subject"}},
      {R"({"policy_agreed":"true"})", {"record.wrong_type /policy_agreed"}},
      {R"({"policy_agreed":1})", {"record.wrong_type /policy_agreed"}},
      {R"({"linkages":"ponta"})", {"record.wrong_type /linkages"}},
      {R"({"linkages":["ponta",7,null]})",
       {"record.wrong_type /linkages/1", "record.wrong_type /linkages/2"}},
      {R"({"linkages":)" + many_ids + "}", {"record.too_large /linkages"}},
      {R"({"guardian":[]})", {"record.wrong_type /guardian"}},
      {R"({"guardian":{"affirmed":"yes","covers":{}}})",
       {"record.wrong_type /guardian/affirmed", "record.wrong_type /guardian/covers"}},
      {R"({"subject":")" + std::string(doui::kMaxInputBytes + 1, 'a') + R"("})",
       {"record.too_large /subject"}},
      {"[]", {"record.wrong_type "}},
      {"null", {"record.wrong_type "}},
      {R"({"subject":"a","subject":"b"})", {"json.duplicate_key /subject"}},
      {R"({"subject":")" + std::string(70000, 'a') + R"("})", {"json.too_large "}},
  };
  for (const auto& [text, errors] : cases)
    EXPECT_EQ(input_errors(text), errors) << text.substr(0, 80);
}

TEST(ConsentStateJson, IsTheWholeStateInBothLanguages) {
  doui::ConsentInputs in = doui::test::base_inputs();
  in.subject = "u-1";
  in.birthdate = "平成22年4月1日";
  in.linkages = {"amazon"};
  const json state = json::parse(
      doui::consent_state_json(doui::test::bundled_policy(), in, at("2025-06-01T10:00:00+09:00")));
  EXPECT_EQ(state["age"], 15);
  EXPECT_EQ(state["guardian_required"], true);
  EXPECT_EQ(state["tokyo_date"], "2025-06-01");
  EXPECT_EQ(state["complete"], false);
  const json want_problems = json::parse(R"([
    {"code":"guardian.required","field":"guardian","message":{
      "en":"At age 15, a parent or other legal representative must consent.",
      "ja":"15歳のため、保護者・親権者等の法定代理人の同意が必要です。"}},
    {"code":"consent.not_given","field":"policy_agreed","message":{
      "en":"Please agree to the privacy policy.",
      "ja":"プライバシーポリシーへの同意が必要です。"}},
    {"code":"linkage.not_covered_by_guardian","field":"linkages.amazon","message":{
      "en":"Linking with アマゾンジャパン合同会社 needs the legal representative's consent.",
      "ja":"アマゾンジャパン合同会社との連携には、法定代理人の同意が必要です。"}}])");
  EXPECT_EQ(state["problems"], want_problems);
  ASSERT_EQ(state["linkages"].size(), 3u);
  EXPECT_EQ(state["linkages"][2]["id"], "amazon");
  EXPECT_EQ(state["linkages"][2]["chosen"], true);
  EXPECT_EQ(state["linkages"][2]["needs_guardian"], true);
  EXPECT_EQ(state["linkages"][0]["chosen"], false);
  // Every text a UI shows comes with the state: the birth date in words with its era, the age,
  // each linkage's name and the labels of its two checkboxes.
  const json want_birthdate = json::parse(R"j({"iso":"2010-04-01","age":15,
    "words":{"ja":"2010年4月1日（平成22年）","en":"1 April 2010 (Heisei 22)"},
    "age_words":{"ja":"15歳","en":"age 15"}})j");
  EXPECT_EQ(state["birthdate"], want_birthdate);
  const json want_ponta = json::parse(R"j({"ja":"Ponta","en":"Ponta"})j");
  EXPECT_EQ(state["linkages"][0]["name"], want_ponta);
  const json want_d = json::parse(R"j({"ja":"dアカウント","en":"d ACCOUNT"})j");
  EXPECT_EQ(state["linkages"][1]["name"], want_d);
  const json want_label =
      json::parse(R"j({"ja":"Amazonと連携する（任意）","en":"Link with Amazon (optional)"})j");
  EXPECT_EQ(state["linkages"][2]["label"], want_label);
  const json want_guardian_label = json::parse(R"j({
    "ja":"保護者（法定代理人）として、dアカウントとの連携に同意する",
    "en":"As the parent or legal representative, I consent to linking with d ACCOUNT"})j");
  EXPECT_EQ(state["linkages"][1]["guardian_label"], want_guardian_label);
  // Canonical JSON: what the browser and the server read is the same bytes.
  EXPECT_EQ(state.dump(), doui::consent_state_json(doui::test::bundled_policy(), in,
                                                   at("2025-06-01T10:00:00+09:00")));
}

TEST(ConsentStateJson, BirthdateIsNullUntilTheTextIsADateAndMissingIsItsOwnProblem) {
  doui::ConsentInputs in = doui::test::base_inputs();
  in.subject = "u-1";
  in.policy_agreed = true;
  const auto now = at("2025-06-01T10:00:00+09:00");
  for (const char* missing : {"", " ", "\u3000\t"}) {
    in.birthdate = missing;
    const json state = json::parse(doui::consent_state_json(doui::test::bundled_policy(), in, now));
    EXPECT_TRUE(state["birthdate"].is_null());
    ASSERT_EQ(state["problems"].size(), 1u);
    EXPECT_EQ(state["problems"][0]["field"], "birthdate");
    EXPECT_EQ(state["problems"][0]["code"], "birthdate.missing");
    EXPECT_EQ(state["problems"][0]["message"]["ja"], "生年月日を入力してください。");
  }
  in.birthdate = "2009-13-01";
  json state = json::parse(doui::consent_state_json(doui::test::bundled_policy(), in, now));
  EXPECT_TRUE(state["birthdate"].is_null());
  EXPECT_EQ(state["problems"][0]["code"], "birthdate.no_such_date");
  // A date that reads but is refused is still echoed, without an age.
  in.birthdate = "令和8年1月1日";
  state = json::parse(doui::consent_state_json(doui::test::bundled_policy(), in, now));
  EXPECT_EQ(state["birthdate"]["iso"], "2026-01-01");
  EXPECT_EQ(state["birthdate"]["words"]["ja"], "2026年1月1日（令和8年）");
  EXPECT_TRUE(state["birthdate"]["age"].is_null());
  EXPECT_TRUE(state["birthdate"]["age_words"].is_null());
  EXPECT_EQ(state["problems"][0]["code"], "birthdate.in_future");
}

// A change or withdrawal names the record it follows; a withdrawal states what remains, and a
// person of any age may make it alone.
TEST(ConsentEvents, ChangedAndWithdrawnAreRefusedUnlessWellFormed) {
  const std::string previous = "0b8e2f7c-4f7a-4c1e-9d1a-2b3c4d5e6f70";
  auto adult = [] {
    doui::ConsentInputs in = doui::test::base_inputs();
    in.subject = "u-9";
    in.birthdate = "1990-01-01";
    return in;
  };
  struct Case {
    const char* name;
    doui::ConsentInputs in;
    std::vector<std::string> errors;
  };
  std::vector<Case> cases;
  {
    auto in = adult();
    in.event = "changed";
    in.policy_agreed = true;
    cases.push_back({"changed without previous", in, {"record.missing_field /previous_record"}});
  }
  {
    auto in = adult();
    in.event = "withdrawn";
    in.previous_record = previous;
    in.linkages = {"ponta"};
    cases.push_back(
        {"withdrawal that keeps a linkage without the policy", in, {"record.bad_value /linkages"}});
  }
  {
    // Taking one linkage back: the policy and the other linkage remain.
    auto in = adult();
    in.event = "withdrawn";
    in.previous_record = previous;
    in.policy_agreed = true;
    in.linkages = {"amazon"};
    cases.push_back({"a partial withdrawal", in, {}});
  }
  {
    // A 15-year-old takes consent back alone: only giving consent needs a representative.
    auto in = adult();
    in.birthdate = "2012-01-01";
    in.event = "withdrawn";
    in.previous_record = previous;
    in.policy_agreed = true;
    in.linkages = {"ponta"};
    cases.push_back({"a minor withdraws alone", in, {}});
    in.event = "changed";
    cases.push_back(
        {"a minor changes alone",
         in,
         {"guardian.required /guardian", "linkage.not_covered_by_guardian /linkages/0"}});
  }
  {
    auto in = adult();
    in.event = "withdrawn";
    in.previous_record = "0B8E2F7C-4F7A-4C1E-9D1A-2B3C4D5E6F70";
    cases.push_back({"previous not a lowercase uuid", in, {"record.bad_value /previous_record"}});
  }
  {
    auto in = adult();
    in.event = "deleted";
    in.previous_record = previous;
    in.policy_agreed = true;
    cases.push_back({"unknown event", in, {"record.bad_value /event"}});
  }
  {
    auto in = adult();
    in.event = "withdrawn";
    in.previous_record = previous;
    cases.push_back({"a proper withdrawal", in, {}});
  }
  for (const auto& c : cases) {
    auto rec = doui::build_record(doui::test::bundled_policy(), c.in,
                                  at("2025-06-01T10:00:00+09:00"), previous);
    EXPECT_EQ(rec ? std::vector<std::string>{} : errors_of(rec.errors()), c.errors) << c.name;
  }
}

// The same refusals when a record states them: the verifier re-derives them at the record's own
// members.
TEST(ConsentEvents, VerifyRefusesAWithdrawalThatLinksWithoutThePolicy) {
  doui::ConsentInputs in = doui::test::base_inputs();
  in.subject = "u-9";
  in.birthdate = "1990-01-01";
  in.event = "withdrawn";
  in.previous_record = "0b8e2f7c-4f7a-4c1e-9d1a-2b3c4d5e6f70";
  auto rec = doui::build_record(doui::test::bundled_policy(), in, at("2025-06-01T10:00:00+09:00"),
                                "6f1c2a3b-4d5e-4f60-8a7b-9c0d1e2f3a4b");
  ASSERT_TRUE(rec.ok());
  doui::PolicyRegistry registry;
  registry.add(doui::test::bundled_policy());
  const auto now = at("2025-06-02T00:00:00Z");
  EXPECT_TRUE(doui::verify_record(*rec, registry, now).valid);
  json links = json::parse(*rec);
  links["choices"][1]["chosen"] = true;
  EXPECT_EQ(
      errors_of(doui::verify_record(links.dump(), registry, now).errors),
      (std::vector<std::string>{"record.bad_value /choices", "record.digest_mismatch /digest"}));
  json orphan = json::parse(*rec);
  orphan["previous_record"] = nullptr;
  EXPECT_EQ(errors_of(doui::verify_record(orphan.dump(), registry, now).errors),
            (std::vector<std::string>{"record.missing_field /previous_record",
                                      "record.digest_mismatch /digest"}));
}

}  // namespace

namespace {

// A policy with `n` optional linkages: the bundled one with the Ponta provision repeated.
doui::Policy policy_with_linkages(std::size_t n) {
  json p = json::parse(doui::bundled_policy_json());
  json& blocks = p["sections"][2]["blocks"];
  const json ponta = blocks[5];
  for (std::size_t i = 3; i < n; ++i) {
    json copy = ponta;
    copy["id"] = "s3-x" + std::to_string(i);
    copy["disclosure"]["id"] = "extra-" + std::to_string(i);
    blocks.push_back(copy);
  }
  auto loaded = doui::load_policy(p.dump());
  EXPECT_TRUE(loaded.ok()) << (loaded ? "" : doui::format_error(loaded.error()));
  return std::move(loaded).value();
}

// One limit for both: a policy with more optional linkages than a record holds gets no record
// from build_record (record.too_large at /linkages), so no record is written that verify refuses.
TEST(ConsentLimits, NoRecordIsBuiltThatVerifyWouldRefuse) {
  doui::ConsentInputs in = doui::test::base_inputs();
  in.subject = "u-1";
  in.birthdate = "1990-01-01";
  in.policy_agreed = true;
  const auto now = at("2025-06-01T10:00:00+09:00");
  for (std::size_t n : {std::size_t{16}, std::size_t{17}}) {
    const doui::Policy policy = policy_with_linkages(n);
    auto rec = doui::build_record(policy, in, now, "0b8e2f7c-4f7a-4c1e-9d1a-2b3c4d5e6f70");
    doui::PolicyRegistry registry;
    registry.add(policy);
    if (n <= 16) {
      ASSERT_TRUE(rec.ok()) << n;
      EXPECT_TRUE(doui::verify_record(*rec, registry, now).valid) << n;
    } else {
      EXPECT_EQ(rec ? std::vector<std::string>{} : errors_of(rec.errors()),
                std::vector<std::string>{"record.too_large /linkages"});
    }
  }
}

}  // namespace
