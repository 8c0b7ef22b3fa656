// Native and wasm builds must produce byte-identical output for the same input: every command,
// several text widths, success and failure alike (stdout, stderr and exit status).
import { after, before, test } from 'node:test';
import assert from 'node:assert/strict';
import { existsSync, mkdtempSync, readdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { cliCommand, nextPolicyJson, repoRoot, run } from './run.mjs';

const native = cliCommand('DOUI_NATIVE_CLI', path.join(repoRoot, 'build/native/doui'));
const wasm = cliCommand('DOUI_WASM_CLI', `node ${path.join(repoRoot, 'build/wasm/doui.js')}`);
const links = 'tests/fixtures/links.json';

// Records for verify and export are made at test time by the native CLI (in before()); both CLIs
// then read the very same files. Their paths are fixed here so the case list can name them.
const tmp = mkdtempSync(path.join(tmpdir(), 'doui-parity-'));
const files = {
  valid: path.join(tmp, 'valid.json'),          // one record, as `consent` printed it
  minor: path.join(tmp, 'minor.json'),          // a guardian's record, half-width kana
  tampered: path.join(tmp, 'tampered.json'),    // valid.json with person.age changed
  pretty: path.join(tmp, 'pretty.json'),        // valid.json pretty-printed
  all: path.join(tmp, 'all.ndjson'),            // every record made below, all valid
  mixed: path.join(tmp, 'mixed.ndjson'),        // valid, tampered, garbage, valid
  garbage: path.join(tmp, 'garbage.json'),      // not JSON at all
  empty: path.join(tmp, 'empty.ndjson'),        // nothing
  missing: path.join(tmp, 'missing.ndjson'),    // never written
  receiptChanged: path.join(tmp, 'receipt-changed.json'), // the golden receipt, subject changed
  receiptPretty: path.join(tmp, 'receipt-pretty.json'),   // the golden receipt pretty-printed
};
const receiptPub = 'tests/fixtures/receipt/key.json.pub';

const at = '2025-06-01T10:00:00+09:00';
const now = '2030-01-01T00:00:00Z';
const id = '3d2b1f0e-9c8b-4a7a-b6d5-c4e3f2a1b0c9';
const previous = '0f1e2d3c-4b5a-4968-8776-a5b4c3d2e1f0';
const consent = (...args) => ['consent', '--id', id, '--at', at, ...args];
const minorArgs = ['--subject', 'u-15', '--birthdate', '2009-06-02', '--agree', '--guardian-name', '山田 花子',
  '--guardian-kana', 'ﾔﾏﾀﾞ ﾊﾅｺ', '--guardian-relation', 'parent', '--guardian-affirm', '--guardian-covers', 'ponta',
  '--link', 'ponta'];

before(() => {
  const make = (args) => {
    const r = run(native, args);
    assert.equal(r.status, 0, `native ${args.join(' ')}: ${r.stderr}`);
    return r.stdout.toString('utf8').trim();
  };
  const valid = make(consent('--subject', 'u-77', '--birthdate', '1990-01-01', '--agree', '--link', 'ponta',
    '--link', 'amazon'));
  const minor = make(consent(...minorArgs));
  const withdrawn = make(['consent', '--id', previous, '--at', '2025-07-01T09:00:00+09:00', '--subject', 'u-77',
    '--birthdate', '1990-01-01', '--event', 'withdrawn', '--previous', id]);
  const english = make(consent('--subject', 'u-8', '--birthdate', '平成21年4月1日', '--agree', '--locale', 'en',
    '--surface', 'privacy-center', '--link', 'd-account'));
  const t = JSON.parse(valid);
  t.person.age = 99;
  const tampered = JSON.stringify(t);
  writeFileSync(files.valid, valid + '\n');
  writeFileSync(files.minor, minor + '\n');
  writeFileSync(files.tampered, tampered + '\n');
  writeFileSync(files.pretty, JSON.stringify(JSON.parse(valid), null, 2));
  writeFileSync(files.all, [valid, minor, withdrawn, english].join('\n') + '\n');
  writeFileSync(files.mixed, [valid, tampered, 'not json', '{"schema":"doui.consent/1"}', minor].join('\n') + '\n');
  writeFileSync(files.garbage, 'garbage\n');
  writeFileSync(files.empty, '');
  const receipt = JSON.parse(readFileSync(path.join(repoRoot, 'tests/fixtures/receipt/receipt.json'), 'utf8'));
  writeFileSync(files.receiptChanged, JSON.stringify({ ...receipt, subject: 'u-78' }));
  writeFileSync(files.receiptPretty, JSON.stringify(receipt, null, 2));
});

after(() => rmSync(tmp, { recursive: true, force: true }));

const cases = [
  ['render'],
  ['render', '--fragment'],
  ['render', '--links', links],
  ['render', '--format', 'json'],
  ...[20, 21, 33, 40, 57, 80, 100].map((w) => ['render', '--format', 'text', '--width', String(w)]),
  ['render', '--format', 'text', '--width', '44', '--links', links],
  ['policy', 'digest'],
  ['policy', 'disclosures'],
  ['policy', 'check', 'i18n/policy/ja/policy.json'],
  ['--help'],
  ['render', '--format', 'text', '--width', '3'],
  ['policy', 'digest', 'tests/fixtures/jcs.json'],
  ['policy', 'digest', 'no/such/file.json'],

  // age: the forms a birth date is typed in, in Japan.
  ...['2009-04-01', '2009/4/1', '２００９年４月１日', '平成21年4月1日', '令和元年5月1日', '昭和64年1月7日',
    '平成元年1月8日'].map((b) => ['age', '--birthdate', b, '--at', '2025-06-01T00:00:00+09:00']),
  // The 16th birthday, reached at midnight Japan time whatever the instant's offset.
  ...['2025-03-31T23:59:59+09:00', '2025-04-01T00:00:00+09:00', '2025-03-31T14:59:59Z', '2025-03-31T15:00:00Z',
    '2025-03-31T09:59:59-05:00', '2025-03-31T10:00:00-05:00', '2025-04-01T13:59:59+14:00',
    '2025-03-31T14:59:59.999Z'].map((a) => ['age', '--birthdate', '2009-04-01', '--at', a]),
  // Born on 29 February: a year older on 1 March in common years, on 29 February in leap years.
  ...['2023-02-28T23:59:59+09:00', '2023-03-01T00:00:00+09:00', '2023-02-28T15:00:00Z',
    '2024-02-28T23:59:59+09:00', '2024-02-29T00:00:00+09:00'].map((a) => ['age', '--birthdate', '2008-02-29', '--at', a]),
  // Birth dates that are not usable: exit 1 (as in consent) and a code on stderr.
  ...['2010-02-30', '2030-01-01', '1899-12-31', '平成31年5月1日', '昭和64年1月8日', 'someday', '']
    .map((b) => ['age', '--birthdate', b, '--at', '2025-06-01T00:00:00+09:00']),
  ['age', '--birthdate', '2009-04-01', '--at', '2025-06-01 10:00'],
  ['age', '--birthdate', '2009-04-01', '--at', '2025-02-30T00:00:00+09:00'],
  ['age', '--birthdate', '2009-04-01'],
  ['age', '--at', '2025-06-01T00:00:00+09:00'],

  // consent: a fixed --id and --at, so the record is the same bytes every time.
  consent('--subject', 'u-77', '--birthdate', '1990-01-01', '--agree', '--link', 'ponta', '--link', 'amazon'),
  consent('--subject', 'u-77', '--birthdate', '1990/1/1', '--agree'),
  consent('--subject', 'u-77', '--birthdate', '1990/1/1'),
  consent('--subject', 'u-15', '--birthdate', '2009-06-02', '--agree'),
  consent(...minorArgs),
  consent('--subject', 'u-15', '--birthdate', '2009-06-02', '--agree', '--guardian-name', '山田 花子',
    '--guardian-relation', '親権者', '--guardian-affirm', '--guardian-covers', 'ponta', '--guardian-covers', 'amazon',
    '--link', 'ponta', '--link', 'amazon'),
  consent('--subject', 'u-15', '--birthdate', '2009-06-02', '--agree', '--guardian-name', '山田 花子',
    '--guardian-relation', '親権者', '--link', 'ponta'),
  consent('--subject', 'u-12', '--birthdate', '２０１３年１月５日', '--agree', '--guardian-name', '田中 翔',
    '--guardian-relation', '未成年後見人', '--guardian-affirm', '--guardian-covers', 'amazon', '--link', 'amazon'),
  consent('--subject', 'u-15', '--birthdate', '2009-06-02', '--agree', '--guardian-name', '山田 花子',
    '--guardian-relation', 'parent', '--guardian-affirm', '--guardian-covers', 'amazon', '--link', 'ponta'),
  consent('--subject', 'u-30', '--birthdate', '1995-01-01', '--agree', '--guardian-name', 'x', '--guardian-relation',
    'parent', '--guardian-affirm'),
  consent('--subject', 'u-8', '--birthdate', '平成21年4月1日', '--agree', '--locale', 'en', '--link', 'd-account'),
  consent('--subject', 'u-77', '--birthdate', '1990-01-01', '--agree', '--surface', 'privacy-center', '--link', 'ponta'),
  consent('--subject', 'u-77', '--birthdate', '1990-01-01', '--agree', '--event', 'changed', '--previous', previous,
    '--link', 'amazon'),
  consent('--subject', 'u-77', '--birthdate', '1990-01-01', '--event', 'withdrawn', '--previous', previous),
  consent('--subject', 'u-77', '--birthdate', '1990-01-01', '--agree', '--event', 'withdrawn', '--previous', previous),
  consent('--subject', 'u-77', '--birthdate', '1990-01-01', '--agree', '--event', 'changed'),
  consent('--subject', 'u-30', '--birthdate', '1995-01-01', '--agree', '--link', 'line'),
  consent('--subject', 'u-30', '--birthdate', '1995-01-01', '--agree', '--locale', 'fr'),
  consent('--subject', 'u-30', '--birthdate', '2010-02-30', '--agree'),
  consent('--birthdate', '1995-01-01', '--agree'),
  consent('--subject', 'u-30', '--subject', 'u-31', '--birthdate', '1995-01-01', '--agree'),
  ['consent', '--id', 'not-a-uuid', '--at', at, '--subject', 'u-30', '--birthdate', '1995-01-01', '--agree'],
  ['consent', '--id', id, '--at', 'tomorrow', '--subject', 'u-30', '--birthdate', '1995-01-01', '--agree'],
  ['consent', '--help'],

  // verify: the same files for both, from a path and from standard input. A case given as
  // {args, stdin} feeds both CLIs the bytes of files[stdin].
  ['verify', '--now', now, files.valid],
  ['verify', '--now', now, files.minor],
  ['verify', '--now', now, files.tampered],
  ['verify', '--now', now, files.pretty],
  ['verify', '--now', now, files.all],
  ['verify', '--now', now, files.mixed],
  ['verify', '--now', now, files.garbage],
  ['verify', '--now', now, files.empty],
  ['verify', '--now', now, files.missing],
  ['verify', '--now', 'soon', files.valid],
  { args: ['verify', '--now', now, '-'], stdin: 'valid' },
  { args: ['verify', '--now', now, '-'], stdin: 'pretty' },
  { args: ['verify', '--now', now, '-'], stdin: 'mixed' },
  { args: ['verify', '--now', now, '-'], stdin: 'empty' },

  // export --as dpv: the same files again.
  ['export', '--as', 'dpv', files.valid],
  ['export', '--as', 'dpv', files.minor],
  ['export', '--as', 'dpv', files.pretty],
  ['export', '--as', 'dpv', files.all],
  ['export', '--as', 'dpv', files.tampered],
  ['export', '--as', 'dpv', files.mixed],
  ['export', '--as', 'dpv', files.garbage],
  ['export', '--as', 'dpv', files.missing],
  ['export', '--as', 'dpv', '--now', '2025-06-01T00:00:00+09:00', files.all],
  ['export', '--help'],
  ['verify', '--help'],
  ['render', '--help'],
  ['policy', '--help'],
  ['age', '--help'],
  ['export', '--as', 'csv', files.valid],
  { args: ['export', '--as', 'dpv', '-'], stdin: 'all' },
  { args: ['export', '--as', 'dpv', '-'], stdin: 'empty' },

  // receipts: the golden one, changed, and key files doui cannot use.
  ['receipt', 'verify', '--pub', receiptPub, 'tests/fixtures/receipt/receipt.json'],
  ['receipt', 'verify', '--pub', receiptPub, files.receiptChanged],
  ['receipt', 'verify', '--pub', receiptPub, files.receiptPretty],
  ['receipt', 'verify', '--pub', receiptPub, files.garbage],
  ['receipt', 'verify', '--pub', 'tests/fixtures/receipt/key.json', 'tests/fixtures/receipt/receipt.json'],
  ['receipt', 'verify', '--pub', files.garbage, 'tests/fixtures/receipt/receipt.json'],
  ['receipt', 'verify', '--pub', receiptPub, files.missing],
  ['receipt', 'verify', 'tests/fixtures/receipt/receipt.json'],
  { args: ['receipt', 'verify', '--pub', receiptPub], stdin: 'receiptPretty' },
  { args: ['receipt', 'verify', '--pub', receiptPub, '-'], stdin: 'empty' },
  ['receipt', '--help'],
  ['key', '--help'],
  ['key', 'new', '--out', 'tests/fixtures/receipt/key.json'],
  ['key', 'new'],

  ['frobnicate'],
];

test('both CLIs exist', () => {
  assert.ok(existsSync(native[0]), `native CLI missing: ${native[0]} (build the native preset first)`);
  assert.ok(existsSync(wasm.at(-1)), `wasm CLI missing: ${wasm.at(-1)}`);
});

const shown = (a) => (a.startsWith(tmp + path.sep) ? `$TMP/${path.basename(a)}` : a);

for (const c of cases) {
  const { args, stdin: from } = Array.isArray(c) ? { args: c } : c;
  test(`doui ${args.map(shown).join(' ')}${from ? ` < $TMP/${path.basename(files[from])}` : ''}`, () => {
    const input = from ? readFileSync(files[from]) : undefined;
    const a = run(native, args, { input });
    const b = run(wasm, args, { input });
    assert.equal(b.status, a.status, 'exit status');
    assert.equal(b.stderr, a.stderr, 'stderr');
    assert.ok(Buffer.compare(a.stdout, b.stdout) === 0,
      `stdout differs (${a.stdout.length} vs ${b.stdout.length} bytes)`);
  });
}

// The privacy center's pages: the same bytes from both builds (ICU line breaking wraps the
// diagram's labels in each).
test('doui site build writes the same files natively and in wasm', () => {
  // With the test-only second version in effect: its revisions pages and their diff too.
  const next = path.join(tmp, 'policy-next.json');
  writeFileSync(next, nextPolicyJson());
  const outs = [native, wasm].map((cli, i) => {
    const out = path.join(tmp, `site-${i}`);
    const r = run(cli, ['site', 'build', out, '--links', links, '--policy', next, '--now', '2026-12-01T00:00:00Z',
      '--dist', path.join(repoRoot, 'build/wasm/web')]);
    assert.equal(r.status, 0, r.stderr);
    return out;
  });
  const list = (dir) => readdirSync(dir, { recursive: true }).filter((p) => /\.[a-z]+$/.test(p)).sort();
  const files = list(outs[0]);
  // 12 pages (the consents page in both languages among them) and the stylesheet; search.mjs,
  // consents.mjs and the policy in effect it builds withdrawals against, and the modules they use,
  // 11 files
  assert.equal(files.length, 27);
  assert.deepEqual(list(outs[1]), files);
  for (const p of files) {
    assert.ok(readFileSync(path.join(outs[0], p)).equals(readFileSync(path.join(outs[1], p))), p);
  }
});
