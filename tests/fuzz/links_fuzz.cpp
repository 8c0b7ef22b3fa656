// libFuzzer target: the links loader against the bundled policy, and the HTML of what it
// accepts. Arbitrary bytes give links or errors, never a crash; an accepted link renders.
#include <cstddef>
#include <cstdint>
#include <cstdlib>
#include <string_view>

#include "doui/policy.hpp"
#include "doui/render.hpp"

extern "C" int LLVMFuzzerTestOneInput(const std::uint8_t* data, std::size_t size) {
  static const doui::Policy policy = doui::load_policy(doui::bundled_policy_json()).value();
  auto links =
      doui::load_links(std::string_view(reinterpret_cast<const char*>(data), size), policy);
  if (!links) {
    if (links.errors().empty()) std::abort();
    return 0;
  }
  doui::HtmlOptions fragment;
  fragment.fragment = true;
  (void)doui::render_html(policy, *links, fragment);
  return 0;
}
