// Size of what a signup page loads for doui: the signup widget (element and stylesheet; the
// browser module's wrapper and glue are bundled into the element), the wasm core (policy data and
// normalisation data inside) and any module a counted script still imports, raw and gzip -9 (node's
// zlib, as servers compress). With --budget BYTES it fails when the gzip total is over budget (CI
// runs it that way); --core counts the browser module alone (wasm, glue, wrapper).
//   node bench/size.mjs [--dist build/wasm/web] [--budget 153600] [--core] [--markdown]
import { readFileSync, existsSync } from 'node:fs';
import path from 'node:path';
import { gzipSync } from 'node:zlib';
import { fileURLToPath } from 'node:url';

const root = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '..');
const args = process.argv.slice(2);
const opt = (name, fallback) => {
  const i = args.indexOf(name);
  return i >= 0 ? args[i + 1] : fallback;
};
const dist = path.resolve(root, opt('--dist', process.env.DOUI_WEB_DIST || 'build/wasm/web'));
const budget = Number(opt('--budget', '0'));
const core = ['doui-core.wasm', 'doui-core.mjs', 'doui.mjs'];
const files = args.includes('--core') ? core : ['doui-core.wasm', 'doui-consent.mjs', 'doui-consent.css'];
// A module a counted script imports (statically or not) is loaded too: counted, once.
for (let i = 0; i < files.length; i++) {
  if (!files[i].endsWith('.mjs') || !existsSync(path.join(dist, files[i]))) continue;
  const text = readFileSync(path.join(dist, files[i]), 'utf8');
  for (const [, f] of text.matchAll(/(?:\bfrom|\bimport)\s*\(?\s*["']\.\/([^"']+\.mjs)["']/g)) {
    if (!files.includes(f)) files.splice(i + 1, 0, f);
  }
}

let raw = 0;
let gz = 0;
const rows = [];
for (const f of files) {
  const p = path.join(dist, f);
  if (!existsSync(p)) {
    console.error(`missing ${p}: build the wasm preset first`);
    process.exit(2);
  }
  const bytes = readFileSync(p);
  const g = gzipSync(bytes, { level: 9 }).length;
  raw += bytes.length;
  gz += g;
  rows.push([f, bytes.length, g]);
}
rows.push(['total', raw, gz]);
const kb = (n) => (n / 1024).toFixed(1);
console.log('| file | raw KB | gzip -9 KB |\n|---|---:|---:|');
for (const [f, r, g] of rows) console.log(`| ${f} | ${kb(r)} | ${kb(g)} |`);
if (budget > 0) {
  const ok = gz <= budget;
  console.log(`\nbudget: ${kb(gz)} KB gzip of ${kb(budget)} KB — ${ok ? 'within' : 'OVER'}`);
  console.log(ok ? '1 passed, 0 failed' : '0 passed, 1 failed');
  process.exit(ok ? 0 : 1);
}
