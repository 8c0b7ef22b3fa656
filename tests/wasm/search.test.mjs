// The search module (doui-search.mjs, loadSearch): the shared cases (tests/fixtures/search-cases.json,
// also run natively by tests/unit/search_test.cpp), so both builds find the same, and what a
// caller may pass.
//   DOUI_WEB_DIST    the wasm build's web output (default build/wasm/web)
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { readFileSync, existsSync } from 'node:fs';
import { createRequire } from 'node:module';
import path from 'node:path';
import { fileURLToPath, pathToFileURL } from 'node:url';

const here = path.dirname(fileURLToPath(import.meta.url));
const root = path.resolve(here, '../..');
const dist = path.resolve(root, process.env.DOUI_WEB_DIST || 'build/wasm/web');
const { cases } = JSON.parse(readFileSync(path.join(root, 'tests/fixtures/search-cases.json'), 'utf8'));

assert.ok(existsSync(path.join(dist, 'doui-search.mjs')), `wasm web build missing: ${dist} (build the wasm preset)`);
globalThis.__dirname = dist;
globalThis.require = createRequire(import.meta.url);
const { loadSearch, DouiError } = await import(pathToFileURL(path.join(dist, 'doui-search.mjs')).href);
const doui = await loadSearch({ wasmBinary: readFileSync(path.join(dist, 'doui-search-core.wasm')) });

for (const c of cases) {
  test(`search: ${c.name}`, () => {
    const hits = doui.search(c.text, c.query);
    assert.deepEqual(hits.map((h) => [h.start, h.end]), c.hits);
  });
}

test('search: the policy, typed in half-width katakana, hits what it means', () => {
  const text = readFileSync(path.join(root, 'tests/fixtures/published-policy.txt'), 'utf8');
  const hits = doui.search(text, 'ｲﾝﾌｫﾏﾃｨﾌﾞ情報');
  assert.ok(hits.length > 0);
  for (const h of hits) assert.equal(text.slice(h.start, h.end), 'インフォマティブ情報');
  assert.deepEqual(doui.search(text, 'いんふぉまてぃぶ情報'), hits);
  assert.equal(doui.search('の'.repeat(1500), 'の').length, 1000, 'at most 1000 hits');
});

test('search: what is not text is refused with a code; memory is given back', () => {
  const before = doui.memory().usedBytes;
  for (const [t, q, code] of [[1, 'a', 'search.wrong_type'], ['a', null, 'search.wrong_type'],
    ['a\ud800', 'a', 'json.invalid_utf8'], ['a', '\udc00', 'json.invalid_utf8']]) {
    assert.throws(() => doui.search(t, q), (e) => e instanceof DouiError && e.code === code);
  }
  for (let i = 0; i < 50; i++) doui.search('インフォマティブ情報'.repeat(100), 'ｲﾝﾌｫ');
  assert.equal(doui.memory().usedBytes, before);
});
