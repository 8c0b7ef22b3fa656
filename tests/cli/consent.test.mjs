// The consent CLI (age, consent, verify, export), against the native or the wasm CLI (DOUI_CLI).
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { closeSync, mkdtempSync, openSync, readFileSync, writeFileSync } from 'node:fs';
import { spawnSync } from 'node:child_process';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { cliCommand, repoRoot, run } from './run.mjs';

const cli = cliCommand('DOUI_CLI', path.join(repoRoot, 'build/native/doui'));
const tmp = mkdtempSync(path.join(tmpdir(), 'doui-consent-'));
const cases = JSON.parse(readFileSync(path.join(repoRoot, 'tests/fixtures/consent-cases.json'), 'utf8')).cases;

function age(birthdate, at) {
  const r = run(cli, ['age', '--birthdate', birthdate, '--at', at]);
  assert.equal(r.status, 0, r.stderr);
  return JSON.parse(r.stdout.toString());
}

test('age follows Japan time and 29 February', () => {
  assert.deepEqual(age('2009-04-01', '2025-03-31T23:59:59+09:00'), { age: 15, guardian_required: true });
  assert.deepEqual(age('2009-04-01', '2025-04-01T00:00:00+09:00'), { age: 16, guardian_required: false });
  assert.deepEqual(age('2009-04-01', '2025-03-31T15:00:00Z'), { age: 16, guardian_required: false });
  assert.deepEqual(age('2009-04-01', '2025-03-31T09:59:59-05:00'), { age: 15, guardian_required: true });
  assert.deepEqual(age('2008-02-29', '2024-02-28T23:59:59+09:00'), { age: 15, guardian_required: true });
  assert.deepEqual(age('2008-02-29', '2024-02-29T00:00:00+09:00'), { age: 16, guardian_required: false });
  assert.deepEqual(age('2008-02-29', '2023-02-28T12:00:00+09:00'), { age: 14, guardian_required: true });
  assert.deepEqual(age('2008-02-29', '2023-03-01T00:00:00+09:00'), { age: 15, guardian_required: true });
  assert.deepEqual(age('平成21年4月1日', '2025-04-01T00:00:00+09:00'), { age: 16, guardian_required: false });
  assert.deepEqual(age('２００９年４月１日', '2025-03-31T23:00:00+09:00'), { age: 15, guardian_required: true });
});

test('age: a birth date that is not usable exits 1 (it is what age judges), --at exits 2', () => {
  for (const [b, code] of [['2010-02-30', 'birthdate.no_such_date'], ['平成31年5月1日', 'birthdate.bad_era'],
    ['someday', 'birthdate.bad_format'], ['1899-12-31', 'birthdate.implausible'], ['2030-01-01', 'birthdate.in_future'],
    ['', 'birthdate.missing'], ['\u3000 ', 'birthdate.missing']]) {
    const r = run(cli, ['age', '--birthdate', b, '--at', '2025-06-01T00:00:00+09:00']);
    assert.equal(r.status, 1, b);
    assert.match(r.stderr, new RegExp(`^doui: --birthdate: ${code.replace('.', '\\.')} at /(: [^\n]*)?\n$`), `${b}: ${r.stderr}`);
    assert.equal(r.stdout.length, 0);
  }
  const bad = run(cli, ['age', '--birthdate', '2009-04-01', '--at', '2025-06-01 10:00']);
  assert.equal(bad.status, 2);
  assert.match(bad.stderr, /^doui: --at: time\.bad_instant at \/(: [^\n]*)?\n$/);
  const missing = run(cli, ['age', '--birthdate', '2009-04-01']);
  assert.equal(missing.status, 2);
  assert.equal(missing.stderr, 'doui: cli.usage: age needs --at INSTANT (see doui age --help)\n');
});

test('age writes the core\'s age JSON, byte for byte', () => {
  const r = run(cli, ['age', '--birthdate', '2009-04-01', '--at', '2025-03-31T23:59:59+09:00']);
  assert.equal(r.stdout.toString(), '{"age":15,"guardian_required":true}\n');
});

