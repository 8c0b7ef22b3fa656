// Native rendering benchmarks (Google Benchmark). Results and the command that reproduces them
// are in BENCHMARKS.md; the wasm counterpart is bench/wasm_bench.mjs.
#include <benchmark/benchmark.h>

#include "doui/consent.hpp"
#include "doui/disclosure.hpp"
#include "doui/policy.hpp"
#include "doui/render.hpp"
#include "doui/text.hpp"
#include "doui/verify.hpp"
#include "sample_record.hpp"

namespace {

const doui::Policy& policy() {
  static const doui::Policy p = doui::load_policy(doui::bundled_policy_json()).value();
  return p;
}

void BM_LoadPolicy(benchmark::State& state) {
  for (auto _ : state) {
    auto p = doui::load_policy(doui::bundled_policy_json());
    benchmark::DoNotOptimize(p);
  }
}
BENCHMARK(BM_LoadPolicy)->Unit(benchmark::kMicrosecond);

void BM_RenderHtml(benchmark::State& state) {
  const doui::Links links;
  for (auto _ : state) {
    std::string html = doui::render_html(policy(), links);
    benchmark::DoNotOptimize(html);
  }
}
BENCHMARK(BM_RenderHtml)->Unit(benchmark::kMicrosecond);

void BM_RenderText80(benchmark::State& state) {
  const doui::Links links;
  for (auto _ : state) {
    auto text = doui::render_text(policy(), links, 80);
    benchmark::DoNotOptimize(text);
  }
}
BENCHMARK(BM_RenderText80)->Unit(benchmark::kMicrosecond);

void BM_Disclosures(benchmark::State& state) {
  for (auto _ : state) {
    auto d = doui::derive_disclosures(policy());
    benchmark::DoNotOptimize(d);
  }
}
BENCHMARK(BM_Disclosures)->Unit(benchmark::kMicrosecond);

// Verification of one minor's record (guardian, two linkages): records per second per core is
// 1e6 / this time in µs. Arg 1: the default (exact-bytes fast path); 0: the full schema walk
// every record takes when it is not byte for byte valid.
void BM_VerifyRecord(benchmark::State& state) {
  doui::PolicyRegistry registry;
  registry.add(policy());
  const doui::ConsentInputs in = doui::bench::minor_with_two_linkages();
  const auto at = doui::parse_instant("2025-06-01T10:00:00+09:00").value();
  const std::string record = doui::build_record(policy(), in, at).value();
  doui::VerifyOptions options;
  options.fast_path = state.range(0) != 0;
  for (auto _ : state) {
    auto v = doui::verify_record(record, registry, at, options);
    benchmark::DoNotOptimize(v);
  }
  state.SetItemsProcessed(state.iterations());
}
BENCHMARK(BM_VerifyRecord)->ArgName("fast_path")->Arg(1)->Arg(0)->Unit(benchmark::kMicrosecond);

}  // namespace

BENCHMARK_MAIN();
