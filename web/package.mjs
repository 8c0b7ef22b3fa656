// Writes the npm package directory of the signup widget: the element (the browser module's wrapper
// and glue bundled in), its styles and types, the wasm it fetches, the browser module for direct
// use (wrapper, glue, types, codes) and the bundled policy as JSON,
// with a package.json whose `exports` name each. `npm pack` in that directory makes the tarball.
//   node web/package.mjs <web build dir> <policy.json> <version> <output dir>
import { copyFileSync, mkdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import path from 'node:path';

const [webDir, policy, version, out] = process.argv.slice(2);
const files = [
  'doui-consent.mjs', 'doui-consent.d.mts', 'doui-consent.css',
  'doui.mjs', 'doui-error.mjs', 'doui-error.d.mts', 'doui.d.mts', 'doui-core.mjs', 'doui-core.d.mts', 'doui-core.wasm', 'codes.ts',
];
rmSync(out, { recursive: true, force: true });
mkdirSync(out, { recursive: true });
for (const f of files) copyFileSync(path.join(webDir, f), path.join(out, f));
// The policy as served: the same bytes minified (its digest is of the canonical form either way).
writeFileSync(path.join(out, 'policy.json'), JSON.stringify(JSON.parse(readFileSync(policy, 'utf8'))));
const pkg = {
  name: 'doui-consent',
  version,
  description: 'The doui signup widget: <doui-consent>, a consent form on the doui WebAssembly core',
  type: 'module',
  license: 'UNLICENSED',
  exports: {
    '.': { types: './doui-consent.d.mts', default: './doui-consent.mjs' },
    './core': { types: './doui.d.mts', default: './doui.mjs' },
    './doui-consent.css': './doui-consent.css',
    './doui-core.wasm': './doui-core.wasm',
    './policy.json': './policy.json',
  },
  types: './doui-consent.d.mts',
  files: [...files, 'policy.json'],
  sideEffects: ['./doui-consent.mjs'],
};
writeFileSync(path.join(out, 'package.json'), `${JSON.stringify(pkg, null, 2)}\n`);
