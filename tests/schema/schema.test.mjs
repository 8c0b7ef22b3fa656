// The JSON Schemas held against the data they describe and against the core that enforces the
// same rules: the bundled policy and every consent record (fixtures and records the CLI under
// test writes) validate; every malformed-policy fixture is refused by both the loader (the CLI,
// DOUI_CLI) and the schema, except the cases the fixture lists as loader-only.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { readFileSync, readdirSync, mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import Ajv2020Module from 'ajv/dist/2020.js';
import addFormatsModule from 'ajv-formats';
import { cliCommand, run, repoRoot } from '../cli/run.mjs';

const Ajv2020 = Ajv2020Module.default ?? Ajv2020Module;
const addFormats = addFormatsModule.default ?? addFormatsModule;
const cli = cliCommand('DOUI_CLI');
const read = (rel) => readFileSync(path.join(repoRoot, rel), 'utf8');
const tmp = mkdtempSync(path.join(tmpdir(), 'doui-schema-'));

// Both schemas declare draft 2020-12. Two validators: one asserts `format` (ajv-formats checks
// that a date exists), one treats it as the annotation 2020-12 makes it by default.
function compile(schemaText, { formats, strictTypes = true }) {
  const ajv = new Ajv2020({ allErrors: true, strict: true, strictTypes, validateFormats: formats });
  if (formats) addFormats(ajv);
  return ajv.compile(JSON.parse(schemaText));
}
const policySchemaText = read('i18n/policy/schema/policy.schema.json');
const policyValidators = {
  withFormat: compile(policySchemaText, { formats: true }),
  withoutFormat: compile(policySchemaText, { formats: false }),
};
// strictTypes off: the record schema's if/then subschemas name `required` without `type`, which
// is valid 2020-12 that ajv's strict mode only lints.
const recordSchema = compile(read('docs/consent-record.schema.json'), { formats: true, strictTypes: false });

const policyText = read('i18n/policy/ja/policy.json');
const policy = JSON.parse(policyText);
const fixtures = JSON.parse(read('tests/fixtures/policy-errors.json'));

const explain = (validate) => JSON.stringify(validate.errors, null, 1);

test('the bundled policy validates against the policy schema', () => {
  for (const [mode, validate] of Object.entries(policyValidators)) {
    assert.ok(validate(policy), `${mode}: ${explain(validate)}`);
  }
});

// RFC 6902 add / remove / replace, which is all the fixtures use.
function applyPatch(doc, ops) {
  const out = structuredClone(doc);
  for (const op of ops) {
    const tokens = op.path.split('/').slice(1).map((t) => t.replace(/~1/g, '/').replace(/~0/g, '~'));
    const key = tokens.pop();
    let parent = out;
    for (const t of tokens) parent = parent[t];
    assert.ok(parent !== undefined, `patch path ${op.path}`);
    if (op.op === 'remove') {
      assert.ok(key in parent, `remove ${op.path}`);
      if (Array.isArray(parent)) parent.splice(Number(key), 1);
      else delete parent[key];
    } else if (op.op === 'replace') {
      assert.ok(key in parent, `replace ${op.path}`);
      parent[key] = op.value;
    } else if (op.op === 'add') {
      if (Array.isArray(parent)) parent.splice(key === '-' ? parent.length : Number(key), 0, op.value);
      else parent[key] = op.value;
    } else {
      throw new Error(`unsupported op ${op.op}`);
    }
  }
  return out;
}

// The bytes a raw fixture describes (as tests/unit/policy_test.cpp builds them).
function rawBytes(c) {
  if ('whole' in c) return Buffer.from(c.whole, 'utf8');
  const base = Buffer.from(policyText, 'utf8');
  const at = base.indexOf(Buffer.from(c.find, 'utf8'));
  assert.ok(at >= 0, `${c.name}: "${c.find}" not in the policy`);
  if ('replace_hex' in c) {
    const out = Buffer.from(base);
    out[at + 3] = parseInt(c.replace_hex, 16);  // the second byte of the first character
    return out;
  }
  const find = Buffer.from(c.find, 'utf8');
  return Buffer.concat([base.subarray(0, at), Buffer.from(c.replace, 'utf8'), base.subarray(at + find.length)]);
}

