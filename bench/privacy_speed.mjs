// The privacy center's policy page in headless Chromium, against `doui serve` on loopback:
// - transfer size (bytes on the wire, gzip as the server sends it) and time to first contentful
//   paint, with JavaScript and without (the in-page search's script refused: the pages have no
//   other script, so the page is what a reader with JavaScript off gets);
// - with JavaScript: the search ready (its form shown, the wasm core loaded) and one search, a
//   query typed, from the input event to the hits painted and counted (synchronous).
// Median and best of N loads, each in a fresh browser context (nothing cached).
//   node bench/privacy_speed.mjs [--runs 15]   (after the native and wasm presets are built)
import { mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { chromium } from 'playwright-core';
import { newKey, startServer } from '../tests/server/harness.mjs';

const root = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '..');
const args = process.argv.slice(2);
const runs = Number(args[args.indexOf('--runs') + 1] || 0) || 15;
const dist = path.join(root, 'build/wasm/web');

const dir = mkdtempSync(path.join(os.tmpdir(), 'doui-privacy-speed-'));
const web = path.join(dir, 'web');
mkdirSync(web);
writeFileSync(path.join(web, 'trivial.html'), '<!doctype html><html lang="ja"><title>t</title><p>t</p></html>');
const { key } = newKey(dir);
const server = await startServer({ db: `sqlite:${path.join(dir, 'l.db')}`, key, extra: ['--dist', dist, '--web', web] });
const browser = await chromium.launch({ executablePath: '/usr/bin/chromium', args: ['--no-sandbox', '--disable-gpu'] });

const median = (xs) => [...xs].sort((a, b) => a - b)[Math.floor(xs.length / 2)];
const best = (xs) => Math.min(...xs);
const rows = {
  trivial: { fcp: [], bytes: [], requests: [] },
  off: { fcp: [], bytes: [], requests: [] },
  on: { fcp: [], bytes: [], requests: [], ready: [], search: [] },
};

// First contentful paint (waited for: it may come after the load event), and what came over
// the wire: the page and every resource that was answered (a refused script is not counted).
const measure = () => new Promise((resolve) => {
  new PerformanceObserver((list, observer) => {
    const fcp = list.getEntriesByName('first-contentful-paint')[0];
    if (!fcp) return;
    observer.disconnect();
    const nav = performance.getEntriesByType('navigation')[0];
    const res = performance.getEntriesByType('resource').filter((r) => r.responseStatus !== 0);
    resolve({
      fcp: fcp.startTime,
      bytes: nav.transferSize + res.reduce((n, r) => n + r.transferSize, 0),
      requests: 1 + res.length,
    });
  }).observe({ type: 'paint', buffered: true });
});

try {
  for (let i = 0; i < runs; i += 1) {
    for (const js of ['trivial', 'off', 'on']) {
      const ctx = await browser.newContext();
      if (js === 'off') await ctx.route('**/*.mjs', (route) => route.abort());
      const page = await ctx.newPage();
      await page.goto(`${server.base}${js === 'trivial' ? '/trivial.html' : '/privacy/'}`, { waitUntil: 'load' });
      if (js === 'on') {
        await page.locator('#policy-search-q').waitFor();
        rows.on.ready.push(await page.evaluate(() => performance.now()));
        rows.on.search.push(...await page.evaluate(() => {
          const input = document.querySelector('#policy-search-q');
          const times = [];
          for (let k = 0; k < 20; k += 1) {
            input.value = k % 2 ? 'ｲﾝﾌｫﾏﾃｨﾌﾞ情報' : '個人情報';
            const t0 = performance.now();
            input.dispatchEvent(new Event('input'));
            times.push(performance.now() - t0);
          }
          return times;
        }));
      }
      const m = await page.evaluate(measure);
      for (const k of ['fcp', 'bytes', 'requests']) rows[js][k].push(m[k]);
      await ctx.close();
    }
  }
} finally {
  await browser.close();
  await server.stop();
  rmSync(dir, { recursive: true, force: true });
}

const ms = (x) => x.toFixed(1);
console.log(`## Privacy center speed (\`node bench/privacy_speed.mjs --runs ${runs}\`)\n`);
console.log('| page | requests | transferred KB | first contentful paint, best ms | median ms |');
console.log('|---|---:|---:|---:|---:|');
for (const [js, label] of [['trivial', 'a trivial page (one paragraph), same server'], ['off', 'without JavaScript'], ['on', 'with JavaScript (search)']]) {
  const r = rows[js];
  console.log(`| ${label} | ${median(r.requests)} | ${(median(r.bytes) / 1024).toFixed(1)} | ${ms(best(r.fcp))} | ${ms(median(r.fcp))} |`);
}
console.log(`\n| with JavaScript | best ms | median ms |\n|---|---:|---:|`);
console.log(`| search ready (form shown, wasm core loaded) | ${ms(best(rows.on.ready))} | ${ms(median(rows.on.ready))} |`);
console.log(`| one search of the whole policy, hits painted and counted (${rows.on.search.length} queries) | ${ms(best(rows.on.search))} | ${ms(median(rows.on.search))} |`);
