// tsc --noEmit over a module doui ships: its sources themselves (allowJs + checkJs: their
// @satisfies hold the code to its .d.mts, so the types cannot promise what the code does not do)
// and a consumer that uses every API through the types, with the error codes the build generated
// (codes.ts).
//   --module web (default): the browser modules, wasm/doui.mjs, wasm/doui-receipt.mjs and
//     wasm/doui-search.mjs over wasm/small-core.mjs (the
//     shipped copies are the same code without comments, wasm/ship.mjs), and consumer.ts
//   --module node: the Node module, wasm/node/doui-verify.mjs, and node-consumer.ts
//   --module widget: the signup widget, web/widget/doui-consent.mjs over wasm/doui.mjs, and
//     widget-consumer.ts
//   node tests/types/typecheck.mjs [--module web|node|widget] [--dist build/wasm/web|build/wasm/node]
import { spawnSync } from 'node:child_process';
import { copyFileSync, existsSync, mkdtempSync, writeFileSync, rmSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { fileURLToPath } from 'node:url';

const here = path.dirname(fileURLToPath(import.meta.url));
const root = path.resolve(here, '../..');
const arg = (/** @type {string} */ name) => {
  const i = process.argv.indexOf(name);
  return i >= 0 ? process.argv[i + 1] : undefined;
};
const kind = arg('--module') ?? 'web';
const modules = {
  web: { dir: 'wasm', sources: ['doui.mjs', 'doui-error.mjs', 'doui-receipt.mjs', 'doui-search.mjs', 'small-core.mjs'],
    files: ['doui.mjs', 'doui-error.mjs', 'doui.d.mts', 'doui-core.d.mts', 'doui-receipt.mjs', 'doui-receipt.d.mts', 'doui-receipt-core.d.mts',
      'doui-search.mjs', 'doui-search.d.mts', 'doui-search-core.d.mts', 'small-core.mjs'],
    consumer: 'consumer.ts', extra: [], dist: process.env.DOUI_WEB_DIST || 'build/wasm/web' },
  node: { dir: 'wasm/node', sources: ['doui-verify.mjs', 'doui-error.mjs'],
    files: ['doui-verify.mjs', '../doui-error.mjs', 'doui-verify.d.mts', 'doui-verify-core.d.cts'],
    consumer: 'node-consumer.ts', extra: ['node-shim.d.ts'], dist: 'build/wasm/node' },
  widget: { dir: 'wasm', sources: ['doui-consent.mjs'],
    files: ['doui.mjs', 'doui-error.mjs', 'doui.d.mts', 'doui-core.d.mts', '../web/widget/doui-consent.mjs', '../web/widget/doui-consent.d.mts'],
    consumer: 'widget-consumer.ts', extra: [], dist: process.env.DOUI_WEB_DIST || 'build/wasm/web' },
};
const mod = modules[kind];
if (!mod) {
  console.error(`--module web, node or widget, not ${kind}`);
  process.exit(2);
}
const dist = path.resolve(root, arg('--dist') ?? mod.dist);
if (!existsSync(path.join(dist, 'codes.ts'))) {
  console.error(`missing ${path.join(dist, 'codes.ts')}: build the wasm preset first`);
  process.exit(2);
}
// The shipped files and the consumer side by side, as a site holds them.
const tmp = mkdtempSync(path.join(os.tmpdir(), 'doui-types-'));
for (const f of mod.files) copyFileSync(path.join(root, mod.dir, f), path.join(tmp, path.basename(f)));
copyFileSync(path.join(dist, 'codes.ts'), path.join(tmp, 'codes.ts'));
for (const f of [mod.consumer, ...mod.extra]) copyFileSync(path.join(here, f), path.join(tmp, f));
const config = path.join(tmp, 'tsconfig.json');
writeFileSync(config, JSON.stringify({
  compilerOptions: {
    strict: true, noEmit: true, allowJs: true, checkJs: true, skipLibCheck: false,
    target: 'es2022', module: 'nodenext', moduleResolution: 'nodenext', lib: ['es2022', 'dom'],
    types: [],
  },
  files: [...mod.sources, mod.consumer, ...mod.extra],
}));
const tsc = path.join(root, 'node_modules/.bin/tsc');
const r = spawnSync(tsc, ['-p', config, '--pretty', 'false'], { encoding: 'utf8' });
rmSync(tmp, { recursive: true, force: true });
process.stdout.write(r.stdout);
process.stderr.write(r.stderr);
if (r.status !== 0) {
  console.error(`tsc failed (${r.status ?? r.signal})`);
  process.exit(1);
}
console.log(`tsc --noEmit: ${mod.sources.join(', ')} and ${mod.consumer} type-check against their .d.mts`);
