// Writes the doui.mjs that ships: the source minified by terser (comments and JSDoc are for
// readers and for tsc, tests/types; the size budget counts every byte the browser loads).
// Exported names, class names and the error codes' strings are kept. A stylesheet is minified by
// csso without restructuring (rules stay as written, in order; only whitespace, comments and
// spellings go).
// The first line of what ships names its source in the repository (SOURCE, default wasm/NAME).
// With --bundle DIR the module's imports are resolved in DIR (the shipped doui.mjs and its imports)
// and bundled into it by esbuild before terser: the signup widget is one file, so a page makes
// one request for its script, and gzip sees them as one text (0.7 KB less than apart).
//   node wasm/ship.mjs <source doui.mjs> <output doui.mjs> [SOURCE]   (doui-receipt.mjs, *.css likewise)
//   node wasm/ship.mjs <source doui-consent.mjs> <output> SOURCE --bundle <dir of doui.mjs>
import { readFileSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import { minify as minifyCss } from 'csso';
import { build } from 'esbuild';
import { minify } from 'terser';

const argv = process.argv.slice(2);
const at = argv.indexOf('--bundle');
const bundleFrom = at >= 0 ? argv.splice(at, 2)[1] : null;
const [src, out, source = `wasm/${path.basename(src)}`] = argv;
const name = path.basename(src);
if (name.endsWith('.css')) {
  const { css } = minifyCss(readFileSync(src, 'utf8'), { restructure: false });
  writeFileSync(out, `/* doui (source, with its notes: ${source}) */\n${css}\n`);
  process.exit(0);
}
let js = readFileSync(src, 'utf8');
if (bundleFrom) {
  const bundled = await build({
    stdin: { contents: js, resolveDir: path.resolve(bundleFrom), sourcefile: name, loader: 'js' },
    bundle: true, format: 'esm', target: 'es2022', write: false, logLevel: 'error',
  });
  js = bundled.outputFiles[0].text;
}
const { code } = await minify(js, {
  module: true,
  ecma: 2022,
  compress: { passes: 2 },
  mangle: true,
  keep_classnames: true,
  format: {
    comments: false,
    preamble: `// doui (source: ${source}${bundleFrom ? ', with doui.mjs, its error class and its glue' : ''}; types: ${name.replace(/\.mjs$/, '.d.mts')})`,
  },
});
writeFileSync(out, `${code}\n`);
