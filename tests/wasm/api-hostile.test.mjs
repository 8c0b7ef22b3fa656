// The browser module's JS API driven from node as a hostile page would drive it (cases in
// hostile-cases.mjs and tests/fixtures/hostile-js.json; the same cases run in headless Chromium
// from tests/browser/browser.test.mjs).
//   DOUI_WEB_DIST  the wasm build's web output (default build/wasm/web)
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { readFileSync, existsSync } from 'node:fs';
import { createRequire } from 'node:module';
import path from 'node:path';
import { fileURLToPath, pathToFileURL } from 'node:url';
import { runHostile, CORE_NAMES } from './hostile-cases.mjs';

const here = path.dirname(fileURLToPath(import.meta.url));
const root = path.resolve(here, '../..');
const dist = path.resolve(root, process.env.DOUI_WEB_DIST || 'build/wasm/web');
const fixture = JSON.parse(readFileSync(path.join(root, 'tests/fixtures/hostile-js.json'), 'utf8'));

assert.ok(existsSync(path.join(dist, 'doui.mjs')), `wasm web build missing: ${dist} (build the wasm preset)`);
// Emscripten 3.1.6's ES6 glue still looks for CommonJS globals when it detects node.
globalThis.__dirname = dist;
globalThis.require = createRequire(import.meta.url);
const { loadDoui, DouiError } = await import(pathToFileURL(path.join(dist, 'doui.mjs')).href);
const wasmBinary = readFileSync(path.join(dist, 'doui-core.wasm'));
const doui = await loadDoui({ wasmBinary });
const { results, heap } = runHostile({ doui, DouiError, fixture });

test('the hostile cases ran', () => {
  // Fixture cases plus the ones built in code; a loop that ran nothing must fail here.
  const fromFixture = fixture.set.length + fixture.guardian_json.length + fixture.set_linkage.length + fixture.load_policy.length;
  assert.ok(fromFixture >= 60, `fixture cases: ${fromFixture}`);
  assert.ok(results.length >= fromFixture + 180, `cases: ${results.length}`);
  assert.equal(results.filter((r) => r.skipped).length, CORE_NAMES ? 0 : 9);
});

for (const r of results) {
  test(r.name, { skip: r.skipped ? 'CORE_NAMES: the core does not refuse these names yet' : false }, () => {
    assert.ok(r.ok, r.detail);
  });
}

test('10,000 failing calls leave the wasm heap as it was', () => {
  assert.equal(heap.calls, 10000);
  assert.equal(heap.refused, 10000);
  assert.deepEqual(heap.after, heap.before);
  assert.ok(heap.before.usedBytes > 0 && heap.before.heapBytes >= heap.before.usedBytes, JSON.stringify(heap.before));
});

test('DouiError names every problem', () => {
  const e = new DouiError([{ code: 'record.wrong_type', path: '/subject', detail: 'expected string', offset: -1 }]);
  assert.ok(e instanceof Error);
  assert.equal(e.name, 'DouiError');
  assert.equal(e.code, 'record.wrong_type');
  assert.equal(e.message, 'record.wrong_type at /subject: expected string');
});

test('the API objects cannot be rewired by the page', () => {
  const policy = doui.loadPolicy();
  const s = policy.startSession({ now: fixture.now });
  assert.throws(() => { policy.digest = 'x'; }, TypeError);
  assert.throws(() => { s.buildRecord = () => 'forged'; }, TypeError);
  assert.throws(() => { doui.loadPolicy = () => null; }, TypeError);
  policy.dispose();
});
