// libFuzzer target: verify_record on arbitrary bytes must never crash, leak or hit UB, and must
// always answer with a verdict (valid, or at least one error).
#include <cstddef>
#include <cstdint>
#include <cstdlib>
#include <string_view>

#include "doui/verify.hpp"

namespace {

const doui::PolicyRegistry& registry() {
  static const doui::PolicyRegistry r = [] {
    doui::PolicyRegistry reg;
    reg.add(doui::load_policy(doui::bundled_policy_json()).value());
    return reg;
  }();
  return r;
}

}  // namespace

extern "C" int LLVMFuzzerTestOneInput(const std::uint8_t* data, std::size_t size) {
  std::string_view text(reinterpret_cast<const char*>(data), size);
  auto now = doui::parse_instant("2025-06-02T00:00:00Z").value();
  doui::Verdict v = doui::verify_record(text, registry(), now);
  if (!v.valid && v.errors.empty()) std::abort();  // an invalid verdict must say why
  (void)doui::verdict_json(v);
  return 0;
}
