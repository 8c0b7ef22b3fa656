// doui's browser API: a thin wrapper over the wasm core (doui-core.mjs). It converts arguments,
// reads results and turns error lists into a DouiError; the core decides. What the wrapper does
// itself is only what the core cannot see: values JSON cannot carry faithfully, field names,
// sizes before copying into wasm memory, and allocation failures.
import createDouiCore from './doui-core.mjs';
import { DouiError } from './doui-error.mjs';

export { DouiError };

/** @typedef {import('./codes.js').ErrorCode} ErrorCode */
/**
 * @typedef {object} DouiProblem
 * @property {ErrorCode} code
 * @property {string} path
 * @property {string} detail
 * @property {number} offset
 */

/** @satisfies {typeof import('./doui.mjs').DouiError} */ (DouiError);

/**
 * @param {ErrorCode} code
 * @returns {never}
 */
function fail(code, path = '', detail = '', offset = -1) {
  throw new DouiError([{ code, path, detail, offset }]);
}

// The core's limits (core/src/json_strict.hpp ParseLimits, consent_json.cpp), checked here too
// so that an oversized text is refused before it is copied into wasm memory.
const MAX_DOCUMENT = 8 << 20; // policy and links JSON
const MAX_INPUTS = 64 * 1024; // consent inputs JSON; also the session's instant and record id
const MAX_LIST = 16; // the core's "up to 16 strings": longer arrays are not copied

// Known input fields and their kinds; Maps, so no prototype key can look like a field.
const FIELDS = new Map([
  ['subject', 's'], ['birthdate', 's'], ['policy_agreed', 'b'], ['linkages', 'l'],
  ['guardian', 'g'], ['locale', 's'], ['surface', 's'], ['agent', 's'], ['previous_record', 's'],
  ['event', 's'],
]);
const GUARDIAN_FIELDS = new Map([
  ['name', 's'], ['name_kana', 's'], ['relationship', 's'], ['affirmed', 'b'], ['covers', 'l'],
]);

const decoder = new TextDecoder();
const encoder = new TextEncoder();
const LONE_SURROGATE = /\p{Cs}/u; // with /u only unpaired surrogates are Cs code points
const hasOwn = (/** @type {object} */ o, /** @type {string} */ k) => Object.prototype.hasOwnProperty.call(o, k);
const pointer = (/** @type {string} */ key) => '/' + key.replace(/~/g, '~0').replace(/\//g, '~1');

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
 * A caller's value as plain JSON data, read once. What JSON cannot carry as it is (undefined,
 * NaN, BigInt, Symbol, functions, boxed values, Dates, Maps, class instances, accessors, cycles,
 * Proxies that throw) becomes null, which no input field accepts: the core then reports
 * record.wrong_type at its pointer. Unpaired surrogates cannot become UTF-8: record.bad_value.
 * @param {unknown} v
 * @param {string} path
 * @param {number} depth
 * @param {DouiProblem[]} errors
 * @returns {any}
 */
function plain(v, path, depth, errors) {
  try {
    if (typeof v === 'string') {
      if (LONE_SURROGATE.test(v)) errors.push({ code: 'record.bad_value', path, detail: 'an unpaired surrogate', offset: -1 });
      return v;
    }
    if (typeof v === 'boolean' || (typeof v === 'number' && Number.isFinite(v))) return v;
    if (typeof v !== 'object' || v === null || depth >= 3) return null;
    if (Array.isArray(v)) {
      const n = v.length;
      if (!(n <= MAX_LIST)) return null;
      const out = [];
      for (let i = 0; i < n; i++) out.push(plain(v[i], `${path}/${i}`, depth + 1, errors));
      return out;
    }
    const proto = Object.getPrototypeOf(v);
    if (proto !== Object.prototype && proto !== null) return null;
    const out = Object.create(null);
    for (const k of Reflect.ownKeys(v)) {
      if (typeof k !== 'string') return null;
      const d = Reflect.getOwnPropertyDescriptor(v, k);
      if (!d || !d.enumerable) continue; // as JSON.stringify: own enumerable keys only
      if (LONE_SURROGATE.test(k)) {
        errors.push({ code: 'record.unknown_field', path: path + pointer(k), detail: '', offset: -1 });
        continue;
      }
      out[k] = 'value' in d ? plain(d.value, path + pointer(k), depth + 1, errors) : null;
    }
    return out;
  } catch {
    return null; // a trap or getter threw: not data
  }
}

