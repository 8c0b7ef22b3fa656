// doui's verifier for Node servers (issue #8): the core's verify, compiled to wasm, behind two
// functions. Same verdicts as `doui verify` and `doui receipt verify`, byte for byte (tests/node). Node 18+, ES module; the
// wasm is instantiated when the module is imported, so every call is synchronous.
//   import { verifyRecord } from './doui-verify.mjs';
//   const verdict = verifyRecord(line, { now: new Date() });   // {digest, errors, id, reconsent_required, valid}
//   const receipt = verifyReceipt(receiptJson, [publicKeyJson]); // {errors, key_id, record_id, valid}
import { createRequire } from 'node:module';
// Thrown when a call cannot be made (not when a record or receipt is refused: that is a verdict).
import { DouiError } from './doui-error.mjs';

export { DouiError };

/** @typedef {import('./codes.js').ErrorCode} ErrorCode */
/** @typedef {import('./doui-verify.mjs').DouiProblem} DouiProblem */
/** @typedef {import('./doui-verify.mjs').Verdict} Verdict */
/** @typedef {import('./doui-verify.mjs').ReceiptVerdict} ReceiptVerdict */

/** @satisfies {typeof import('./doui-verify.mjs').DouiError} */ (DouiError);

/**
 * @param {ErrorCode} code
 * @returns {never}
 */
function fail(code, path = '', detail = '', offset = -1) {
  throw new DouiError([{ code, path, detail, offset }]);
}

// The Emscripten part is CommonJS (see wasm/node/CMakeLists.txt); it reads its .wasm beside it.
const require = createRequire(import.meta.url);
/** @type {import('./doui-verify-core.cjs').Core} */
const core = await require('./doui-verify-core.cjs')();

const MAX_POLICY = 8 << 20; // the core's limit on a policy (json_strict.hpp ParseLimits)
const MAX_INSTANT = 64 * 1024;
const MAX_RECORD = core._doui_max_record_bytes();
const MAX_RECEIPT = 64 * 1024; // core/include/doui/receipt.hpp kMaxReceiptBytes, the CLI's limit
const MAX_KEYS = 1 << 20; // the public key files, together (each is about 120 bytes)
const decoder = new TextDecoder();
const encoder = new TextEncoder();
const LONE_SURROGATE = /\p{Cs}/u; // with /u only unpaired surrogates are Cs code points
const oom = () => fail('wasm.out_of_memory', '', 'malloc failed');

/** UTF-8 length of a well-formed string, without encoding it. */
function utf8Size(/** @type {string} */ s) {
  let n = s.length;
  for (let i = 0; i < s.length; i++) {
    const c = s.charCodeAt(i);
    if (c >= 0x80) n += c < 0x800 || (c >= 0xd800 && c <= 0xdfff) ? 1 : 2;
  }
  return n;
}

/**
 * Text the core will read: not a string is `typeCode`, an unpaired surrogate (no UTF-8) is
 * json.invalid_utf8 at its byte offset.
 * @param {unknown} v
 * @param {ErrorCode} typeCode
 * @param {string} path
 * @param {string} what
 * @returns {string}
 */
function text(v, typeCode, path, what) {
  if (typeof v !== 'string') fail(typeCode, path, `expected ${what}`);
  const at = v.search(LONE_SURROGATE);
  if (at >= 0) fail('json.invalid_utf8', path, 'an unpaired surrogate', utf8Size(v.slice(0, at)));
  return v;
}

/**
 * Copies each input (text or bytes) into wasm memory for the duration of `fn`, at most `limit`
 * bytes of each (`cut`: past the limit, only limit + 1 bytes; else refused as json.too_large);
 * whatever happens, every copy is freed.
 * @template T
 * @param {[string | Uint8Array, number, boolean][]} inputs [input, byte limit, cut]
 * @param {(placed: [number, number][]) => T} fn receives [ptr, byte length] of each
 * @returns {T}
 */
function withInputs(inputs, fn) {
  const sizes = inputs.map(([input, limit, cut]) => {
    const size = typeof input === 'string' ? utf8Size(input) : input.length;
    if (size <= limit) return size;
    if (!cut) fail('json.too_large', '', `${size} bytes; the limit is ${limit}`);
    return limit + 1;
  });
  /** @type {[number, number][]} */
  const placed = [];
  try {
    inputs.forEach(([input], i) => {
      const ptr = core._malloc(sizes[i] + 1);
      if (!ptr) oom();
      placed.push([ptr, sizes[i]]);
      const into = core.HEAPU8.subarray(ptr, ptr + sizes[i]);
      if (typeof input !== 'string') into.set(input.subarray(0, sizes[i]));
      // A cut text may end inside a character: the bytes after it are filler (the core refuses a
      // record over its limit for its size alone, whatever the bytes).
      else into.fill(0xff, encoder.encodeInto(input, into).written);
      core.HEAPU8[ptr + sizes[i]] = 0;
    });
    return fn(placed);
  } finally {
    for (const [ptr] of placed) core._free(ptr);
  }
}

/**
 * Reads and frees a DouiResult; returns {text, handle} or throws DouiError.
 * @param {number} result
 */
function take(result) {
  if (!result) oom();
  const [ok, size, data, handle] = new Uint32Array(core.HEAPU8.buffer, result, 4);
  const out = decoder.decode(core.HEAPU8.subarray(data, data + size));
  core._doui_result_free(result);
  if (!ok) throw new DouiError(JSON.parse(out));
  return { text: out, handle };
}

