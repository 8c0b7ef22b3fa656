// The Node module's C API (doui-verify.mjs): the server-side verifier for Node servers that are
// not `doui serve`. Not in the browser module (wasm/api.cpp), whose size is budgeted. Every call
// returns a DouiResult the wrapper reads and frees (wasm/result.hpp, the browser module's layout);
// errors travel as JSON ({code, path, detail, offset}), never as exceptions.
#include <cstdint>
#include <memory>
#include <utility>

#include "../receipt_result.hpp"
#include "../result.hpp"
#include "doui/policy.hpp"
#include "doui/verify.hpp"

using doui::wasm::DouiResult;
using doui::wasm::make_errors;
using doui::wasm::make_result;
using doui::wasm::view;

extern "C" {

/// The core's limit on a record (kMaxRecordBytes): the wrapper copies no more than one byte past
/// it, which is enough for the core to refuse it (record.too_large) as it would the whole.
std::uint32_t doui_max_record_bytes() {
  return static_cast<std::uint32_t>(doui::kMaxRecordBytes);
}

/// A registry holding the bundled policy, as `doui verify` starts with.
DouiResult* doui_registry_new() {
  auto policy = doui::load_policy(doui::bundled_policy_json());
  if (!policy) return make_errors(policy.errors());
  auto registry = std::make_unique<doui::PolicyRegistry>();
  registry->add(std::move(*policy));
  DouiResult* r = make_result(true, {}, registry.get());
  if (r != nullptr) registry.release();
  return r;
}

/// Adds a policy (as `doui verify --policy FILE`: of two with one id and version, the first).
DouiResult* doui_registry_add(void* handle, const char* json, std::uint32_t json_len) {
  auto policy = doui::load_policy(view(json, json_len));
  if (!policy) return make_errors(policy.errors());
  static_cast<doui::PolicyRegistry*>(handle)->add(std::move(*policy));
  return make_result(true, {});
}

void doui_registry_free(void* handle) {
  delete static_cast<doui::PolicyRegistry*>(handle);
}

/// The verdict on one record at `now` (RFC 3339): the line `doui verify` prints for it. Fails
/// only when `now` is not an instant; a record that breaks a rule is a verdict, not a failure.
DouiResult* doui_verify_record(void* handle, const char* record, std::uint32_t record_len,
                               const char* now, std::uint32_t now_len) {
  auto t = doui::parse_instant(view(now, now_len));
  if (!t) return make_errors(t.errors());
  const auto* registry = static_cast<const doui::PolicyRegistry*>(handle);
  return make_result(
      true, doui::verdict_json(doui::verify_record(view(record, record_len), *registry, *t)));
}

/// A receipt's verdict against public key files (`keys`: a JSON array of their texts, as the
/// wrapper writes it): the line `doui receipt verify --pub FILE ...` prints, as the receipt
/// module gives it (wasm/receipt_result.hpp). An unusable key file fails with its problems (key.*,
/// the detail naming the key's index), as it is exit 2 in the CLI.
DouiResult* doui_verify_receipt(const char* receipt, std::uint32_t receipt_len, const char* keys,
                                std::uint32_t keys_len) {
  return doui::wasm::receipt_verdict_result(view(receipt, receipt_len), view(keys, keys_len));
}

void doui_result_free(DouiResult* r) {
  doui::wasm::free_result(r);
}

}  // extern "C"
