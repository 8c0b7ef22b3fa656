// The browser module's C API: a handful of functions over the core, nothing decided here.
// Every call returns a DouiResult the JS wrapper (doui.mjs) reads and frees; errors travel as
// the same JSON the CLI prints ({code, path, detail, offset}), never as exceptions.
#include <cstdint>
#include <cstdlib>
#include <cstring>
#include <memory>
#include <string>
#include <string_view>

#include <emscripten/emmalloc.h>
#include <nlohmann/json.hpp>

#include "doui/age.hpp"
#include "doui/canonical.hpp"
#include "doui/consent.hpp"
#include "doui/disclosure.hpp"
#include "doui/messages.hpp"
#include "doui/policy.hpp"
#include "doui/render.hpp"
#include "result.hpp"

namespace {

struct LoadedPolicy {
  doui::Policy policy;
  doui::Links links;
  std::vector<doui::Disclosure> disclosures;  // derived once: the UI evaluates on every input
};

using doui::wasm::DouiResult;
using doui::wasm::make_errors;
using doui::wasm::make_result;
using doui::wasm::view;

DouiResult* disposed() {
  return make_errors({doui::Error{doui::Code::WasmDisposed, "", "policy was disposed", -1}});
}

}  // namespace

extern "C" {

/// Loads a policy (json == NULL: the bundled one) and its links file (links == NULL: none).
DouiResult* doui_policy_load(const char* json, std::uint32_t json_len, const char* links,
                             std::uint32_t links_len) {
  auto policy =
      doui::load_policy(json == nullptr ? doui::bundled_policy_json() : view(json, json_len));
  if (!policy) return make_errors(policy.errors());
  auto loaded = std::make_unique<LoadedPolicy>();
  loaded->policy = std::move(*policy);
  loaded->disclosures = doui::derive_disclosures(loaded->policy);
  if (links != nullptr) {
    auto l = doui::load_links(view(links, links_len), loaded->policy);
    if (!l) return make_errors(l.errors());
    loaded->links = std::move(*l);
  }
  // The result owns nothing until it exists: if it cannot be allocated the policy is freed.
  DouiResult* r = make_result(true, {}, loaded.get());
  if (r != nullptr) loaded.release();
  return r;
}

void doui_policy_free(void* handle) {
  delete static_cast<LoadedPolicy*>(handle);
}

/// HTML of a loaded policy: a complete page, or (fragment != 0) an <article>.
DouiResult* doui_render_html(void* handle, std::int32_t fragment) {
  if (handle == nullptr) return disposed();
  const auto* p = static_cast<const LoadedPolicy*>(handle);
  doui::HtmlOptions opt;
  opt.fragment = fragment != 0;
  return make_result(true, doui::render_html(p->policy, p->links, opt));
}

/// {"id","version","lang","title","effective_date","digest"} of a loaded policy.
DouiResult* doui_policy_info(void* handle) {
  if (handle == nullptr) return disposed();
  const auto& p = static_cast<const LoadedPolicy*>(handle)->policy;
  nlohmann::json info = {{"id", p.id},         {"version", p.version},
                         {"lang", p.lang},     {"title", p.title},
                         {"digest", p.digest}, {"effective_date", p.effective_date}};
  return make_result(true, doui::canonicalize(info).value());
}

/// The canonical JSON of the policy's disclosures (the same bytes as `doui policy disclosures`).
DouiResult* doui_policy_disclosures(void* handle) {
  if (handle == nullptr) return disposed();
  const auto* p = static_cast<const LoadedPolicy*>(handle);
  return make_result(true, doui::disclosures_json(p->disclosures));
}

/// The consent engine's live state for `inputs` (JSON) at `now` (RFC 3339).
DouiResult* doui_consent_state(void* handle, const char* inputs, std::uint32_t inputs_len,
                               const char* now, std::uint32_t now_len) {
  if (handle == nullptr) return disposed();
  const auto* p = static_cast<const LoadedPolicy*>(handle);
  auto in = doui::consent_inputs_from_json(view(inputs, inputs_len));
  if (!in) return make_errors(in.errors());
  auto t = doui::parse_instant(view(now, now_len));
  if (!t) return make_errors(t.errors());
  return make_result(true, doui::consent_state_json(p->policy, p->disclosures, *in, *t));
}

/// The canonical consent record, or the broken rules. `record_id` empty: a fresh UUID v4.
DouiResult* doui_consent_record(void* handle, const char* inputs, std::uint32_t inputs_len,
                                const char* now, std::uint32_t now_len, const char* record_id,
                                std::uint32_t id_len) {
  if (handle == nullptr) return disposed();
  const auto* p = static_cast<const LoadedPolicy*>(handle);
  auto in = doui::consent_inputs_from_json(view(inputs, inputs_len));
  if (!in) return make_errors(in.errors());
  auto t = doui::parse_instant(view(now, now_len));
  if (!t) return make_errors(t.errors());
  auto rec =
      doui::build_record(p->policy, p->disclosures, *in, *t, std::string(view(record_id, id_len)));
  if (!rec) return make_errors(rec.errors());
  return make_result(true, *rec);
}

/// The message catalog of `lang` (ja | en) as embedded: {"locale","errors","ui"}.
DouiResult* doui_messages(const char* lang, std::uint32_t lang_len) {
  const std::string_view catalog = doui::messages_json(view(lang, lang_len));
  if (catalog.empty()) {
    return make_errors({doui::Error{doui::Code::RenderBadOption, "", "expected ja or en", -1}});
  }
  return make_result(true, catalog);
}

/// Bytes allocated on the heap (for the wrapper's leak checks).
std::uint32_t doui_heap_used() {
  return static_cast<std::uint32_t>(emmalloc_dynamic_heap_size() - emmalloc_free_dynamic_memory());
}

void doui_result_free(DouiResult* r) {
  doui::wasm::free_result(r);
}

}  // extern "C"
