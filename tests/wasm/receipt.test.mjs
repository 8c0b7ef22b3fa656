// verifyReceipt (the receipt module, doui-receipt.mjs), under node: the golden receipt (tests/fixtures/receipt/),
// every bit of it flipped, and the verdict text the same as the native CLI's for each case.
//   DOUI_WEB_DIST    the wasm build's web output (default build/wasm/web)
//   DOUI_NATIVE_CLI  the native CLI to compare against (default build/native/doui)
import { after, test } from 'node:test';
import assert from 'node:assert/strict';
import { spawnSync } from 'node:child_process';
import { existsSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { createRequire } from 'node:module';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { fileURLToPath, pathToFileURL } from 'node:url';

const root = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '../..');
const dist = path.resolve(root, process.env.DOUI_WEB_DIST || 'build/wasm/web');
const nativeCli = (process.env.DOUI_NATIVE_CLI || path.join(root, 'build/native/doui')).split(/\s+/).filter(Boolean);
const fixtures = path.join(root, 'tests/fixtures/receipt');
const pubPath = path.join(fixtures, 'key.json.pub');
const pub = readFileSync(pubPath, 'utf8');
const secret = readFileSync(path.join(fixtures, 'key.json'), 'utf8');
const receipt = readFileSync(path.join(fixtures, 'receipt.json'), 'utf8').trim();

assert.ok(existsSync(path.join(dist, 'doui-receipt.mjs')), `wasm web build missing: ${dist} (build the wasm preset)`);
globalThis.__dirname = dist;
globalThis.require = createRequire(import.meta.url);
const { loadReceiptVerifier, DouiError } = await import(pathToFileURL(path.join(dist, 'doui-receipt.mjs')).href);
const { DouiError: WidgetDouiError } = await import(pathToFileURL(path.join(dist, 'doui.mjs')).href);
const doui = await loadReceiptVerifier({ wasmBinary: readFileSync(path.join(dist, 'doui-receipt-core.wasm')) });

const tmp = mkdtempSync(path.join(tmpdir(), 'doui-wasm-receipt-'));
after(() => rmSync(tmp, { recursive: true, force: true }));

/** The native CLI's verdict line for `text` and the public key file. */
function nativeVerdict(text) {
  const file = path.join(tmp, 'receipt.json');
  writeFileSync(file, text);
  const [exe, ...pre] = nativeCli;
  const r = spawnSync(exe, [...pre, 'receipt', 'verify', '--pub', pubPath, file], { cwd: root });
  assert.ok(r.status === 0 || r.status === 1, `native exit ${r.status}: ${r.stderr}`);
  return { status: r.status, line: r.stdout.toString('utf8') };
}

test('the golden receipt is valid, with the facts it names', () => {
  const v = doui.verifyReceipt(receipt, [pub]);
  assert.deepEqual(v, {
    errors: [], key_id: 'ed25519:56475aa75463474c', record_id: '3d2b1f0e-9c8b-4a7a-b6d5-c4e3f2a1b0c9', valid: true,
  });
  assert.equal(doui.verifyReceipt(JSON.stringify(JSON.parse(receipt), null, 2), [pub]).valid, true);
  assert.equal(doui.verifyReceipt(receipt, []).valid, false);
});

test('every bit of every byte flipped: never valid (the JSON refused or the verdict invalid)', () => {
  const bytes = Buffer.from(receipt);
  let refused = 0;
  for (let i = 0; i < bytes.length; i++) {
    for (let bit = 0; bit < 8; bit++) {
      const t = Buffer.from(bytes);
      t[i] ^= 1 << bit;
      // Bytes that are not UTF-8 cannot be a JS string as they are: the decoder's U+FFFD is the
      // change there, which the core must refuse too.
      const v = doui.verifyReceipt(t.toString('utf8'), [pub]);
      assert.equal(v.valid, false, `byte ${i} bit ${bit}`);
      assert.ok(v.errors.length > 0);
      refused++;
    }
  }
  assert.equal(refused, bytes.length * 8);
});

test('native and wasm verdicts are the same bytes', () => {
  const golden = JSON.parse(receipt);
  const { subject, ...noSubject } = golden;
  const cases = [
    receipt,
    JSON.stringify(golden, null, 2),
    JSON.stringify({ ...golden, subject: 'u-78' }),
    JSON.stringify({ ...golden, ledger_position: 42.5 }),
    JSON.stringify({ ...golden, key_id: 'ed25519:0000000000000000' }),
    JSON.stringify({ ...noSubject, extra: [1, 2] }),
    JSON.stringify({ ...golden, format: 'doui.receipt/2', record_id: 'x', signature: 'AAAA' }),
    JSON.stringify({ ...golden, record_id: 'line\nbreak\u001b"' }),
    JSON.stringify([golden]),
    '{"a":1,"a":2}',
    'not json',
    receipt.slice(0, 100),
  ];
  for (let i = 0; i < receipt.length; i += 37) {
    cases.push(receipt.slice(0, i) + String.fromCharCode(receipt.charCodeAt(i) ^ 2) + receipt.slice(i + 1));
  }
  for (const text of cases) {
    const n = nativeVerdict(text);
    const w = doui.verifyReceipt(text, [pub]);
    assert.equal(JSON.stringify(w) + '\n', n.line, text);
    assert.equal(n.status, w.valid ? 0 : 1);
  }
});

test('unusable key files throw DouiError with the key file codes', () => {
  const attempt = (fn) => {
    try {
      fn();
    } catch (e) {
      assert.ok(e instanceof DouiError, String(e));
      return e.errors.map((p) => `${p.code} ${p.path}`);
    }
    assert.fail('did not throw');
  };
  assert.deepEqual(attempt(() => doui.verifyReceipt(receipt, [secret])), ['key.secret_in_public /0/secret_key']);
  assert.deepEqual(attempt(() => doui.verifyReceipt(receipt, [pub, '{'])), ['json.syntax /1']);
  assert.deepEqual(attempt(() => doui.verifyReceipt(receipt, pub)), ['key.wrong_type ']);
  assert.deepEqual(attempt(() => doui.verifyReceipt(receipt, [pub, 7])), ['key.wrong_type /1']);
  assert.deepEqual(attempt(() => doui.verifyReceipt(42, [pub])), ['receipt.wrong_type ']);
  assert.deepEqual(attempt(() => doui.verifyReceipt(' '.repeat(65 * 1024), [pub])), ['json.too_large ']);
  const k = JSON.parse(pub);
  assert.deepEqual(attempt(() => doui.verifyReceipt(receipt, [JSON.stringify({ ...k, key_id: 'ed25519:0000000000000000' })])),
    ['key.id_mismatch /0/key_id']);
});

test('one DouiError class for both modules', () => {
  assert.equal(DouiError, WidgetDouiError);
});

test('10,000 verifications leave the wasm heap as it was', () => {
  doui.verifyReceipt(receipt, [pub]);
  const before = doui.memory();
  for (let i = 0; i < 5000; i++) {
    doui.verifyReceipt(receipt, [pub]);
    try {
      doui.verifyReceipt(receipt, [secret]);
    } catch {}
  }
  assert.deepEqual(doui.memory(), before);
});
