// The search module's C API (doui-search.mjs over doui-search-core.wasm): the privacy center's
// in-page search, kept out of the signup widget's module (ICU's case folding and the search add
// about 8 KB gzip that the widget never needs).
#include <cstdint>
#include <string>

#include <emscripten/emmalloc.h>

#include "doui/search.hpp"
#include "result.hpp"

extern "C" {

/// Every hit of `query` in `text`, folded (doui/search.hpp): [begin, end, begin, end, ...] in
/// UTF-16 code units of `text`, as JSON.
doui::wasm::DouiResult* doui_search(const char* text, std::uint32_t text_len, const char* query,
                                    std::uint32_t query_len) {
  const auto hits =
      doui::search_text(doui::wasm::view(text, text_len), doui::wasm::view(query, query_len));
  std::string out = "[";
  for (const auto& h : hits) {
    if (out.size() > 1) out += ',';
    out += std::to_string(h.begin) + ',' + std::to_string(h.end);
  }
  out += ']';
  return doui::wasm::make_result(true, out);
}

/// Bytes allocated on the heap (for the wrapper's leak checks).
std::uint32_t doui_heap_used() {
  return static_cast<std::uint32_t>(emmalloc_dynamic_heap_size() - emmalloc_free_dynamic_memory());
}

void doui_result_free(doui::wasm::DouiResult* r) {
  doui::wasm::free_result(r);
}

}  // extern "C"