// `doui policy check -`: exit 2 and one `doui: WHAT: code at /pointer: detail` line per problem.
function loaderErrors(bytes) {
  const r = run(cli, ['policy', 'check', '-'], { input: bytes });
  if (r.status === 0) return [];
  assert.equal(r.status, 2, r.stderr);
  return r.stderr.trimEnd().split('\n').map((line) => {
    const m = /^doui: [^:]+: ([a-z_]+\.[a-z_0-9]+)(?: at (\S*?))?(?::\s|$)/.exec(line);
    assert.ok(m, `unexpected stderr line: ${line}`);
    return { code: m[1], path: m[2] === '/' ? '' : (m[2] ?? '') };
  });
}

// What the schema says of the same bytes: a document it refuses, or null when it cannot judge
// (not JSON). Node decodes invalid UTF-8 to U+FFFD and keeps the last of duplicate keys.
function schemaRefuses(bytes, validate) {
  let doc;
  try {
    doc = JSON.parse(bytes.toString('utf8'));
  } catch {
    return false;
  }
  return !validate(doc);
}

function expectedErrors(c) {
  const first = { code: c.code, path: c.path ?? '' };
  return [first, ...(c.also ?? [])];
}

// Every disagreement of one case, as text (empty: loader, schema and fixture agree).
function checkCase(c, bytes) {
  const problems = [];
  const got = loaderErrors(bytes);
  const expected = expectedErrors(c);
  // Syntax-level errors carry a byte position instead of a pointer: compare codes only.
  const same = c.path === undefined
    ? JSON.stringify(got.map((e) => e.code)) === JSON.stringify(expected.map((e) => e.code))
    : JSON.stringify(got) === JSON.stringify(expected);
  if (!same) problems.push(`${c.name}: loader gave ${JSON.stringify(got)}, fixture says ${JSON.stringify(expected)}`);
  const refused = {
    withFormat: schemaRefuses(bytes, policyValidators.withFormat),
    withoutFormat: schemaRefuses(bytes, policyValidators.withoutFormat),
  };
  const want = {
    withFormat: !c.loader_only,
    withoutFormat: !c.loader_only && !c.loader_only_without_format,
  };
  for (const mode of Object.keys(want)) {
    if (refused[mode] !== want[mode]) {
      problems.push(`${c.name}: the schema (${mode}) ${refused[mode] ? 'refuses' : 'accepts'} it; the fixture says ` +
        (want[mode] ? 'both refuse' : `loader-only (${c.loader_only ?? c.loader_only_without_format})`));
    }
  }
  return problems;
}

test('every patch fixture: loader and schema agree', () => {
  assert.ok(fixtures.patch.length >= 36, `only ${fixtures.patch.length} patch fixtures`);
  let ran = 0;
  const problems = [];
  for (const c of fixtures.patch) {
    problems.push(...checkCase(c, Buffer.from(JSON.stringify(applyPatch(policy, c.patch), null, 2))));
    ran++;
  }
  assert.equal(ran, fixtures.patch.length);
  assert.deepEqual(problems, []);
});

test('every raw fixture: loader and schema agree', () => {
  assert.ok(fixtures.raw.length >= 4, `only ${fixtures.raw.length} raw fixtures`);
  let ran = 0;
  const problems = [];
  for (const c of fixtures.raw) {
    problems.push(...checkCase(c, rawBytes(c)));
    ran++;
  }
  assert.equal(ran, fixtures.raw.length);
  assert.deepEqual(problems, []);
});

