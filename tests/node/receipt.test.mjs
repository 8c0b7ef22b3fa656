// The Node module's verifyReceipt (build/wasm/node/doui-verify.mjs) against the native CLI: for
// each receipt, JSON.stringify of its verdict is the line `doui receipt verify --pub FILE ...`
// prints, byte for byte; a key file the CLI cannot use (exit 2) throws DouiError with the code
// the CLI reports. Keys come from `doui key new`; receipts are the golden one of
// tests/fixtures/receipt/ and ones node signs as the core does (tests/cli/receipt.test.mjs).
//   DOUI_NATIVE_CLI=build/native/doui DOUI_NODE_DIST=build/wasm/node node --test tests/node/receipt.test.mjs
import { after, before, test } from 'node:test';
import assert from 'node:assert/strict';
import { createPrivateKey, sign } from 'node:crypto';
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { pathToFileURL } from 'node:url';
import { cliCommand, repoRoot, run } from '../cli/run.mjs';

const native = cliCommand('DOUI_NATIVE_CLI', path.join(repoRoot, 'build/native/doui'));
const dist = path.resolve(repoRoot, process.env.DOUI_NODE_DIST || 'build/wasm/node');
const { verifyReceipt, DouiError } = await import(pathToFileURL(path.join(dist, 'doui-verify.mjs')).href);

const fixtures = path.join(repoRoot, 'tests/fixtures/receipt');
const golden = {
  receipt: readFileSync(path.join(fixtures, 'receipt.json'), 'utf8').trim(),
  pubFile: path.join(fixtures, 'key.json.pub'),
  pub: readFileSync(path.join(fixtures, 'key.json.pub'), 'utf8'),
  secret: readFileSync(path.join(fixtures, 'key.json'), 'utf8'),
};
const tmp = mkdtempSync(path.join(tmpdir(), 'doui-node-receipt-'));
after(() => rmSync(tmp, { recursive: true, force: true }));

// A key pair of `doui key new`, and a receipt signed with it (set in `before`).
const server = { keyFile: path.join(tmp, 'server.key'), pubFile: path.join(tmp, 'server.key.pub'), pub: '', keyId: '', receipt: '' };

// RFC 8785 for the flat objects receipts are (string and integer values, ASCII keys).
const canonical = (obj) => '{' + Object.keys(obj).sort().map((k) => `${JSON.stringify(k)}:${JSON.stringify(obj[k])}`).join(',') + '}';

/** A receipt of `facts` signed as sign_receipt does: Ed25519 over the canonical JSON without signature. */
function signReceipt(facts, keyFile) {
  const key = JSON.parse(readFileSync(keyFile, 'utf8'));
  const der = Buffer.concat([Buffer.from('302e020100300506032b657004220420', 'hex'), Buffer.from(key.secret_key, 'base64url')]);
  const privateKey = createPrivateKey({ key: der, format: 'der', type: 'pkcs8' });
  const unsigned = { format: 'doui.receipt/1', key_id: key.key_id, ...facts };
  return canonical({ ...unsigned, signature: sign(null, Buffer.from(canonical(unsigned)), privateKey).toString('base64url') });
}

/** The native CLI's verdict line (without its newline) for `receipt` (text or bytes) and key files. */
function cliVerdict(receipt, pubFiles) {
  const file = path.join(tmp, 'receipt.json');
  writeFileSync(file, receipt);
  const r = run(native, ['receipt', 'verify', ...pubFiles.flatMap((p) => ['--pub', p]), file]);
  assert.ok(r.status === 0 || r.status === 1, `native receipt verify: ${r.status} ${r.stderr}`);
  const out = r.stdout.toString('utf8');
  assert.ok(out.endsWith('\n') && out.indexOf('\n') === out.length - 1, out);
  assert.equal(r.status, JSON.parse(out).valid ? 0 : 1);
  return out.slice(0, -1);
}

