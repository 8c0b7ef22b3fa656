// The browser module in headless Chromium: the demo page (web/) served by `doui serve` renders
// the bundled policy with the wasm core, byte-identical to the native CLI, and reports errors
// with the same stable codes.
//   DOUI_WEB_DIST    the wasm build's web output (default build/wasm/web)
//   DOUI_NATIVE_CLI  the native CLI to compare against (default build/native/doui)
import { test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { spawnSync } from 'node:child_process';
import http from 'node:http';
import { existsSync, mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { chromium } from 'playwright-core';
import { rmSync } from 'node:fs';
import { newKey, startServer, tempDir } from '../server/harness.mjs';
import { CORE_NAMES, heapHeld } from '../wasm/hostile-cases.mjs';

const repoRoot = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '../..');
const dist = path.resolve(repoRoot, process.env.DOUI_WEB_DIST || 'build/wasm/web');
const nativeCli = (process.env.DOUI_NATIVE_CLI || 'build/native/doui').split(/\s+/).filter(Boolean);
nativeCli[0] = path.resolve(repoRoot, nativeCli[0]);
const linksFile = path.join(repoRoot, 'web/links.demo.json');
const screenshot = path.join(repoRoot, 'build/screenshots/demo.png');
const chromiumPath = process.env.DOUI_CHROMIUM || '/usr/bin/chromium';

let server;
let serverDir;
let browser;

function native(args) {
  const [exe, ...pre] = nativeCli;
  const r = spawnSync(exe, [...pre, ...args], { cwd: repoRoot, maxBuffer: 64 << 20 });
  if (r.error) throw r.error;
  assert.equal(r.status, 0, `doui ${args.join(' ')} failed: ${r.stderr}`);
  return r.stdout.toString('utf8');
}

// Opens `pathAndQuery` in a fresh page; collects console errors and page errors. Resolves once
// the page sets data-ready (or fails with its data-error).
async function openDemo(pathAndQuery) {
  const page = await browser.newPage({ viewport: { width: 1280, height: 900 } });
  const problems = [];
  page.on('console', (msg) => {
    if (msg.type() === 'error') problems.push(`console.error: ${msg.text()}`);
  });
  page.on('pageerror', (err) => problems.push(`page error: ${err.message}`));
  page.on('response', (res) => {
    if (res.status() >= 400) problems.push(`HTTP ${res.status()}: ${res.url()}`);
  });
  page.on('requestfailed', (req) => problems.push(`request failed: ${req.url()} ${req.failure()?.errorText}`));
  const response = await page.goto(new URL(pathAndQuery, server.url).href);
  assert.equal(response.status(), 200);
  await page.waitForFunction(
    () => document.documentElement.dataset.ready || document.documentElement.dataset.error,
    null,
    { timeout: 15000 },
  );
  const error = await page.evaluate(() => document.documentElement.dataset.error);
  assert.equal(error, undefined, `the page reported: ${error}`);
  return { page, problems };
}

// Byte-for-byte comparison; on a mismatch, says where the two first differ.
function assertSameBytes(actual, expected, what) {
  const a = Buffer.from(actual, 'utf8');
  const b = Buffer.from(expected, 'utf8');
  if (Buffer.compare(a, b) === 0) return;
  let i = 0;
  while (i < a.length && i < b.length && a[i] === b[i]) i++;
  const around = (buf) => JSON.stringify(buf.subarray(Math.max(0, i - 60), i + 60).toString('utf8'));
  assert.fail(`${what}: wasm (${a.length} bytes) and native (${b.length} bytes) differ at byte ${i}\n` +
    `  wasm:   ${around(a)}\n  native: ${around(b)}`);
}

function assertNoProblems(problems) {
  assert.deepEqual(problems, [], `console/page errors:\n${problems.join('\n')}`);
}

before(async () => {
  assert.ok(existsSync(path.join(dist, 'doui.mjs')), `wasm web build missing: ${dist} (build the wasm preset)`);
  assert.ok(existsSync(nativeCli[0]), `native CLI missing: ${nativeCli[0]} (build the native preset)`);
  // The native server, as the demo runs it: pages from web/, the wasm build at /dist/.
  serverDir = tempDir('doui-browser-');
  const { key } = newKey(serverDir);
  server = await startServer({ db: `sqlite:${path.join(serverDir, 'ledger.db')}`, key,
    extra: ['--web', path.join(repoRoot, 'web'), '--dist', dist] });
  server.url = server.base;
  browser = await chromium.launch({
    executablePath: chromiumPath,
    args: [
      '--no-sandbox',
      '--disable-gpu',
      '--disable-quic',
      '--no-first-run',
      '--disable-background-networking',
      '--disable-component-update',
      '--disable-sync',
    ],
  });
});

after(async () => {
  await browser?.close();
  await server?.stop();
  if (serverDir) rmSync(serverDir, { recursive: true, force: true });
});

test('the server sends the security headers and right MIME types', async () => {
  const check = async (p, type) => {
    const res = await fetch(new URL(p, server.url));
    assert.equal(res.status, 200, p);
    assert.equal(res.headers.get('content-type'), type, p);
    assert.equal(res.headers.get('x-content-type-options'), 'nosniff', p);
    assert.match(res.headers.get('content-security-policy'), /default-src 'self'.*frame-ancestors 'none'/, p);
    assert.equal(res.headers.get('referrer-policy'), 'no-referrer', p);
    await res.arrayBuffer();
  };
  await check('/', 'text/html; charset=utf-8');
  await check('/policy-demo.mjs', 'text/javascript; charset=utf-8');
  await check('/dist/doui.mjs', 'text/javascript; charset=utf-8');
  await check('/dist/doui-core.wasm', 'application/wasm');
  // No way out of the served directories, no listings. Raw paths: fetch() would normalize them.
  const rawStatus = (p) =>
    new Promise((resolve, reject) => {
      const req = http.get({ host: '127.0.0.1', port: new URL(server.url).port, path: p }, (res) => {
        res.resume();
        resolve(res.statusCode);
      });
      req.on('error', reject);
    });
  for (const p of ['/dist/../serve.mjs', '/dist/%2e%2e/serve.mjs', '/../README.md', '/%2e%2e/README.md',
    '/..%2fREADME.md', '/dist/..%5c..%5cREADME.md', '/.gitignore', '/dist/']) {
    const status = await rawStatus(p);
    assert.ok(status === 403 || status === 404, `${p}: ${status}`);
  }
});

test('the demo page renders the policy exactly as the native CLI does', async () => {
  const { page, problems } = await openDemo('/policy.html');
  try {
    const rendered = await page.evaluate(() => window.doui.rendered);
    const expected = native(['render', '--fragment']);
    assertSameBytes(rendered, expected, 'render --fragment');

    const digest = await page.evaluate(() => window.doui.policy.digest);
    assert.equal(digest, native(['policy', 'digest']).trim());
    assert.equal(await page.textContent('#policy-digest'), digest);

    const dom = await page.evaluate(() => {
      const article = document.querySelector('main article');
      const navLinks = [...article.querySelectorAll('nav a')].map((a) => a.getAttribute('href'));
      return {
        articles: document.querySelectorAll('main article').length,
        h1: article.querySelectorAll('h1').length,
        h2: article.querySelectorAll('h2').length,
        lang: article.getAttribute('lang'),
        navLinks,
        unresolved: navLinks.filter((h) => !h.startsWith('#') || !document.getElementById(h.slice(1))),
      };
    });
    assert.equal(dom.articles, 1);
    assert.equal(dom.h1, 1);
    assert.equal(dom.h2, 11);
    assert.equal(dom.lang, 'ja');
    assert.equal(dom.navLinks.length, 11);
    assert.deepEqual(dom.unresolved, []);

    mkdirSync(path.dirname(screenshot), { recursive: true });
    await page.screenshot({ path: screenshot });
    assertNoProblems(problems);
  } finally {
    await page.close();
  }
});

test('with ?links=1 the page matches doui render --fragment --links web/links.demo.json', async () => {
  const { page, problems } = await openDemo('/policy.html?links=1');
  try {
    const rendered = await page.evaluate(() => window.doui.rendered);
    const expected = native(['render', '--fragment', '--links', linksFile]);
    assertSameBytes(rendered, expected, 'render --fragment --links web/links.demo.json');
    assert.match(rendered, /href="https:\/\/example\.jp\//);
    assertNoProblems(problems);
  } finally {
    await page.close();
  }
});

test('bad input throws DouiError with stable codes and JSON pointers', async () => {
  const { page, problems } = await openDemo('/policy.html');
  try {
    const outcome = await page.evaluate(async () => {
      const { loadDoui, DouiError } = await import('/dist/doui.mjs');
      const doui = await loadDoui();
      const attempt = (fn) => {
        try {
          fn();
          return { threw: false };
        } catch (e) {
          return { threw: true, isDouiError: e instanceof DouiError, name: e.name, errors: e.errors };
        }
      };
      return {
        malformed: attempt(() => doui.loadPolicy('{"format":"doui.policy/1"}')),
        badLink: attempt(() => doui.loadPolicy(undefined, { links: { contact: 'javascript:alert(1)' } })),
      };
    });
    for (const [name, r] of Object.entries(outcome)) {
      assert.ok(r.threw, `${name}: did not throw`);
      assert.ok(r.isDouiError, `${name}: threw ${r.name}, not DouiError`);
    }
    assert.ok(
      outcome.malformed.errors.some((e) => e.code === 'policy.missing_field' && e.path === '/id'),
      `malformed policy: ${JSON.stringify(outcome.malformed.errors)}`,
    );
    assert.ok(
      outcome.badLink.errors.some((e) => e.code === 'links.bad_url' && e.path === '/contact'),
      `javascript: link: ${JSON.stringify(outcome.badLink.errors)}`,
    );
    assertNoProblems(problems);
  } finally {
    await page.close();
  }
});

test('the consent session API decides in the browser, and its records verify natively', async () => {
  const { page, problems } = await openDemo('/policy.html');
  try {
    const out = await page.evaluate(async () => {
      const { loadDoui } = await import('/dist/doui.mjs');
      const doui = await loadDoui();
      const policy = doui.loadPolicy();
      const refusal = (session) => {
        try {
          session.buildRecord();
          return null;
        } catch (e) {
          return e.errors;
        }
      };
      // A 15-year-old (Japan time) is refused until a legal representative consents.
      const minor = policy.startSession({ now: '2026-03-31T23:59:59+09:00' });
      minor.set('subject', 'u-minor');
      minor.set('policy_agreed', true);
      const minorState = minor.set('birthdate', '平成22年4月1日');
      const refused = refusal(minor);
      minor.set('guardian.name', '山田 花子');
      minor.set('guardian.relationship', '親権者');
      const guardedState = minor.set('guardian.affirmed', true);
      const minorRecord = minor.buildRecord();
      // An adult with two linkages, framed like the CLI's so the bytes can be compared.
      const adult = policy.startSession({ now: '2026-01-15T10:00:00+09:00' });
      adult.set('subject', 'u-adult');
      adult.set('birthdate', '1990-05-20');
      adult.set('policy_agreed', true);
      adult.set('surface', 'cli');
      // A value of the wrong type is refused and leaves the session as it was.
      let wrongType = null;
      try {
        adult.set('policy_agreed', 'yes');
      } catch (e) {
        wrongType = e.errors?.[0]?.code ?? String(e);
      }
      adult.set('agent', 'doui-cli/0.1.0');
      adult.setLinkage('ponta', true);
      const adultState = adult.setLinkage('amazon', true);
      const adultRecord = adult.buildRecord();
      return { minorState, refused, guardedState, minorRecord, adultState, adultRecord, wrongType };
    });
    assert.equal(out.minorState.age, 15);
    assert.equal(out.minorState.guardian_required, true);
    const need = out.minorState.problems.find((p) => p.code === 'guardian.required');
    assert.ok(need, JSON.stringify(out.minorState.problems));
    assert.equal(need.message.ja, '15歳のため、保護者・親権者等の法定代理人の同意が必要です。');
    assert.equal(need.message.en, 'At age 15, a parent or other legal representative must consent.');
    assert.ok(out.refused?.some((e) => e.code === 'guardian.required'), JSON.stringify(out.refused));
    assert.equal(out.guardedState.complete, true, JSON.stringify(out.guardedState.problems));
    assert.deepEqual(out.adultState.linkages.filter((l) => l.chosen).map((l) => l.id), ['ponta', 'amazon']);
    assert.equal(out.wrongType, 'record.wrong_type');

    // The records the browser built verify with the native verifier.
    const file = path.join(repoRoot, 'build/browser-records.ndjson');
    writeFileSync(file, `${out.minorRecord}\n${out.adultRecord}\n`);
    const [exe, ...pre] = nativeCli;
    const v = spawnSync(exe, [...pre, 'verify', '--now', '2026-06-01T00:00:00Z', file], { cwd: repoRoot });
    assert.equal(v.status, 0, `${v.stdout}${v.stderr}`);
    const verdicts = v.stdout.toString().trim().split('\n').map((l) => JSON.parse(l));
    assert.deepEqual(verdicts.map((x) => x.valid), [true, true]);
    // ... and the wasm record is byte-identical to the native CLI's for the same inputs.
    const adult = JSON.parse(out.adultRecord);
    const nativeRecord = native(['consent', '--subject', 'u-adult', '--birthdate', '1990-05-20', '--agree', '--at',
      '2026-01-15T10:00:00+09:00', '--link', 'ponta', '--link', 'amazon', '--id', adult.record_id]);
    assert.equal(out.adultRecord + '\n', nativeRecord);
    assert.equal(verdicts[1].digest, adult.digest);
    assertNoProblems(problems);
  } finally {
    await page.close();
  }
});

test('the full page and the disclosures are byte-identical to doui render and doui policy disclosures', async () => {
  const { page, problems } = await openDemo('/policy.html');
  try {
    const out = await page.evaluate(async () => {
      const { loadDoui } = await import('/dist/doui.mjs');
      const doui = await loadDoui();
      const policy = doui.loadPolicy();
      // disclosures() parses the core's RFC 8785 text; JSON.stringify gives those bytes back
      // (JCS serialises as ECMAScript does, and no key is an array index).
      return { page: policy.renderHtml(), fragment: policy.renderHtml({ fragment: false }),
        disclosures: JSON.stringify(policy.disclosures()) + '\n' };
    });
    assertSameBytes(out.page, native(['render']), 'render');
    assertSameBytes(out.fragment, out.page, 'renderHtml({fragment: false})');
    assertSameBytes(out.disclosures, native(['policy', 'disclosures']), 'policy disclosures');
    assert.match(out.page, /^<!DOCTYPE html>\n<html lang="ja">/);
    assertNoProblems(problems);
  } finally {
    await page.close();
  }
});

test('verifyReceipt in Chromium: the golden receipt is valid, every flipped byte is not, verdicts as native', async () => {
  const { page, problems } = await openDemo('/policy.html');
  try {
    const pubPath = 'tests/fixtures/receipt/key.json.pub';
    const pub = readFileSync(path.join(repoRoot, pubPath), 'utf8');
    const receipt = readFileSync(path.join(repoRoot, 'tests/fixtures/receipt/receipt.json'), 'utf8').trim();
    const out = await page.evaluate(async ([text, key]) => {
      const { loadReceiptVerifier } = await import('/dist/doui-receipt.mjs');
      const doui = await loadReceiptVerifier();
      const accepted = [];
      for (let i = 0; i < text.length; i++) {
        const flipped = text.slice(0, i) + String.fromCharCode(text.charCodeAt(i) ^ 1) + text.slice(i + 1);
        if (doui.verifyReceipt(flipped, [key]).valid) accepted.push(i);
      }
      return { golden: JSON.stringify(doui.verifyReceipt(text, [key])), accepted };
    }, [receipt, pub]);
    assert.deepEqual(out.accepted, []);
    assertSameBytes(out.golden + '\n', native(['receipt', 'verify', '--pub', pubPath, 'tests/fixtures/receipt/receipt.json']),
      'receipt verify');
    assertNoProblems(problems);
  } finally {
    await page.close();
  }
});

test('the hostile JS API cases hold in Chromium too (tests/wasm/hostile-cases.mjs)', async () => {
  const { page, problems } = await openDemo('/policy.html');
  try {
    // Served from the page's own origin, so the site's CSP (script-src 'self') lets it load.
    const cases = readFileSync(path.join(repoRoot, 'tests/wasm/hostile-cases.mjs'), 'utf8');
    await page.route('**/__tests__/hostile-cases.mjs', (route) =>
      route.fulfill({ status: 200, contentType: 'text/javascript; charset=utf-8', body: cases }));
    // As text: Playwright's own transfer would turn a "__proto__" key into a prototype.
    const fixture = readFileSync(path.join(repoRoot, 'tests/fixtures/hostile-js.json'), 'utf8');
    const { results, heap } = await page.evaluate(async (fx) => {
      const { loadDoui, DouiError } = await import('/dist/doui.mjs');
      const { runHostile } = await import('/__tests__/hostile-cases.mjs');
      return runHostile({ doui: await loadDoui(), DouiError, fixture: JSON.parse(fx) });
    }, fixture);
    assert.ok(results.length >= 240, `cases: ${results.length}`);
    assert.equal(results.filter((r) => r.skipped).length, CORE_NAMES ? 0 : 9);
    const failures = results.filter((r) => !r.ok).map((r) => `${r.name}: ${r.detail}`);
    assert.deepEqual(failures, []);
    assert.equal(heap.refused, 10000);
    assert.ok(heapHeld(heap.before, heap.after), `before ${JSON.stringify(heap.before)}, after ${JSON.stringify(heap.after)}`);
    assertNoProblems(problems);
  } finally {
    await page.close();
  }
});
