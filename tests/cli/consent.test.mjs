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

test('age rejects unusable input with exit 2 and a code', () => {
  for (const [b, code] of [['2010-02-30', 'birthdate.no_such_date'], ['平成31年5月1日', 'birthdate.bad_era'],
    ['someday', 'birthdate.bad_format'], ['1899-12-31', 'birthdate.implausible'], ['2030-01-01', 'birthdate.in_future']]) {
    const r = run(cli, ['age', '--birthdate', b, '--at', '2025-06-01T00:00:00+09:00']);
    assert.equal(r.status, 2, b);
    assert.ok(r.stderr.includes(code), `${b}: ${r.stderr}`);
    assert.equal(r.stdout.length, 0);
  }
  const bad = run(cli, ['age', '--birthdate', '2009-04-01', '--at', '2025-06-01 10:00']);
  assert.equal(bad.status, 2);
  assert.ok(bad.stderr.includes('time.bad_instant'));
  assert.equal(run(cli, ['age', '--birthdate', '2009-04-01']).status, 2);
});

function consent(args) {
  return run(cli, ['consent', '--at', '2025-06-01T10:00:00+09:00', ...args]);
}

test('consent builds a canonical record; reproducible with --id', () => {
  const args = ['--subject', 'u-77', '--birthdate', '1990-01-01', '--link', 'ponta', '--link', 'amazon',
    '--id', '3d2b1f0e-9c8b-4a7a-b6d5-c4e3f2a1b0c9'];
  const a = consent(args);
  assert.equal(a.status, 0, a.stderr);
  const b = consent(args);
  assert.deepEqual(a.stdout, b.stdout);
  const rec = JSON.parse(a.stdout.toString());
  assert.equal(rec.schema, 'doui.consent/1');
  assert.equal(rec.consent_by.role, 'subject');
  assert.deepEqual(rec.choices.filter((l) => l.chosen).map((l) => l.id), ['ponta', 'amazon']);
  const fresh = JSON.parse(consent(['--subject', 'u-77', '--birthdate', '1990-01-01']).stdout.toString());
  assert.match(fresh.record_id, /^[0-9a-f]{8}-[0-9a-f]{4}-4[0-9a-f]{3}-[89ab][0-9a-f]{3}-[0-9a-f]{12}$/);
  assert.notEqual(fresh.record_id, rec.record_id);
});

test('consent refuses a 15-year-old alone (exit 1) and accepts a guardian', () => {
  const alone = consent(['--subject', 'u-15', '--birthdate', '2009-06-02']);
  assert.equal(alone.status, 1);
  assert.ok(alone.stderr.includes('guardian.required at /guardian'), alone.stderr);
  assert.equal(alone.stdout.length, 0);
  const withParent = consent(['--subject', 'u-15', '--birthdate', '2009-06-02', '--guardian-name', '山田 花子',
    '--guardian-relation', '親権者', '--link', 'ponta']);
  assert.equal(withParent.status, 0, withParent.stderr);
  const rec = JSON.parse(withParent.stdout.toString());
  assert.equal(rec.consent_by.relationship, 'parent');
  assert.deepEqual(rec.consent_by.covers, ['ponta']);
  const notCovered = consent(['--subject', 'u-15', '--birthdate', '2009-06-02', '--guardian-name', '山田 花子',
    '--guardian-relation', 'parent', '--guardian-covers', 'amazon', '--link', 'ponta']);
  assert.equal(notCovered.status, 1);
  assert.ok(notCovered.stderr.includes('linkage.not_covered_by_guardian'), notCovered.stderr);
  const adultGuardian = consent(['--subject', 'u-30', '--birthdate', '1995-01-01', '--guardian-name', 'x',
    '--guardian-relation', 'parent']);
  assert.equal(adultGuardian.status, 1);
  assert.ok(adultGuardian.stderr.includes('guardian.not_applicable'));
  const unknown = consent(['--subject', 'u-30', '--birthdate', '1995-01-01', '--link', 'line']);
  assert.equal(unknown.status, 1);
  assert.ok(unknown.stderr.includes('linkage.unknown'));
});

