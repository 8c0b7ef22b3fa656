// The receipt module's C API (doui-receipt.mjs over doui-receipt-core.wasm): receipts verified
// in the browser or node, kept out of the signup widget's module (Ed25519 verification adds
// about 13 KB gzip, which the widget never needs).
#include <cstdint>
#include <string>
#include <vector>

#include <emscripten/emmalloc.h>
#include <nlohmann/json.hpp>

#include "doui/receipt.hpp"
#include "result.hpp"

extern "C" {

/// A receipt's verdict (receipt_verdict_json: the line `doui receipt verify` prints) against
/// public key files, given as a JSON array of their texts. An unusable key file is an error
/// (its problems, each path beginning with the key's index: /1/key_id), as it is exit 2 in the
/// CLI.
doui::wasm::DouiResult* doui_receipt_verify(const char* receipt, std::uint32_t receipt_len,
                                            const char* keys, std::uint32_t keys_len) {
  const auto texts = nlohmann::json::parse(doui::wasm::view(keys, keys_len), nullptr, false);
  if (!texts.is_array()) {
    return doui::wasm::make_errors(
        {doui::Error{doui::Code::KeyWrongType, "", "expected an array of public keys", -1}});
  }
  std::vector<doui::PublicKey> public_keys;
  std::vector<doui::Error> errors;
  for (std::size_t i = 0; i < texts.size(); ++i) {
    if (!texts[i].is_string()) {
      errors.push_back(doui::Error{doui::Code::KeyWrongType, "/" + std::to_string(i),
                                   "expected a public key file's text", -1});
      continue;
    }
    auto key = doui::load_public_key(texts[i].get_ref<const std::string&>());
    if (!key) {
      for (auto e : key.errors()) {
        e.path = "/" + std::to_string(i) + e.path;  // which key, then where in it
        errors.push_back(std::move(e));
      }
      continue;
    }
    public_keys.push_back(std::move(*key));
  }
  if (!errors.empty()) return doui::wasm::make_errors(errors);
  return doui::wasm::make_result(true, doui::receipt_verdict_json(doui::check_receipt(
                                           doui::wasm::view(receipt, receipt_len), public_keys)));
}

/// Bytes allocated on the heap (for the wrapper's leak checks).
std::uint32_t doui_heap_used() {
  return static_cast<std::uint32_t>(emmalloc_dynamic_heap_size() - emmalloc_free_dynamic_memory());
}

void doui_result_free(doui::wasm::DouiResult* r) {
  doui::wasm::free_result(r);
}

}  // extern "C"
