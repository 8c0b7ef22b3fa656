// The CLI suite: the same tests run against the native CLI and the wasm CLI under node
// (DOUI_CLI selects which; ctest sets it per build).
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { createHash } from 'node:crypto';
import { mkdtempSync, readFileSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { cliCommand, repoRoot, run } from './run.mjs';

const cli = cliCommand('DOUI_CLI', path.join(repoRoot, 'build/native/doui'));
const tmp = mkdtempSync(path.join(tmpdir(), 'doui-cli-'));
const policyPath = path.join(repoRoot, 'i18n/policy/ja/policy.json');
const policy = JSON.parse(readFileSync(policyPath, 'utf8'));

function writeTemp(name, content) {
  const p = path.join(tmp, name);
  writeFileSync(p, content);
  return p;
}

function expectUnusable(r, ...fragments) {
  assert.equal(r.status, 2, `exit status; stderr: ${r.stderr}`);
  assert.equal(r.stdout.length, 0, 'nothing is written to stdout on error');
  for (const f of fragments) assert.ok(r.stderr.includes(f), `stderr should include ${f}: ${r.stderr}`);
}

test('--help describes every command and exits 0', () => {
  const r = run(cli, ['--help']);
  assert.equal(r.status, 0);
  const out = r.stdout.toString();
  for (const s of ['doui render', '--format html|text|json', '--width N', '--fragment', '--links FILE', 'doui policy digest']) {
    assert.ok(out.includes(s), s);
  }
});

test('no arguments or an unknown command is a usage error', () => {
  assert.equal(run(cli, []).status, 2);
  expectUnusable(run(cli, ['frobnicate']), 'cli.usage', 'frobnicate');
  expectUnusable(run(cli, ['render', '--colour']), 'cli.usage', '--colour');
});

test('render html is a complete page; --fragment an article', () => {
  const page = run(cli, ['render']).stdout.toString();
  assert.ok(page.startsWith('<!DOCTYPE html>\n<html lang="ja">'));
  assert.ok(page.endsWith('</html>\n'));
  const frag = run(cli, ['render', '--fragment']).stdout.toString();
  assert.ok(frag.startsWith('<article class="doui-policy" lang="ja"'));
  assert.ok(page.includes(frag), 'the page embeds the fragment');
});

test('render text wraps at --width', () => {
  const narrow = run(cli, ['render', '--format', 'text', '--width', '30']).stdout.toString();
  const wide = run(cli, ['render', '--format', 'text', '--width', '100']).stdout.toString();
  assert.ok(narrow.split('\n').length > wide.split('\n').length * 2);
  const flat = (s) => s.replace(/\s+/g, '');
  assert.equal(flat(narrow), flat(wide), 'wrapping changes only whitespace');
  assert.equal(run(cli, ['render', '--format', 'text']).stdout.toString(),
    run(cli, ['render', '--format', 'text', '--width', '80']).stdout.toString(), 'default width is 80');
});

test('bad --width and misplaced flags are usage errors', () => {
  expectUnusable(run(cli, ['render', '--format', 'text', '--width', '5']), 'cli.usage', '--width');
  expectUnusable(run(cli, ['render', '--format', 'text', '--width', '40x']), 'cli.usage');
  expectUnusable(run(cli, ['render', '--format', 'text', '--width']), 'cli.usage', 'needs a value');
  expectUnusable(run(cli, ['render', '--width', '40']), 'cli.usage', '--width applies to --format text');
  expectUnusable(run(cli, ['render', '--format', 'pdf']), 'cli.usage', 'pdf');
  expectUnusable(run(cli, ['render', '--format', 'text', '--fragment']), 'cli.usage');
});

test('render json is the canonical JSON the digest is taken of', () => {
  const json = run(cli, ['render', '--format', 'json']).stdout;
  assert.equal(json.at(-1), 0x0a);
  const canonical = json.subarray(0, json.length - 1);
  assert.deepEqual(JSON.parse(canonical.toString('utf8')), policy);
  const digest = run(cli, ['policy', 'digest']).stdout.toString().trim();
  assert.match(digest, /^[0-9a-f]{64}$/);
  assert.equal(createHash('sha256').update(canonical).digest('hex'), digest);
});

test('the digest ignores formatting but not text', () => {
  const bundled = run(cli, ['policy', 'digest']).stdout.toString();
  const reformatted = writeTemp('reformatted.json', JSON.stringify(policy, null, 7));
  assert.equal(run(cli, ['policy', 'digest', reformatted]).stdout.toString(), bundled);
  const edited = structuredClone(policy);
  edited.sections[7].blocks[0].content[0] = edited.sections[7].blocks[0].content[0].replace('任意', '任意。');
  const changed = run(cli, ['policy', 'digest', writeTemp('edited.json', JSON.stringify(edited))]);
  assert.equal(changed.status, 0, changed.stderr);
  assert.notEqual(changed.stdout.toString(), bundled);
});

test('a policy can come from standard input', () => {
  const r = run(cli, ['policy', 'digest', '-'], { input: readFileSync(policyPath) });
  assert.equal(r.status, 0, r.stderr);
  assert.equal(r.stdout.toString(), run(cli, ['policy', 'digest']).stdout.toString());
});

test('policy check and disclosures', () => {
  const check = run(cli, ['policy', 'check', policyPath]);
  assert.equal(check.status, 0);
  assert.match(check.stdout.toString(), /^ok irp-privacy-policy 2025-04-01 [0-9a-f]{64}\n$/);
  const list = JSON.parse(run(cli, ['policy', 'disclosures']).stdout.toString());
  const byId = Object.fromEntries(list.map((d) => [d.id, d]));
  assert.deepEqual(list.filter((d) => d.optional_linkage).map((d) => d.id), ['ponta', 'd-account', 'amazon']);
  assert.equal(byId.ponta.recipients[0].name, '株式会社ロイヤリティマーケティング');
  assert.equal(byId['d-account'].recipients[0].name, '株式会社NTTドコモ');
  assert.equal(byId.amazon.recipients[0].name, 'アマゾンジャパン合同会社');
  for (const d of list) assert.match(d.digest, /^[0-9a-f]{64}$/);
});

test('malformed policies exit 2 naming the code and the JSON pointer', () => {
  const noTitle = structuredClone(policy);
  delete noTitle.title;
  expectUnusable(run(cli, ['render', writeTemp('no-title.json', JSON.stringify(noTitle))]),
    'policy.missing_field at /title');
  const dangling = structuredClone(policy);
  dangling.preamble[1].content[1].ref = 's42';
  expectUnusable(run(cli, ['policy', 'digest', writeTemp('dangling.json', JSON.stringify(dangling))]),
    'policy.dangling_ref at /preamble/1/content/1/ref');
  const bytes = Buffer.from(readFileSync(policyPath));
  bytes[200] = 0xff;
  expectUnusable(run(cli, ['policy', 'check', writeTemp('bad-utf8.json', bytes)]), 'json.invalid_utf8', 'line ');
  expectUnusable(run(cli, ['policy', 'check', writeTemp('truncated.json', readFileSync(policyPath).subarray(0, 500))]),
    'json.syntax');
  expectUnusable(run(cli, ['policy', 'check', path.join(tmp, 'missing.json')]), 'cli.read_failed', 'missing.json');
});

test('--links sets URLs; unknown targets and unsafe URLs are refused', () => {
  const links = path.join(repoRoot, 'tests/fixtures/links.json');
  const html = run(cli, ['render', '--fragment', '--links', links]).stdout.toString();
  assert.ok(html.includes('<a href="mailto:privacy@example.jp">こちら</a>よりお問い合わせください。'));
  assert.ok(!html.includes('href="#"'));
  const text = run(cli, ['render', '--format', 'text', '--links', links]).stdout.toString();
  assert.ok(text.includes('<mailto:privacy@example.jp>'));
  expectUnusable(run(cli, ['render', '--links', writeTemp('bad-url.json', '{"contact":"javascript:alert(1)"}')]),
    'links.bad_url at /contact');
  expectUnusable(run(cli, ['render', '--links', writeTemp('unknown.json', '{"home":"https://example.jp/"}')]),
    'links.unknown_target at /home');
});