test('verify streams NDJSON verdicts; exit 0 all valid, 1 any invalid, 2 unusable', () => {
  const records = [];
  for (const c of cases.filter((x) => x.problems.length === 0)) {
    const i = c.inputs;
    const args = ['consent', '--at', c.at, '--subject', i.subject, '--birthdate', i.birthdate];
    for (const l of i.linkages || []) args.push('--link', l);
    if (i.guardian_name) {
      args.push('--guardian-name', i.guardian_name, '--guardian-relation', i.guardian_relationship);
      if (i.guardian_name_kana) args.push('--guardian-kana', i.guardian_name_kana);
      for (const l of i.guardian_covers || []) args.push('--guardian-covers', l);
    }
    const r = run(cli, args);
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
  assert.deepEqual(bad.errors, [{ code: 'record.age_mismatch', path: '/person/age' }]);
  assert.equal(garbage.valid, false);
  assert.equal(garbage.errors[0].code, 'json.syntax');

  const pretty = path.join(tmp, 'pretty.json');
  writeFileSync(pretty, JSON.stringify(JSON.parse(records[0]), null, 2));
  const one = run(cli, ['verify', '--now', '2030-01-01T00:00:00Z', pretty]);
  assert.equal(one.status, 0, one.stdout.toString());

  assert.equal(run(cli, ['verify', path.join(tmp, 'missing.ndjson')]).status, 2);
  assert.equal(run(cli, ['verify', '-'], { input: '' }).status, 2);
  assert.equal(run(cli, ['verify', '--now', 'soon', file]).status, 2);
});

test('verify reads records across 1 MiB blocks, CRLF lines and over-long lines', () => {
  const r = consent(['--subject', 'u-7', '--birthdate', '1990-01-01', '--link', 'ponta']);
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
      ['consent', '--subject', 'u-1', '--birthdate', '1990-01-01'],
      ['age', '--birthdate', '1990-01-01', '--at', '2025-06-01T00:00:00Z'],
      ['render'],
    ]) {
      const [exe, ...pre] = cli;
      const r = spawnSync(exe, [...pre, ...args], { cwd: repoRoot, stdio: ['ignore', full, 'pipe'] });
      assert.equal(r.status, 2, `${args[0]}: ${r.stderr}`);
      assert.match(r.stderr.toString(), /cli\.write_failed/);
    }
  } finally {
    closeSync(full);
  }
});

test('a cut-short first line gets its own verdict and the records after it are read', () => {
  const r = consent(['--subject', 'u-8', '--birthdate', '1990-01-01', '--link', 'amazon']);
  const record = r.stdout.toString().trim();
  const out = run(cli, ['verify', '--now', '2030-01-01T00:00:00Z', '-'],
    { input: `${record.slice(0, 300)}\n${record}\n${record}\n` });
  assert.equal(out.status, 1);
  const verdicts = out.stdout.toString().trim().split('\n').map((l) => JSON.parse(l));
  assert.deepEqual(verdicts.map((v) => v.valid), [false, true, true]);
});

test('export --as dpv emits JSON-LD per record', () => {
  const r = consent(['--subject', 'u-9', '--birthdate', '2012-01-01', '--guardian-name', '田中 翔',
    '--guardian-relation', 'guardian', '--link', 'amazon']);
  assert.equal(r.status, 0, r.stderr);
  const out = run(cli, ['export', '--as', 'dpv', '-'], { input: r.stdout });
  assert.equal(out.status, 0, out.stderr);
  const doc = JSON.parse(out.stdout.toString());
  assert.equal(doc['@type'], 'dpv:ConsentRecord');
  assert.equal(doc['dpv:isIndicatedBy']['@type'], 'dpv:GuardianOfDataSubject');
  const recordFile = path.join(tmp, 'one.json');
  writeFileSync(recordFile, r.stdout);
  assert.equal(run(cli, ['export', '--as', 'csv', recordFile]).status, 2);
  assert.equal(run(cli, ['export', '--as', 'dpv', path.join(tmp, 'missing.json')]).status, 2);
});
