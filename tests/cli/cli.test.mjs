// The CLI suite: the same tests run against the native CLI and the wasm CLI under node
// (DOUI_CLI selects which; ctest sets it per build).
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { createHash } from 'node:crypto';
import { existsSync, mkdirSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { cliCommand, nextPolicyJson, repoRoot, run } from './run.mjs';

const cli = cliCommand('DOUI_CLI', path.join(repoRoot, 'build/native/doui'));
const tmp = mkdtempSync(path.join(tmpdir(), 'doui-cli-'));
const policyPath = path.join(repoRoot, 'i18n/policy/ja/policy.json');
const policy = JSON.parse(readFileSync(policyPath, 'utf8'));

function writeTemp(name, content) {
  const p = path.join(tmp, name);
  writeFileSync(p, content);
  return p;
}

// Exit 2, no output, and exactly `stderr` (one line per problem; $TMP stands for tmp).
function expectUnusable(r, stderr) {
  assert.equal(r.status, 2, `exit status; stderr: ${r.stderr}`);
  assert.equal(r.stdout.length, 0, 'nothing is written to stdout on error');
  assert.equal(r.stderr.replaceAll(tmp, '$TMP'), stderr);
}

test('--help describes every command and exits 0', () => {
  const r = run(cli, ['--help']);
  assert.equal(r.status, 0);
  assert.equal(r.stderr, '');
  const out = r.stdout.toString();
  for (const s of ['doui render', '--format html|text|json', '--width N', '--fragment', '--links FILE', 'doui policy digest',
    'doui policy disclosures', 'doui policy check', 'doui age', 'doui consent', 'doui verify', 'doui export']) {
    assert.ok(out.includes(s), s);
  }
  // Each command's help is its part of the whole, between the same head and foot.
  const render = run(cli, ['render', '--help']).stdout.toString();
  assert.ok(render.includes('doui render'));
  assert.ok(!render.includes('doui consent'));
  assert.equal(render.split('\n')[0], out.split('\n')[0]);
  assert.ok(out.endsWith(render.slice(render.indexOf('\nPOLICY_FILE'))));
});

test('no arguments or an unknown command is a usage error, on one line', () => {
  expectUnusable(run(cli, []), 'doui: cli.usage: no command given (see doui --help)\n');
  expectUnusable(run(cli, ['frobnicate']), 'doui: cli.usage: unknown command "frobnicate" (see doui --help)\n');
  expectUnusable(run(cli, ['render', '--colour']), 'doui: cli.usage: unknown option --colour (see doui render --help)\n');
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
  const hint = ' (see doui render --help)\n';
  expectUnusable(run(cli, ['render', '--format', 'text', '--width', '5']),
    'doui: cli.usage: --width must be a whole number from 8 to 1000, not "5"' + hint);
  expectUnusable(run(cli, ['render', '--format', 'text', '--width', '40x']),
    'doui: cli.usage: --width must be a whole number from 8 to 1000, not "40x"' + hint);
  expectUnusable(run(cli, ['render', '--format', 'text', '--width']), 'doui: cli.usage: --width needs a value' + hint);
  expectUnusable(run(cli, ['render', '--width', '40']), 'doui: cli.usage: --width applies to --format text' + hint);
  expectUnusable(run(cli, ['render', '--format', 'pdf']),
    'doui: cli.usage: --format must be html, text or json, not "pdf"' + hint);
  expectUnusable(run(cli, ['render', '--format', 'text', '--fragment']),
    'doui: cli.usage: --fragment applies to --format html' + hint);
  expectUnusable(run(cli, ['render', '--format', 'text', '--format', 'text']),
    'doui: cli.usage: --format is given twice; it takes one value' + hint);
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

test('golden digests: the bundled policy, its disclosures, a record with fixed inputs', () => {
  const sha = (b) => createHash('sha256').update(b).digest('hex');
  const digest = run(cli, ['policy', 'digest']);
  assert.equal(digest.stdout.toString(), '8460caa26d74f20abcc9f28c772ee7d70a0ffee4d7e94663988e1f79b4771513\n');
  assert.equal(sha(run(cli, ['policy', 'disclosures']).stdout),
    'dc4ca51531376e00cf1de247898a5127397d95176929ac7467e40f8bfcf22bb5');
  const record = run(cli, ['consent', '--id', '3d2b1f0e-9c8b-4a7a-b6d5-c4e3f2a1b0c9', '--at', '2025-06-01T10:00:00+09:00',
    '--subject', 'u-77', '--birthdate', '1990-01-01', '--agree', '--link', 'ponta']);
  assert.equal(record.status, 0, record.stderr);
  assert.equal(sha(record.stdout), '3327ef5e2a43ef533443712278949c924f9b5131c2480844a2bbe0c9c515dad9');
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
    'doui: $TMP/no-title.json: policy.missing_field at /title: required\n');
  const dangling = structuredClone(policy);
  dangling.preamble[1].content[1].ref = 's42';
  const d = run(cli, ['policy', 'digest', writeTemp('dangling.json', JSON.stringify(dangling))]);
  assert.match(d.stderr.replaceAll(tmp, '$TMP'),
    /^doui: \$TMP\/dangling\.json: policy\.dangling_ref at \/preamble\/1\/content\/1\/ref(: [^\n]*)?\n$/);
  assert.equal(d.status, 2);
  const bytes = Buffer.from(readFileSync(policyPath));
  bytes[200] = 0xff;
  expectUnusable(run(cli, ['policy', 'check', writeTemp('bad-utf8.json', bytes)]),
    'doui: $TMP/bad-utf8.json: json.invalid_utf8 at /effective/tex: line 9, column 9\n');
  expectUnusable(run(cli, ['policy', 'check', writeTemp('truncated.json', readFileSync(policyPath).subarray(0, 500))]),
    'doui: $TMP/truncated.json: json.syntax at /preamble/0/content/0: line 22, column 82\n');
  expectUnusable(run(cli, ['policy', 'check', path.join(tmp, 'missing.json')]),
    'doui: $TMP/missing.json: cli.read_failed: cannot read the file\n');
  // The core's limit, enforced while reading: one byte over is refused, as a stream is.
  expectUnusable(run(cli, ['policy', 'check', writeTemp('large.json', Buffer.alloc((8 << 20) + 1, 0x20))]),
    'doui: $TMP/large.json: json.too_large at /: more than 8388608 bytes; the limit is 8388608\n');
});

test('--links sets URLs; unknown targets and unsafe URLs are refused', () => {
  const links = path.join(repoRoot, 'tests/fixtures/links.json');
  const html = run(cli, ['render', '--fragment', '--links', links]).stdout.toString();
  assert.ok(html.includes('<a href="mailto:privacy@example.jp">こちら</a>よりお問い合わせください。'));
  assert.ok(!html.includes('href="#"'));
  const text = run(cli, ['render', '--format', 'text', '--links', links]).stdout.toString();
  assert.ok(text.includes('<mailto:privacy@example.jp>'));
  expectUnusable(run(cli, ['render', '--links', writeTemp('bad-url.json', '{"contact":"javascript:alert(1)"}')]),
    'doui: $TMP/bad-url.json: links.bad_url at /contact: "javascript:alert(1)"\n');
  expectUnusable(run(cli, ['render', '--links', writeTemp('unknown.json', '{"home":"https://example.jp/"}')]),
    'doui: $TMP/unknown.json: links.unknown_target at /home: the policy declares no link "home"\n');
  expectUnusable(run(cli, ['render', '--links', links, '--links', links]),
    'doui: cli.usage: --links is given twice; it takes one value (see doui render --help)\n');
});

test('site build writes the privacy center: every page, whole, with its links', () => {
  const out = path.join(tmp, 'site');
  const links = path.join(repoRoot, 'tests/fixtures/links.json');
  const r = run(cli, ['site', 'build', out, '--links', links]);
  assert.equal(r.status, 0, r.stderr);
  assert.equal(r.stdout.toString().replaceAll(tmp, '$TMP'), 'wrote 8 files to $TMP/site\n');
  const pages = ['index.html', 'recipients/index.html', 'revisions/index.html', 'revisions/2025-04-01/index.html',
    'en/index.html', 'en/recipients/index.html', 'en/revisions/index.html'];
  for (const p of pages) {
    const html = readFileSync(path.join(out, p), 'utf8');
    assert.ok(html.startsWith('<!DOCTYPE html>') && html.endsWith('</html>\n'), p);
  }
  const ja = readFileSync(path.join(out, 'index.html'), 'utf8');
  assert.ok(ja.includes('<a href="mailto:privacy@example.jp">こちら</a>'), 'links applied');
  assert.ok(ja.includes(`<dd>${policyDigest()}</dd>`), 'the digest doui policy digest gives');
  assert.ok(readFileSync(path.join(out, 'privacy.css'), 'utf8').includes('@media print'));
  // A second build over the first leaves the same bytes (and no temporary files).
  const before = pages.map((p) => readFileSync(path.join(out, p)));
  assert.equal(run(cli, ['site', 'build', out, '--links', links]).status, 0);
  pages.forEach((p, i) => assert.ok(readFileSync(path.join(out, p)).equals(before[i]), p));
  assert.equal(run(cli, ['site', 'build', out]).status, 0);
});

test('site build --dist: the in-page search and the consents page, their modules copied beside them', () => {
  const dist = path.join(tmp, 'dist-in');
  mkdirSync(dist);
  const names = ['doui-search.mjs', 'doui-search-core.mjs', 'doui-search-core.wasm', 'small-core.mjs', 'doui-error.mjs',
    'doui-receipt.mjs', 'doui-receipt-core.mjs', 'doui-receipt-core.wasm', 'doui.mjs', 'doui-core.mjs', 'doui-core.wasm'];
  names.forEach((n, i) => writeFileSync(path.join(dist, n), `module part ${i}`));
  const out = path.join(tmp, 'site-search');
  const r = run(cli, ['site', 'build', out, '--dist', dist]);
  assert.equal(r.status, 0, r.stderr);
  assert.equal(r.stdout.toString().replaceAll(tmp, '$TMP'), 'wrote 24 files to $TMP/site-search\n');
  names.forEach((n, i) => assert.equal(readFileSync(path.join(out, 'dist', n), 'utf8'), `module part ${i}`));
  assert.ok(readFileSync(path.join(out, 'search.mjs'), 'utf8').includes("new URL('dist/doui-search.mjs', import.meta.url)"));
  for (const [page, script] of [['index.html', 'search.mjs'], ['en/index.html', '../search.mjs']]) {
    const html = readFileSync(path.join(out, page), 'utf8');
    assert.ok(html.includes(`<script type="module" src="${script}"></script>`), page);
    assert.ok(html.includes('<form class="policy-search" role="search" hidden'), page);
  }
  // The consents page, in both languages, its script beside the pages; the API on the site's own
  // origin unless --api names another.
  for (const [page, script] of [['consents/index.html', '../consents.mjs'], ['en/consents/index.html', '../../consents.mjs']]) {
    const html = readFileSync(path.join(out, page), 'utf8');
    assert.ok(html.includes(`<script type="module" src="${script}"></script>`), page);
    assert.ok(html.includes('<div class="consents" data-api=""'), page);
  }
  assert.ok(existsSync(path.join(out, 'consents.mjs')));
  const elsewhere = path.join(tmp, 'site-api');
  assert.equal(run(cli, ['site', 'build', elsewhere, '--dist', dist, '--api', 'https://consent.example.com:8443']).status, 0);
  assert.ok(readFileSync(path.join(elsewhere, 'consents/index.html'), 'utf8').includes('data-api="https://consent.example.com:8443"'));
  // Anything but an origin is refused (it would go into an attribute and before the API's paths).
  for (const api of ['consent.example.com', 'https://x.example/api', 'https://x.example"><script>', 'javascript:alert(1)']) {
    const bad = run(cli, ['site', 'build', path.join(tmp, 'site-bad-api'), '--dist', dist, '--api', api]);
    assert.equal(bad.status, 2, api);
    assert.match(bad.stderr.toString(), /--api takes an origin/);
    assert.equal(existsSync(path.join(tmp, 'site-bad-api')), false);
  }
  // Only the policy pages and the consents page; and without --dist, no script anywhere.
  assert.ok(!readFileSync(path.join(out, 'recipients/index.html'), 'utf8').includes('<script'));
  assert.ok(!readFileSync(path.join(tmp, 'site', 'index.html'), 'utf8').includes('<script'));
  // A module file missing: refused before anything is written.
  rmSync(path.join(dist, 'doui-search-core.wasm'));
  const refused = path.join(tmp, 'site-no-module');
  assert.equal(run(cli, ['site', 'build', refused, '--dist', dist]).status, 2);
  assert.equal(existsSync(refused), false);
});

test('site build with a second version: the one in effect at --now, the other a revision', () => {
  const next = writeTemp('policy-next.json', nextPolicyJson());
  const build = (now) => {
    const out = path.join(tmp, `site-${now}`);
    const r = run(cli, ['site', 'build', out, '--policy', next, '--now', now]);
    assert.equal(r.status, 0, r.stderr);
    assert.equal(r.stdout.toString().replaceAll(tmp, '$TMP'), `wrote 11 files to $TMP/site-${now}\n`);
    return (p) => readFileSync(path.join(out, p), 'utf8');
  };
  const nextDigest = run(cli, ['policy', 'digest', next]).stdout.toString().trim();
  // 2026-04-01 00:00 in Japan is 2026-03-31T15:00Z: the new version is the site's from then on.
  const before = build('2026-03-31T14:59:59Z');
  assert.ok(before('index.html').includes(`<dd>${policyDigest()}</dd>`));
  assert.ok(before('index.html').includes('2026-04-01版が2026-04-01から施行されます。'));
  const after = build('2026-03-31T15:00:00Z');
  assert.ok(after('index.html').includes(`<dd>${nextDigest}</dd>`));
  const diff = after('revisions/2025-04-01..2026-04-01/index.html');
  assert.ok(diff.includes('<del>刊行物やインターネット等で公開された個人情報を取得する方法</del>'));
  assert.ok(diff.includes('2025-04-01版に同意した方へ'));
  assert.ok(after('en/index.html').includes('This translation is of version 2025-04-01'));
  // Two files claiming one version are refused.
  expectUnusable(run(cli, ['site', 'build', path.join(tmp, 'twice'), '--policy', next, '--policy', next]),
    'doui: --policy: cli.usage: two policies are version 2026-04-01 of irp-privacy-policy\n');
  assert.equal(existsSync(path.join(tmp, 'twice')), false);
});

function policyDigest() {
  return run(cli, ['policy', 'digest']).stdout.toString().trim();
}

test('site build refuses what it cannot use, and writes nothing then', () => {
  expectUnusable(run(cli, ['site']), 'doui: cli.usage: site needs a subcommand: build (see doui site --help)\n');
  expectUnusable(run(cli, ['site', 'publish']),
    'doui: cli.usage: unknown site subcommand "publish" (see doui site --help)\n');
  expectUnusable(run(cli, ['site', 'build']), 'doui: cli.usage: site build takes one OUT_DIR (see doui site --help)\n');
  const file = writeTemp('not-a-dir', 'x');
  expectUnusable(run(cli, ['site', 'build', path.join(file, 'out')]),
    'doui: $TMP/not-a-dir/out: cli.write_failed: cannot make the directory: Not a directory\n');
  // A reference translation of another policy, or a broken one, is refused before anything is
  // written.
  const other = writeTemp('other.json', JSON.stringify({ ...policy, version: '2099-01-01' }));
  const out = path.join(tmp, 'refused');
  expectUnusable(run(cli, ['site', 'build', out, '--reference', other]),
    `doui: $TMP/other.json: cli.usage: a reference translation has its policy's id (irp-privacy-policy) and the version it translates\n`);
  expectUnusable(run(cli, ['site', 'build', out, '--links', writeTemp('bad-links.json', '{"contact":"javascript:x"}')]),
    'doui: $TMP/bad-links.json: links.bad_url at /contact: "javascript:x"\n');
  assert.equal(existsSync(out), false);
});
