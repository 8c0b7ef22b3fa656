// Links that leave the site: every URL of tests/fixtures/links-urls.json through the CLI under
// test (`doui render --links FILE`, DOUI_CLI) and through node's WHATWG URL parser, the one
// browsers implement. What the core accepts must go where it says: this site (a path), the host
// written in it with the scheme written, or mailto:.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { readFileSync, mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { cliCommand, run, repoRoot } from '../cli/run.mjs';

const cli = cliCommand('DOUI_CLI');
const corpus = JSON.parse(readFileSync(path.join(repoRoot, 'tests/fixtures/links-urls.json'), 'utf8'));
const tmp = mkdtempSync(path.join(tmpdir(), 'doui-links-'));
const SITE = 'https://site.example/';

const esc = (s) => s.replace(/&/g, '&amp;').replace(/</g, '&lt;').replace(/>/g, '&gt;')
  .replace(/"/g, '&quot;').replace(/'/g, '&#39;');

// The contact link of section 10 ("こちら") carries the URL under test.
function render(url, i) {
  const file = path.join(tmp, `links-${i}.json`);
  writeFileSync(file, JSON.stringify({ contact: url }));
  return run(cli, ['render', '--fragment', '--links', file]);
}

// Where a browser goes, as the WHATWG parser reads the URL on a page of SITE.
function goesWhereItSays(u) {
  const url = new URL(u, SITE);  // throws: not a URL a browser can follow
  if (u.startsWith('/')) return url.origin === new URL(SITE).origin ? null : `leaves the site for ${url.origin}`;
  if (u.startsWith('mailto:')) return url.protocol === 'mailto:' ? null : `is ${url.protocol}`;
  const m = /^(https?):\/\/([^/?#]*)/.exec(u);
  if (!m) return 'is neither a path, mailto: nor http(s)://';
  if (url.protocol !== `${m[1]}:`) return `scheme ${url.protocol}, written ${m[1]}:`;
  if (url.username !== '' || url.password !== '') return 'carries credentials';
  const written = m[2].replace(/:\d*$/, '').toLowerCase();
  if (url.hostname !== written) return `goes to ${url.hostname}, written ${written}`;
  return null;
}

test('the corpus is not empty and has no URL twice', () => {
  assert.ok(corpus.accept.length >= 15, `${corpus.accept.length} accepted`);
  assert.ok(corpus.refuse.length >= 50, `${corpus.refuse.length} refused`);
  const all = [...corpus.accept, ...corpus.refuse];
  assert.equal(new Set(all).size, all.length);
});

test('accepted URLs render as links and go where they say', () => {
  let ran = 0;
  corpus.accept.forEach((u, i) => {
    assert.equal(goesWhereItSays(u), null, `${JSON.stringify(u)}: corpus error`);
    const r = render(u, i);
    assert.equal(r.status, 0, `${JSON.stringify(u)} refused: ${r.stderr}`);
    assert.ok(r.stdout.toString().includes(`<a href="${esc(u)}">こちら</a>`), JSON.stringify(u));
    ran++;
  });
  assert.equal(ran, corpus.accept.length);
});

test('hostile URLs are refused with links.bad_url', () => {
  let ran = 0;
  corpus.refuse.forEach((u, i) => {
    const r = render(u, 1000 + i);
    assert.equal(r.status, 2, `${JSON.stringify(u)} accepted`);
    assert.equal(r.stderr.trim().split('\n').length, 1, r.stderr);
    assert.match(r.stderr, /links\.bad_url at \/contact/, JSON.stringify(u));
    ran++;
  });
  assert.equal(ran, corpus.refuse.length);
});

test('every refused URL that a browser would follow elsewhere is one the WHATWG parser moves', () => {
  // The corpus is hostile for a reason: most of it, parsed, leaves the site or the written host.
  // (Some are refused only for being unclear: "HTTPS:", port 0, an empty label.)
  const moved = corpus.refuse.filter((u) => {
    try {
      return goesWhereItSays(u) !== null;
    } catch {
      return true;  // not followable at all
    }
  });
  assert.ok(moved.length >= 45, `only ${moved.length} of ${corpus.refuse.length} hostile`);
  for (const u of ['/\\evil.example/', 'https:///\\evil', '//evil.example/', 'https://good.example@evil.example/',
    'https://ｅｖｉｌ.example/', 'https://0x7f.1/', '/\n/evil.example']) {
    assert.ok(moved.includes(u), JSON.stringify(u));
  }
});