/** verifyReceipt's verdict, as JSON text, equal to the CLI's; returns the verdict. */
function same(receipt, pubFiles, what) {
  const verdict = verifyReceipt(receipt, pubFiles.map((p) => readFileSync(p, 'utf8')));
  assert.equal(JSON.stringify(verdict), cliVerdict(receipt, pubFiles), what);
  return verdict;
}

const refused = (fn, code, path = '') => assert.throws(fn, (e) => e instanceof DouiError && e.code === code &&
  e.errors[0].path === path, `${code} at ${path}`);

before(() => {
  const r = run(native, ['key', 'new', '--out', server.keyFile]);
  assert.equal(r.status, 0, r.stderr);
  server.keyId = r.stdout.toString('utf8').trim();
  server.pub = readFileSync(server.pubFile, 'utf8');
  server.receipt = signReceipt({
    record_id: '0f1e2d3c-4b5a-4968-8776-a5b4c3d2e1f0',
    record_digest: 'a'.repeat(64),
    subject: 'member:12345',
    received_at: '2026-12-01T02:10:00.123Z',
    ledger_position: 7,
    ledger_entry: 'b'.repeat(64),
  }, server.keyFile);
});

test('a valid receipt: the CLI\'s verdict, byte for byte', () => {
  const v = same(golden.receipt, [golden.pubFile], 'the golden receipt');
  assert.deepEqual(v, { errors: [], key_id: 'ed25519:56475aa75463474c', record_id: '3d2b1f0e-9c8b-4a7a-b6d5-c4e3f2a1b0c9', valid: true });
  const s = same(server.receipt, [golden.pubFile, server.pubFile], 'signed with a key of doui key new');
  assert.equal(s.valid, true);
  assert.equal(s.key_id, server.keyId);
});

test('a pretty-printed valid receipt: still valid, as the CLI says', () => {
  for (const receipt of [golden.receipt, server.receipt]) {
    for (const indent of [2, '\t']) {
      const pretty = JSON.stringify(JSON.parse(receipt), null, indent) + '\n';
      assert.equal(same(pretty, [golden.pubFile, server.pubFile], `indent ${JSON.stringify(indent)}`).valid, true);
    }
  }
});

test('a flipped byte, at positions across every member: invalid, as the CLI says', () => {
  for (const receipt of [golden.receipt, server.receipt]) {
    const bytes = Buffer.from(receipt);
    let n = 0;
    for (let i = 0; i < bytes.length; i += 7) {
      // XOR 0x01 keeps an ASCII byte ASCII: the same text for the CLI (bytes) and here (a string).
      const t = Buffer.from(bytes);
      t[i] ^= 0x01;
      const v = same(t.toString('latin1'), [golden.pubFile, server.pubFile], `byte ${i}: ${t.toString('latin1')}`);
      assert.equal(v.valid, false, `byte ${i}`);
      assert.ok(v.errors.length > 0, `byte ${i}`);
      n++;
    }
    assert.ok(n > 50, `${n} positions`);
  }
  // Each member changed, with the receipt still well-formed: the signature no longer holds.
  const g = JSON.parse(golden.receipt);
  for (const [member, value] of Object.entries({ subject: 'u-78', ledger_position: 43, record_digest: 'f'.repeat(64) })) {
    const v = same(JSON.stringify({ ...g, [member]: value }), [golden.pubFile], member);
    assert.deepEqual(v.errors, [{ code: 'receipt.bad_signature', path: '/signature' }], member);
  }
});

test('an unknown key: invalid, as the CLI says', () => {
  const v = same(server.receipt, [golden.pubFile], 'the server key not given');
  assert.deepEqual(v.errors, [{ code: 'receipt.unknown_key', path: '/key_id' }]);
  assert.equal(v.key_id, server.keyId);
  assert.equal(same(golden.receipt, [server.pubFile], 'the golden key not given').valid, false);
});

test('not a receipt: a verdict, as the CLI gives it', () => {
  for (const text of ['not json', '[]', '{}', '{"format":"doui.receipt/1"}', golden.receipt.slice(0, -1)]) {
    assert.equal(same(text, [golden.pubFile], text).valid, false, text);
  }
});

