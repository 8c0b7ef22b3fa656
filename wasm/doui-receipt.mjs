// doui's receipt module: verifyReceipt over its own small wasm core (doui-receipt-core.mjs),
// apart from the signup widget's module, whose size budget has no room for Ed25519. A thin
// wrapper as doui.mjs is: it checks types and sizes, copies, and turns errors into DouiError
// (the same class as doui.mjs's, so `instanceof` holds across both modules).
import createDouiReceiptCore from './doui-receipt-core.mjs';
import { DouiError } from './doui-error.mjs';
import { fail, invoker, text } from './small-core.mjs';

export { DouiError };

const MAX_RECEIPT = 64 * 1024; // core/include/doui/receipt.hpp kMaxReceiptBytes
const MAX_KEYS = 1 << 20; // the public key files, together (each is about 120 bytes)

/**
 * Loads the receipt module's wasm core. `options` go to the Emscripten factory, as for
 * loadDoui (`wasmBinary` under node, `locateFile` when the .wasm is served elsewhere).
 */
export const loadReceiptVerifier = /** @satisfies {typeof import('./doui-receipt.mjs').loadReceiptVerifier} */ (async function loadReceiptVerifier(
  /** @type {import('./doui.mjs').LoadOptions} */ options = {},
) {
  const core = await createDouiReceiptCore(options);
  const invoke = invoker(core);

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