/**
 * options[key] when `options` is an object that has it as its own property (inherited keys are
 * not options); other option values are refused with `code`.
 * @param {unknown} options
 * @param {string} key
 * @param {ErrorCode} code
 * @returns {unknown}
 */
function option(options, key, code) {
  if (options === undefined) return undefined;
  try {
    if (typeof options !== 'object' || options === null) throw 0;
    return Object.prototype.hasOwnProperty.call(options, key) ? /** @type {any} */ (options)[key] : undefined;
  } catch {
    return fail(code, '', 'expected an options object');
  }
}

/** @param {unknown} now a Date, RFC 3339 text, or undefined (the current time) */
function instant(now) {
  if (now === undefined) return new Date().toISOString();
  if (now instanceof Date) {
    let ms = NaN;
    try {
      ms = Date.prototype.getTime.call(now); // throws for an object posing as a Date
    } catch {}
    if (Number.isNaN(ms)) fail('time.bad_instant', '', 'an invalid Date');
    return Date.prototype.toISOString.call(now);
  }
  return text(now, 'time.bad_instant', '', 'a Date or RFC 3339 text');
}

// Registries: the bundled policy's, made once; with `policies`, the last list's, kept while the
// same texts are given (a server passes the same list on every call).
const newRegistry = () => take(core._doui_registry_new()).handle;
const bundled = newRegistry();
/** @type {{texts: string[], handle: number} | null} */
let cached = null;

/**
 * The registry for `policies` (undefined: the bundled policy alone).
 * @param {unknown} policies
 * @returns {number}
 */
function registryFor(policies) {
  if (policies === undefined) return bundled;
  if (!Array.isArray(policies)) fail('policy.wrong_type', '', 'expected an array of policies as JSON text');
  const texts = policies.map((p, i) => text(p, 'policy.wrong_type', '', `policy ${i} as JSON text`));
  if (cached && cached.texts.length === texts.length && cached.texts.every((t, i) => t === texts[i])) return cached.handle;
  const handle = newRegistry();
  try {
    for (const t of texts) withInputs([[t, MAX_POLICY, false]], ([[p, n]]) => take(core._doui_registry_add(handle, p, n)));
  } catch (e) {
    core._doui_registry_free(handle);
    throw e;
  }
  if (cached) core._doui_registry_free(cached.handle);
  cached = { texts, handle };
  return handle;
}

/**
 * The verdict on one consent record, as `doui verify` gives it: the bundled policy and then
 * `policies` (each a policy's JSON text; of two with one id and version, the first), at `now`
 * (a Date or RFC 3339 text; default the current time). JSON.stringify(verdict) is the line
 * `doui verify` prints for the same record. A refused record is a verdict (valid: false, with
 * every error's code and JSON pointer); DouiError is thrown only for what makes the call
 * impossible: a bad `now` (time.bad_instant), a policy that does not load (its errors), an
 * argument of the wrong type.
 */
export const verifyRecord = /** @satisfies {typeof import('./doui-verify.mjs').verifyRecord} */ (function verifyRecord(
  /** @type {string | Uint8Array} */ record,
  /** @type {import('./doui-verify.mjs').VerifyOptions | undefined} */ options = undefined,
) {
  const input = record instanceof Uint8Array ? record : text(record, 'record.wrong_type', '', 'the record as JSON text or UTF-8 bytes');
  const at = instant(option(options, 'now', 'time.bad_instant'));
  const registry = registryFor(option(options, 'policies', 'policy.wrong_type'));
  /** @type {Verdict} */
  const verdict = JSON.parse(withInputs([[input, MAX_RECORD, true], [at, MAX_INSTANT, false]],
    ([[r, rn], [n, nn]]) => take(core._doui_verify_record(registry, r, rn, n, nn)).text));
  return verdict;
});

/**
 * A signed receipt's verdict (its JSON text) against public key files (their JSON text, as
 * `doui key new` writes FILE.pub): JSON.stringify(verdict) is the line `doui receipt verify
 * --pub FILE ...` prints for the same receipt and keys. A receipt that is not JSON, is changed or
 * names none of the keys is a verdict (valid: false); DouiError is thrown only for what makes the
 * call impossible, as it is exit 2 in the CLI: an unusable key file (its key.* problems, e.g.
 * key.secret_in_public for a file holding the secret key), a receipt over 64 KiB
 * (json.too_large), an argument of the wrong type (receipt.wrong_type, key.wrong_type).
 */
export const verifyReceipt = /** @satisfies {typeof import('./doui-verify.mjs').verifyReceipt} */ (function verifyReceipt(
  /** @type {string} */ receiptJson,
  /** @type {readonly string[]} */ publicKeyJsons,
) {
  const receipt = text(receiptJson, 'receipt.wrong_type', '', 'the receipt as JSON text');
  /** @type {unknown[]} */
  const given = [];
  try {
    if (!Array.isArray(publicKeyJsons)) throw 0;
    for (let i = 0, n = publicKeyJsons.length; i < n; i++) given.push(publicKeyJsons[i]);
  } catch {
    fail('key.wrong_type', '', 'expected an array of public key files as JSON text');
  }
  const keys = JSON.stringify(given.map((k, i) => text(k, 'key.wrong_type', `/${i}`, 'a public key file as JSON text')));
  /** @type {ReceiptVerdict} */
  const verdict = JSON.parse(withInputs([[receipt, MAX_RECEIPT, false], [keys, MAX_KEYS, false]],
    ([[r, rn], [k, kn]]) => take(core._doui_verify_receipt(r, rn, k, kn)).text));
  return verdict;
});
