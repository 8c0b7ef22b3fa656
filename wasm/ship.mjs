// Writes the doui.mjs that ships: the source without its comments and JSDoc (they are for
// readers and for tsc, tests/types; the size budget counts every byte the browser loads).
// Without the npm typescript the source is copied as it is.
//   node wasm/ship.mjs <source doui.mjs> <output doui.mjs>
import { readFileSync, writeFileSync } from 'node:fs';
import { createRequire } from 'node:module';

const [src, out] = process.argv.slice(2);
const text = readFileSync(src, 'utf8');
let ts = null;
try {
  ts = createRequire(import.meta.url)('typescript');
} catch {}
const shipped = ts
  ? ts.transpileModule(text, {
      compilerOptions: { removeComments: true, target: ts.ScriptTarget.ES2022, module: ts.ModuleKind.ESNext },
    }).outputText.replace(/^ +/gm, '')
  : text;
writeFileSync(out, `// doui browser API (source: wasm/doui.mjs; types: doui.d.mts)\n${shipped}`);
