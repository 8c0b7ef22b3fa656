// The same timing loop on both targets, so the wasm/native ratio compares like with like:
// build/native/bench/doui_render_timing and node build/wasm/bench/doui_render_timing.js.
// Prints one JSON line per case: median µs per operation over 15 batches.
#include <algorithm>
#include <chrono>
#include <cstdio>
#include <functional>
#include <string>
#include <vector>

#include "doui/consent.hpp"
#include "doui/disclosure.hpp"
#include "doui/policy.hpp"
#include "doui/render.hpp"
#include "doui/text.hpp"
#include "doui/verify.hpp"
#include "sample_record.hpp"

namespace {

double median_us(const std::function<std::size_t()>& op, int per_batch) {
  std::vector<double> batches;
  std::size_t sink = 0;
  // Warm-up for half a second: node runs wasm first as baseline (Liftoff) code and swaps in
  // optimised code only once a function is hot, so a short warm-up times the baseline compiler.
  const auto warm_until = std::chrono::steady_clock::now() + std::chrono::milliseconds(500);
  while (std::chrono::steady_clock::now() < warm_until) sink += op();
  for (int b = 0; b < 15; ++b) {
    auto t0 = std::chrono::steady_clock::now();
    for (int i = 0; i < per_batch; ++i) sink += op();
    auto t1 = std::chrono::steady_clock::now();
    batches.push_back(std::chrono::duration<double, std::micro>(t1 - t0).count() / per_batch);
  }
  std::sort(batches.begin(), batches.end());
  if (sink == 42) std::puts("");  // keeps the work observable
  return batches[batches.size() / 2];
}

}  // namespace

int main() {
#ifdef __EMSCRIPTEN__
  const char* target = "wasm";
#else
  const char* target = "native";
#endif
  auto policy = doui::load_policy(doui::bundled_policy_json()).value();
  const doui::Links links;
  doui::PolicyRegistry registry;
  registry.add(policy);
  const doui::ConsentInputs in = doui::bench::minor_with_two_linkages();
  const auto at = doui::parse_instant("2025-06-01T10:00:00+09:00").value();
  const std::string record =
      doui::build_record(policy, in, at, "6f1c2a3b-4d5e-4f60-8a7b-9c0d1e2f3a4b").value();
  doui::VerifyOptions full_walk;
  full_walk.fast_path = false;
  struct Case {
    const char* name;
    int per_batch;
    std::function<std::size_t()> op;
  };
  const std::vector<Case> cases = {
      {"load_policy", 50,
       [] { return doui::load_policy(doui::bundled_policy_json())->digest.size(); }},
      {"render_html", 200, [&] { return doui::render_html(policy, links).size(); }},
      {"render_text_80", 20, [&] { return doui::render_text(policy, links, 80)->size(); }},
      {"disclosures", 200, [&] { return doui::derive_disclosures(policy).size(); }},
      {"verify_record", 200,
       [&] { return doui::verify_record(record, registry, at).digest.size(); }},
      {"verify_record_full_walk", 100,
       [&] { return doui::verify_record(record, registry, at, full_walk).digest.size(); }},
  };
  for (const auto& c : cases) {
    std::printf("{\"target\":\"%s\",\"case\":\"%s\",\"us_per_op\":%.2f}\n", target, c.name,
                median_us(c.op, c.per_batch));
  }
  return 0;
}
