// What the browser module gives a widget so that it computes nothing (issue #9): the shared
// consent cases (tests/fixtures/consent-cases.json) through the session, with the birth date in
// words and problems named as the inputs; the catalogs (doui.messages); and the same record from
// the same choices as the CLI, byte for byte.
//   DOUI_WEB_DIST    the wasm build's web output (default build/wasm/web)
//   DOUI_NATIVE_CLI  the native doui (default build/native/doui)
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { readFileSync, existsSync } from 'node:fs';
import { createRequire } from 'node:module';
import path from 'node:path';
import { fileURLToPath, pathToFileURL } from 'node:url';
import { run } from '../cli/run.mjs';

const here = path.dirname(fileURLToPath(import.meta.url));
const root = path.resolve(here, '../..');
const dist = path.resolve(root, process.env.DOUI_WEB_DIST || 'build/wasm/web');
const nativeCli = [path.resolve(root, process.env.DOUI_NATIVE_CLI || 'build/native/doui')];
const cases = JSON.parse(readFileSync(path.join(root, 'tests/fixtures/consent-cases.json'), 'utf8')).cases;

assert.ok(existsSync(path.join(dist, 'doui.mjs')), `wasm web build missing: ${dist} (build the wasm preset)`);
// Emscripten 3.1.6's ES6 glue still looks for CommonJS globals when it detects node.
globalThis.__dirname = dist;
globalThis.require = createRequire(import.meta.url);
const { loadDoui, DouiError } = await import(pathToFileURL(path.join(dist, 'doui.mjs')).href);
// The one definition of the codes and of the UI keys (codes.ts is generated from these).
const ERROR_CODES = JSON.parse(readFileSync(path.join(root, 'core/codes/codes.json'), 'utf8')).errors.map((e) => e.code);
// (Not the privacy center's site.* texts: its pages are rendered natively, so the browser
// module's catalogs leave them out.)
const UI_KEYS = Object.keys(JSON.parse(readFileSync(path.join(root, 'i18n/messages/ja.json'), 'utf8')).ui)
  .filter((k) => !k.startsWith('site.'));
const doui = await loadDoui({ wasmBinary: readFileSync(path.join(dist, 'doui-core.wasm')) });
const policy = doui.loadPolicy();

/** A case's inputs set one by one, as a form sets them. */
function session(c, extra = []) {
  const s = policy.startSession({ now: c.at });
  const i = c.inputs;
  for (const f of ['subject', 'birthdate', 'policy_agreed', 'linkages']) if (f in i) s.set(f, i[f]);
  const g = {};
  if (i.guardian_name) g.name = i.guardian_name;
  if (i.guardian_name_kana) g.name_kana = i.guardian_name_kana;
  if (i.guardian_relationship) g.relationship = i.guardian_relationship;
  if (i.guardian_affirmed) g.affirmed = true;
  if (i.guardian_covers) g.covers = i.guardian_covers;
  if (Object.keys(g).length) s.set('guardian', g);
  for (const [f, v] of extra) s.set(f, v);
  return s;
}

test('the shared consent cases give their state through the session', () => {
  assert.ok(cases.length >= 20);
  for (const c of cases) {
    const st = session(c).state();
    assert.equal(st.age, c.age, c.name);
    assert.equal(st.guardian_required, c.guardian_required, c.name);
    assert.deepEqual(st.problems.map((p) => [p.field, p.code]), c.problems.map((p) => [p.field, p.code]), c.name);
    assert.equal(st.complete, c.problems.length === 0, c.name);
    if ('birthdate' in c) assert.deepEqual(st.birthdate, c.birthdate, c.name);
    for (const p of st.problems) assert.ok(p.message.ja && p.message.en, c.name);
  }
});

test('a missing birth date is birthdate.missing, a wrong one birthdate.bad_format', () => {
  const s = policy.startSession({ now: '2025-06-01T10:00:00+09:00' });
  s.set('subject', 'u-1');
  s.set('policy_agreed', true);
  let st = s.state();
  assert.deepEqual(st.problems.map((p) => [p.field, p.code]), [['birthdate', 'birthdate.missing']]);
  assert.equal(st.birthdate, null);
  assert.equal(st.problems[0].message.ja, '生年月日を入力してください。');
  for (const empty of ['', ' ', '\u3000']) {
    st = s.set('birthdate', empty);
    assert.deepEqual(st.problems.map((p) => p.code), ['birthdate.missing'], JSON.stringify(empty));
  }
  st = s.set('birthdate', 'someday');
  assert.deepEqual(st.problems.map((p) => p.code), ['birthdate.bad_format']);
  st = s.set('birthdate', '令和元年5月1日');
  assert.deepEqual(st.birthdate.words, { ja: '2019年5月1日（令和元年）', en: '1 May 2019 (Reiwa 1)' });
  assert.deepEqual(st.birthdate.age_words, { ja: '6歳', en: 'age 6' });
  // The guardian section goes away when the date becomes an adult's.
  assert.deepEqual(st.problems.map((p) => p.field), ['guardian']);
  st = s.set('birthdate', '２００９／４／１');
  assert.equal(st.birthdate.iso, '2009-04-01');
  assert.equal(st.birthdate.age, 16);
  assert.equal(st.guardian_required, false);
  assert.equal(st.complete, true);
});