function consent(args) {
  return run(cli, ['consent', '--at', '2025-06-01T10:00:00+09:00', ...args]);
}

// The consent case's inputs as the CLI's options: every choice explicit, as on the form.
function caseArgs(c) {
  const i = c.inputs;
  const args = ['consent', '--at', c.at, '--subject', i.subject, '--birthdate', i.birthdate];
  if (i.policy_agreed) args.push('--agree');
  for (const l of i.linkages || []) args.push('--link', l);
  if (i.guardian_name) args.push('--guardian-name', i.guardian_name);
  if (i.guardian_name_kana) args.push('--guardian-kana', i.guardian_name_kana);
  if (i.guardian_relationship) args.push('--guardian-relation', i.guardian_relationship);
  if (i.guardian_affirmed) args.push('--guardian-affirm');
  for (const l of i.guardian_covers || []) args.push('--guardian-covers', l);
  return args;
}

test('consent gives each shared case\'s problems, one line each, exit 1', () => {
  assert.ok(cases.length > 0);
  for (const c of cases) {
    const r = run(cli, caseArgs(c));
    if (c.problems.length === 0) {
      assert.equal(r.status, 0, `${c.name}: ${r.stderr}`);
      assert.equal(JSON.parse(r.stdout.toString()).person.age, c.age, c.name);
      continue;
    }
    assert.equal(r.status, 1, `${c.name}: ${r.stderr}`);
    assert.equal(r.stdout.length, 0);
    const lines = r.stderr.trimEnd().split('\n');
    assert.deepEqual(lines.map((l) => l.match(/^doui: consent: ([a-z_]+\.[a-z_]+) at /)?.[1]),
      c.problems.map((p) => p.code), `${c.name}: ${r.stderr}`);
  }
});

test('consent builds a canonical record; reproducible with --id', () => {
  const args = ['--subject', 'u-77', '--birthdate', '1990-01-01', '--agree', '--link', 'ponta', '--link', 'amazon',
    '--id', '3d2b1f0e-9c8b-4a7a-b6d5-c4e3f2a1b0c9'];
  const a = consent(args);
  assert.equal(a.status, 0, a.stderr);
  const b = consent(args);
  assert.deepEqual(a.stdout, b.stdout);
  const rec = JSON.parse(a.stdout.toString());
  assert.equal(rec.schema, 'doui.consent/1');
  assert.equal(rec.consent_by.role, 'subject');
  assert.deepEqual(rec.choices.filter((l) => l.chosen).map((l) => l.id), ['ponta', 'amazon']);
  const fresh = JSON.parse(consent(['--subject', 'u-77', '--birthdate', '1990-01-01', '--agree']).stdout.toString());
  assert.match(fresh.record_id, /^[0-9a-f]{8}-[0-9a-f]{4}-4[0-9a-f]{3}-[89ab][0-9a-f]{3}-[0-9a-f]{12}$/);
  assert.notEqual(fresh.record_id, rec.record_id);
});

