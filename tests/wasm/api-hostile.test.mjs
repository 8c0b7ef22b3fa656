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
import { runHostile, heapHeld, CORE_NAMES } from './hostile-cases.mjs';

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
  assert.ok(heapHeld(heap.before, heap.after), `before ${JSON.stringify(heap.before)}, after ${JSON.stringify(heap.after)}`);
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

// Allocation failures, injected at the module's boundary: the wasm exports are wrapped (by
// wrapping WebAssembly.instantiate while the core loads: the glue instantiates the bytes itself)
// so that the k-th call of malloc from JS returns 0 (the name of malloc's export is minified, so
// it is found as the first export called by loadPolicy(text), which copies the text first).
test('a failed allocation is wasm.out_of_memory, writes nothing, frees the rest, and the session lives on', async () => {
  const calls = [];
  let record = false;
  let mallocName = null;
  let failAt = -1; // fail the n-th malloc from now (0: the next one); -1: never
  let memory = null;
  const instantiate = WebAssembly.instantiate;
  WebAssembly.instantiate = async (bytes, imports) => {
    const { instance, module } = await instantiate(bytes, imports);
    const exports = {};
    for (const [name, value] of Object.entries(instance.exports)) {
      if (value instanceof WebAssembly.Memory) memory = value;
      exports[name] = typeof value !== 'function' ? value : (...args) => {
        if (record) calls.push(name);
        if (name === mallocName && failAt >= 0 && failAt-- === 0) return 0;
        return value(...args);
      };
    }
    return { instance: { exports }, module };
  };
  let oomDoui;
  try {
    oomDoui = await loadDoui({ wasmBinary });
  } finally {
    WebAssembly.instantiate = instantiate;
  }
  assert.ok(memory, 'the core was instantiated through the wrapped exports');
  record = true;
  assert.throws(() => oomDoui.loadPolicy('{}'), DouiError);
  record = false;
  mallocName = calls[0];
  assert.ok(mallocName, 'no export was called');

  const policy = oomDoui.loadPolicy();
  const s = policy.startSession({ now: fixture.now });
  for (const [f, v] of fixture.reference) s.set(f, v);
  const reference = policy.startSession({ now: fixture.now });
  for (const [f, v] of fixture.reference) reference.set(f, v);
  const expected = reference.buildRecord({ recordId: fixture.record_id });
  const before = oomDoui.memory();
  const low = () => [...new Uint8Array(memory.buffer, 0, 256)];
  const lowBefore = low();
  const oom = [{ code: 'wasm.out_of_memory', path: '' }];
  const refusedWith = (fn) => {
    try {
      fn();
    } catch (e) {
      assert.ok(e instanceof DouiError, `${e?.name}: ${e?.message}`);
      return e.errors.map((x) => ({ code: x.code, path: x.path }));
    }
    assert.fail('did not throw');
  };
  let cases = 0;
  for (const [what, fn, mallocs] of [
    ['loadPolicy(text)', () => oomDoui.loadPolicy('{"format":"doui.policy/1"}'), 1],
    ['loadPolicy(text, links)', () => oomDoui.loadPolicy('{}', { links: { contact: 'https://example.jp/' } }), 2],
    ['set', () => s.set('subject', 'u-other'), 2],
    ['setLinkage', () => s.setLinkage('ponta', true), 2],
    ['buildRecord', () => s.buildRecord({ recordId: fixture.record_id }), 3],
  ]) {
    for (let k = 0; k < mallocs; k++) {
      failAt = k;
      assert.deepEqual(refusedWith(fn), oom, `${what}, malloc #${k} failing`);
      failAt = -1;
      assert.ok(heapHeld(before, oomDoui.memory()), `${what}, malloc #${k} failing: the heap changed (${JSON.stringify(before)} → ${JSON.stringify(oomDoui.memory())})`);
      cases++;
    }
  }
  assert.equal(cases, 10);
  // Nothing was written at address 0 and the session is as it was.
  assert.deepEqual(low(), lowBefore);
  assert.equal(s.buildRecord({ recordId: fixture.record_id }), expected);
  assert.deepEqual(s.state(), reference.state());
  policy.dispose();
});