test('a public key file with the secret key in it: DouiError key.secret_in_public, as the CLI exits 2', () => {
  for (const [secretFile, receipt] of [[path.join(fixtures, 'key.json'), golden.receipt], [server.keyFile, server.receipt]]) {
    const r = run(native, ['receipt', 'verify', '--pub', secretFile, path.join(fixtures, 'receipt.json')]);
    assert.equal(r.status, 2);
    assert.match(r.stderr, /key\.secret_in_public at \/secret_key/);
    const secret = readFileSync(secretFile, 'utf8');
    // The path names the key by its index, then the place in it.
    refused(() => verifyReceipt(receipt, [secret]), 'key.secret_in_public', '/0/secret_key');
    refused(() => verifyReceipt(receipt, [golden.pub, secret]), 'key.secret_in_public', '/1/secret_key');
  }
});

test('other unusable key files: the code the CLI reports (exit 2)', () => {
  const key = JSON.parse(golden.pub);
  const bad = path.join(tmp, 'bad.pub');
  for (const [content, code, at] of [
    [JSON.stringify({ ...key, key_id: 'ed25519:0000000000000000' }), 'key.id_mismatch', '/key_id'],
    [JSON.stringify({ ...key, format: 'doui.key/2' }), 'key.unsupported_format', '/format'],
    [JSON.stringify({ ...key, public_key: 'AAAA' }), 'key.bad_value', '/public_key'],
    [JSON.stringify({ format: key.format, key_id: key.key_id }), 'key.missing_field', '/public_key'],
  ]) {
    writeFileSync(bad, content);
    const r = run(native, ['receipt', 'verify', '--pub', bad, path.join(fixtures, 'receipt.json')]);
    assert.equal(r.status, 2, code);
    assert.ok(r.stderr.startsWith(`doui: ${bad}: ${code} at ${at}`), r.stderr);
    refused(() => verifyReceipt(golden.receipt, [content]), code, `/0${at}`);
  }
  const notJson = run(native, ['receipt', 'verify', '--pub', path.join(fixtures, 'receipt.json'), path.join(fixtures, 'receipt.json')]);
  assert.equal(notJson.status, 2);
  assert.throws(() => verifyReceipt(golden.receipt, ['not json']), (e) => e instanceof DouiError && e.code.startsWith('json.'));
});

test('what makes the call impossible: a DouiError, not a verdict', () => {
  refused(() => verifyReceipt(undefined, [golden.pub]), 'receipt.wrong_type');
  refused(() => verifyReceipt(Buffer.from(golden.receipt), [golden.pub]), 'receipt.wrong_type');
  refused(() => verifyReceipt(golden.receipt, golden.pub), 'key.wrong_type');
  refused(() => verifyReceipt(golden.receipt, [golden.pub, 7]), 'key.wrong_type', '/1');
  refused(() => verifyReceipt(golden.receipt + ' '.repeat(64 * 1024), [golden.pub]), 'json.too_large');
  refused(() => verifyReceipt('"\ud800"', [golden.pub]), 'json.invalid_utf8');
  // Over 64 KiB is exit 2 in the CLI too.
  const file = path.join(tmp, 'large.json');
  writeFileSync(file, golden.receipt + ' '.repeat(64 * 1024));
  const r = run(native, ['receipt', 'verify', '--pub', golden.pubFile, file]);
  assert.equal(r.status, 2);
  assert.match(r.stderr, /json\.too_large/);
});

test('many receipts in one process: the same verdict every time', () => {
  const keys = [golden.pub, server.pub];
  const first = JSON.stringify(verifyReceipt(server.receipt, keys));
  for (let k = 0; k < 2000; k++) verifyReceipt(k % 2 ? golden.receipt : server.receipt, keys);
  assert.equal(JSON.stringify(verifyReceipt(server.receipt, keys)), first);
});
