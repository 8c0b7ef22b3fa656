// The Node module (build/wasm/node/doui-verify.mjs) against the native CLI: for every record,
// verifyRecord's verdict is the line `doui verify` prints, byte for byte (JSON.stringify of the
// verdict), given as text and as bytes, with and without --policy; what makes a call impossible
// is refused with the code the CLI reports for it.
//   DOUI_NATIVE_CLI=build/native/doui DOUI_NODE_DIST=build/wasm/node node --test tests/node/verify.test.mjs
import { after, before, test } from 'node:test';
import assert from 'node:assert/strict';
import { mkdtempSync, readdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { pathToFileURL } from 'node:url';
import { cliCommand, repoRoot, run } from '../cli/run.mjs';

const native = cliCommand('DOUI_NATIVE_CLI', path.join(repoRoot, 'build/native/doui'));
const dist = path.resolve(repoRoot, process.env.DOUI_NODE_DIST || 'build/wasm/node');

// Importing the module instantiates the wasm; it must leave the host process's handlers alone.
const events = ['uncaughtException', 'unhandledRejection', 'exit'];
const listeners = () => events.map((e) => process.listenerCount(e));
const before_import = listeners();
const { verifyRecord, DouiError } = await import(pathToFileURL(path.join(dist, 'doui-verify.mjs')).href);
const after_import = listeners();

const now = '2030-01-01T00:00:00Z';
const at = '2025-06-01T10:00:00+09:00';
const id = '3d2b1f0e-9c8b-4a7a-b6d5-c4e3f2a1b0c9';
const previous = '0f1e2d3c-4b5a-4968-8776-a5b4c3d2e1f0';
const tmp = mkdtempSync(path.join(tmpdir(), 'doui-node-'));
const files = { records: path.join(tmp, 'records.ndjson'), variant: path.join(tmp, 'variant.json') };
/** @type {Buffer[]} every record, as the bytes of one line of files.records */
let records = [];
let variant = '';
let tampered = '';

const cli = (args) => {
  const r = run(native, args);
  assert.ok(r.status === 0 || r.status === 1, `native ${args.join(' ')}: ${r.status} ${r.stderr}`);
  return r.stdout.toString('utf8');
};

before(() => {
  // A later version of the bundled policy, in effect from 2025-05-01: records made under it
  // verify only with it (--policy), and records under the bundled one then need re-consent.
  const policy = JSON.parse(readFileSync(path.join(repoRoot, 'i18n/policy/ja/policy.json'), 'utf8'));
  policy.version = '2025-05-01';
  policy.effective = { date: '2025-05-01', text: '2025年05月01日施行' };
  variant = JSON.stringify(policy);
  writeFileSync(files.variant, variant);

  // The records of the CLI's parity suite, made by the native CLI now.
  const make = (...args) => cli(['consent', '--at', at, ...args]).trim();
  const valid = make('--id', id, '--subject', 'u-77', '--birthdate', '1990-01-01', '--agree', '--link', 'ponta', '--link', 'amazon');
  const lines = [
    valid,
    make('--id', id, '--subject', 'u-15', '--birthdate', '2009-06-02', '--agree', '--guardian-name', '山田 花子',
      '--guardian-kana', 'ﾔﾏﾀﾞ ﾊﾅｺ', '--guardian-relation', 'parent', '--guardian-affirm', '--guardian-covers', 'ponta',
      '--link', 'ponta'),
    make('--id', previous, '--subject', 'u-77', '--birthdate', '1990-01-01', '--event', 'withdrawn', '--previous', id),
    make('--id', id, '--subject', 'u-8', '--birthdate', '平成21年4月1日', '--agree', '--locale', 'en', '--surface',
      'privacy-center', '--link', 'd-account'),
    make('--id', id, '--subject', 'u-9', '--birthdate', '1990-01-01', '--agree', '--policy', files.variant),
  ];
  const t = JSON.parse(valid);
  t.person.age = 99;
  tampered = JSON.stringify(t);
  lines.push(tampered);
  // The same record in another byte form (members in another order): checked field by field.
  lines.push(JSON.stringify(Object.fromEntries(Object.entries(JSON.parse(valid)).reverse())));
  // The verify fuzz target's corpus (records as doui writes them, and some that are not).
  const corpus = path.join(repoRoot, 'tests/fuzz/corpus/verify');
  for (const f of readdirSync(corpus).sort()) lines.push(readFileSync(path.join(corpus, f), 'utf8').trim());
  lines.push('not json', '{"schema":"doui.consent/1"}', '{"schema":"doui.consent/2"}', '[]', '"x"');
  // Over the core's 64 KiB: refused for its size, here as by the CLI (which cuts a line at 1 MiB).
  lines.push(valid + ' '.repeat(70000), 'あ'.repeat(30000), `"${'x'.repeat(1536 * 1024)}"`);
  records = lines.map((l) => Buffer.from(l, 'utf8'));
  // Bytes that are not UTF-8 (only as bytes: a JS string cannot hold them).
  records.push(Buffer.concat([Buffer.from(valid.slice(0, 40), 'utf8'), Buffer.from([0xff, 0xfe]), Buffer.from(valid.slice(40), 'utf8')]));
  writeFileSync(files.records, Buffer.concat(records.flatMap((r) => [r, Buffer.from('\n')])));
});

after(() => rmSync(tmp, { recursive: true, force: true }));

const refused = (fn, code, path = '') => assert.throws(fn, (e) => e instanceof DouiError && e.code === code &&
  e.errors[0].path === path, `${code} at ${path}`);

test('importing the module adds no process-wide handlers', () => {
  assert.deepEqual(after_import, before_import);
});

for (const [name, cliArgs, options] of [
  ['the bundled policy', [], {}],
  ['the bundled policy and --policy (a newer version)', ['--policy', null], { policies: [null] }],
]) {
  test(`every verdict is the CLI's line, byte for byte: ${name}`, () => {
    const args = ['verify', '--now', now, ...cliArgs.map((a) => a ?? files.variant), files.records];
    const expected = cli(args).split('\n').slice(0, -1);
    assert.equal(expected.length, records.length);
    const opts = { now, ...(options.policies ? { policies: options.policies.map(() => variant) } : {}) };
    records.forEach((bytes, i) => {
      const fromBytes = verifyRecord(bytes, opts);
      assert.equal(JSON.stringify(fromBytes), expected[i], `record ${i} (bytes)`);
      const textForm = bytes.toString('utf8');
      if (Buffer.from(textForm, 'utf8').equals(bytes)) {
        assert.equal(JSON.stringify(verifyRecord(textForm, opts)), expected[i], `record ${i} (text)`);
        assert.equal(JSON.stringify(verifyRecord(textForm, { ...opts, now: new Date(now) })), expected[i], `record ${i} (Date)`);
      }
    });
  });
}

test('valid records: their digests; one made under the newer policy needs it', () => {
  const valid = verifyRecord(records[0], { now });
  assert.equal(valid.valid, true);
  assert.equal(valid.digest, JSON.parse(records[0].toString()).digest);
  assert.deepEqual(valid.errors, []);
  // The bundled policy alone does not know the newer version; with it, the older one's records
  // are valid but need re-consent.
  assert.deepEqual(verifyRecord(records[4], { now }).errors, [{ code: 'record.unknown_policy', path: '/policy' }]);
  assert.equal(verifyRecord(records[4], { now, policies: [variant] }).valid, true);
  assert.equal(verifyRecord(records[0], { now, policies: [variant] }).reconsent_required, true);
  assert.equal(verifyRecord(records[0], { now }).reconsent_required, false);
});

test('a tampered record: refused, with the exact codes and pointers', () => {
  const verdict = verifyRecord(tampered, { now });
  assert.equal(verdict.valid, false);
  assert.equal(verdict.id, id);
  assert.deepEqual(verdict.errors, [
    { code: 'record.age_mismatch', path: '/person/age' },
    { code: 'record.digest_mismatch', path: '/digest' },
  ]);
});

test('what makes a call impossible throws DouiError, with the code the CLI reports', () => {
  const line = records[0];
  // --now that is not an instant: the CLI exits 2 with time.bad_instant.
  const bad = run(native, ['verify', '--now', 'tomorrow', files.records]);
  assert.equal(bad.status, 2);
  assert.match(bad.stderr, /time\.bad_instant/);
  refused(() => verifyRecord(line, { now: 'tomorrow' }), 'time.bad_instant');
  refused(() => verifyRecord(line, { now: new Date(NaN) }), 'time.bad_instant');
  refused(() => verifyRecord(line, { now: 0 }), 'time.bad_instant');
  // A policy that does not load: the CLI's codes and pointers for the same file.
  const broken = JSON.stringify({ ...JSON.parse(variant), version: 7, sections: 'none' });
  writeFileSync(path.join(tmp, 'broken.json'), broken);
  const r = run(native, ['verify', '--now', now, '--policy', path.join(tmp, 'broken.json'), files.records]);
  assert.equal(r.status, 2);
  // "doui: FILE: code at path[: detail]" (path "/" for the whole document)
  const cliProblems = r.stderr.trim().split('\n').map((l) => l.slice(`doui: ${path.join(tmp, 'broken.json')}: `.length)
    .match(/^([a-z0-9_]+\.[a-z0-9_]+) at (\S*?)(?:: .*)?$/).slice(1));
  assert.ok(cliProblems.length >= 2);
  try {
    verifyRecord(line, { now, policies: [broken] });
    assert.fail('a broken policy was accepted');
  } catch (e) {
    assert.ok(e instanceof DouiError);
    assert.deepEqual(e.errors.map((p) => [p.code, p.path || '/']), cliProblems);
  }
  refused(() => verifyRecord(line, { now, policies: variant }), 'policy.wrong_type');
  refused(() => verifyRecord(line, { now, policies: [42] }), 'policy.wrong_type');
  refused(() => verifyRecord(line, { now, policies: ['{"a":1}\ud800'] }), 'json.invalid_utf8');
  refused(() => verifyRecord(line, 'options'), 'time.bad_instant');
  refused(() => verifyRecord(42, { now }), 'record.wrong_type');
  refused(() => verifyRecord({ schema: 'doui.consent/1' }, { now }), 'record.wrong_type');
  refused(() => verifyRecord('{"subject":"\udc00"}', { now }), 'json.invalid_utf8');
  // A refused call changes nothing: the next verdicts are as before.
  assert.equal(verifyRecord(line, { now }).valid, true);
  assert.equal(verifyRecord(records[4], { now, policies: [variant] }).valid, true);
});

test('the policies given are kept between calls, and replaced by other ones', () => {
  const other = JSON.stringify({ ...JSON.parse(variant), version: '2025-05-02', effective: { date: '2025-05-02', text: '2025年05月02日施行' } });
  for (let k = 0; k < 3; k++) {
    assert.equal(verifyRecord(records[4], { now, policies: [variant] }).valid, true);
    assert.equal(verifyRecord(records[4], { now, policies: [other] }).valid, false);
    assert.equal(verifyRecord(records[4], { now, policies: [other, variant] }).valid, true);
    assert.equal(verifyRecord(records[4], { now }).valid, false);
  }
  // A policy near the 8 MiB limit grows the wasm memory; the module reads it afresh after.
  const large = variant + ' '.repeat((7 << 20) - variant.length);
  assert.equal(verifyRecord(records[4], { now, policies: [large] }).valid, true);
  assert.equal(JSON.stringify(verifyRecord(records[1], { now, policies: [large] })), JSON.stringify(verifyRecord(records[1], { now, policies: [variant] })));
  refused(() => verifyRecord(records[4], { now, policies: [large + ' '.repeat(2 << 20)] }), 'json.too_large');
});

test('many verdicts in one process: the same verdict every time', () => {
  const first = JSON.stringify(verifyRecord(records[1], { now }));
  for (let k = 0; k < 5000; k++) {
    const r = records[k % records.length];
    verifyRecord(r, { now });
  }
  assert.equal(JSON.stringify(verifyRecord(records[1], { now })), first);
});
