// The Node module's C API (doui-verify.mjs): the server-side verifier for Node servers that are
// not `doui serve`. Not in the browser module (wasm/api.cpp), whose size is budgeted. Every call
// returns a DouiResult the wrapper reads and frees (the browser module's layout, four 32-bit
// words); errors travel as JSON ({code, path, detail, offset}), never as exceptions.
#include <cstdint>
#include <cstdlib>
#include <cstring>
#include <memory>
#include <string>
#include <string_view>
#include <vector>

#include <nlohmann/json.hpp>

#include "doui/canonical.hpp"
#include "doui/policy.hpp"
#include "doui/verify.hpp"

#if __has_include("doui/receipt.hpp")
#include "doui/receipt.hpp"
#define DOUI_NODE_RECEIPTS 1
#endif

extern "C" {

/// Layout read by doui-verify.mjs: four 32-bit words.
struct DouiResult {
  std::int32_t ok;     ///< 1 success, 0 failure
  std::uint32_t size;  ///< bytes at data
  char* data;          ///< UTF-8: the output, or on failure a JSON array of errors
  void* handle;        ///< doui_registry_new: the registry
};

}  // extern "C"

namespace {

DouiResult* make_result(bool ok, std::string_view bytes, void* handle = nullptr) {
  // nullptr when an allocation fails: the wrapper reports wasm.out_of_memory.
  auto* r = static_cast<DouiResult*>(std::malloc(sizeof(DouiResult)));
  if (r == nullptr) return nullptr;
  r->data = static_cast<char*>(std::malloc(bytes.size() + 1));
  if (r->data == nullptr) {
    std::free(r);
    return nullptr;
  }
  std::memcpy(r->data, bytes.data(), bytes.size());
  r->data[bytes.size()] = '\0';
  r->ok = ok ? 1 : 0;
  r->size = static_cast<std::uint32_t>(bytes.size());
  r->handle = handle;
  return r;
}

DouiResult* make_errors(const std::vector<doui::Error>& errors) {
  nlohmann::json arr = nlohmann::json::array();
  for (const auto& e : errors) {
    arr.push_back({{"code", doui::to_string(e.code)},
                   {"path", e.path},
                   {"detail", e.detail},
                   {"offset", e.offset}});
  }
  return make_result(false, doui::canonicalize(arr).value());
}

std::string_view view(const char* p, std::uint32_t n) {
  return p == nullptr ? std::string_view() : std::string_view(p, n);
}

}  // namespace

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

#ifdef DOUI_NODE_RECEIPTS
// ---------------------------------------------------------------------------------------------
// TODO(receipts): verifyReceipt, for the integrator of the receipts branch (core/include/doui/
// receipt.hpp). This block is compiled only when that header exists; doui-verify.mjs calls it
// when the module exports it (wasm/node/CMakeLists.txt adds it to the exports then). Left to do:
//   1. the facts as JSON: doui::receipt_facts_json() is assumed below (as verdict_json is for a
//      Verdict); write it in the core if receipt.hpp has no such function, so that the CLI and
//      this module print the same bytes;
//   2. the ReceiptFacts type in doui-verify.d.mts (now `Record<string, unknown>`);
//   3. a test in tests/node/verify.test.mjs against the CLI's receipt command, as for records.
// `keys` is a JSON array of the public keys' JSON texts (the wrapper writes it).
DouiResult* doui_verify_receipt(const char* receipt, std::uint32_t receipt_len, const char* keys,
                                std::uint32_t keys_len) {
  auto list = nlohmann::json::parse(view(keys, keys_len), nullptr, false);
  if (list.is_discarded() || !list.is_array())
    return make_errors({doui::Error{doui::Code::JsonSyntax, "", "expected an array of keys", -1}});
  std::vector<doui::PublicKey> loaded;
  std::vector<doui::Error> errors;
  for (std::size_t i = 0; i < list.size(); ++i) {
    if (!list[i].is_string()) {
      errors.push_back(doui::Error{doui::Code::JsonSyntax, "/" + std::to_string(i),
                                   "expected a public key as JSON text", -1});
      continue;
    }
    auto key = doui::load_public_key(list[i].get_ref<const std::string&>());
    if (!key) {
      for (auto e : key.errors()) {
        e.path = "/" + std::to_string(i) + e.path;  // which key, then where in it
        errors.push_back(std::move(e));
      }
      continue;
    }
    loaded.push_back(std::move(*key));
  }
  if (!errors.empty()) return make_errors(errors);
  auto facts = doui::verify_receipt(view(receipt, receipt_len), loaded);
  if (!facts) return make_errors(facts.errors());
  return make_result(true, doui::receipt_facts_json(*facts));  // TODO(receipts): see above
}
// ---------------------------------------------------------------------------------------------
#endif

void doui_result_free(DouiResult* r) {
  if (r == nullptr) return;
  std::free(r->data);
  std::free(r);
}

}  // extern "C"
