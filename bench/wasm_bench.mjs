// The browser module (build/wasm/web/doui.mjs, exactly what the widget loads) timed under node:
// the same operations as bench/render_bench.cpp, through the JS wrapper. See BENCHMARKS.md.
//   node bench/wasm_bench.mjs [--dist build/wasm/web]
import { readFileSync } from 'node:fs';
import path from 'node:path';
import { pathToFileURL, fileURLToPath } from 'node:url';
import { performance } from 'node:perf_hooks';
import { createRequire } from 'node:module';

const root = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '..');
const i = process.argv.indexOf('--dist');
const dist = path.resolve(root, i >= 0 ? process.argv[i + 1] : 'build/wasm/web');
// Emscripten 3.1.6's ES6 glue still looks for CommonJS globals when it detects node.
globalThis.__dirname = dist;
globalThis.require = createRequire(import.meta.url);
const { loadDoui } = await import(pathToFileURL(path.join(dist, 'doui.mjs')).href);
const doui = await loadDoui({ wasmBinary: readFileSync(path.join(dist, 'doui-core.wasm')) });

function median(op, perBatch) {
  for (let k = 0; k < 3; k++) op();
  const batches = [];
  for (let b = 0; b < 15; b++) {
    const t0 = performance.now();
    for (let k = 0; k < perBatch; k++) op();
    batches.push(((performance.now() - t0) * 1000) / perBatch);
  }
  batches.sort((a, b) => a - b);
  return batches[7];
}

const policy = doui.loadPolicy();
const results = {
  load_policy: median(() => doui.loadPolicy().dispose(), 50),
  render_html: median(() => policy.renderHtml(), 200),
  disclosures: median(() => policy.disclosures(), 200),
};
if (policy.startSession) {
  const s = policy.startSession({ now: '2025-06-01T00:00:00+09:00' });
  s.set('subject', 'u-1');
  s.set('policy_agreed', true);
  results.consent_state = median(() => s.set('birthdate', '平成21年4月1日'), 200);
}
for (const [name, us] of Object.entries(results)) {
  console.log(JSON.stringify({ target: 'wasm-browser-module', case: name, us_per_op: Number(us.toFixed(2)) }));
}