test('consent refuses a 15-year-old alone (exit 1) and accepts a guardian', () => {
  const alone = consent(['--subject', 'u-15', '--birthdate', '2009-06-02', '--agree']);
  assert.equal(alone.status, 1);
  assert.match(alone.stderr, /^doui: consent: guardian\.required at \/guardian(: [^\n]*)?\n$/);
  assert.equal(alone.stdout.length, 0);
  const withParent = consent(['--subject', 'u-15', '--birthdate', '2009-06-02', '--agree', '--guardian-name', '山田 花子',
    '--guardian-relation', '親権者', '--guardian-affirm', '--guardian-covers', 'ponta', '--link', 'ponta']);
  assert.equal(withParent.status, 0, withParent.stderr);
  const rec = JSON.parse(withParent.stdout.toString());
  assert.equal(rec.consent_by.relationship, 'parent');
  assert.deepEqual(rec.consent_by.covers, ['ponta']);
  // Naming a guardian implies nothing: no affirmation, no linkage covered.
  const implied = consent(['--subject', 'u-15', '--birthdate', '2009-06-02', '--agree', '--guardian-name', '山田 花子',
    '--guardian-relation', '親権者', '--link', 'ponta']);
  assert.equal(implied.status, 1);
  assert.deepEqual(implied.stderr.trimEnd().split('\n').map((l) => l.split(': ')[2]),
    ['guardian.not_affirmed at /guardian/affirmed', 'linkage.not_covered_by_guardian at /linkages/0'], implied.stderr);
  const notCovered = consent(['--subject', 'u-15', '--birthdate', '2009-06-02', '--agree', '--guardian-name', '山田 花子',
    '--guardian-relation', 'parent', '--guardian-affirm', '--guardian-covers', 'amazon', '--link', 'ponta']);
  assert.equal(notCovered.status, 1);
  assert.match(notCovered.stderr, /^doui: consent: linkage\.not_covered_by_guardian at \/linkages\/0: [^\n]*\n$/);
  const adultGuardian = consent(['--subject', 'u-30', '--birthdate', '1995-01-01', '--agree', '--guardian-name', 'x',
    '--guardian-relation', 'parent', '--guardian-affirm']);
  assert.equal(adultGuardian.status, 1);
  assert.match(adultGuardian.stderr, /^doui: consent: guardian\.not_applicable at \/guardian(: [^\n]*)?\n$/);
  const unknown = consent(['--subject', 'u-30', '--birthdate', '1995-01-01', '--agree', '--link', 'line']);
  assert.equal(unknown.status, 1);
  assert.match(unknown.stderr, /^doui: consent: linkage\.unknown at \/linkages\/0: [^\n]*\n$/);
  const notAgreed = consent(['--subject', 'u-30', '--birthdate', '1995-01-01']);
  assert.equal(notAgreed.status, 1);
  assert.match(notAgreed.stderr, /^doui: consent: consent\.not_given at \/policy_agreed: [^\n]*\n$/);
});

test('verify streams NDJSON verdicts; exit 0 all valid, 1 any invalid, 2 unusable', () => {
  const records = [];
  for (const c of cases.filter((x) => x.problems.length === 0)) {
    const r = run(cli, caseArgs(c));
    assert.equal(r.status, 0, `${c.name}: ${r.stderr}`);
    records.push(r.stdout.toString().trim());
  }
  const file = path.join(tmp, 'records.ndjson');
  writeFileSync(file, records.join('\n') + '\n');
  const ok = run(cli, ['verify', '--now', '2030-01-01T00:00:00Z', file]);
  assert.equal(ok.status, 0, ok.stdout.toString());
  const verdicts = ok.stdout.toString().trim().split('\n').map((l) => JSON.parse(l));
  assert.equal(verdicts.length, records.length);
  for (const v of verdicts) assert.deepEqual([v.valid, v.errors], [true, []]);

  const tampered = JSON.parse(records[0]);
  tampered.person.age = 99;
  const mixed = run(cli, ['verify', '--now', '2030-01-01T00:00:00Z', '-'],
    { input: records[1] + '\n' + JSON.stringify(tampered) + '\nnot json\n' });
  assert.equal(mixed.status, 1);
  const [good, bad, garbage] = mixed.stdout.toString().trim().split('\n').map((l) => JSON.parse(l));
  assert.equal(good.valid, true);
  assert.equal(bad.valid, false);
  // The stated age is not the birth date's, and the digest no longer fits the bytes.
  assert.deepEqual(bad.errors, [
    { code: 'record.age_mismatch', path: '/person/age' },
    { code: 'record.digest_mismatch', path: '/digest' },
  ]);
  assert.equal(garbage.valid, false);
  assert.deepEqual(garbage.errors, [{ code: 'json.syntax', path: '' }]);

  const pretty = path.join(tmp, 'pretty.json');
  writeFileSync(pretty, JSON.stringify(JSON.parse(records[0]), null, 2));
  const one = run(cli, ['verify', '--now', '2030-01-01T00:00:00Z', pretty]);
  assert.equal(one.status, 0, one.stdout.toString());

  const missing = run(cli, ['verify', path.join(tmp, 'missing.ndjson')]);
  assert.equal(missing.status, 2);
  assert.equal(missing.stderr, `doui: ${path.join(tmp, 'missing.ndjson')}: cli.read_failed: cannot read the file\n`);
  const empty = run(cli, ['verify', '-'], { input: '' });
  assert.equal(empty.status, 2);
  assert.equal(empty.stderr, 'doui: cli.usage: no record in the input (see doui verify --help)\n');
  const soon = run(cli, ['verify', '--now', 'soon', file]);
  assert.equal(soon.status, 2);
  assert.match(soon.stderr, /^doui: --now: time\.bad_instant at \/(: [^\n]*)?\n$/);
  assert.equal(soon.stdout.length, 0);
});

