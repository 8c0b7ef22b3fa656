// libFuzzer target: the policy loader and everything downstream of a policy that loads. Arbitrary
// bytes must give a policy or errors (never a crash, a leak or UB; never "failed" without an
// error), and a policy that loads must render, derive its disclosures and build a record
// without trouble. The first bytes choose whether a links file is read too.
#include <cstddef>
#include <cstdint>
#include <cstdlib>
#include <string_view>

#include "doui/consent.hpp"
#include "doui/disclosure.hpp"
#include "doui/policy.hpp"
#include "doui/render.hpp"

extern "C" int LLVMFuzzerTestOneInput(const std::uint8_t* data, std::size_t size) {
  std::string_view text(reinterpret_cast<const char*>(data), size);
  auto policy = doui::load_policy(text);
  if (!policy) {
    if (policy.errors().empty()) std::abort();
    return 0;
  }
  doui::Links links;
  const auto disclosures = doui::derive_disclosures(*policy);
  (void)doui::disclosures_json(disclosures);
  (void)doui::render_html(*policy, links, {});
  doui::ConsentInputs in;
  in.subject = "u-1";
  in.birthdate = "1990-01-01";
  in.policy_agreed = true;
  in.surface = "fuzz";
  in.agent = "doui-fuzz";
  for (const auto& d : disclosures) {
    if (d.optional_linkage) in.linkages.push_back(d.id);
  }
  static const auto at = doui::parse_instant("2100-01-01T00:00:00Z").value();
  auto record =
      doui::build_record(*policy, disclosures, in, at, "0b8e2f7c-4f7a-4c1e-9d1a-2b3c4d5e6f70");
  if (!record && record.errors().empty()) std::abort();
  return 0;
}
