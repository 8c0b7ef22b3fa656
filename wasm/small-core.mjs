// What the browser's small modules (doui-receipt.mjs, doui-search.mjs) share: argument checks
// and the call into their wasm core (copy in, call, read the DouiResult, free). doui.mjs, the
// signup widget's module, keeps its own, tuned for its session API.
import { DouiError } from './doui-error.mjs';

/** @typedef {import('./codes.js').ErrorCode} ErrorCode */

const LONE_SURROGATE = /\p{Cs}/u;
const decoder = new TextDecoder();
const encoder = new TextEncoder();

/**
 * @param {ErrorCode} code
 * @returns {never}
 */
export function fail(code, path = '', detail = '', offset = -1) {
  throw new DouiError([{ code, path, detail, offset }]);
}

/**
 * A string the core reads, or `code` at `path`.
 * @param {unknown} v
 * @param {ErrorCode} code
 * @param {string} path
 * @param {string} what
 * @returns {string}
 */
export function text(v, code, path, what) {
  if (typeof v !== 'string') fail(code, path, `expected ${what}`);
  if (LONE_SURROGATE.test(v)) fail('json.invalid_utf8', path, 'an unpaired surrogate');
  return v;
}

/**
 * The call into `core`: copies `texts` into wasm memory (each checked against its limit first,
 * so a refused call copies nothing), reads and frees the result; throws DouiError on failure.
 * @param {{HEAPU8: Uint8Array, _malloc(n: number): number, _free(p: number): void, _doui_result_free(r: number): void}} core
 */
export function invoker(core) {
  /**
   * @param {[string, number][]} texts
   * @param {(placed: number[]) => number} call
   * @returns {string}
   */
  return function invoke(texts, call) {
    const bytes = texts.map(([t, limit]) => {
      const b = encoder.encode(t);
      if (b.length > limit) fail('json.too_large', '', `${b.length} bytes; the limit is ${limit}`);
      return b;
    });
    /** @type {number[]} */
    const placed = [];
    try {
      for (const b of bytes) {
        const ptr = core._malloc(b.length + 1);
        if (!ptr) fail('wasm.out_of_memory', '', 'malloc failed');
        placed.push(ptr, b.length);
        core.HEAPU8.set(b, ptr);
        core.HEAPU8[ptr + b.length] = 0;
      }
      const result = call(placed);
      if (!result) fail('wasm.out_of_memory', '', 'malloc failed');
      const [ok, size, data] = new Uint32Array(core.HEAPU8.buffer, result, 4);
      const out = decoder.decode(core.HEAPU8.subarray(data, data + size));
      core._doui_result_free(result);
      if (!ok) throw new DouiError(JSON.parse(out));
      return out;
    } finally {
      for (let i = 0; i < placed.length; i += 2) core._free(placed[i]);
    }
  };
}
