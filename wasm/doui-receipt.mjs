// doui's receipt module: verifyReceipt over its own small wasm core (doui-receipt-core.mjs),
// apart from the signup widget's module, whose size budget has no room for Ed25519. A thin
// wrapper as doui.mjs is: it checks types and sizes, copies, and turns errors into DouiError
// (the same class as doui.mjs's, so `instanceof` holds across both modules).
import createDouiReceiptCore from './doui-receipt-core.mjs';
import { DouiError } from './doui.mjs';

export { DouiError };

/** @typedef {import('./codes.js').ErrorCode} ErrorCode */

const MAX_RECEIPT = 64 * 1024; // core/include/doui/receipt.hpp kMaxReceiptBytes
const MAX_KEYS = 1 << 20; // the public key files, together (each is about 120 bytes)
const LONE_SURROGATE = /\p{Cs}/u;
const decoder = new TextDecoder();
const encoder = new TextEncoder();

/**
 * @param {ErrorCode} code
 * @returns {never}
 */
function fail(code, path = '', detail = '', offset = -1) {
  throw new DouiError([{ code, path, detail, offset }]);
}

/**
 * Loads the receipt module's wasm core. `options` go to the Emscripten factory, as for
 * loadDoui (`wasmBinary` under node, `locateFile` when the .wasm is served elsewhere).
 */
export const loadReceiptVerifier = /** @satisfies {typeof import('./doui-receipt.mjs').loadReceiptVerifier} */ (async function loadReceiptVerifier(
  /** @type {import('./doui.mjs').LoadOptions} */ options = {},
) {
  const core = await createDouiReceiptCore(options);

  /**
   * A string the core reads, or `code` at `path`.
   * @param {unknown} v
   * @param {ErrorCode} code
   * @param {string} path
   * @param {string} what
   * @returns {string}
   */
  function text(v, code, path, what) {
    if (typeof v !== 'string') fail(code, path, `expected ${what}`);
    if (LONE_SURROGATE.test(v)) fail('json.invalid_utf8', path, 'an unpaired surrogate');
    return v;
  }

  /**
   * Copies `texts` into wasm memory for the call (each checked against its limit first, so a
   * refused call copies nothing), reads and frees the result; throws DouiError on failure.
   * @param {[string, number][]} texts
   * @param {(placed: number[]) => number} call
   */
  function invoke(texts, call) {
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
  }

  return Object.freeze({
    /**
     * Verifies a receipt the server signed (its JSON text) against public key files (their
     * JSON text, as `doui key new` writes FILE.pub). Returns the verdict `doui receipt verify`
     * prints; an unusable key file throws DouiError (key.*), as it is exit 2 in the CLI.
     * @param {string} receiptJson
     * @param {readonly string[]} publicKeyJsons
     * @returns {import('./doui-receipt.mjs').ReceiptVerdict}
     */
    verifyReceipt(receiptJson, publicKeyJsons) {
      const receipt = text(receiptJson, 'receipt.wrong_type', '', 'the receipt as JSON text');
      /** @type {string[]} */
      const keys = [];
      try {
        if (!Array.isArray(publicKeyJsons)) throw 0;
        for (let i = 0, n = publicKeyJsons.length; i < n; i++) keys.push(publicKeyJsons[i]);
      } catch {
        fail('key.wrong_type', '', 'expected an array of public key files');
      }
      keys.forEach((k, i) => text(k, 'key.wrong_type', `/${i}`, 'a public key file as JSON text'));
      return JSON.parse(invoke([[receipt, MAX_RECEIPT], [JSON.stringify(keys), MAX_KEYS]],
        ([r, rl, k, kl]) => core._doui_receipt_verify(r, rl, k, kl)));
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