/**
 * Loads the wasm core: `wasmBinary` (its bytes, e.g. read from disk under node), or else fetched
 * from next to this module, or from `locateFile('doui-core.wasm', <this module's directory>)`.
 * The glue is Emscripten's minimal runtime, which instantiates the bytes it is given.
 * (@satisfies: tsc holds this code to its declaration, doui.d.mts; see tests/types.)
 */
export const loadDoui = /** @satisfies {typeof import('./doui.mjs').loadDoui} */ (async function loadDoui(
  /** @type {import('./doui.mjs').LoadOptions} */ options = {},
) {
  let wasm = options.wasmBinary;
  if (wasm === undefined) {
    const prefix = new URL('./', import.meta.url).href;
    const url = options.locateFile ? options.locateFile('doui-core.wasm', prefix) : `${prefix}doui-core.wasm`;
    const response = await fetch(url, { credentials: 'same-origin' });
    if (!response.ok) throw new Error(`${url}: HTTP ${response.status}`);
    wasm = await response.arrayBuffer();
  }
  const core = await createDouiCore({ wasm });
  const registry =
    typeof FinalizationRegistry === 'function'
      ? new FinalizationRegistry((/** @type {number} */ handle) => core._doui_policy_free(handle))
      : null;
  const oom = () => fail('wasm.out_of_memory', '', 'malloc failed');

  /**
   * Copies `text` (undefined: none) into wasm memory for the duration of `fn`, after checking
   * every size, so a refused call copies nothing; whatever happens, every copy is freed.
   * @template T
   * @param {[string | undefined, number][]} texts [text, byte limit]
   * @param {(placed: [number, number][]) => T} fn receives [ptr, byte length] (0, 0 for none)
   * @returns {T}
   */
  function withStrings(texts, fn) {
    const sizes = texts.map(([text, limit]) => {
      if (text === undefined) return 0;
      const size = utf8Size(text);
      if (size > limit) fail('json.too_large', '', `${size} bytes; the limit is ${limit}`);
      return size;
    });
    /** @type {[number, number][]} */
    const placed = [];
    try {
      texts.forEach(([text], i) => {
        if (text === undefined) return void placed.push([0, 0]);
        const ptr = core._malloc(sizes[i] + 1);
        if (!ptr) oom();
        placed.push([ptr, sizes[i]]);
        encoder.encodeInto(text, core.HEAPU8.subarray(ptr, ptr + sizes[i]));
        core.HEAPU8[ptr + sizes[i]] = 0;
      });
      return fn(placed);
    } finally {
      for (const [ptr] of placed) if (ptr) core._free(ptr);
    }
  }

  /**
   * Reads and frees a DouiResult; returns {text, handle} or throws DouiError.
   * @param {number} result
   */
  function take(result) {
    if (!result) oom();
    const [ok, size, data, handle] = new Uint32Array(core.HEAPU8.buffer, result, 4);
    const text = decoder.decode(core.HEAPU8.subarray(data, data + size));
    core._doui_result_free(result);
    if (!ok) throw new DouiError(JSON.parse(text));
    return { text, handle };
  }

  /**
   * A string the core will read: not a string is `typeCode`, an unpaired surrogate (no UTF-8)
   * is `badCode`, both at `path`.
   * @param {unknown} v
   * @param {ErrorCode} typeCode
   * @param {ErrorCode} badCode
   * @param {string} path
   * @param {string} what
   */
  function text(v, typeCode, badCode, path, what) {
    if (typeof v !== 'string') fail(typeCode, path, `expected ${what}`);
    const at = v.search(LONE_SURROGATE);
    if (at >= 0) fail(badCode, path, 'an unpaired surrogate', utf8Size(v.slice(0, at)));
    return v;
  }

  /**
   * options[key] when `options` is an object that has it as its own property (inherited keys,
   * e.g. a polluted Object.prototype, are not options); other option values are refused.
   * @param {unknown} options
   * @param {string} key
   * @param {ErrorCode} code
   * @param {string} path
   * @returns {unknown}
   */
  function option(options, key, code, path) {
    if (options === undefined) return undefined;
    try {
      if (typeof options !== 'object' || options === null) throw 0;
      return hasOwn(options, key) ? /** @type {any} */ (options)[key] : undefined;
    } catch {
      return fail(code, path, 'expected an options object');
    }
  }

  class Policy {
    #handle;
    /** @param {number} handle */
    constructor(handle) {
      this.#handle = handle;
      const info = JSON.parse(take(core._doui_policy_info(handle)).text);
      /** @type {string} */ this.id = info.id;
      /** @type {string} */ this.version = info.version;
      /** @type {string} */ this.lang = info.lang;
      /** @type {string} */ this.title = info.title;
      /** @type {string} */ this.effectiveDate = info.effective_date;
      /** SHA-256 (hex) of the policy's canonical JSON: names the exact text shown. @type {string} */
      this.digest = info.digest;
      registry?.register(this, handle, this);
      Object.freeze(this);
    }
    #live() {
      if (!this.#handle) fail('wasm.disposed', '', 'policy was disposed');
      return this.#handle;
    }
    /**
     * @param {(handle: number) => number} fn
     */
    #call(fn) {
      return take(fn(this.#live())).text;
    }
    /**
     * The policy as HTML: a full page, or with {fragment: true} an <article> to embed.
     * @param {{fragment?: boolean}} [options]
     * @returns {string}
     */
    renderHtml(options) {
      const fragment = option(options, 'fragment', 'render.bad_option', '/fragment') ?? false;
      if (typeof fragment !== 'boolean') fail('render.bad_option', '/fragment', 'expected boolean');
      return this.#call((h) => core._doui_render_html(h, fragment ? 1 : 0));
    }
    /**
     * The disclosures derived from the policy text, each with its digest.
     * @returns {import('./doui.mjs').Disclosure[]}
     */
    disclosures() {
      return JSON.parse(this.#call((h) => core._doui_policy_disclosures(h)));
    }
    /**
     * Starts a consent session at `now` (a Date or RFC 3339 text; default: the current time),
     * from `inputs` if given (the inputs' JSON form, as the server's status gives a withdrawal's).
     * The session only holds what was typed; every rule is decided by the core.
     * @param {{now?: Date | string, inputs?: Record<string, unknown>}} [options]
     * @returns {import('./doui.mjs').ConsentSession}
     */
    startSession(options) {
      const policy = this;
      const now = option(options, 'now', 'time.bad_instant', '');
      let at;
      if (now === undefined) at = new Date().toISOString();
      else if (now instanceof Date) {
        let ms = NaN;
        try {
          ms = Date.prototype.getTime.call(now); // throws for an object posing as a Date
        } catch {}
        if (Number.isNaN(ms)) fail('time.bad_instant', '', 'an invalid Date');
        at = Date.prototype.toISOString.call(now);
      } else at = text(now, 'time.bad_instant', 'time.bad_instant', '', 'a Date or RFC 3339 text');

      // What was typed, as plain data in objects without prototypes; replaced, never mutated,
      // and only by a `next` the core accepted (so a refused call leaves the session as it was).
      /** @type {Record<string, any>} */
      let inputs = Object.create(null);
      // Where and by what consent is collected: every record names both, and the core has no
      // default for either. A front end sets its own (the widget: signup, doui-widget/x.y.z).
      inputs.surface = 'web';
      inputs.agent = 'doui.mjs';
      // A session may start from inputs the core derived elsewhere (the server's withdrawal
      // inputs for the privacy center), read as set() reads a value and judged by the core.
      const seed = option(options, 'inputs', 'record.wrong_type', '');
      if (seed !== undefined) {
        /** @type {DouiProblem[]} */
        const errors = [];
        const copy = plain(seed, '', 0, errors);
        if (errors.length) throw new DouiError(errors);
        if (copy === null || typeof copy !== 'object' || Array.isArray(copy)) fail('record.wrong_type', '', 'expected an inputs object');
        inputs = Object.assign(inputs, copy);
      }
      // The core's state of `inputs` at `at`, as it last gave it: both change only through
      // evaluate, so state() reads it again instead of having the core decide the same again.
      let stateText = '';
      /** @param {Record<string, any>} next */
      const evaluate = (next) => {
        const text = policy.#call((h) => withStrings([[JSON.stringify(next), MAX_INPUTS], [at, MAX_INPUTS]],
          ([[i, il], [n, nl]]) => core._doui_consent_state(h, i, il, n, nl)));
        const state = JSON.parse(text);
        inputs = next;
        stateText = text;
        return state;
      };
      /**
       * @param {Record<string, any>} base
       * @param {string} key
       * @param {unknown} value
       */
      const withField = (base, key, value) => {
        const next = Object.assign(Object.create(null), base);
        next[key] = value;
        return next;
      };
      evaluate(inputs); // a bad instant is refused now, not at every later call

      /**
       * @param {unknown} id
       * @param {unknown} chosen
       */
      const setLinkage = (id, chosen) => {
        const key = text(id, 'record.wrong_type', 'record.bad_value', '/linkages', 'a linkage id');
        if (typeof chosen !== 'boolean') fail('record.wrong_type', '/linkages', 'expected boolean for the choice');
        /** @type {string[]} */
        const current = Array.isArray(inputs.linkages) ? inputs.linkages : [];
        const list = !chosen ? current.filter((x) => x !== key) : current.includes(key) ? [...current] : [...current, key];
        return evaluate(withField(inputs, 'linkages', list));
      };

      return Object.freeze({
        /** The inputs so far (a copy). */
        get inputs() {
          return JSON.parse(JSON.stringify(inputs));
        },
        /**
         * Sets one input and returns the new state. Fields: subject, birthdate, policy_agreed,
         * linkages (array of ids), guardian (object), locale, surface, agent, previous_record,
         * event, and guardian.name, guardian.name_kana, guardian.relationship, guardian.affirmed,
         * guardian.covers; `linkages.<id>` with a boolean is setLinkage(id, value). These are the
         * names the state's problems give in `field`. The value is copied; later changes to it do
         * not reach the session.
         * @param {import('./doui.mjs').ConsentField} field
         * @param {unknown} value
         */
        set(field, value) {
          if (typeof field !== 'string') fail('record.unknown_field', '', 'a field name is text');
          if (field.startsWith('linkages.')) return setLinkage(field.slice(9), value);
          const sub = field.startsWith('guardian.') ? field.slice(9) : null;
          const path = sub === null ? pointer(field) : '/guardian' + pointer(sub);
          if (sub === null ? !FIELDS.has(field) : !GUARDIAN_FIELDS.has(sub)) fail('record.unknown_field', path);
          /** @type {DouiProblem[]} */
          const errors = [];
          const copy = plain(value, path, sub === null ? 1 : 2, errors);
          if (errors.length) throw new DouiError(errors);
          if (sub === null) return evaluate(withField(inputs, field, copy));
          const g = inputs.guardian;
          return evaluate(withField(inputs, 'guardian', withField(g !== null && typeof g === 'object' && !Array.isArray(g) ? g : {}, sub, copy)));
        },
        /**
         * Chooses (true) or unchooses (false) one optional linkage; off unless chosen.
         * @param {string} id
         * @param {boolean} chosen
         */
        setLinkage(id, chosen) {
          return setLinkage(id, chosen);
        },
        /** {age, birthdate, guardian_required, tokyo_date, complete, problems[{field, code, message{ja,en}}], linkages[]} */
        state() {
          policy.#live(); // refused once the policy is disposed, like every call
          return JSON.parse(stateText);
        },
        /**
         * The canonical consent record (text: its bytes are what the digest covers).
         * @param {{recordId?: string}} [options]
         */
        buildRecord(options) {
          const raw = option(options, 'recordId', 'record.wrong_type', '/record_id') ?? '';
          const id = text(raw, 'record.wrong_type', 'record.bad_value', '/record_id', 'string');
          return policy.#call((h) => withStrings([[JSON.stringify(inputs), MAX_INPUTS], [at, MAX_INPUTS], [id, MAX_INPUTS]],
            ([[i, il], [n, nl], [r, rl]]) => core._doui_consent_record(h, i, il, n, nl, r, rl)));
        },
      });
    }
    /** Frees the wasm memory now rather than at garbage collection. */
    dispose() {
      if (!this.#handle) return;
      registry?.unregister(this);
      core._doui_policy_free(this.#handle);
      this.#handle = 0;
    }
  }

  return Object.freeze({
    /**
     * Loads a policy: `policyJson` (text; omit for the bundled policy) and `links`, an object
     * mapping the policy's link targets to URLs. Throws DouiError with every problem found.
     * @param {string} [policyJson]
     * @param {{links?: Record<string, string>}} [options]
     * @returns {import('./doui.mjs').Policy}
     */
    loadPolicy(policyJson, options) {
      const policyText = policyJson == null ? undefined : text(policyJson, 'policy.wrong_type', 'json.invalid_utf8', '', 'the policy as JSON text');
      const links = option(options, 'links', 'links.wrong_type', '');
      let linksText;
      if (links !== undefined) {
        /** @type {DouiProblem[]} */
        const errors = [];
        const copy = plain(links, '', 1, errors);
        // A links value is a URL string or the core's links.wrong_type; the core checks targets.
        if (copy !== null && typeof copy === 'object' && !Array.isArray(copy)) {
          for (const k of Object.keys(copy)) if (typeof copy[k] !== 'string') copy[k] = null;
        }
        for (const e of errors) {
          e.code = e.code === 'record.unknown_field' ? 'links.unknown_target' : e.path ? 'links.bad_url' : 'links.wrong_type';
        }
        if (errors.length) throw new DouiError(errors);
        linksText = JSON.stringify(copy);
      }
      const handle = withStrings([[policyText, MAX_DOCUMENT], [linksText, MAX_DOCUMENT]],
        ([[p, pn], [l, ln]]) => take(core._doui_policy_load(p, pn, l, ln)).handle);
      try {
        return new Policy(handle);
      } catch (e) {
        core._doui_policy_free(handle);
        throw e;
      }
    },
    /**
     * The message catalog of `lang` ('ja' or 'en'; else DouiError render.bad_option): the message
     * of every error code a page can meet (not cli.*, key.*, receipt.*) and the UI texts (labels, headings, explanations),
     * as the core holds them. Texts with {placeholders} are templates the core fills in the
     * session's state (birthdate.words, linkages[].label, …). A fresh object on every call.
     * @param {'ja' | 'en'} lang
     * @returns {import('./doui.mjs').MessageCatalog}
     */
    messages(lang) {
      const l = text(lang, 'render.bad_option', 'render.bad_option', '', "'ja' or 'en'");
      return JSON.parse(withStrings([[l, MAX_INPUTS]], ([[p, n]]) => take(core._doui_messages(p, n)).text));
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
