// tsc --noEmit over the browser modules: wasm/doui.mjs and wasm/doui-receipt.mjs themselves (allowJs + checkJs: its @satisfies
// hold the code to doui.d.mts, so the types cannot promise what the code does not do; the
// shipped copy is the same code without comments, wasm/ship.mjs) and consumer.ts, which uses
// every API through the types, with the error codes the build generated (codes.ts).
//   node tests/types/typecheck.mjs [--dist build/wasm/web]   (or DOUI_WEB_DIST)
import { spawnSync } from 'node:child_process';
import { copyFileSync, existsSync, mkdtempSync, writeFileSync, rmSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { fileURLToPath } from 'node:url';

const here = path.dirname(fileURLToPath(import.meta.url));
const root = path.resolve(here, '../..');
const i = process.argv.indexOf('--dist');
const dist = path.resolve(root, i >= 0 ? process.argv[i + 1] : process.env.DOUI_WEB_DIST || 'build/wasm/web');
if (!existsSync(path.join(dist, 'codes.ts'))) {
  console.error(`missing ${path.join(dist, 'codes.ts')}: build the wasm preset first`);
  process.exit(2);
}
// The shipped files and the consumer side by side, as a site holds them.
const tmp = mkdtempSync(path.join(os.tmpdir(), 'doui-types-'));
for (const f of ['doui.mjs', 'doui.d.mts', 'doui-core.d.mts', 'doui-receipt.mjs', 'doui-receipt.d.mts', 'doui-receipt-core.d.mts']) copyFileSync(path.join(root, 'wasm', f), path.join(tmp, f));
copyFileSync(path.join(dist, 'codes.ts'), path.join(tmp, 'codes.ts'));
copyFileSync(path.join(here, 'consumer.ts'), path.join(tmp, 'consumer.ts'));
const config = path.join(tmp, 'tsconfig.json');
writeFileSync(config, JSON.stringify({
  compilerOptions: {
    strict: true, noEmit: true, allowJs: true, checkJs: true, skipLibCheck: false,
    target: 'es2022', module: 'nodenext', moduleResolution: 'nodenext', lib: ['es2022', 'dom'],
    types: [],
  },
  files: ['doui.mjs', 'doui-receipt.mjs', 'consumer.ts'],
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
console.log('tsc --noEmit: doui.mjs, doui-receipt.mjs and consumer.ts type-check against their .d.mts');
