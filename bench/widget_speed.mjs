// The signup widget's speed in headless Chromium, against `doui serve` on loopback:
// - a trivial page from the same server: its DOMContentLoaded (what automation alone costs here);
// - the demo signup page: from navigation to the form usable (the birth-date input drawn and its
//   frame painted), and
//   its difference from the trivial page (the widget's own cost);
// - one input's state update: a birth date typed, from the input event to the state drawn
//   (synchronous: the core's session and the redraw), median of many;
// - the trivial page and the signup page again in the same browser context: what a returning
//   visitor waits for, with the browser's HTTP cache (answered 304) and V8's compiled wasm;
// - where the time goes: on the trivial page, each step the widget takes, timed on its own
//   (import of the modules, wasm compile + instantiate, loadPolicy, one catalog, renderHtml,
//   disclosures, a session); then a <doui-consent> added (the element loads its own core, once
//   per page: these steps' core is not its), and a second one, which finds that core loaded.
// Best of N page loads each (fresh browser context, so nothing is cached between loads; the
// returning visit in its first load's context).
//   node bench/widget_speed.mjs [--runs 15] [--dist build/wasm/web] [--web web]
//   (after the native and wasm presets are built; --dist and --web compare another build's pages)
import { copyFileSync, mkdirSync, mkdtempSync, readdirSync, rmSync, writeFileSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { chromium } from 'playwright-core';
import { newKey, startServer } from '../tests/server/harness.mjs';

const root = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '..');
const args = process.argv.slice(2);
const opt = (name, fallback) => (args.includes(name) ? args[args.indexOf(name) + 1] : fallback);
const runs = Number(opt('--runs', 0)) || 15;
const dist = path.resolve(root, opt('--dist', 'build/wasm/web'));
const webSrc = path.resolve(root, opt('--web', 'web'));

const dir = mkdtempSync(path.join(os.tmpdir(), 'doui-speed-'));
const web = path.join(dir, 'web');
mkdirSync(web);
for (const f of readdirSync(webSrc)) {
  if (/\.(html|mjs|css|json)$/.test(f)) copyFileSync(path.join(webSrc, f), path.join(web, f));
}
writeFileSync(path.join(web, 'trivial.html'), '<!doctype html><html lang="ja"><title>t</title><p>t</p></html>');
const { key } = newKey(dir);
const server = await startServer({ db: `sqlite:${path.join(dir, 'l.db')}`, key, extra: ['--web', web, '--dist', dist] });
const browser = await chromium.launch({ executablePath: '/usr/bin/chromium', args: ['--no-sandbox', '--disable-gpu'] });

const median = (xs) => [...xs].sort((a, b) => a - b)[Math.floor(xs.length / 2)];
// Usable: the birth-date input drawn and that frame laid out and painted (a rAF, then a task
// after it, so the style, layout and paint of the frame that shows it are counted).
const formUsable = () => new Promise((resolve) => {
  const poll = () => {
    if (document.querySelector('doui-consent')?.shadowRoot?.querySelector('input[name=birthdate]')) {
      requestAnimationFrame(() => setTimeout(() => resolve(performance.now())));
    } else requestAnimationFrame(poll);
  };
  poll();
});
const trivial = [];
const usable = [];
const again = [];
const trivialAgain = [];
const updates = [];
const steps = [];
try {
  for (let i = 0; i < runs; i += 1) {
    const ctx = await browser.newContext();
    const page = await ctx.newPage();
    await page.goto(`${server.base}/trivial.html`);
    trivial.push(await page.evaluate(() => performance.getEntriesByType('navigation')[0].domContentLoadedEventEnd));
    await page.goto(`${server.base}/`);
    usable.push(await page.evaluate(formUsable));
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
    // Again, as a returning visitor, after a moment (so that the first load's work in the
    // background, such as V8 optimising the wasm, is not counted against the second).
    await page.waitForTimeout(300);
    await page.goto(`${server.base}/trivial.html`);
    trivialAgain.push(await page.evaluate(() => performance.getEntriesByType('navigation')[0].domContentLoadedEventEnd));
    await page.goto(`${server.base}/`);
    again.push(await page.evaluate(formUsable));
    // The steps, on a fresh trivial page of a fresh context (nothing compiled or cached yet).
    const ctx2 = await browser.newContext();
    const page2 = await ctx2.newPage();
    await page2.goto(`${server.base}/trivial.html`);
    steps.push(await page2.evaluate(async () => {
      const t = {};
      let t0 = performance.now();
      const lap = (name) => {
        const now = performance.now();
        t[name] = now - t0;
        t0 = now;
      };
      const { loadDoui } = await import('/dist/doui.mjs');
      lap('import doui.mjs + glue');
      const doui = await loadDoui();
      lap('wasm fetch + compile + instantiate');
      const policy = doui.loadPolicy();
      lap('loadPolicy (bundled)');
      doui.messages('ja');
      lap('messages(ja)');
      policy.renderHtml({ fragment: true });
      lap('renderHtml');
      policy.disclosures();
      lap('disclosures');
      policy.startSession({ inputs: { agent: 'bench', surface: 'signup', subject: '', locale: 'ja' } });
      lap('startSession (with its fixed inputs, as the widget starts one)');
      await import('/dist/doui-consent.mjs');
      lap('import doui-consent.mjs');
      const drawn = async () => {
        const el = document.createElement('doui-consent');
        t0 = performance.now();
        document.body.append(el);
        await new Promise((resolve) => {
          const poll = () => (el.shadowRoot.querySelector('input[name=birthdate]')
            ? requestAnimationFrame(() => setTimeout(resolve)) : requestAnimationFrame(poll));
          poll();
        });
      };
      await drawn();
      lap('a widget added: its own core (compile, instantiate), loadPolicy, draw, its frame painted');
      await drawn();
      lap('a second widget, its core loaded: loadPolicy, draw, its frame painted');
      return t;
    }));
    await ctx2.close();
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
  ['returning visitor (same context): trivial page, DOMContentLoaded', best(trivialAgain), median(trivialAgain)],
  ['returning visitor (same context): signup page, form usable', best(again), median(again)],
  ['returning visitor: difference', best(again) - best(trivialAgain), median(again) - median(trivialAgain)],
];
console.log('| measure | best ms | median ms |\n|---|---:|---:|');
for (const [what, b, m] of rows) console.log(`| ${what} | ${b.toFixed(1)} | ${m.toFixed(1)} |`);
console.log(`| one input's state update (${updates.length} inputs) | ${best(updates).toFixed(2)} | ${median(updates).toFixed(2)} |`);
console.log('\n| step (on a trivial page, median of runs) | ms |\n|---|---:|');
for (const name of Object.keys(steps[0])) console.log(`| ${name} | ${median(steps.map((x) => x[name])).toFixed(1)} |`);