test('verify reads records across 1 MiB blocks, CRLF lines and over-long lines', () => {
  const r = consent(['--subject', 'u-7', '--birthdate', '1990-01-01', '--agree', '--link', 'ponta']);
  assert.equal(r.status, 0, r.stderr);
  const record = r.stdout.toString().trim();
  // ~700 records (~2.6 MB): lines straddle the reader's 1 MiB blocks; every third ends in CRLF.
  const lines = [];
  for (let i = 0; i < 700; ++i) lines.push(record + (i % 3 === 0 ? '\r' : ''));
  // One line longer than 1 MiB: refused as too large, and the records after it still read.
  lines.splice(350, 0, JSON.stringify({ note: 'x'.repeat(1_500_000) }));
  const file = path.join(tmp, 'many.ndjson');
  writeFileSync(file, lines.join('\n'));  // and no newline after the last record
  const out = run(cli, ['verify', '--now', '2030-01-01T00:00:00Z', file]);
  assert.equal(out.status, 1);
  const verdicts = out.stdout.toString().trim().split('\n').map((l) => JSON.parse(l));
  assert.equal(verdicts.length, 701);
  assert.deepEqual(verdicts[350].errors, [{ code: 'record.too_large', path: '' }]);
  verdicts.splice(350, 1);
  assert.ok(verdicts.every((v) => v.valid && v.digest === verdicts[0].digest));
});

test('output that cannot be written is an error, not a silent success', () => {
  const full = openSync('/dev/full', 'w');
  try {
    for (const args of [
      ['consent', '--subject', 'u-1', '--birthdate', '1990-01-01', '--agree'],
      ['age', '--birthdate', '1990-01-01', '--at', '2025-06-01T00:00:00Z'],
      ['render'],
    ]) {
      const [exe, ...pre] = cli;
      const r = spawnSync(exe, [...pre, ...args], { cwd: repoRoot, stdio: ['ignore', full, 'pipe'] });
      assert.equal(r.status, 2, `${args[0]}: ${r.stderr}`);
      assert.equal(r.stderr.toString(), `doui: ${args[0]}: cli.write_failed: the output could not be written\n`);
    }
  } finally {
    closeSync(full);
  }
});

test('a cut-short first line gets its own verdict and the records after it are read', () => {
  const r = consent(['--subject', 'u-8', '--birthdate', '1990-01-01', '--agree', '--link', 'amazon']);
  const record = r.stdout.toString().trim();
  const out = run(cli, ['verify', '--now', '2030-01-01T00:00:00Z', '-'],
    { input: `${record.slice(0, 300)}\n${record}\n${record}\n` });
  assert.equal(out.status, 1);
  const verdicts = out.stdout.toString().trim().split('\n').map((l) => JSON.parse(l));
  assert.deepEqual(verdicts.map((v) => v.valid), [false, true, true]);
});

