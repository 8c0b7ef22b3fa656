// The signup widget's speed in headless Chromium, against `doui serve` on loopback:
// - a trivial page from the same server: its DOMContentLoaded (what automation alone costs here);
// - the demo signup page: from navigation to the form usable (the birth-date input drawn), and
//   its difference from the trivial page (the widget's own cost);
// - one input's state update: a birth date typed, from the input event to the state drawn
//   (synchronous: the core's session and the redraw), median of many.
// Best of N page loads each (fresh browser context, so nothing is cached between loads).
//   node bench/widget_speed.mjs [--runs 15]   (after the native and wasm presets are built)
import { copyFileSync, mkdirSync, mkdtempSync, readdirSync, rmSync, writeFileSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { chromium } from 'playwright-core';
import { newKey, startServer } from '../tests/server/harness.mjs';

const root = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '..');
const args = process.argv.slice(2);
const runs = Number(args[args.indexOf('--runs') + 1] || 0) || 15;
const dist = path.join(root, 'build/wasm/web');

const dir = mkdtempSync(path.join(os.tmpdir(), 'doui-speed-'));
const web = path.join(dir, 'web');
mkdirSync(web);
for (const f of readdirSync(path.join(root, 'web'))) {
  if (/\.(html|mjs|css|json)$/.test(f)) copyFileSync(path.join(root, 'web', f), path.join(web, f));
}
writeFileSync(path.join(web, 'trivial.html'), '<!doctype html><html lang="ja"><title>t</title><p>t</p></html>');
const { key } = newKey(dir);
const server = await startServer({ db: `sqlite:${path.join(dir, 'l.db')}`, key, extra: ['--web', web, '--dist', dist] });
const browser = await chromium.launch({ executablePath: '/usr/bin/chromium', args: ['--no-sandbox', '--disable-gpu'] });

const median = (xs) => [...xs].sort((a, b) => a - b)[Math.floor(xs.length / 2)];
const trivial = [];
const usable = [];
const updates = [];
try {
  for (let i = 0; i < runs; i += 1) {
    const ctx = await browser.newContext();
    const page = await ctx.newPage();
    await page.goto(`${server.base}/trivial.html`);
    trivial.push(await page.evaluate(() => performance.getEntriesByType('navigation')[0].domContentLoadedEventEnd));
    await page.goto(`${server.base}/`);
    usable.push(await (await page.waitForFunction(
      () => document.querySelector('doui-consent')?.shadowRoot?.querySelector('input[name=birthdate]') && performance.now(),
      null, { polling: 'raf' })).jsonValue());
    updates.push(...await page.evaluate(() => {
      const input = document.querySelector('doui-consent').shadowRoot.querySelector('input[name=birthdate]');
      const times = [];
      for (let k = 0; k < 50; k += 1) {
        input.value = k % 2 ? '2009/4/1' : '平成2年4月1日';
        const t0 = performance.now();
        input.dispatchEvent(new Event('input'));
        times.push(performance.now() - t0);
      }
      return times;
    }));
    await ctx.close();
  }
} finally {
  await browser.close();
  await server.stop();
  rmSync(dir, { recursive: true, force: true });
}
const best = (xs) => Math.min(...xs);
const rows = [
  ['trivial page, DOMContentLoaded', best(trivial), median(trivial)],
  ['signup page, form usable', best(usable), median(usable)],
  ['difference (the widget)', best(usable) - best(trivial), median(usable) - median(trivial)],
];
console.log('| measure | best ms | median ms |\n|---|---:|---:|');
for (const [what, b, m] of rows) console.log(`| ${what} | ${b.toFixed(1)} | ${m.toFixed(1)} |`);
console.log(`| one input's state update (${updates.length} inputs) | ${best(updates).toFixed(2)} | ${median(updates).toFixed(2)} |`);
