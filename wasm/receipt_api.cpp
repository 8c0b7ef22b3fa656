// The receipt module's C API (doui-receipt.mjs over doui-receipt-core.wasm): receipts verified
// in the browser or node, kept out of the signup widget's module (Ed25519 verification adds
// about 13 KB gzip, which the widget never needs).
#include <cstdint>

#include <emscripten/emmalloc.h>

#include "receipt_result.hpp"
#include "result.hpp"

extern "C" {

/// A receipt's verdict (receipt_verdict_json: the line `doui receipt verify` prints) against
/// public key files, given as a JSON array of their texts. An unusable key file is an error
/// (its problems, each path beginning with the key's index: /1/key_id), as it is exit 2 in the
/// CLI.
doui::wasm::DouiResult* doui_receipt_verify(const char* receipt, std::uint32_t receipt_len,
                                            const char* keys, std::uint32_t keys_len) {
  return doui::wasm::receipt_verdict_result(doui::wasm::view(receipt, receipt_len),
                                            doui::wasm::view(keys, keys_len));
}

/// Bytes allocated on the heap (for the wrapper's leak checks).
std::uint32_t doui_heap_used() {
  return static_cast<std::uint32_t>(emmalloc_dynamic_heap_size() - emmalloc_free_dynamic_memory());
}

void doui_result_free(doui::wasm::DouiResult* r) {
  doui::wasm::free_result(r);
}

}  // extern "C"