test('the loader-only list is exactly the cross-reference, byte and calendar cases', () => {
  const only = fixtures.patch.concat(fixtures.raw).filter((c) => c.loader_only).map((c) => c.name);
  assert.deepEqual(only.sort(), [
    'dangling-ref', 'dangling-ref-in-list', 'duplicate-disclosure-id', 'duplicate-item-id', 'duplicate-key',
    'duplicate-section-id', 'invalid-utf8', 'syntax', 'undeclared-link',
  ]);
  const dates = fixtures.patch.filter((c) => c.loader_only_without_format).map((c) => c.name);
  assert.deepEqual(dates.sort(), ['bad-effective-date', 'bad-effective-leap-day']);
});

// ---- consent records ----

function verifyOk(text) {
  const r = run(cli, ['verify', '--now', '2030-01-01T00:00:00Z', '-'], { input: text });
  return r.status === 0;
}

test('every fixture record that verify accepts validates against the record schema', () => {
  const dir = path.join(repoRoot, 'tests/fuzz/corpus/verify');
  const valid = [];
  for (const name of readdirSync(dir).filter((n) => n.endsWith('.json')).sort()) {
    const text = readFileSync(path.join(dir, name), 'utf8');
    if (!verifyOk(text)) {
      // What verify refuses by form the schema refuses too.
      let doc;
      try { doc = JSON.parse(text); } catch { continue; }
      assert.equal(recordSchema(doc), false, `${name}: verify refuses it, the schema accepts it`);
      continue;
    }
    assert.ok(recordSchema(JSON.parse(text)), `${name}: ${explain(recordSchema)}`);
    valid.push(name);
  }
  assert.deepEqual(valid, ['adult.json', 'changed-escapes.json', 'minor.json', 'withdrawn.json']);
  // consent-cases.json holds inputs, not records: its records are built by the CLI below.
  const cases = JSON.parse(read('tests/fixtures/consent-cases.json'));
  for (const c of cases.cases) assert.equal('record' in c || 'schema' in c, false, c.name);
});

// Every choice is explicit on the command line, as a checkbox is.
const agree = ['--agree'];

function consent(args) {
  const r = run(cli, ['consent', ...args]);
  assert.equal(r.status, 0, `consent ${args.join(' ')}: ${r.stderr}`);
  return r.stdout.toString().trim();
}

test('records the CLI writes validate against the record schema', () => {
  const records = [];
  const cases = JSON.parse(read('tests/fixtures/consent-cases.json')).cases.filter((c) => c.problems.length === 0);
  assert.equal(cases.length, 5, 'the consent cases without problems');
  for (const c of cases) {
    const i = c.inputs;
    const args = ['--at', c.at, '--subject', i.subject, '--birthdate', i.birthdate, ...agree];
    for (const l of i.linkages || []) args.push('--link', l);
    if (i.guardian_name) {
      args.push('--guardian-name', i.guardian_name, '--guardian-relation', i.guardian_relationship);
      if (i.guardian_affirmed) args.push('--guardian-affirm');
      if (i.guardian_name_kana) args.push('--guardian-kana', i.guardian_name_kana);
      for (const l of i.guardian_covers || []) args.push('--guardian-covers', l);
    }
    records.push([c.name, consent(args)]);
  }
  const at = ['--at', '2025-06-01T10:00:00+09:00'];
  const first = consent([...at, '--subject', 'u-9', '--birthdate', '1990-01-01', '--link', 'ponta', ...agree,
    '--id', '6f1c1d2e-3b4a-4c5d-8e6f-7a8b9c0d1e2f']);
  records.push(['given', first]);
  records.push(['changed', consent([...at, '--subject', 'u-9', '--birthdate', '1990-01-01', ...agree,
    '--event', 'changed', '--previous', '6f1c1d2e-3b4a-4c5d-8e6f-7a8b9c0d1e2f', '--locale', 'en', '--surface', 'privacy-center'])]);
  records.push(['withdrawn', consent([...at, '--subject', 'u-9', '--birthdate', '1990-01-01',
    '--event', 'withdrawn', '--previous', '6f1c1d2e-3b4a-4c5d-8e6f-7a8b9c0d1e2f'])]);
  // A withdrawal of one linkage keeps the policy; a 15-year-old takes consent back alone.
  records.push(['withdrawn-one', consent([...at, '--subject', 'u-9', '--birthdate', '1990-01-01', ...agree,
    '--event', 'withdrawn', '--previous', '6f1c1d2e-3b4a-4c5d-8e6f-7a8b9c0d1e2f'])]);
  records.push(['withdrawn-alone', consent([...at, '--subject', 'u-15', '--birthdate', '2010-06-02', ...agree,
    '--link', 'ponta', '--event', 'withdrawn', '--previous', '6f1c1d2e-3b4a-4c5d-8e6f-7a8b9c0d1e2f'])]);
  records.push(['guardian', consent([...at, '--subject', 'u-15', '--birthdate', '2009-06-02', ...agree,
    '--guardian-name', '山田 花子', '--guardian-relation', 'parent', '--guardian-affirm', '--link', 'ponta',
    '--guardian-covers', 'ponta'])]);
  for (const [name, text] of records) {
    assert.ok(recordSchema(JSON.parse(text)), `${name}: ${explain(recordSchema)}`);
  }
  writeFileSync(path.join(tmp, 'records.ndjson'), records.map(([, t]) => t).join('\n') + '\n');
  assert.equal(records.length, cases.length + 6);
});

