// A receipt's verdict as a DouiResult, for both wasm modules that verify receipts: the receipt
// module (receipt_api.cpp, doui-receipt.mjs) and the Node module (node/verify_api.cpp,
// doui-verify.mjs). One function, so that both give the line `doui receipt verify` prints
// (receipt_verdict_json of check_receipt) and refuse an unusable key file the same way.
#pragma once

#include <cstdint>
#include <string>
#include <utility>
#include <vector>

#include <nlohmann/json.hpp>

#include "doui/receipt.hpp"
#include "result.hpp"

namespace doui::wasm {

/// A receipt's verdict against public key files, given as a JSON array of their texts. An
/// unusable key file is an error (its problems, each path beginning with the key's index:
/// /1/key_id), as it is exit 2 in the CLI; a receipt that breaks a rule is a verdict, not an
/// error.
inline DouiResult* receipt_verdict_result(std::string_view receipt, std::string_view keys) {
  const auto texts = nlohmann::json::parse(keys, nullptr, false);
  if (!texts.is_array()) {
    return make_errors({Error{Code::KeyWrongType, "", "expected an array of public keys", -1}});
  }
  std::vector<PublicKey> public_keys;
  std::vector<Error> errors;
  for (std::size_t i = 0; i < texts.size(); ++i) {
    if (!texts[i].is_string()) {
      errors.push_back(Error{Code::KeyWrongType, "/" + std::to_string(i),
                             "expected a public key file's text", -1});
      continue;
    }
    auto key = load_public_key(texts[i].get_ref<const std::string&>());
    if (!key) {
      for (auto e : key.errors()) {
        e.path = "/" + std::to_string(i) + e.path;  // which key, then where in it
        errors.push_back(std::move(e));
      }
      continue;
    }
    public_keys.push_back(std::move(*key));
  }
  if (!errors.empty()) return make_errors(errors);
  return make_result(true, receipt_verdict_json(check_receipt(receipt, public_keys)));
}

}  // namespace doui::wasm