test('every problem field is a name set() takes, linkages.<id> included', () => {
  const s = policy.startSession({ now: '2025-06-01T10:00:00+09:00' });
  s.set('subject', 'u-15');
  s.set('birthdate', '2012-01-01');
  let st = s.set('linkages.ponta', true);
  assert.deepEqual(st.problems.map((p) => p.field), ['guardian', 'policy_agreed', 'linkages.ponta']);
  assert.deepEqual(s.inputs.linkages, ['ponta']);
  for (const p of st.problems) {
    // set(field, …) accepts the field: a refusal would throw record.unknown_field.
    const value = p.field === 'policy_agreed' || p.field.startsWith('linkages.') ? true
      : { name: '山田 花子', relationship: 'parent', affirmed: true, covers: ['ponta'] };
    st = s.set(p.field, value);
  }
  assert.equal(st.complete, true, JSON.stringify(st.problems));
  st = s.set('linkages.ponta', false);
  assert.deepEqual(s.inputs.linkages, []);
  assert.throws(() => s.set('linkages.ponta', 'yes'), (e) => e instanceof DouiError && e.code === 'record.wrong_type');
  assert.throws(() => s.set('linkage.ponta', true), (e) => e instanceof DouiError && e.code === 'record.unknown_field');
  st = s.set('linkages.nope', true);
  assert.deepEqual(st.problems.map((p) => [p.field, p.code]), [['linkages.nope', 'linkage.unknown']]);
});

test('each linkage comes with its name and both checkbox labels', () => {
  const st = policy.startSession({ now: '2025-06-01T10:00:00+09:00' }).state();
  assert.deepEqual(st.linkages.map((l) => l.name.ja), ['Ponta', 'dアカウント', 'Amazon']);
  assert.deepEqual(st.linkages.map((l) => l.label.ja), ['Pontaと連携する（任意）', 'dアカウントと連携する（任意）', 'Amazonと連携する（任意）']);
  assert.equal(st.linkages[1].label.en, 'Link with d ACCOUNT (optional)');
  for (const l of st.linkages) assert.ok(l.guardian_label.ja.includes(l.name.ja) && l.guardian_label.ja.includes('保護者'));
});

test('doui.messages gives each catalog: every UI key, every message a page meets', () => {
  const ja = doui.messages('ja');
  const en = doui.messages('en');
  assert.equal(ja.locale, 'ja');
  assert.equal(en.locale, 'en');
  assert.deepEqual(Object.keys(ja.ui), Object.keys(en.ui));
  assert.deepEqual(Object.keys(ja.ui), UI_KEYS);
  assert.equal(ja.ui['label.birthdate'], '生年月日');
  assert.ok(ja.ui['label.guardian_name'].includes('保護者'));
  assert.ok(ja.ui['action.submit'].includes('同意'));
  for (const r of ['親権者', '未成年後見人', 'その他の法定代理人']) assert.ok(Object.values(ja.ui).includes(r), r);
  assert.equal(ja.errors['birthdate.missing'], '生年月日を入力してください。');
  assert.ok(ja.errors['ledger.not_latest'] && en.errors['http.unauthorized'], 'the server\'s refusals reach a page');
  assert.equal(ja.errors['key.bad_value'], undefined, 'key files never reach a page');
  assert.equal(en.errors['cli.usage'], undefined, 'nor the CLI\'s command lines');
  const browser = ERROR_CODES.filter((c) => !/^(cli|key|receipt)\./.test(c));
  assert.deepEqual(Object.keys(ja.errors).sort(), browser.sort());
  assert.deepEqual(Object.keys(en.errors).sort(), browser.sort());
  // The messages the state gives are the catalog's, filled.
  const st = policy.startSession({ now: '2025-06-01T10:00:00+09:00' }).state();
  assert.equal(st.problems.find((p) => p.code === 'consent.not_given').message.en, en.errors['consent.not_given']);
  assert.notEqual(doui.messages('ja'), ja, 'a fresh object every call');
  for (const bad of ['fr', '', 'JA', 1, null, undefined]) {
    assert.throws(() => doui.messages(/** @type {any} */ (bad)), (e) => e instanceof DouiError && e.code === 'render.bad_option', String(bad));
  }
});

