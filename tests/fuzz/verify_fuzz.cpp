// libFuzzer target: verify_record on arbitrary bytes must never crash, leak or hit UB, must
// always answer with a verdict (valid, or at least one error), and its fast path must give the
// same verdict as the full schema walk (differential: the corpus holds valid records, so the
// mutations land on the fast path's reader). export_dpv, withdrawal_inputs and check_withdrawal
// (the server's check of a withdrawal against the record it follows) get the same bytes.
#include <cstddef>
#include <cstdint>
#include <cstdlib>
#include <string_view>

#include "doui/export.hpp"
#include "doui/verify.hpp"
#include "doui/withdrawal.hpp"

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
  static const auto now = doui::parse_instant("2026-01-01T00:00:00Z").value();
  doui::Verdict v = doui::verify_record(text, registry(), now);
  if (!v.valid && v.errors.empty()) std::abort();  // an invalid verdict must say why
  doui::VerifyOptions full_walk;
  full_walk.fast_path = false;
  if (doui::verdict_json(v) !=
      doui::verdict_json(doui::verify_record(text, registry(), now, full_walk))) {
    std::abort();  // the fast path must never decide differently
  }
  (void)doui::export_dpv(text);  // reads what it can of any input, never crashes
  // A record read as itself withdrawn from: never takes nothing back and adds at once, never
  // crashes; a withdrawal's inputs derived from it, if it reads, or why not.
  const auto found = doui::check_withdrawal(text, text);
  if (v.valid && found.size() > 1) std::abort();
  (void)doui::withdrawal_inputs(text, "ponta");
  return 0;
}