test('export --as dpv emits JSON-LD per record', () => {
  const r = consent(['--subject', 'u-9', '--birthdate', '2012-01-01', '--agree', '--guardian-name', '田中 翔',
    '--guardian-relation', 'guardian', '--guardian-affirm', '--guardian-covers', 'amazon', '--link', 'amazon']);
  assert.equal(r.status, 0, r.stderr);
  const out = run(cli, ['export', '--as', 'dpv', '-'], { input: r.stdout });
  assert.equal(out.status, 0, out.stderr);
  const doc = JSON.parse(out.stdout.toString());
  assert.equal(doc['@type'], 'dpv:ConsentRecord');
  assert.equal(doc['dpv:isIndicatedBy']['@type'], 'dpv:GuardianOfDataSubject');
  const recordFile = path.join(tmp, 'one.json');
  writeFileSync(recordFile, r.stdout);
  const csv = run(cli, ['export', '--as', 'csv', recordFile]);
  assert.equal(csv.status, 2);
  assert.equal(csv.stderr, 'doui: cli.usage: export needs --as dpv (see doui export --help)\n');
  const missing = run(cli, ['export', '--as', 'dpv', path.join(tmp, 'missing.json')]);
  assert.equal(missing.status, 2);
  assert.equal(missing.stderr, `doui: ${path.join(tmp, 'missing.json')}: cli.read_failed: cannot read the file\n`);
});

test('--policy: a second policy file for consent, verify and export', () => {
  // The bundled policy with a new version: a record made against it verifies only with it.
  const policy = JSON.parse(readFileSync(path.join(repoRoot, 'i18n/policy/ja/policy.json'), 'utf8'));
  policy.version = '2025-04-02';
  const second = path.join(tmp, 'second-policy.json');
  writeFileSync(second, JSON.stringify(policy));
  const r = consent(['--subject', 'u-2', '--birthdate', '1990-01-01', '--agree', '--policy', second,
    '--id', '3d2b1f0e-9c8b-4a7a-b6d5-c4e3f2a1b0c9']);
  assert.equal(r.status, 0, r.stderr);
  const rec = JSON.parse(r.stdout.toString());
  assert.equal(rec.policy.version, '2025-04-02');
  const digest = run(cli, ['policy', 'digest', second]).stdout.toString().trim();
  assert.equal(rec.policy.digest, digest);
  const now = '2030-01-01T00:00:00Z';
  const without = run(cli, ['verify', '--now', now, '-'], { input: r.stdout });
  assert.equal(without.status, 1);
  assert.deepEqual(JSON.parse(without.stdout.toString()).errors, [{ code: 'record.unknown_policy', path: '/policy' }]);
  const withIt = run(cli, ['verify', '--now', now, '--policy', second, '-'], { input: r.stdout });
  assert.equal(withIt.status, 0, withIt.stdout.toString());
  assert.equal(JSON.parse(withIt.stdout.toString()).valid, true);
  const refused = run(cli, ['export', '--as', 'dpv', '--now', now, '-'], { input: r.stdout });
  assert.equal(refused.status, 1);
  assert.equal(refused.stdout.length, 0);
  assert.match(refused.stderr, /^doui: export: line 1: record\.unknown_policy at \/policy(: [^\n]*)?\n$/);
  const exported = run(cli, ['export', '--as', 'dpv', '--now', now, '--policy', second, '-'], { input: r.stdout });
  assert.equal(exported.status, 0, exported.stderr);
  assert.equal(JSON.parse(exported.stdout.toString())['@type'], 'dpv:ConsentRecord');
  const twice = consent(['--subject', 'u-2', '--birthdate', '1990-01-01', '--agree', '--policy', second, '--policy', second]);
  assert.equal(twice.status, 2);
  assert.equal(twice.stderr, 'doui: cli.usage: --policy is given twice; it takes one value (see doui consent --help)\n');
});