// Beyond the fixtures: seeded random one-value edits of the bundled policy. Wherever loader and
// schema disagree, it must be for a reason the schema cannot see: a cross-reference.
test('random single edits: loader and schema disagree only on cross-references', () => {
  const leaves = [];
  (function walk(v, p) {
    if (v && typeof v === 'object') {
      for (const k of Object.keys(v)) walk(v[k], [...p, k]);
      if (!Array.isArray(v)) leaves.push([...p, null]);  // a key to add
    } else {
      leaves.push(p);
    }
  })(policy, []);
  const values = ['', 'x', '1', '(1)', '1.', '①', '㉑', 'ja', 'ja-JP', 'ja_JP', '2025-02-29', '2024-02-29',
    '2025-00-10', '2025-12-31', true, false, 0, 1.5, null, [], {}, ['x'], 'provision', 'receipt', 'top', 's1',
    'S1', 'a--b', 'organization'];
  const added = ['type', 'number', 'deidentified', 'blocks', 'disclosure', 'extra'];
  let seed = 42;
  const rnd = (n) => {
    seed = (seed * 1103515245 + 12345) % 2147483648;
    return seed % n;
  };
  const crossRefs = new Set(['policy.duplicate_id', 'policy.dangling_ref', 'policy.undeclared_link']);
  const problems = [];
  let ran = 0;
  let disagreed = 0;
  const validate = policyValidators.withFormat;
  for (let i = 0; i < 400; i++) {
    const doc = structuredClone(policy);
    const p = leaves[rnd(leaves.length)];
    const value = values[rnd(values.length)];
    let parent = doc;
    for (const k of p.slice(0, -1)) parent = parent[k];
    const key = p[p.length - 1] ?? added[rnd(added.length)];
    parent[key] = value;
    const errors = loaderErrors(Buffer.from(JSON.stringify(doc)));
    const schemaOk = validate(doc);
    ran++;
    if ((errors.length === 0) === schemaOk) continue;
    disagreed++;
    const where = `${p.slice(0, -1).concat(key).join('/')} = ${JSON.stringify(value)}`;
    if (errors.length === 0) problems.push(`${where}: the loader accepts, the schema refuses: ${explain(validate)}`);
    else if (!errors.every((e) => crossRefs.has(e.code))) problems.push(`${where}: only the loader refuses: ${JSON.stringify(errors)}`);
  }
  assert.equal(ran, 400);
  assert.ok(disagreed > 0, 'no edit broke a cross-reference: the generator has stopped exercising them');
  assert.deepEqual(problems, []);
});
