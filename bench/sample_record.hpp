// The record the benchmarks verify: a 15-year-old's, consented by a parent, with two linkages.
#pragma once

#include "doui/consent.hpp"

namespace doui::bench {

inline ConsentInputs minor_with_two_linkages() {
  ConsentInputs in;
  in.subject = "u-1";
  in.surface = "signup";
  in.agent = "doui-widget/0.1.0";
  in.birthdate = "平成22年4月1日";
  in.policy_agreed = true;
  in.linkages = {"ponta", "amazon"};
  in.guardian_name = "山田 花子";
  in.guardian_relationship = "parent";
  in.guardian_affirmed = true;
  in.guardian_covers = in.linkages;
  return in;
}

}  // namespace doui::bench
