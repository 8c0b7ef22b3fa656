// Taking consent back: the inputs the core derives from the record withdrawn from, the records
// built from them (valid for a person of any age, alone), and the check that a withdrawal only
// takes back.
#include <gtest/gtest.h>

#include <string>
#include <vector>

#include <nlohmann/json.hpp>

#include "doui/consent.hpp"
#include "doui/verify.hpp"
#include "doui/withdrawal.hpp"
#include "test_util.hpp"

namespace {

using doui::test::at;
using doui::test::errors_of;
using nlohmann::json;

const auto kAt = "2025-06-01T10:00:00+09:00";
const auto kLater = "2025-07-01T10:00:00+09:00";

// What a 15-year-old's representative gave: the policy, Ponta and Amazon.
std::string minors_record() {
  doui::ConsentInputs in = doui::test::base_inputs();
  in.subject = "u-15";
  in.birthdate = "2010-01-01";
  in.locale = "en";
  in.policy_agreed = true;
  in.linkages = {"ponta", "amazon"};
  in.guardian_name = "山田 花子";
  in.guardian_relationship = "parent";
  in.guardian_affirmed = true;
  in.guardian_covers = in.linkages;
  return doui::build_record(doui::test::bundled_policy(), in, at(kAt),
                            "0b8e2f7c-4f7a-4c1e-9d1a-2b3c4d5e6f70")
      .value();
}

std::string withdraw(const std::string& previous, const std::string& linkage) {
  doui::ConsentInputs in = doui::withdrawal_inputs(previous, linkage).value();
  in.surface = "privacy-center";
  in.agent = "doui-test/1";
  return doui::build_record(doui::test::bundled_policy(), in, at(kLater),
                            "6f1c2a3b-4d5e-4f60-8a7b-9c0d1e2f3a4b")
      .value();
}

doui::PolicyRegistry registry() {
  doui::PolicyRegistry r;
  r.add(doui::test::bundled_policy());
  return r;
}

TEST(Withdrawal, OneLinkageKeepsThePolicyAndTheOthers) {
  const std::string before = minors_record();
  auto in = doui::withdrawal_inputs(before, "ponta");
  ASSERT_TRUE(in.ok());
  EXPECT_EQ(in->subject, "u-15");
  EXPECT_EQ(in->birthdate, "2010-01-01");
  EXPECT_EQ(in->locale, "en");
  EXPECT_EQ(in->event, "withdrawn");
  EXPECT_EQ(in->previous_record, "0b8e2f7c-4f7a-4c1e-9d1a-2b3c4d5e6f70");
  EXPECT_TRUE(in->policy_agreed);
  EXPECT_EQ(in->linkages, std::vector<std::string>{"amazon"});
  EXPECT_TRUE(in->guardian_name.empty());
  // The same inputs through their JSON form (what the server hands the privacy center).
  auto again = doui::consent_inputs_from_json(doui::consent_inputs_json(*in));
  ASSERT_TRUE(again.ok());
  EXPECT_EQ(doui::consent_inputs_json(*again), doui::consent_inputs_json(*in));
  EXPECT_EQ(json::parse(doui::consent_inputs_json(*in)).contains("guardian"), false);

  // The 15-year-old withdraws alone: a valid record, made by the person.
  const std::string after = withdraw(before, "ponta");
  const json r = json::parse(after);
  EXPECT_EQ(r["consent_by"], json({{"role", "subject"}}));
  EXPECT_EQ(r["person"]["guardian_required"], true);
  EXPECT_EQ(r["policy_agreed"], true);
  const auto v = doui::verify_record(after, registry(), at(kLater));
  EXPECT_TRUE(v.valid) << (v.errors.empty() ? "" : doui::format_error(v.errors.front()));
  EXPECT_TRUE(doui::check_withdrawal(before, after).empty());
}

TEST(Withdrawal, EverythingLeavesNothing) {
  const std::string before = minors_record();
  auto in = doui::withdrawal_inputs(before, "");
  ASSERT_TRUE(in.ok());
  EXPECT_FALSE(in->policy_agreed);
  EXPECT_TRUE(in->linkages.empty());
  const std::string after = withdraw(before, "");
  EXPECT_TRUE(doui::verify_record(after, registry(), at(kLater)).valid);
  EXPECT_TRUE(doui::check_withdrawal(before, after).empty());
  // Nothing is left to take back after that.
  EXPECT_EQ(errors_of(doui::withdrawal_inputs(after, "").errors()),
            std::vector<std::string>{"withdrawal.nothing /event"});
  EXPECT_EQ(errors_of(doui::withdrawal_inputs(after, "ponta").errors()),
            std::vector<std::string>{"withdrawal.nothing /event"});
}

TEST(Withdrawal, RefusesWhatCannotBeWithdrawn) {
  const std::string before = minors_record();
  EXPECT_EQ(errors_of(doui::withdrawal_inputs(before, "d-account").errors()),
            std::vector<std::string>{"withdrawal.nothing /event"});
  EXPECT_EQ(errors_of(doui::withdrawal_inputs(before, "line").errors()),
            std::vector<std::string>{"linkage.unknown /choices"});
  EXPECT_EQ(errors_of(doui::withdrawal_inputs("{", "").errors()),
            std::vector<std::string>{"json.syntax "});
  json other = json::parse(before);
  other["schema"] = "doui.consent/2";
  EXPECT_EQ(errors_of(doui::withdrawal_inputs(other.dump(), "").errors()),
            std::vector<std::string>{"record.unsupported_schema /schema"});
}

// A "withdrawal" that a minor makes alone needs no representative, so it must not add: the
// check names each thing it adds, and a withdrawal that takes nothing back.
TEST(Withdrawal, CheckRefusesAWithdrawalThatAdds) {
  const std::string before = minors_record();
  doui::ConsentInputs in = doui::withdrawal_inputs(before, "ponta").value();
  in.surface = "privacy-center";
  in.agent = "doui-test/1";
  in.linkages = {"ponta", "d-account", "amazon"};  // d-account was never chosen
  const std::string adds = doui::build_record(doui::test::bundled_policy(), in, at(kLater)).value();
  EXPECT_TRUE(doui::verify_record(adds, registry(), at(kLater)).valid);  // on its own: fine
  EXPECT_EQ(errors_of(doui::check_withdrawal(before, adds)),
            std::vector<std::string>{"withdrawal.adds /choices/1"});

  in.linkages = {"ponta", "amazon"};  // all it had: takes nothing back
  const std::string same = doui::build_record(doui::test::bundled_policy(), in, at(kLater)).value();
  EXPECT_EQ(errors_of(doui::check_withdrawal(before, same)),
            std::vector<std::string>{"withdrawal.nothing /event"});

  // Agreeing again after everything was withdrawn is not a withdrawal.
  const std::string nothing = withdraw(before, "");
  doui::ConsentInputs again = doui::withdrawal_inputs(before, "ponta").value();
  again.surface = "privacy-center";
  again.agent = "doui-test/1";
  const std::string agrees =
      doui::build_record(doui::test::bundled_policy(), again, at(kLater)).value();
  EXPECT_EQ(
      errors_of(doui::check_withdrawal(nothing, agrees)),
      (std::vector<std::string>{"withdrawal.adds /policy_agreed", "withdrawal.adds /choices/2"}));

  // A record that is not a withdrawal has nothing to answer here; unreadable ones are named.
  EXPECT_TRUE(doui::check_withdrawal(nothing, before).empty());
  EXPECT_EQ(errors_of(doui::check_withdrawal("[", adds)),
            std::vector<std::string>{"json.syntax /previous_record/0"});
}

}  // namespace