test('the CLI and the browser build the same record from the same choices', () => {
  const id = '3d2b1f0e-9c8b-4a7a-b6d5-c4e3f2a1b0c9';
  const minor = {
    name: 'minor, guardian, two linkages, one covered', at: '2025-06-01T10:00:00+09:00',
    inputs: { subject: 'u-15', birthdate: '平成24年2月29日', policy_agreed: true, linkages: ['ponta'],
      guardian_name: '山田 花子', guardian_name_kana: 'ﾔﾏﾀﾞ ﾊﾅｺ', guardian_relationship: '親権者', guardian_affirmed: true,
      guardian_covers: ['ponta'] },
  };
  // A guardian's name implies nothing on either side: no affirmation, no linkage covered.
  const implied = { name: 'a guardian named only', at: minor.at,
    inputs: { subject: 'u-15', birthdate: '2012-02-29', policy_agreed: true, linkages: ['ponta'], guardian_name: '山田 花子',
      guardian_relationship: 'parent' } };
  let built = 0;
  for (const c of [...cases, minor, implied]) {
    const i = c.inputs;
    const args = ['consent', '--at', c.at, '--id', id, '--subject', i.subject, '--birthdate', i.birthdate];
    if (i.policy_agreed) args.push('--agree');
    for (const l of i.linkages || []) args.push('--link', l);
    if (i.guardian_name) args.push('--guardian-name', i.guardian_name);
    if (i.guardian_name_kana) args.push('--guardian-kana', i.guardian_name_kana);
    if (i.guardian_relationship) args.push('--guardian-relation', i.guardian_relationship);
    if (i.guardian_affirmed) args.push('--guardian-affirm');
    for (const l of i.guardian_covers || []) args.push('--guardian-covers', l);
    const r = run(nativeCli, args);
    // The CLI names itself as the agent and `cli` as the surface; the session is told the same.
    const s = session(c, [['surface', 'cli'], ['agent', r.status === 0 ? JSON.parse(r.stdout).collection.agent : 'x']]);
    if (r.status === 0) {
      assert.equal(s.buildRecord({ recordId: id }), r.stdout.toString().trimEnd(), c.name);
      built++;
    } else {
      assert.equal(r.status, 1, `${c.name}: ${r.stderr}`);
      let errors = [];
      try {
        s.buildRecord({ recordId: id });
      } catch (e) {
        errors = e.errors;
      }
      const cliProblems = r.stderr.trimEnd().split('\n').map((l) => l.match(/^doui: consent: (\S+) at (\S*?)(?:: |$)/).slice(1));
      assert.deepEqual(errors.map((e) => [e.code, e.path || '/']), cliProblems, c.name);
    }
  }
  assert.equal(built, 6);
});

// The privacy center starts a withdrawal's session from the inputs the server's core derived
// (status.withdrawal): the session reads them as set() reads a value, the core judges them, and
// the record is the CLI's for the same inputs, byte for byte. A 15-year-old withdraws alone.
test('a session starts from given inputs: a minor withdraws one linkage alone, as the CLI would', () => {
  const id = '3d2b1f0e-9c8b-4a7a-b6d5-c4e3f2a1b0c9';
  const previous = '0b8e2f7c-4f7a-4c1e-9d1a-2b3c4d5e6f70';
  const at = '2025-06-01T10:00:00+09:00';
  const r = run(nativeCli, ['consent', '--at', at, '--id', id, '--subject', 'u-15', '--birthdate', '2012-01-01',
    '--agree', '--link', 'amazon', '--event', 'withdrawn', '--previous', previous]);
  assert.equal(r.status, 0, r.stderr.toString());
  const inputs = { subject: 'u-15', birthdate: '2012-01-01', policy_agreed: true, linkages: ['amazon'], locale: 'ja',
    surface: 'cli', agent: JSON.parse(r.stdout).collection.agent, previous_record: previous, event: 'withdrawn' };
  const s = policy.startSession({ now: at, inputs });
  const st = s.state();
  assert.equal(st.guardian_required, true);
  assert.deepEqual(st.problems, []);
  assert.equal(st.complete, true);
  const record = s.buildRecord({ recordId: id });
  assert.equal(record, r.stdout.toString().trimEnd());
  assert.deepEqual(JSON.parse(record).consent_by, { role: 'subject' });
  // Later changes to the object given do not reach the session.
  inputs.linkages.push('ponta');
  assert.deepEqual(s.inputs.linkages, ['amazon']);
  // What the core would refuse is refused at the start, as set() refuses it.
  const refused = (value) => {
    try {
      policy.startSession({ now: at, inputs: value });
    } catch (e) {
      assert.ok(e instanceof DouiError);
      return e.errors.map((x) => [x.code, x.path]);
    }
    return [];
  };
  assert.deepEqual(refused({ subject: 'u-1', colour: 'red' }), [['record.unknown_field', '/colour']]);
  assert.deepEqual(refused({ linkages: 'ponta' }), [['record.wrong_type', '/linkages']]);
  assert.deepEqual(refused(['subject']), [['record.wrong_type', '']]);
});
