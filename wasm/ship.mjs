// Writes the doui.mjs that ships: the source minified by terser (comments and JSDoc are for
// readers and for tsc, tests/types; the size budget counts every byte the browser loads).
// Exported names, class names and the error codes' strings are kept. A stylesheet is minified by
// csso without restructuring (rules stay as written, in order; only whitespace, comments and
// spellings go).
// The first line of what ships names its source in the repository (SOURCE, default wasm/NAME).
//   node wasm/ship.mjs <source doui.mjs> <output doui.mjs> [SOURCE]   (doui-receipt.mjs, *.css likewise)
import { readFileSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import { minify as minifyCss } from 'csso';
import { minify } from 'terser';

const [src, out, source = `wasm/${path.basename(src)}`] = process.argv.slice(2);
const name = path.basename(src);
if (name.endsWith('.css')) {
  const { css } = minifyCss(readFileSync(src, 'utf8'), { restructure: false });
  writeFileSync(out, `/* doui (source, with its notes: ${source}) */\n${css}\n`);
  process.exit(0);
}
const { code } = await minify(readFileSync(src, 'utf8'), {
  module: true,
  ecma: 2022,
  compress: { passes: 2 },
  mangle: true,
  keep_classnames: true,
  format: { comments: false, preamble: `// doui (source: ${source}; types: ${name.replace(/\.mjs$/, '.d.mts')})` },
});
writeFileSync(out, `${code}\n`);
