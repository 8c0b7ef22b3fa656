// The result every C API call of the wasm modules returns (api.cpp: the browser module;
// receipt_api.cpp: the receipt module; node/verify_api.cpp: the Node module): the wrapper reads
// it and frees it with doui_result_free. Errors travel as the JSON the CLI prints ({code, path,
// detail, offset}).
#pragma once

#include <cstdint>
#include <cstdlib>
#include <cstring>
#include <string_view>
#include <vector>

#include <nlohmann/json.hpp>

#include "doui/canonical.hpp"
#include "doui/result.hpp"

namespace doui::wasm {

/// Layout read by the wrappers: four 32-bit words.
struct DouiResult {
  std::int32_t ok;     ///< 1 success, 0 failure
  std::uint32_t size;  ///< bytes at data
  char* data;          ///< UTF-8: the output, or on failure a JSON array of errors
  void* handle;        ///< doui_policy_load, doui_registry_new: what was made
};

inline DouiResult* make_result(bool ok, std::string_view bytes, void* handle = nullptr) {
  // nullptr when either allocation fails: the wrapper reports wasm.out_of_memory and nothing is
  // written through a null pointer.
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

inline DouiResult* make_errors(const std::vector<Error>& errors) {
  nlohmann::json arr = nlohmann::json::array();
  for (const auto& e : errors) {
    arr.push_back({{"code", to_string(e.code)},
                   {"path", e.path},
                   {"detail", e.detail},
                   {"offset", e.offset}});
  }
  return make_result(false, canonicalize(arr).value());
}

inline std::string_view view(const char* p, std::uint32_t n) {
  return p == nullptr ? std::string_view() : std::string_view(p, n);
}

inline void free_result(DouiResult* r) {
  if (r == nullptr) return;
  std::free(r->data);
  std::free(r);
}

}  // namespace doui::wasm
