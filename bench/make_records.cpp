// Writes N varied, valid consent records as NDJSON (adults and minors with guardians, every
// combination of linkages, birth dates across a century) for the verification benchmarks.
//   doui_make_records N [SUBJECT_PREFIX] [HOURS] > records.ndjson
#include <algorithm>
#include <cstdio>
#include <cstdlib>
#include <iostream>
#include <string>

#include "doui/age.hpp"
#include "doui/consent.hpp"

// doui_make_records [N] [SUBJECT_PREFIX] [HOURS]: N records (default 100000) for subjects
// PREFIX0, PREFIX1, … (default "u-"), consented at hourly instants from the policy's effective
// date, cycling every HOURS hours (default 20000; the load benchmark keeps them in the past).
int main(int argc, char** argv) {
  const long n = argc > 1 ? std::strtol(argv[1], nullptr, 10) : 100000;
  const std::string prefix = argc > 2 ? argv[2] : "u-";
  const long hours = argc > 3 ? std::max(1L, std::strtol(argv[3], nullptr, 10)) : 20000;
  auto policy = doui::load_policy(doui::bundled_policy_json()).value();
  const auto disclosures = doui::derive_disclosures(policy);
  const char* ids[] = {"ponta", "d-account", "amazon"};
  const auto base = doui::parse_instant("2025-04-01T00:00:00+09:00").value();
  std::ios::sync_with_stdio(false);
  for (long i = 0; i < n; ++i) {
    doui::ConsentInputs in;
    in.subject = prefix + std::to_string(i);
    int year = 1930 + static_cast<int>(i % 95);
    int month = 1 + static_cast<int>((i / 95) % 12);
    int day = 1 + static_cast<int>((i / 7) % 28);
    in.birthdate = std::to_string(year) + "-" + (month < 10 ? "0" : "") + std::to_string(month) +
                   "-" + (day < 10 ? "0" : "") + std::to_string(day);
    in.policy_agreed = true;
    for (int b = 0; b < 3; ++b) {
      if ((i >> b) & 1) in.linkages.push_back(ids[b]);
    }
    doui::Instant at{base.unix_ms + (i % hours) * 3'600'000LL};
    auto age = doui::check_age(doui::parse_birthdate(in.birthdate).value(), at);
    if (age && age->guardian_required) {
      in.guardian_name = "保護者 " + std::to_string(i);
      in.guardian_name_kana = "ﾎｺﾞｼｬ";
      in.guardian_relationship = (i % 3 == 0) ? "parent" : (i % 3 == 1) ? "guardian" : "other";
      in.guardian_affirmed = true;
      in.guardian_covers = in.linkages;
    }
    in.locale = (i % 5 == 0) ? "en" : "ja";
    in.surface = (i % 2 == 0) ? "signup" : "privacy-center";
    in.agent = "doui-widget/0.1.0";
    auto rec = doui::build_record(policy, disclosures, in, at);
    if (!rec) {
      std::cerr << "record " << i << ": " << doui::format_error(rec.error()) << "\n";
      return 1;
    }
    std::cout << *rec << '\n';
  }
  return 0;
}
