// doui key new and doui receipt verify, against the CLI under test (DOUI_CLI). node's own
// Ed25519 (node:crypto) is the independent check: it signs receipts with the keys doui writes,
// and verifies the golden receipt of tests/fixtures/receipt/ with its public key.
import { after, test } from 'node:test';
import assert from 'node:assert/strict';
import { createHash, createPrivateKey, createPublicKey, sign, verify } from 'node:crypto';
import { existsSync, mkdtempSync, readFileSync, rmSync, statSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { cliCommand, repoRoot, run } from './run.mjs';

const cli = cliCommand('DOUI_CLI', path.join(repoRoot, 'build/native/doui'));
const tmp = mkdtempSync(path.join(tmpdir(), 'doui-receipt-'));
after(() => rmSync(tmp, { recursive: true, force: true }));

const fixtures = path.join(repoRoot, 'tests/fixtures/receipt');
const pub = path.join(fixtures, 'key.json.pub');
const receiptText = readFileSync(path.join(fixtures, 'receipt.json'), 'utf8').trim();
const goldenVerdict = '{"errors":[],"key_id":"ed25519:56475aa75463474c",'
  + '"record_id":"3d2b1f0e-9c8b-4a7a-b6d5-c4e3f2a1b0c9","valid":true}\n';

// RFC 8785 for the flat objects receipts are (string and integer values, ASCII keys).
const canonical = (obj) => '{' + Object.keys(obj).sort().map((k) => `${JSON.stringify(k)}:${JSON.stringify(obj[k])}`).join(',') + '}';

function nodeKeys(keyFile) {
  const k = JSON.parse(readFileSync(keyFile, 'utf8'));
  const seed = Buffer.from(k.secret_key, 'base64url');
  const der = Buffer.concat([Buffer.from('302e020100300506032b657004220420', 'hex'), seed]);
  const privateKey = createPrivateKey({ key: der, format: 'der', type: 'pkcs8' });
  return { file: k, privateKey, publicKey: createPublicKey(privateKey) };
}

function signWithNode(facts, keyFile) {
  const { file, privateKey } = nodeKeys(keyFile);
  const unsigned = { format: 'doui.receipt/1', key_id: file.key_id, ...facts };
  const signature = sign(null, Buffer.from(canonical(unsigned)), privateKey).toString('base64url');
  return canonical({ ...unsigned, signature });
}

const facts = {
  record_id: '0f1e2d3c-4b5a-4968-8776-a5b4c3d2e1f0',
  record_digest: 'a'.repeat(64),
  subject: 'member:12345',
  received_at: '2026-12-01T02:10:00.123Z',
  ledger_position: 7,
  ledger_entry: 'b'.repeat(64),
};

const verifyArgs = (file, ...pubs) => ['receipt', 'verify', ...pubs.flatMap((p) => ['--pub', p]), file];

test('the golden receipt: node verifies it, and so does doui', () => {
  const key = JSON.parse(readFileSync(pub, 'utf8'));
  const raw = Buffer.from(key.public_key, 'base64url');
  assert.equal(key.key_id, 'ed25519:' + createHash('sha256').update(raw).digest('hex').slice(0, 16));
  const publicKey = createPublicKey({ key: { kty: 'OKP', crv: 'Ed25519', x: key.public_key }, format: 'jwk' });
  const { signature, ...unsigned } = JSON.parse(receiptText);
  assert.ok(verify(null, Buffer.from(canonical(unsigned)), publicKey, Buffer.from(signature, 'base64url')));
  const r = run(cli, verifyArgs(path.join(fixtures, 'receipt.json'), pub));
  assert.equal(r.stderr, '');
  assert.equal(r.status, 0);
  assert.equal(r.stdout.toString(), goldenVerdict);
  // From standard input, and pretty-printed: the same verdict.
  const stdin = run(cli, ['receipt', 'verify', '--pub', pub, '-'], { input: JSON.stringify(JSON.parse(receiptText), null, 2) });
  assert.equal(stdin.status, 0, stdin.stderr);
  assert.equal(stdin.stdout.toString(), goldenVerdict);
});

test('key new: a key pair node can sign with, mode 0600, whose receipts doui verifies', () => {
  const out = path.join(tmp, 'server.key');
  const r = run(cli, ['key', 'new', '--out', out]);
  assert.equal(r.status, 0, r.stderr);
  assert.equal(r.stderr, '');
  const keyId = r.stdout.toString().trim();
  assert.match(keyId, /^ed25519:[0-9a-f]{16}$/);
  assert.equal(statSync(out).mode & 0o777, 0o600);
  assert.equal(statSync(out).mode & 0o077, 0, 'the signing key is its owner\'s only');
  const secret = JSON.parse(readFileSync(out, 'utf8'));
  const pubFile = JSON.parse(readFileSync(out + '.pub', 'utf8'));
  assert.deepEqual(Object.keys(secret), ['format', 'key_id', 'public_key', 'secret_key']);
  assert.deepEqual(Object.keys(pubFile), ['format', 'key_id', 'public_key']);
  assert.equal(secret.key_id, keyId);
  assert.equal(pubFile.key_id, keyId);
  assert.equal(pubFile.public_key, secret.public_key);
  // The seed gives node the same public key.
  const { publicKey } = nodeKeys(out);
  assert.equal(publicKey.export({ format: 'jwk' }).x, pubFile.public_key);

  const signed = path.join(tmp, 'signed.json');
  writeFileSync(signed, signWithNode(facts, out) + '\n');
  const v = run(cli, verifyArgs(signed, pub, out + '.pub'));
  assert.equal(v.status, 0, v.stderr + v.stdout);
  assert.equal(v.stdout.toString(), `{"errors":[],"key_id":"${keyId}","record_id":"${facts.record_id}","valid":true}\n`);
  // Without its key: unknown, exit 1.
  const unknown = run(cli, verifyArgs(signed, pub));
  assert.equal(unknown.status, 1);
  assert.equal(unknown.stdout.toString(),
    `{"errors":[{"code":"receipt.unknown_key","path":"/key_id"}],"key_id":"${keyId}","record_id":"${facts.record_id}","valid":false}\n`);
});

test('key new overwrites nothing and leaves no half pair', () => {
  const out = path.join(tmp, 'taken.key');
  writeFileSync(out, 'mine');
  const r = run(cli, ['key', 'new', '--out', out]);
  assert.equal(r.status, 2);
  assert.match(r.stderr, /cli\.write_failed/);
  assert.equal(readFileSync(out, 'utf8'), 'mine');
  assert.ok(!existsSync(out + '.pub'));
  // The public key's place taken: the secret key is not left behind either.
  const out2 = path.join(tmp, 'half.key');
  writeFileSync(out2 + '.pub', 'mine');
  const r2 = run(cli, ['key', 'new', '--out', out2]);
  assert.equal(r2.status, 2);
  assert.match(r2.stderr, /half\.key\.pub: cli\.write_failed/);
  assert.ok(!existsSync(out2), 'no secret key without its public key');
  assert.equal(readFileSync(out2 + '.pub', 'utf8'), 'mine');
});

test('a changed receipt is refused: flipped bytes, every member changed', () => {
  const file = path.join(tmp, 'changed.json');
  const bytes = Buffer.from(receiptText);
  // A spread of positions over every member (each CLI run is a process: not every byte here;
  // tests/unit/receipt_test.cpp and tests/wasm flip every bit).
  for (let i = 0; i < bytes.length; i += 23) {
    const t = Buffer.from(bytes);
    t[i] ^= 0x01;
    writeFileSync(file, t);
    const r = run(cli, verifyArgs(file, pub));
    assert.equal(r.status, 1, `byte ${i}: ${t.toString('latin1')}`);
    assert.match(r.stdout.toString(), /"valid":false\}\n$/);
  }
  const golden = JSON.parse(receiptText);
  for (const [member, value] of Object.entries({
    subject: 'u-78', ledger_position: 43, received_at: '2026-12-01T02:10:00.124Z',
    record_digest: 'f'.repeat(64), ledger_entry: '0'.repeat(64), record_id: '0f1e2d3c-4b5a-4968-8776-a5b4c3d2e1f0',
  })) {
    writeFileSync(file, JSON.stringify({ ...golden, [member]: value }));
    const r = run(cli, verifyArgs(file, pub));
    assert.equal(r.status, 1, member);
    assert.match(r.stdout.toString(), /\{"code":"receipt\.bad_signature","path":"\/signature"\}/, member);
  }
  // Every problem, each with its pointer.
  const { subject, ...rest } = golden;
  writeFileSync(file, JSON.stringify({ ...rest, ledger_position: '42', extra: 1 }));
  const r = run(cli, verifyArgs(file, pub));
  assert.equal(r.status, 1);
  assert.equal(r.stdout.toString(), '{"errors":[{"code":"receipt.missing_field","path":"/subject"},'
    + '{"code":"receipt.unknown_field","path":"/extra"},{"code":"receipt.wrong_type","path":"/ledger_position"}],'
    + '"key_id":"ed25519:56475aa75463474c","record_id":"3d2b1f0e-9c8b-4a7a-b6d5-c4e3f2a1b0c9","valid":false}\n');
});

test('unusable key files: exit 2, one line each', () => {
  const bad = path.join(tmp, 'bad.pub');
  const key = JSON.parse(readFileSync(pub, 'utf8'));
  const cases = [
    [{ ...key, key_id: 'ed25519:0000000000000000' }, 'key.id_mismatch at /key_id'],
    [{ ...key, format: 'doui.key/2' }, 'key.unsupported_format at /format'],
    [{ ...key, public_key: 'AAAA' }, 'key.bad_value at /public_key'],
    [{ format: key.format, key_id: key.key_id }, 'key.missing_field at /public_key'],
  ];
  for (const [content, problem] of cases) {
    writeFileSync(bad, JSON.stringify(content));
    const r = run(cli, verifyArgs(path.join(fixtures, 'receipt.json'), pub, bad));
    assert.equal(r.status, 2, problem);
    assert.equal(r.stdout.length, 0);
    assert.ok(r.stderr.startsWith(`doui: ${bad}: ${problem}`), r.stderr);
  }
  const secret = run(cli, verifyArgs(path.join(fixtures, 'receipt.json'), path.join(fixtures, 'key.json')));
  assert.equal(secret.status, 2);
  assert.match(secret.stderr, /key\.secret_in_public at \/secret_key/);
});
