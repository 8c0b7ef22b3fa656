// The signup widget, <doui-consent>, as a person meets it: the demo signup page (web/index.html)
// served by the native `doui serve` in headless Chromium. Every state is also checked by axe-core
// (WCAG 2.2 AA rules) and kept as a screenshot in build/screenshots/widget-*.png.
//   DOUI_WEB_DIST    the wasm build's web output (default build/wasm/web)
//   DOUI_NATIVE_CLI  the native CLI (default build/native/doui)
import { test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { spawnSync } from 'node:child_process';
import { existsSync, mkdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import { createRequire } from 'node:module';
import { fileURLToPath } from 'node:url';
import { chromium } from 'playwright-core';
import { newKey, startServer, tempDir } from '../server/harness.mjs';

const repoRoot = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '../..');
const dist = path.resolve(repoRoot, process.env.DOUI_WEB_DIST || 'build/wasm/web');
const nativeCli = path.resolve(repoRoot, process.env.DOUI_NATIVE_CLI || 'build/native/doui');
const shots = path.join(repoRoot, 'build/screenshots');
const axeSource = readFileSync(createRequire(import.meta.url).resolve('axe-core/axe.min.js'), 'utf8');

let server, serverDir, browser;

before(async () => {
  assert.ok(existsSync(path.join(dist, 'doui-consent.mjs')), `widget build missing in ${dist}`);
  mkdirSync(shots, { recursive: true });
  serverDir = tempDir('doui-widget-');
  const { key } = newKey(serverDir);
  server = await startServer({ db: `sqlite:${path.join(serverDir, 'ledger.db')}`, key,
    extra: ['--web', path.join(repoRoot, 'web'), '--dist', dist] });
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

// The Tokyo calendar date `days` from today and `years` back, as YYYY-MM-DD.
function tokyoDate({ years = 0, days = 0 } = {}) {
  const d = new Date(Date.now() + 9 * 3600e3 + days * 86400e3);
  d.setUTCFullYear(d.getUTCFullYear() - years);
  return d.toISOString().slice(0, 10);
}

async function openSignup(query = '', viewport = { width: 1024, height: 900 }) {
  const page = await browser.newPage({ viewport });
  const problems = [];
  page.on('console', (m) => {
    if (m.type() === 'error' && !(axeRunning && /Content Security Policy/.test(m.text()))) problems.push(`console: ${m.text()}`);
  });
  page.on('pageerror', (e) => problems.push(`page error: ${e.message}`));
  const res = await page.goto(`${server.base}/${query}`);
  assert.equal(res.status(), 200);
  await page.getByRole('button', { name: /同意|Consent/ }).waitFor();
  return { page, problems, res };
}

// axe-core's own checks set inline styles, which the page's CSP refuses (and Chromium logs):
// those console lines are axe's, not the page's, so they are not counted.
let axeRunning = false;
async function axe(page, what) {
  axeRunning = true;
  try {
    await runAxe(page, what);
  } finally {
    axeRunning = false;
  }
}
async function runAxe(page, what) {
  // Transitions still running are let finish first: the consent button fades in over 0.15 s when
  // it is enabled, and axe measuring its contrast half-way (on a slow run) is not what a person
  // is left looking at. Document.getAnimations() leaves out shadow trees, so they are asked too.
  await page.evaluate(() => {
    const roots = [document, ...[...document.querySelectorAll('*')].flatMap((el) => (el.shadowRoot ? [el.shadowRoot] : []))];
    return Promise.all(roots.flatMap((r) => r.getAnimations()).map((a) => a.finished.catch(() => undefined)));
  });
  await page.evaluate(axeSource);
  const result = await page.evaluate(() =>
    // eslint-disable-next-line no-undef
    axe.run(document, { runOnly: { type: 'tag', values: ['wcag2a', 'wcag2aa', 'wcag21a', 'wcag21aa', 'wcag22aa'] } }));
  assert.deepEqual(result.violations.map((v) => `${v.id}: ${v.nodes.map((n) => n.target.join(' ')).join(', ')}`), [], `axe, ${what}`);
}

const shot = (page, name) => page.screenshot({ path: path.join(shots, `widget-${name}.png`), fullPage: true });
const consentButton = (page) => page.getByRole('button', { name: /同意|Consent/ });

// Fills the email, consents, and returns what the form submitted.
async function submit(page) {
  await page.getByLabel('メールアドレス').fill('someone@example.com');
  await consentButton(page).click();
  await page.waitForFunction(() => window.doui?.submitted, null, { timeout: 10000 });
  return page.evaluate(() => window.doui);
}

function verifyNatively(record) {
  const r = spawnSync(nativeCli, ['verify', '-'], { input: `${record}\n` });
  return { status: r.status, out: r.stdout.toString(), err: r.stderr.toString() };
}

test('an adult with no linkage: the record submitted with the form, stored and verified natively', async () => {
  const { page, problems, res } = await openSignup();
  assert.equal(res.headers()['content-security-policy'].split('; ').slice(0, 2).join('; '),
    "default-src 'self'; script-src 'self' 'wasm-unsafe-eval'");
  await axe(page, 'start');
  await shot(page, 'start');
  assert.equal(await consentButton(page).isDisabled(), true);
  const birth = page.getByLabel('生年月日');
  await birth.fill('1990/4/1');
  await page.getByText('1990年4月1日（平成2年）').waitFor();
  await page.getByLabel('プライバシーポリシーに同意する').check();
  await page.getByText('入力が完了しました').waitFor();
  assert.equal(await consentButton(page).isDisabled(), false);
  await axe(page, 'complete');
  await shot(page, 'adult-complete');
  const { submitted, receipt } = await submit(page);
  const record = JSON.parse(submitted.consent);
  assert.equal(record.event, 'given');
  assert.deepEqual(record.choices.filter((c) => c.chosen), []);
  assert.match(record.collection.agent, /^doui-widget\/\d+\.\d+\.\d+$/);
  assert.equal(record.collection.surface, 'signup');
  assert.ok(receipt?.receipt, 'the server answered with a receipt');
  const v = verifyNatively(submitted.consent);
  assert.equal(v.status, 0, v.err + v.out);
  await shot(page, 'adult-done');
  assert.deepEqual(problems, []);
});

test('an adult with two linkages: each its own box with its disclosure beside it', async () => {
  const { page, problems } = await openSignup();
  for (const name of ['Ponta', 'dアカウント', 'Amazon']) {
    const box = page.getByRole('checkbox', { name: new RegExp(name) }).first();
    assert.equal(await box.isChecked(), false, `${name} is not pre-ticked`);
  }
  await page.getByText('株式会社ロイヤリティマーケティング').first().waitFor();
  await page.getByText('アマゾンジャパン合同会社').first().waitFor();
  await page.getByLabel('生年月日').fill('1985-12-24');
  await page.getByRole('checkbox', { name: /Ponta/ }).first().check();
  await page.getByRole('checkbox', { name: /Amazon/ }).first().check();
  await page.getByLabel('プライバシーポリシーに同意する').check();
  await axe(page, 'two linkages');
  await shot(page, 'adult-two-linkages');
  const { submitted } = await submit(page);
  assert.deepEqual(JSON.parse(submitted.consent).choices.filter((c) => c.chosen).map((c) => c.id).sort(), ['amazon', 'ponta']);
  assert.equal(verifyNatively(submitted.consent).status, 0);
  assert.deepEqual(problems, []);
});

test('a 15-year-old is stopped until a guardian consents, then succeeds', async () => {
  const { page, problems } = await openSignup();
  await page.getByLabel('生年月日').fill(tokyoDate({ years: 15 }));
  await page.getByText('15歳').first().waitFor();
  const guardianName = page.getByLabel(/保護者.*お名前$/);
  await guardianName.waitFor();
  await page.getByLabel('プライバシーポリシーに同意する').check();
  await page.getByRole('checkbox', { name: /Ponta/ }).first().check();
  assert.equal(await consentButton(page).isDisabled(), true);
  await axe(page, 'guardian needed');
  await shot(page, 'minor-guardian');
  await guardianName.fill('山田 花子');
  await page.getByLabel(/フリガナ/).fill('ヤマダ ハナコ');
  await page.getByLabel('ご本人との関係').selectOption('parent');
  await page.getByRole('checkbox', { name: /保護者（法定代理人）として、Pontaとの連携/ }).check();
  await page.getByLabel(/ご本人に代わって/).check();
  await page.getByText('入力が完了しました').waitFor();
  await axe(page, 'guardian complete');
  const { submitted } = await submit(page);
  const record = JSON.parse(submitted.consent);
  assert.notEqual(record.consent_by.role, 'subject', 'the guardian consented');
  assert.equal(verifyNatively(submitted.consent).status, 0);
  assert.deepEqual(problems, []);
});

test('the day before the 16th birthday needs a guardian; the day of it does not', async () => {
  const { page } = await openSignup();
  const birth = page.getByLabel('生年月日');
  const guardian = page.getByRole('group', { name: /保護者（法定代理人）の同意/ });
  await birth.fill(tokyoDate({ years: 16, days: 1 })); // 16 tomorrow: 15 today
  await guardian.waitFor({ state: 'visible' });
  await birth.fill(tokyoDate({ years: 16 })); // 16 today
  await guardian.waitFor({ state: 'hidden' });
  await page.getByText('16歳').first().waitFor();
});

test('a wrong date is said next to its field, tied to it, in the page language', async () => {
  const { page } = await openSignup();
  const birth = page.getByLabel('生年月日');
  await birth.fill('2009-02-30');
  await page.waitForFunction(() => {
    const el = document.querySelector('doui-consent').shadowRoot.querySelector('[name=birthdate]');
    return el.getAttribute('aria-invalid') === 'true';
  });
  const described = await birth.evaluate((el) => el.getAttribute('aria-describedby').split(' ')
    .map((id) => el.getRootNode().getElementById(id)?.textContent ?? '').join(' '));
  assert.match(described, /存在しない日付|日付/);
  await axe(page, 'wrong date');
  await shot(page, 'wrong-date');
});

test('keyboard only, in English', async () => {
  const { page, problems } = await openSignup('?lang=en');
  assert.equal(await page.evaluate(() => document.documentElement.lang), 'en');
  await page.getByLabel('Date of birth').waitFor();
  // The demo page's own words are English too, and no Japanese-only text is left visible.
  assert.equal(await page.title(), 'Sign up — doui demo');
  await page.getByRole('heading', { name: 'Sign up' }).waitFor();
  await page.getByRole('link', { name: '日本語' }).waitFor();
  assert.equal(await page.getByRole('link', { name: 'English' }).count(), 0);
  await page.getByLabel('Email address').fill('a@example.com');
  await page.getByLabel('Date of birth').focus();
  await page.keyboard.type('1990-04-01');
  await page.getByText('1 April 1990').waitFor();
  // Tab to the agreement box and tick it with the space bar.
  for (let i = 0; i < 40; i += 1) {
    await page.keyboard.press('Tab');
    const name = await page.evaluate(() => document.querySelector('doui-consent').shadowRoot.activeElement?.getAttribute('name'));
    if (name === 'policy_agreed') break;
  }
  await page.keyboard.press('Space');
  await page.keyboard.press('Tab');
  await page.keyboard.press('Enter');
  await page.waitForFunction(() => window.doui?.submitted, null, { timeout: 10000 });
  await axe(page, 'english');
  await shot(page, 'english-done');
  assert.deepEqual(problems, []);
});

test('a refused POST keeps every input and says so; a double click submits once', async () => {
  const { page } = await openSignup();
  await page.getByLabel('メールアドレス').fill('someone@example.com');
  await page.getByLabel('生年月日').fill('1990-04-01');
  await page.getByLabel('プライバシーポリシーに同意する').check();
  // The server says it cannot store the record now.
  await page.route('**/api/consents', (route) => route.fulfill({ status: 503, contentType: 'application/problem+json',
    body: JSON.stringify({ type: 'about:blank', title: 'x', status: 503, code: 'ledger.unavailable' }) }));
  await consentButton(page).click();
  const alert = page.getByRole('alert');
  await alert.waitFor();
  // What happened, then the server's reason on a line of its own; the advice to try again is the
  // server's (ledger.unavailable), said once.
  const lines = await alert.locator('span').allTextContents();
  assert.equal(lines.length, 2);
  assert.match(lines[0], /^送信できませんでした。入力した内容はそのままです。$/);
  assert.match(lines[1], /^ただいま記録を保存できませんでした/);
  assert.equal((await alert.textContent()).split('もう一度お試しください').length - 1, 1);
  const [what, why] = await alert.locator('span').evaluateAll((spans) => spans.map((e) => e.getBoundingClientRect().top));
  assert.ok(why > what, 'the reason starts on its own line');
  assert.equal(await page.getByLabel('生年月日').inputValue(), '1990-04-01');
  assert.equal(await page.getByLabel('プライバシーポリシーに同意する').isChecked(), true);
  assert.equal(await page.evaluate(() => window.doui?.submitted), undefined, 'the form was not submitted');
  await axe(page, 'refused');
  await shot(page, 'refused');
  // No answer at all (the network): the widget itself says to try again.
  await page.unroute('**/api/consents');
  await page.route('**/api/consents', (route) => route.abort('connectionrefused'));
  await consentButton(page).click();
  await page.waitForFunction(() => document.querySelector('doui-consent').shadowRoot.querySelector('[role=alert] span + span')?.textContent === 'もう一度お試しください。');
  assert.deepEqual(await alert.locator('span').allTextContents(), ['送信できませんでした。入力した内容はそのままです。', 'もう一度お試しください。']);
  assert.equal(await page.getByLabel('生年月日').inputValue(), '1990-04-01');
  // A refusal whose message needs the server's detail ({where}): its code, not a template.
  await page.unroute('**/api/consents');
  await page.route('**/api/consents', (route) => route.fulfill({ status: 422, contentType: 'application/problem+json',
    body: JSON.stringify({ type: 'about:blank', title: 'x', status: 422, code: 'record.bad_value' }) }));
  await consentButton(page).click();
  await page.waitForFunction(() => document.querySelector('doui-consent').shadowRoot.querySelector('[role=alert] span + span')?.textContent.includes('422'));
  assert.deepEqual(await alert.locator('span').allTextContents(), ['送信できませんでした。入力した内容はそのままです。', 'record.bad_value (HTTP 422)']);
  // Then the server is back: two clicks in a row send one record.
  await page.unroute('**/api/consents');
  let posts = 0;
  page.on('request', (r) => { if (r.method() === 'POST' && r.url().endsWith('/api/consents')) posts += 1; });
  await consentButton(page).dblclick();
  await page.waitForFunction(() => window.doui?.submitted, null, { timeout: 10000 });
  assert.equal(posts, 1);
});

test('switching lang redraws in the other language and keeps what was entered', async () => {
  const { page, problems } = await openSignup();
  await page.getByLabel('生年月日').fill('平成21年4月1日');
  await page.getByRole('checkbox', { name: /Amazon/ }).first().check();
  // The redraw is styled from its first frame: the stylesheet's one <link> stays where it is (a
  // new one loads again, and meanwhile the whole policy would be laid out unstyled).
  const styled = await page.evaluate(() => {
    const el = /** @type {HTMLElement} */ (document.querySelector('doui-consent'));
    el.setAttribute('lang', 'en');
    const root = /** @type {ShadowRoot} */ (el.shadowRoot);
    return [root.querySelectorAll('link').length, getComputedStyle(/** @type {Element} */ (root.querySelector('.policy'))).overflowY];
  });
  assert.deepEqual(styled, [1, 'auto']);
  await page.getByLabel('Date of birth').waitFor();
  assert.equal(await page.getByLabel('Date of birth').inputValue(), '平成21年4月1日');
  await page.getByText('1 April 2009 (Heisei 21)').waitFor();
  assert.equal(await page.getByRole('checkbox', { name: /Link with Amazon/ }).isChecked(), true);
  assert.equal(await page.evaluate(() => document.querySelector('doui-consent').shadowRoot.querySelector('.widget').lang), 'en');
  await axe(page, 'switched to en');
  assert.deepEqual(problems, []);
});

test('dark mode: the widget follows prefers-color-scheme, and stays axe-clean', async () => {
  const page = await browser.newPage({ viewport: { width: 1024, height: 900 }, colorScheme: 'dark' });
  await page.goto(`${server.base}/`);
  await consentButton(page).waitFor();
  await page.getByLabel('生年月日').fill('2009-02-30');
  await page.getByText('存在しない日付').waitFor();
  const bg = await page.evaluate(() => getComputedStyle(document.querySelector('doui-consent')).backgroundColor);
  assert.equal(bg, 'rgb(30, 31, 34)', 'the dark background');
  await axe(page, 'dark');
  await shot(page, 'dark');
});

test('from 320 px wide', async () => {
  const { page } = await openSignup('', { width: 320, height: 800 });
  const overflow = await page.evaluate(() => document.documentElement.scrollWidth - document.documentElement.clientWidth);
  assert.ok(overflow <= 0, `the page scrolls sideways by ${overflow} px`);
  await shot(page, 'narrow');
});

test('motion follows prefers-reduced-motion', async () => {
  const duration = async (reducedMotion) => {
    const page = await browser.newPage({ reducedMotion });
    await page.goto(`${server.base}/`);
    await consentButton(page).waitFor();
    const d = await page.evaluate(() =>
      getComputedStyle(document.querySelector('doui-consent').shadowRoot.querySelector('button.consent')).transitionDuration);
    await page.close();
    return d;
  };
  assert.equal(await duration('no-preference'), '0.15s', 'the button fades by default');
  assert.equal(await duration('reduce'), '0s', 'and does not move at all when motion is reduced');
});

// A page of the test's own, at the server's origin (so /dist/ and the CSP-free route both work):
// the widget given a policy file and a links file by URL.
async function openCustom(attrs, files) {
  const page = await browser.newPage({ viewport: { width: 1024, height: 900 } });
  const problems = [];
  page.on('pageerror', (e) => problems.push(`page error: ${e.message}`));
  const html = `<!DOCTYPE html><html lang="ja"><head><meta charset="utf-8"><title>t</title>
<script type="module" src="/dist/doui-consent.mjs"></script></head>
<body><main><doui-consent ${attrs}></doui-consent></main></body></html>`;
  await page.route(`${server.base}/t/**`, (route) => {
    const name = new URL(route.request().url()).pathname.slice(3);
    if (name === 'page.html') return route.fulfill({ contentType: 'text/html', body: html });
    if (name in files) return route.fulfill({ contentType: 'application/json', body: files[name] });
    return route.fulfill({ status: 404, body: 'not found' });
  });
  await page.goto(`${server.base}/t/page.html`);
  return { page, problems };
}

test('the policy and links attributes: another policy file, its links, and its digest in the record', async () => {
  const policy = JSON.parse(readFileSync(path.join(repoRoot, 'i18n/policy/ja/policy.json'), 'utf8'));
  policy.version = '2025-04-01-test';
  const policyText = JSON.stringify(policy);
  const links = readFileSync(path.join(repoRoot, 'web/links.demo.json'), 'utf8');
  const { page, problems } = await openCustom('policy="/t/policy.json" links="/t/links.json" subject="custom-1"',
    { 'policy.json': policyText, 'links.json': links });
  await consentButton(page).waitFor();
  await page.getByText('2025-04-01-test').waitFor();
  // The links file's URLs are the policy's links, as the core renders them.
  const hrefs = await page.evaluate(() =>
    [...document.querySelector('doui-consent').shadowRoot.querySelectorAll('.policy a[href^="https:"]')].map((a) => a.href));
  for (const url of Object.values(JSON.parse(links))) assert.ok(hrefs.includes(url), `${url} linked in the policy`);
  // The record names that policy by its own digest, as the native CLI computes it.
  await page.getByLabel('生年月日').fill('1990-04-01');
  await page.getByLabel('プライバシーポリシーに同意する').check();
  await consentButton(page).click();
  const record = JSON.parse(await page.waitForFunction(() => document.querySelector('doui-consent').record).then((h) => h.jsonValue()));
  const dir = tempDir('doui-widget-policy-');
  const file = path.join(dir, 'policy.json');
  writeFileSync(file, policyText);
  const digest = spawnSync(nativeCli, ['policy', 'digest', file]).stdout.toString().trim();
  rmSync(dir, { recursive: true, force: true });
  assert.match(digest, /^[0-9a-f]{64}$/);
  assert.equal(record.policy.version, '2025-04-01-test');
  assert.equal(record.policy.digest, digest);
  assert.equal(record.subject, 'custom-1');
  await axe(page, 'another policy');
  assert.deepEqual(problems, []);
});

test('a policy file that does not load is said plainly, with its code and where', async () => {
  const { page, problems } = await openCustom('policy="/t/bad.json"', { 'bad.json': '{"format":"doui.policy/1"}' });
  const alert = page.getByRole('alert');
  await alert.waitFor();
  assert.match(await alert.textContent(), /^policy\.\w+ \//m);
  const missing = await openCustom('policy="/t/missing.json"', {});
  await missing.page.getByRole('alert').waitFor();
  assert.match(await missing.page.getByRole('alert').textContent(), /HTTP 404/);
  assert.equal(await missing.page.getByRole('button').count(), 0, 'no consent button without a policy');
  assert.deepEqual([...problems, ...missing.problems], []);
});
