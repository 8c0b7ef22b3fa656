// The privacy center as `doui serve` serves it under /privacy/, in Chromium (playwright-core,
// Debian's chromium): the policy with JavaScript off holding every published sentence, its table
// of contents and deep links, who receives what (the diagram and the table naming every
// recipient of the core's model), the English pages, the print layout; axe-core (WCAG 2.2 AA
// rules) on every page, light and dark; screenshots in build/screenshots/privacy-*.png.
//   DOUI_NATIVE_CLI  the native CLI (default build/native/doui)
import { test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { mkdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import { createRequire } from 'node:module';
import { chromium } from 'playwright-core';
import { cli, makeRecord, newKey, repoRoot, startServer, tempDir } from '../server/harness.mjs';
import { nextPolicyJson } from '../cli/run.mjs';

const shots = path.join(repoRoot, 'build/screenshots');
const axeSource = readFileSync(createRequire(import.meta.url).resolve('axe-core/axe.min.js'), 'utf8');
const enPolicy = path.join(repoRoot, 'i18n/policy/en/policy.json');

let server, serverDir, browser;

before(async () => {
  mkdirSync(shots, { recursive: true });
  serverDir = tempDir('doui-privacy-');
  const { key } = newKey(serverDir);
  server = await startServer({ db: `sqlite:${path.join(serverDir, 'ledger.db')}`, key,
    extra: ['--links', path.join(repoRoot, 'tests/fixtures/links.json')] });
  browser = await chromium.launch({
    executablePath: process.env.DOUI_CHROMIUM || '/usr/bin/chromium',
    args: ['--no-sandbox', '--disable-gpu', '--no-first-run', '--disable-background-networking'],
  });
});

after(async () => {
  await browser?.close();
  await server?.stop();
  if (serverDir) rmSync(serverDir, { recursive: true, force: true });
});

async function open(url, { javaScriptEnabled = true, viewport = { width: 1280, height: 900 }, colorScheme = 'light' } = {}) {
  const context = await browser.newContext({ javaScriptEnabled, viewport, colorScheme });
  const page = await context.newPage();
  const problems = [];
  page.on('console', (m) => { if (m.type() === 'error') problems.push(m.text()); });
  page.on('pageerror', (e) => problems.push(e.message));
  const res = await page.goto(`${server.base}${url}`);
  return { page, res, problems, close: () => context.close() };
}

async function axe(page, what) {
  await page.evaluate(axeSource);
  const result = await page.evaluate(() =>
    // eslint-disable-next-line no-undef
    axe.run(document, { runOnly: { type: 'tag', values: ['wcag2a', 'wcag2aa', 'wcag21a', 'wcag21aa', 'wcag22aa'] } }));
  assert.deepEqual(result.violations.map((v) => `${v.id}: ${v.nodes.map((n) => n.target.join(' ')).join(', ')}`), [], `axe, ${what}`);
}

const shot = (page, name, fullPage = true) =>
  page.screenshot({ path: path.join(shots, `privacy-${name}.png`), fullPage });

// The published text's sentences, as tests/unit/fidelity.hpp reads them: split at 。 and line
// ends, markdown links and list markers removed, whitespace removed.
function publishedSentences() {
  const text = readFileSync(path.join(repoRoot, 'tests/fixtures/published-policy.txt'), 'utf8')
    .replace(/\[([^\]\n]*)\]\(#\)/g, '$1');
  const out = [];
  for (let line of text.split('\n')) {
    if (line.startsWith('- ')) line = line.slice(2);
    for (const s of line.split(/(?<=。)/)) {
      const t = s.replace(/[ \t\r\n]/g, '');
      if (t) out.push(t);
    }
  }
  return out;
}

function firstMissing(rendered) {
  const hay = rendered.replace(/[ \t\r\n]/g, '');
  let pos = 0;
  for (const s of publishedSentences()) {
    const at = hay.indexOf(s, pos);
    if (at < 0) return s;
    pos = at + s.length;
  }
  return '';
}

const disclosures = (file) => JSON.parse(cli(['policy', 'disclosures', ...(file ? [file] : [])]).stdout);
const digest = (file) => cli(['policy', 'digest', ...(file ? [file] : [])]).stdout.trim();
const squash = (s) => s.replace(/\s+/g, '');

test('the policy page, JavaScript off: every published sentence in order, version, date and digest', async () => {
  const { page, res, close } = await open('/privacy/', { javaScriptEnabled: false });
  assert.equal(res.status(), 200);
  // The same strict CSP as every page the server sends.
  assert.match(res.headers()['content-security-policy'], /^default-src 'self'; script-src 'self' 'wasm-unsafe-eval'; style-src 'self'/);
  assert.equal(await page.getAttribute('html', 'lang'), 'ja');
  const main = await page.locator('main').innerText();
  assert.ok(publishedSentences().length > 200);
  assert.equal(firstMissing(main), '', 'a published sentence missing or out of order');
  // The check can fail: the text with one sentence moved to the end is caught.
  const s = publishedSentences()[40];
  assert.notEqual(firstMissing(main.replace(s, '') + s), '');
  const meta = await page.locator('.doui-meta').innerText();
  assert.match(meta, /版\s+2025-04-01/);
  assert.match(meta, /施行日\s+2025-04-01/);
  assert.ok(meta.includes(digest()), 'the digest of doui policy digest');
  // Without JavaScript the search is not offered (it could not work).
  assert.equal(await page.locator('form.policy-search').isVisible(), false);
  await shot(page, 'policy-nojs', false);
  await close();
});

test('in-page search by the wasm core: half-width katakana finds the full-width text, hits painted and counted', async () => {
  const { page, problems, close } = await open('/privacy/');
  // Reduced motion: the hit is scrolled to at once (smoothly otherwise), so it can be checked.
  await page.emulateMedia({ reducedMotion: 'reduce' });
  const box = page.getByRole('searchbox', { name: 'このポリシー内を検索' });
  await box.waitFor();
  // The form is the page's once the module runs; its buttons wait for a hit.
  assert.equal(await page.getByRole('button', { name: '次の一致' }).isDisabled(), true);
  await box.fill('ｲﾝﾌｫﾏﾃｨﾌﾞ情報');
  const status = page.getByRole('status');
  await page.waitForFunction(() => document.querySelector('.policy-search-status')?.textContent !== '');
  const hits = await page.evaluate(() => [...CSS.highlights.get('doui-hit')].map((r) => r.toString()));
  assert.ok(hits.length >= 2, `hits: ${hits.length}`);
  assert.deepEqual(new Set(hits), new Set(['インフォマティブ情報']));
  assert.equal(await status.innerText(), `${hits.length}件見つかりました（1件目）`);
  // Hits in the policy text only: the contents and the "#" links are not searched.
  const inToc = await page.evaluate(() => [...CSS.highlights.get('doui-hit')]
    .filter((r) => r.startContainer.parentElement.closest('nav.doui-toc, .doui-self')).length);
  assert.equal(inToc, 0);
  // Enter moves to the next hit, and the current one is painted apart and scrolled into view.
  await box.press('Enter');
  assert.equal(await status.innerText(), `${hits.length}件見つかりました（2件目）`);
  const current = await page.evaluate(() => {
    const r = [...CSS.highlights.get('doui-hit-current')][0];
    const b = r.getBoundingClientRect();
    return { text: r.toString(), visible: b.top >= 0 && b.bottom <= innerHeight };
  });
  assert.deepEqual(current, { text: 'インフォマティブ情報', visible: true });
  await page.getByRole('button', { name: '前の一致' }).click();
  assert.equal(await status.innerText(), `${hits.length}件見つかりました（1件目）`);
  await shot(page, 'search', false);
  // The other foldings, on both sides: hiragana, full-width capitals, lower case.
  for (const [query, found] of [['いんふぉまてぃぶ', 'インフォマティブ'], ['ａａｉｄ', 'AAID'], ['cookie', 'Cookie']]) {
    await box.fill(query);
    await page.waitForFunction((q) => document.querySelector('#policy-search-q').value === q, query);
    const got = await page.evaluate(() => [...CSS.highlights.get('doui-hit')].map((r) => r.toString()));
    // Every hit is the word in some case; the one written in the query's other form among them.
    assert.ok(got.length > 0 && got.every((t) => t.toLowerCase() === found.toLowerCase()) && got.includes(found), `${query}: ${got}`);
  }
  await box.fill('存在しない語句');
  assert.equal(await status.innerText(), '見つかりませんでした');
  assert.equal(await page.evaluate(() => CSS.highlights.get('doui-hit').size), 0);
  await axe(page, 'search');
  // In English, the UI's words.
  await page.goto(`${server.base}/privacy/en/`);
  const en = page.getByRole('searchbox', { name: 'Search this policy' });
  await en.waitFor();
  await en.fill('ｃｏｏｋｉｅ');
  await page.waitForFunction(() => document.querySelector('.policy-search-status')?.textContent !== '');
  assert.match(await page.getByRole('status').innerText(), /^1 of \d+ matches$/);
  assert.deepEqual(problems, []);
  await close();
});

test('the table of contents and the deep links lead to each section and item', async () => {
  const { page, problems, close } = await open('/privacy/');
  const toc = page.getByRole('navigation', { name: '目次' });
  const entries = await toc.getByRole('link').allInnerTexts();
  assert.equal(entries.length, 11);
  // Wide screens: the contents stay in view while the text scrolls.
  await toc.getByRole('link', { name: '7. 個人情報の開示等の請求', exact: true }).click();
  assert.equal(new URL(page.url()).hash, '#doui-s7');
  const heading = page.getByRole('heading', { name: /^7\. 個人情報の開示等の請求/ });
  const box = await heading.boundingBox();
  // At the top of the view, below the search bar that stays there (scroll-padding-top).
  const bar = await page.locator('form.policy-search').boundingBox();
  const below = bar ? bar.y + bar.height : 0;
  assert.ok(box.y >= below - 1 && box.y < below + 120, `section 7 at the top of the view (y=${box.y}, bar ends at ${below})`);
  assert.ok(await toc.isVisible());
  const tocBox = await toc.boundingBox();
  assert.ok(tocBox.y >= 0 && tocBox.y < 100, `the contents stay in view (y=${tocBox.y})`);
  await shot(page, 'policy-toc', false);
  // Every section and item has a "#" link to itself, named after its heading.
  const self = page.locator('a.doui-self');
  assert.equal(await self.count(), 11 + 19);
  const ponta = page.getByRole('link', { name: /リクルートIDとPonta会員IDの連携.*へのリンク$/ });
  assert.equal(await ponta.getAttribute('href'), '#doui-s3-5');
  await page.goto(`${server.base}/privacy/#doui-s3-5`);
  const item = await page.locator('#doui-s3-5 > h3').boundingBox();
  assert.ok(item.y >= 0 && item.y < 200, `item 3-(5) at the top of the view (y=${item.y})`);
  // Keyboard: the skip link comes first and moves focus to the main content.
  await page.goto(`${server.base}/privacy/`);
  await page.keyboard.press('Tab');
  assert.equal(await page.evaluate(() => document.activeElement.textContent), '本文へ移動');
  await page.keyboard.press('Enter');
  assert.equal(await page.evaluate(() => document.activeElement.id), 'main');
  assert.deepEqual(problems, []);
  await close();
});

for (const [lang, prefix, file] of [['ja', '/privacy/', undefined], ['en', '/privacy/en/', enPolicy]]) {
  test(`who receives what (${lang}): the diagram and the table name every recipient of the model`, async () => {
    const { page, res, close } = await open(`${prefix}recipients/`, { javaScriptEnabled: false });
    assert.equal(res.status(), 200);
    const model = disclosures(file);
    assert.equal(model.length, 12);
    const svg = page.locator('svg.flow');
    assert.equal(await svg.getAttribute('role'), 'img');
    const svgTexts = (await svg.locator('text').allTextContents()).map(squash);
    const rows = page.locator('table.flow-table tbody tr');
    assert.equal(await rows.count(), model.length);
    for (const [i, d] of model.entries()) {
      const row = rows.nth(i);
      assert.equal(await row.getAttribute('data-disclosure'), d.id);
      const party = squash(await row.locator('th').innerText());
      const edge = (await svg.locator(`g[data-disclosure="${d.id}"] text`).allTextContents()).map(squash).join('');
      for (const r of d.recipients) {
        assert.ok(party.includes(squash(r.name)), `table names ${r.name}`);
        assert.ok(edge.includes(squash(r.name)), `diagram names ${r.name}`);
      }
      for (const item of d.data_items) assert.ok(edge.includes(squash(item)), `diagram labels ${d.id} with ${item}`);
      // Optional linkages stand apart, dashed.
      const dashed = await svg.locator(`g[data-disclosure="${d.id}"] line[stroke-dasharray]`).count();
      assert.equal(dashed > 0, d.optional_linkage, `${d.id} dashed iff optional`);
    }
    assert.ok(svgTexts.some((t) => t.includes(squash(lang === 'ja' ? '株式会社インディードリクルートパートナーズ' : 'Indeed Recruit Partners Co., Ltd.'))));
    // The table's links lead to the items of the policy that state each provision.
    await page.locator('tr[data-disclosure="amazon"] a').click();
    assert.equal(new URL(page.url()).pathname, prefix);
    assert.equal(new URL(page.url()).hash, '#doui-s3-7');
    await close();
  });
}

test('English: the reference translation, marked as one, with its own digest', async () => {
  const ja = await open('/privacy/');
  await ja.page.getByRole('link', { name: 'English', exact: true }).click();
  assert.equal(new URL(ja.page.url()).pathname, '/privacy/en/');
  await ja.close();
  const { page, close } = await open('/privacy/en/', { javaScriptEnabled: false });
  assert.equal(await page.getAttribute('html', 'lang'), 'en');
  assert.equal(await page.title(), 'Privacy Policy | Privacy Center');
  const notice = page.locator('main > .reference-notice');
  assert.match(await notice.innerText(), /reference translation\. The Japanese text is the governing text/);
  assert.equal(await notice.getByRole('link').getAttribute('href'), '../');
  assert.ok((await page.locator('.doui-meta').innerText()).includes(digest(enPolicy)));
  assert.notEqual(digest(enPolicy), digest());
  assert.ok((await page.locator('main').innerText()).includes('Indeed Recruit Partners Co., Ltd. (hereinafter "the Company")'));
  await shot(page, 'policy-en', false);
  // Every English page carries the notice; the Japanese pages do not.
  for (const url of ['/privacy/en/recipients/', '/privacy/en/revisions/']) {
    await page.goto(`${server.base}${url}`);
    assert.equal(await page.locator('main > .reference-notice').count(), 1, url);
  }
  await page.goto(`${server.base}/privacy/recipients/`);
  assert.equal(await page.locator('.reference-notice').count(), 0);
  await close();
});

// The revisions with the test-only second version (tests/fixtures/policy-next.patch.json) in
// effect: a server of their own, started with it.
test('revisions: every version, a diff by section, and what a person under the old one is asked', async () => {
  const dir = tempDir('doui-revisions-');
  const next = path.join(dir, 'policy-next.json');
  writeFileSync(next, nextPolicyJson());
  const { key } = newKey(dir);
  const revServer = await startServer({ db: `sqlite:${path.join(dir, 'ledger.db')}`, key, extra: ['--policy', next] });
  try {
    // (The pages have no script; axe needs the page's JavaScript on.)
    const context = await browser.newContext({ viewport: { width: 1280, height: 900 } });
    const page = await context.newPage();
    // The site's policy is the version in effect; the nav leads to the revisions.
    await page.goto(`${revServer.base}/privacy/`);
    assert.ok((await page.locator('.doui-meta').innerText()).includes(digest(next)));
    await page.getByRole('navigation', { name: 'プライバシーセンターのページ' }).getByRole('link', { name: '改定履歴' }).click();
    assert.equal(new URL(page.url()).pathname, '/privacy/revisions/');
    const rows = await page.locator('table.versions tbody tr').evaluateAll((trs) =>
      trs.map((tr) => [...tr.children].map((c) => c.textContent.trim())));
    assert.deepEqual(rows, [['2026-04-01', '2026-04-01', digest(next), '現行'],
      ['2025-04-01', '2025-04-01', digest(), '過去の版']]);
    await axe(page, 'revisions');
    await shot(page, 'revisions');
    // The old version in full, saying it is superseded.
    await page.getByRole('link', { name: '2025-04-01', exact: true }).click();
    assert.match(await page.locator('.version-notice').innerText(), /これは過去の版です。現在施行されているのは2026-04-01版です。/);
    assert.equal(firstMissing(await page.locator('main').innerText()), '');
    await page.goBack();
    // The diff, by section, added and removed sentences marked in words as well as colour.
    await page.getByRole('link', { name: '2025-04-01版と2026-04-01版の比較' }).click();
    assert.equal(new URL(page.url()).pathname, '/privacy/revisions/2025-04-01..2026-04-01/');
    const sections = await page.locator('.diff-section h2').allInnerTexts();
    assert.deepEqual(sections.map((t) => t.replace(/\s+/g, ' ')), ['1. 個人情報の取得 変更あり', '8. 個人情報提供の任意性 変更あり']);
    const marked = await page.locator('ol.diff li:is(.diff-add, .diff-del)').allInnerTexts();
    assert.equal(marked.length, 4);
    assert.match(marked[0], /^削除\s*刊行物やインターネット等で公開された個人情報を取得する方法$/);
    assert.match(marked[3], /^追加\s*ユーザーが15歳以下の場合は/);
    assert.equal(await page.locator('del').first().innerText(), '刊行物やインターネット等で公開された個人情報を取得する方法');
    // A person whose record names 2025-04-01 is asked to consent again, shown these changes.
    const reconsent = page.getByRole('region', { name: '2025-04-01版に同意した方へ' });
    assert.match(await reconsent.innerText(), /2026-04-01版への同意は、上の変更点をお示ししたうえで、あらためてお願いします。/);
    await axe(page, 'diff');
    await shot(page, 'diff');
    await page.setViewportSize({ width: 360, height: 800 });
    assert.equal(await page.evaluate(() => document.documentElement.scrollWidth <= innerWidth), true, 'no sideways scroll at 360 px');
    await shot(page, 'diff-360');
    // Read the changed section in the new version: the link lands on it.
    await page.getByRole('link', { name: 'この節を2026-04-01版の全文で読む' }).last().click();
    assert.equal(new URL(page.url()).hash, '#doui-s8');
    assert.ok((await page.locator('#doui-s8').innerText()).includes('法定代理人の同意を得たうえで'));
    // The English diff: English UI, the Japanese sentences marked as Japanese.
    await page.goto(`${revServer.base}/privacy/en/revisions/2025-04-01..2026-04-01/`);
    assert.equal(await page.locator('main h1').innerText(), 'Changes from version 2025-04-01 to version 2026-04-01');
    assert.equal(await page.locator('ol.diff').first().evaluate((ol) => ol.closest('[lang]').lang), 'ja');
    await axe(page, 'diff, English');
    await context.close();
    // And the server says the same of such a record: valid, and re-consent required.
    const posted = await fetch(`${revServer.base}/api/consents`, { method: 'POST',
      headers: { 'content-type': 'application/json' }, body: makeRecord({ subject: 'u-old' }) });
    assert.equal(posted.status, 201, await posted.clone().text());
    const { access_token: token } = await posted.json();
    const status = await (await fetch(`${revServer.base}/api/subjects/u-old/status`,
      { headers: { authorization: `Bearer ${token}` } })).json();
    assert.equal(status.reconsent_required, true);
    // Their withdrawal from the consents page is made under the version in effect (the site's
    // policy.json), as the server's own form makes it, not under the browser module's bundled one.
    const mine = await browser.newContext({ viewport: { width: 1280, height: 900 } });
    const consents = await mine.newPage();
    await consents.goto(`${revServer.base}/privacy/consents/#subject=u-old&token=${encodeURIComponent(token)}`);
    const withdrawAll = consents.getByRole('region', { name: 'いまの同意の状態' }).getByRole('button', { name: 'すべての同意を撤回する' });
    await withdrawAll.click();
    await consents.getByRole('dialog').getByRole('button', { name: '撤回する' }).click();
    await consents.waitForFunction(() => document.querySelector('.consents-message')?.textContent === '撤回を記録しました。');
    await mine.close();
    const history = await (await fetch(`${revServer.base}/api/subjects/u-old/consents`,
      { headers: { authorization: `Bearer ${token}` } })).json();
    const withdrawn = history.consents[0].record;
    assert.equal(withdrawn.event, 'withdrawn');
    assert.deepEqual([withdrawn.policy.version, withdrawn.policy.digest], ['2026-04-01', digest(next)]);
  } finally {
    await revServer.stop();
    rmSync(dir, { recursive: true, force: true });
  }
});

test('print: the text alone, contents in the flow, link addresses written out', async () => {
  const { page, close } = await open('/privacy/');
  await page.emulateMedia({ media: 'print' });
  assert.equal(await page.locator('.site-nav').isVisible(), false);
  assert.equal(await page.locator('a.doui-self').first().isVisible(), false);
  assert.equal(await page.locator('nav.doui-toc').evaluate((n) => getComputedStyle(n).position), 'static');
  const after = await page.locator('a[href="mailto:privacy@example.jp"]').first()
    .evaluate((a) => getComputedStyle(a, '::after').content);
  assert.equal(after, 'none', 'mailto links are not written out');
  const httpLink = page.locator('.doui-policy a[href^="https://"]').first();
  assert.match(await httpLink.evaluate((a) => getComputedStyle(a, '::after').content), /^" <" attr\(href\) ">"$|^" <https:/);
  await shot(page, 'policy-print', false);
  const pdf = await page.pdf({ format: 'A4' });
  writeFileSync(path.join(shots, 'privacy-policy.pdf'), pdf);
  const pages = (pdf.toString('latin1').match(/\/Type\s*\/Page[^s]/g) || []).length;
  assert.ok(pages >= 5, `the policy prints on ${pages} A4 pages`);
  await close();
});

for (const scheme of ['light', 'dark']) {
  test(`axe-core finds nothing on any page (${scheme}); screenshots`, async () => {
    for (const url of ['/privacy/', '/privacy/recipients/', '/privacy/revisions/', '/privacy/revisions/2025-04-01/',
      '/privacy/en/', '/privacy/en/recipients/', '/privacy/en/revisions/', '/privacy/consents/', '/privacy/en/consents/']) {
      for (const viewport of [{ width: 1280, height: 900 }, { width: 360, height: 740 }]) {
        const { page, problems, close } = await open(url, { colorScheme: scheme, viewport });
        await axe(page, `${url} ${viewport.width}px ${scheme}`);
        // Nothing wider than the phone's screen but the regions made to scroll sideways.
        const overflow = await page.evaluate(() => document.documentElement.scrollWidth - document.documentElement.clientWidth);
        assert.equal(overflow, 0, `${url} ${viewport.width}px scrolls sideways`);
        const name = `${url.replace(/^\/privacy\/?/, '').replace(/\/$/, '').replace(/\//g, '-') || 'policy'}-${viewport.width}-${scheme}`;
        await shot(page, name, false);
        assert.deepEqual(problems.filter((p) => !/Content Security Policy/.test(p)), []);
        await close();
      }
    }
  });
}

test('paths: /privacy and a page without its slash are redirected; others are 404', async () => {
  for (const [from, to] of [['/privacy', '/privacy/'], ['/privacy/recipients', '/privacy/recipients/'], ['/privacy/en', '/privacy/en/']]) {
    const r = await fetch(`${server.base}${from}`, { redirect: 'manual' });
    assert.equal(r.status, 301, from);
    assert.equal(r.headers.get('location'), to);
  }
  for (const p of ['/privacy/nope', '/privacy/nope/', '/privacy/index.html.tmp', '/privacy/.hidden']) {
    assert.equal((await fetch(`${server.base}${p}`)).status, 404, p);
  }
  const css = await fetch(`${server.base}/privacy/privacy.css`);
  assert.equal(css.headers.get('content-type'), 'text/css; charset=utf-8');
  const etag = css.headers.get('etag');
  assert.equal((await fetch(`${server.base}/privacy/privacy.css`, { headers: { 'If-None-Match': etag } })).status, 304);
});

// My consents: a person's own records with their access token. A withdrawal of one linkage is
// confirmed, built by the wasm core from the inputs the server's core derived, and stored; the
// history and the state follow it. Each receipt is checked in the browser: one with a byte
// changed is shown as not verifying. A wrong token sees a plain refusal and nothing else.
test('my consents: the history and state, a withdrawal, receipts checked, the JSON; a wrong token sees nothing', async () => {
  const posted = await fetch(`${server.base}/api/consents`, { method: 'POST',
    headers: { 'content-type': 'application/json' }, body: makeRecord({ subject: 'u-me', links: ['ponta', 'amazon'] }) });
  assert.equal(posted.status, 201, await posted.clone().text());
  const { access_token: token } = await posted.json();
  const apiStatus = async () => (await fetch(`${server.base}/api/subjects/u-me/status`,
    { headers: { authorization: `Bearer ${token}` } })).json();

  const { page, problems, close } = await open('/privacy/consents/');
  const nav = page.getByRole('navigation', { name: 'プライバシーセンターのページ' });
  assert.equal(await nav.getByRole('link', { name: 'あなたの同意' }).getAttribute('aria-current'), 'page');
  const state = page.getByRole('region', { name: 'いまの同意の状態' });
  const history = page.getByRole('region', { name: '同意の履歴' }).first();
  const message = page.locator('.consents-message');
  await axe(page, 'consents, sign-in');
  await shot(page, 'consents-sign-in', false);

  // A wrong token: the refusal, and nothing of the person's.
  await page.getByLabel('利用者ID').fill('u-me');
  await page.getByLabel('アクセストークン').fill('not-the-token');
  await page.getByRole('button', { name: '表示する' }).click();
  await page.waitForFunction(() => document.querySelector('.consents-message')?.textContent !== '読み込んでいます…');
  assert.equal(await message.innerText(), '利用者IDまたはアクセストークンが正しくありません。');
  assert.equal(await state.count(), 0, 'no state shown');
  assert.equal(await page.locator('table.history tbody tr').count(), 0, 'no history shown');
  await axe(page, 'consents, refused');

  // The right one, typed with the keyboard: the state and the history, the receipt verified.
  await page.getByLabel('アクセストークン').fill('');
  await page.getByLabel('アクセストークン').focus();
  await page.keyboard.type(token);
  await page.keyboard.press('Enter');
  await page.locator('td.receipt[data-valid]').first().waitFor();
  const stateOf = () => state.locator('li').evaluateAll((lis) => lis.map((li) =>
    [li.querySelector('.consents-name').textContent, li.querySelector('.consents-value').textContent,
      !li.querySelector('button').hidden]));
  assert.deepEqual(await stateOf(), [
    ['プライバシーポリシーへの同意', '同意しています', true], ['Ponta', '連携しています', true],
    ['dアカウント', '連携していません', false], ['Amazon', '連携しています', true],
  ]);
  const rows = () => history.locator('tbody tr').evaluateAll((trs) =>
    trs.map((tr) => [...tr.children].slice(1).map((c) => c.textContent)));
  assert.deepEqual(await rows(), [['同意', 'プライバシーポリシーへの同意、Ponta、Amazon', '確認できました']]);
  await axe(page, 'consents, shown');
  await shot(page, 'consents');

  // Withdrawing Ponta: a confirmation first (Escape cancels it, nothing is sent) …
  const withdraw = state.getByRole('button', { name: 'Pontaの同意を撤回する' });
  await withdraw.click();
  const dialog = page.getByRole('dialog', { name: 'Pontaの同意を撤回しますか' });
  await dialog.waitFor();
  await axe(page, 'consents, confirmation');
  await shot(page, 'consents-confirm', false);
  await page.keyboard.press('Escape');
  assert.equal(await dialog.count(), 0);
  assert.equal((await apiStatus()).linkages[0].chosen, true, 'cancelled: nothing sent');
  // … then confirmed: a withdrawn record, built by the core, stored; history and state follow.
  await withdraw.click();
  await dialog.getByRole('button', { name: '撤回する' }).click();
  await page.waitForFunction(() => document.querySelector('.consents-message')?.textContent === '撤回を記録しました。');
  await page.locator('tbody tr:nth-child(2) td.receipt[data-valid]').waitFor();
  assert.deepEqual(await rows(), [
    ['撤回', 'プライバシーポリシーへの同意、Amazon', '確認できました'],
    ['同意', 'プライバシーポリシーへの同意、Ponta、Amazon', '確認できました'],
  ]);
  assert.deepEqual((await stateOf())[1], ['Ponta', '連携していません', false]);
  // On a phone, in the dark: nothing but the history's own region scrolls sideways.
  await page.emulateMedia({ colorScheme: 'dark' });
  await page.setViewportSize({ width: 360, height: 740 });
  assert.equal(await page.evaluate(() => document.documentElement.scrollWidth <= innerWidth), true, 'no sideways scroll at 360 px');
  // The history's narrow first column wraps only between a date and its time, never inside one.
  assert.deepEqual(await page.evaluate(() => [...document.querySelectorAll('table.history tbody th time')]
    .map((t) => [t.children.length, ...[...t.children].map((s) => s.getClientRects().length)])), [[2, 1, 1], [2, 1, 1]]);
  await axe(page, 'consents, 360 px, dark');
  await shot(page, 'consents-360-dark');
  await page.emulateMedia({ colorScheme: 'light' });
  await page.setViewportSize({ width: 1280, height: 900 });
  const after = await apiStatus();
  assert.equal(after.event, 'withdrawn');
  assert.equal(after.policy_agreed, true);
  assert.equal(after.withdrawn, false);
  assert.deepEqual(after.linkages.map((l) => [l.id, l.chosen]), [['ponta', false], ['d-account', false], ['amazon', true]]);
  const stored = await (await fetch(`${server.base}/api/subjects/u-me/consents`,
    { headers: { authorization: `Bearer ${token}` } })).text();
  const latest = JSON.parse(stored).consents[0].record;
  assert.equal(latest.collection.surface, 'privacy-center');
  assert.match(latest.collection.agent, /^doui-privacy-center\/\d+\.\d+\.\d+$/);
  assert.equal(latest.consent_by.role, 'subject');
  // The native verifier accepts the record the browser built.
  const verified = cli(['verify', '-'], `${JSON.stringify(latest)}\n`);
  assert.equal(verified.status, 0, verified.stderr);

  // The download is the history exactly as the API sent it.
  const [download] = await Promise.all([page.waitForEvent('download'),
    history.getByRole('button', { name: '履歴をJSONでダウンロード' }).click()]);
  assert.equal(download.suggestedFilename(), 'consents-u-me.json');
  assert.equal(readFileSync(await download.path(), 'utf8'), stored);
  // Nothing went wrong but the refusal of the wrong token (which the browser logs, for the
  // history and the status).
  assert.deepEqual(problems, Array(2).fill('Failed to load resource: the server responded with a status of 403 (Forbidden)'));
  await close();

  // A receipt with one byte changed (its time, by the network) does not verify; the other does.
  // The token comes in the fragment (never sent to a server) and leaves the address bar.
  const tampered = await open('/privacy/en/');
  await tampered.page.route('**/api/subjects/u-me/consents', async (route) => {
    const text = await (await route.fetch()).text();
    const at = text.indexOf('"received_at":"') + '"received_at":"'.length + 18;
    const changed = text.slice(0, at) + (text[at] === '1' ? '2' : '1') + text.slice(at + 1);
    assert.equal(changed.length, text.length);
    await route.fulfill({ status: 200, contentType: 'application/json', body: changed });
  });
  await tampered.page.goto(`${server.base}/privacy/en/consents/#subject=u-me&token=${token}`);
  await tampered.page.locator('tbody tr:nth-child(2) td.receipt[data-valid]').waitFor();
  assert.equal(new URL(tampered.page.url()).hash, '', 'the token left the address bar');
  assert.deepEqual(await tampered.page.locator('td.receipt').evaluateAll((tds) => tds.map((td) => td.textContent)),
    ['Does not verify (it may have been altered)', 'Verified']);
  assert.equal(await tampered.page.getAttribute('html', 'lang'), 'en');
  await axe(tampered.page, 'consents, English, a receipt altered');
  await shot(tampered.page, 'consents-en-tampered');
  await tampered.close();

  // Without JavaScript doui serve answers the page's forms itself: the same refusal, the state and
  // the history, and a withdrawal confirmed on a step of its own, built by the same core.
  const off = await open('/privacy/consents/', { javaScriptEnabled: false });
  const p = off.page;
  const signIn = async (t) => {
    await p.getByLabel('利用者ID').fill('u-me');
    await p.getByLabel('アクセストークン').fill(t);
    await p.getByRole('button', { name: '表示する' }).click();
    await p.waitForLoadState();
  };
  await signIn('wrong');
  assert.equal(await p.locator('.consents-message').innerText(), '利用者IDまたはアクセストークンが正しくありません。');
  assert.equal(await p.locator('table.history tbody tr').count(), 0);
  assert.equal(await p.getByRole('region', { name: 'いまの同意の状態' }).count(), 0);
  await signIn(token);
  const offState = p.getByRole('region', { name: 'いまの同意の状態' });
  assert.deepEqual(await offState.locator('li').evaluateAll((lis) => lis.map((li) =>
    [li.querySelector('.consents-value').textContent, !li.querySelector('button').hidden])),
  [['同意しています', true], ['連携していません', false], ['連携していません', false], ['連携しています', true]]);
  assert.equal(await p.locator('table.history tbody tr').count(), 2);
  await offState.getByRole('button', { name: 'Amazonの同意を撤回する' }).click();
  await p.waitForLoadState();
  const step = p.getByRole('region', { name: 'Amazonの同意を撤回しますか' });
  assert.match(await step.innerText(), /撤回すると、この連携は行われなくなります。/);
  await shot(p, 'consents-nojs-confirm', false);
  assert.equal((await apiStatus()).linkages[2].chosen, true, 'asked, not yet sent');
  await step.getByRole('button', { name: '撤回する', exact: true }).click();
  await p.waitForLoadState();
  assert.equal(await p.locator('.consents-message').innerText(), '撤回を記録しました。');
  assert.equal(await p.locator('table.history tbody tr').count(), 3);
  assert.equal(await p.locator('table.history tbody tr').first().locator('td').first().innerText(), '撤回');
  await shot(p, 'consents-nojs');
  const end = await apiStatus();
  assert.equal(end.policy_agreed, true);
  assert.deepEqual(end.linkages.map((l) => l.chosen), [false, false, false]);
  const made = (await (await fetch(`${server.base}/api/subjects/u-me/consents`,
    { headers: { authorization: `Bearer ${token}` } })).json()).consents[0].record;
  assert.equal(made.event, 'withdrawn');
  assert.deepEqual(made.collection, { agent: latest.collection.agent, surface: 'privacy-center' });
  await off.close();

  // A page left open while another changes the history: its withdrawal no longer follows the
  // latest record. The server refuses it (409 ledger.not_latest); the page shows the history as
  // it now is and says why nothing was withdrawn (not a generic failure), and choosing again
  // works.
  const stale = await open('/privacy/');
  await stale.page.goto(`${server.base}/privacy/consents/#subject=u-me&token=${token}`);
  await stale.page.locator('td.receipt[data-valid]').first().waitFor();
  const other = await fetch(`${server.base}/api/consents`, { method: 'POST',
    headers: { 'content-type': 'application/json', authorization: `Bearer ${token}` },
    body: makeRecord({ subject: 'u-me', event: 'changed', previous: made.record_id, links: ['ponta'] }) });
  assert.equal(other.status, 201, await other.clone().text());
  await stale.page.getByRole('region', { name: 'いまの同意の状態' }).locator('li').first().getByRole('button').click();
  await stale.page.getByRole('dialog').getByRole('button', { name: '撤回する', exact: true }).click();
  await stale.page.waitForFunction(() => !['', '読み込んでいます…'].includes(document.querySelector('.consents-message')?.textContent ?? ''));
  assert.equal(await stale.page.locator('.consents-message').innerText(),
    'この間にほかの画面で同意の記録が変わっていたため、撤回しませんでした。いまの状態を表示し直しました。確かめてから、もう一度お選びください。');
  assert.equal(await stale.page.evaluate(() => document.activeElement?.classList.contains('consents-message')), true, 'the reason has the focus');
  await axe(stale.page, 'consents, a withdrawal refused');
  await shot(stale.page, 'consents-refused-withdrawal', false);
  assert.deepEqual(stale.problems, ['Failed to load resource: the server responded with a status of 409 (Conflict)']);
  assert.equal((await apiStatus()).event, 'changed', 'the other change stands');
  // The state shown is the latest: Ponta, linked by the other change, can be withdrawn.
  const ponta = stale.page.locator('li[data-consent="ponta"]').getByRole('button');
  assert.equal(await ponta.isVisible(), true, 'the state was refreshed');
  await ponta.click();
  await stale.page.getByRole('dialog').getByRole('button', { name: '撤回する', exact: true }).click();
  await ponta.waitFor({ state: 'hidden' });
  assert.deepEqual((await apiStatus()).linkages.map((l) => l.chosen), [false, false, false],
    'trying again after the refresh succeeds');
  await stale.close();
});
