// The browser's side of the server (wasm preset): a record built by the browser module's session,
// as the widget builds it, is accepted by the native `doui serve`; its receipt verifies with the
// receipt module in wasm, and one changed byte does not.
//   DOUI_WEB_DIST    the wasm build's web output (default build/wasm/web)
//   DOUI_NATIVE_CLI  the native doui (default build/native/doui)
import { test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { readFileSync, rmSync } from 'node:fs';
import { createRequire } from 'node:module';
import path from 'node:path';
import { pathToFileURL } from 'node:url';
import { cli, newKey, repoRoot, startServer, tempDir } from './harness.mjs';

const dist = path.resolve(repoRoot, process.env.DOUI_WEB_DIST || 'build/wasm/web');
// Emscripten 3.1.6's ES6 glue still looks for CommonJS globals when it detects node.
globalThis.__dirname = dist;
globalThis.require = createRequire(import.meta.url);
const { loadDoui } = await import(pathToFileURL(path.join(dist, 'doui.mjs')).href);
const { loadReceiptVerifier } = await import(pathToFileURL(path.join(dist, 'doui-receipt.mjs')).href);
// The verifier for Node servers that are not doui serve (the wasm preset's build/wasm/node).
const nodeVerifier = await import(pathToFileURL(path.join(dist, '../node/doui-verify.mjs')).href);

let dir, keys, server, doui, receipts;

before(async () => {
  dir = tempDir('doui-widget-server-');
  keys = newKey(dir);
  server = await startServer({ db: `sqlite:${path.join(dir, 'ledger.db')}`, key: keys.key });
  doui = await loadDoui({ wasmBinary: readFileSync(path.join(dist, 'doui-core.wasm')) });
  receipts = await loadReceiptVerifier({ wasmBinary: readFileSync(path.join(dist, 'doui-receipt-core.wasm')) });
});
after(async () => {
  await server?.stop();
  rmSync(dir, { recursive: true, force: true });
});

// What the widget does for a 15-year-old whose parent consents, with the Ponta linkage.
function widgetRecord(subject) {
  const policy = doui.loadPolicy();
  const session = policy.startSession();
  session.set('surface', 'signup');
  session.set('agent', 'doui-widget/0.1.0');
  session.set('subject', subject);
  const minor = new Date(Date.now() - 15 * 365.25 * 24 * 3600 * 1000).toISOString().slice(0, 10);
  session.set('birthdate', minor);
  session.set('policy_agreed', true);
  session.setLinkage('ponta', true);
  const state = session.set('guardian', { name: '山田 花子', relationship: 'parent', affirmed: true, covers: ['ponta'] });
  assert.equal(state.guardian_required, true);
  assert.equal(state.complete, true, JSON.stringify(state.problems));
  return session.buildRecord();
}

test('a record from the widget\'s session is accepted, and its receipt checks in wasm', async () => {
  const record = widgetRecord('w-1');
  const res = await fetch(`${server.base}/api/consents`, {
    method: 'POST', headers: { 'content-type': 'application/json' }, body: record,
  });
  const body = await res.json();
  assert.equal(res.status, 201, JSON.stringify(body));
  assert.equal(body.receipt.record_digest, JSON.parse(record).digest);
  const pub = readFileSync(keys.pub, 'utf8');
  const receipt = JSON.stringify(body.receipt);
  const ok = receipts.verifyReceipt(receipt, [pub]);
  assert.equal(ok.valid, true, JSON.stringify(ok));
  // The same verdict as the native CLI's, byte for byte.
  const file = path.join(dir, 'receipt.json');
  const native = cli(['receipt', 'verify', '--pub', keys.pub, '-'], receipt);
  assert.equal(native.status, 0, native.stderr);
  assert.equal(JSON.stringify(ok), native.stdout.trim(), file);
  // A Node server embedding the verifier agrees on both.
  const verdict = nodeVerifier.verifyRecord(record);
  assert.equal(verdict.valid, true, JSON.stringify(verdict));
  assert.equal(verdict.digest, body.receipt.record_digest);
  assert.deepEqual(nodeVerifier.verifyReceipt(receipt, [pub]), ok);
  // One changed byte anywhere in the signed members: invalid.
  for (const [from, to] of [['"ledger_position":1', '"ledger_position":2'], ['w-1', 'w-2'], [body.receipt.signature.slice(0, 4), 'AAAA']]) {
    const forged = receipt.replace(from, to);
    assert.notEqual(forged, receipt);
    assert.equal(receipts.verifyReceipt(forged, [pub]).valid, false, `${from} -> ${to}`);
  }
});

test('the same widget record twice is one row', async () => {
  const record = widgetRecord('w-2');
  const post = () => fetch(`${server.base}/api/consents`, { method: 'POST', headers: { 'content-type': 'application/json' }, body: record });
  const [a, b] = await Promise.all([post(), post()]);
  assert.deepEqual([a.status, b.status].sort(), [200, 201]);
  const ra = await a.json();
  const rb = await b.json();
  assert.deepEqual(ra.receipt, rb.receipt);
});
