// doui's search module: the privacy center's in-page search over its own small wasm core
// (doui-search-core.mjs), apart from the signup widget's module, which never searches. A thin
// wrapper: it checks types and sizes, copies, and reads the hits; the core folds and finds.
import createDouiSearchCore from './doui-search-core.mjs';
import { DouiError } from './doui-error.mjs';
import { invoker, text } from './small-core.mjs';

export { DouiError };

const MAX_TEXT = 8 << 20; // a page's text
const MAX_QUERY = 64 * 1024;

/**
 * Loads the search module's wasm core. `options` go to the Emscripten factory, as for loadDoui
 * (`wasmBinary` under node, `locateFile` when the .wasm is served elsewhere).
 */
export const loadSearch = /** @satisfies {typeof import('./doui-search.mjs').loadSearch} */ (async function loadSearch(
  /** @type {import('./doui.mjs').LoadOptions} */ options = {},
) {
  const core = await createDouiSearchCore(options);
  const invoke = invoker(core);

  return Object.freeze({
    /**
     * Every place `query` occurs in `text`, full-width/half-width, katakana/hiragana and case
     * alike; offsets of `text` (UTF-16, as String.prototype.slice), in order, at most 1000.
     * @param {string} haystack
     * @param {string} query
     * @returns {import('./doui-search.mjs').SearchHit[]}
     */
    search(haystack, query) {
      const t = text(haystack, 'search.wrong_type', '/text', 'the text to search');
      const q = text(query, 'search.wrong_type', '/query', 'the query');
      /** @type {number[]} */
      const flat = JSON.parse(invoke([[t, MAX_TEXT], [q, MAX_QUERY]],
        ([tp, tn, qp, qn]) => core._doui_search(tp, tn, qp, qn)));
      const hits = [];
      for (let i = 0; i < flat.length; i += 2) hits.push({ start: flat[i], end: flat[i + 1] });
      return hits;
    },
    /**
     * The wasm heap: its size and the bytes allocated in it (for leak checks).
     * @returns {{heapBytes: number, usedBytes: number}}
     */
    memory() {
      return { heapBytes: core.HEAPU8.length, usedBytes: core._doui_heap_used() };
    },
  });
});
