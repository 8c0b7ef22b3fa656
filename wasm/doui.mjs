// doui's browser API: a thin wrapper over the wasm core (doui-core.mjs). It converts arguments,
// reads results and turns error lists into a DouiError; it decides nothing itself.
import createDouiCore from './doui-core.mjs';

/** Thrown when the core reports problems; `errors` holds every one with its stable code. */
export class DouiError extends Error {
  constructor(errors) {
    super(errors.map((e) => `${e.code} at ${e.path || '/'}${e.detail ? ': ' + e.detail : ''}`).join('\n'));
    this.name = 'DouiError';
    this.errors = errors;
    this.code = errors.length ? errors[0].code : 'unknown';
  }
}

const decoder = new TextDecoder();
const encoder = new TextEncoder();

/**
 * Loads the wasm core. `options` are passed to the Emscripten factory (for example
 * `wasmBinary` under node, or `locateFile` when the .wasm is served elsewhere).
 */
export async function loadDoui(options = {}) {
  const core = await createDouiCore(options);
  const registry =
    typeof FinalizationRegistry === 'function'
      ? new FinalizationRegistry((handle) => core._doui_policy_free(handle))
      : null;

  // Copies a JS string into wasm memory; returns [ptr, len] (ptr 0 for null/undefined).
  function put(text) {
    if (text === undefined || text === null) return [0, 0];
    const bytes = encoder.encode(text);
    const ptr = core._malloc(bytes.length + 1);
    core.HEAPU8.set(bytes, ptr);
    core.HEAPU8[ptr + bytes.length] = 0;
    return [ptr, bytes.length];
  }

  // Copies strings into wasm memory for the duration of `fn`.
  function withStrings(texts, fn) {
    const placed = texts.map((t) => {
      const [ptr, len] = put(t);
      return { ptr, len };
    });
    try {
      return fn(placed);
    } finally {
      for (const p of placed) if (p.ptr) core._free(p.ptr);
    }
  }

  // Reads and frees a DouiResult; returns {text, handle} or throws DouiError.
  function take(resultPtr) {
    if (!resultPtr) throw new DouiError([{ code: 'wasm.out_of_memory', path: '', detail: '', offset: -1 }]);
    const words = new Uint32Array(core.HEAPU8.buffer, resultPtr, 4);
    const [ok, size, data, handle] = words;
    const text = decoder.decode(core.HEAPU8.subarray(data, data + size));
    core._doui_result_free(resultPtr);
    if (!ok) throw new DouiError(JSON.parse(text));
    return { text, handle };
  }

  class Policy {
    #handle;
    constructor(handle) {
      this.#handle = handle;
      registry?.register(this, handle, this);
      const info = JSON.parse(take(core._doui_policy_info(handle)).text);
      /** @type {string} */ this.id = info.id;
      /** @type {string} */ this.version = info.version;
      /** @type {string} */ this.lang = info.lang;
      /** @type {string} */ this.title = info.title;
      /** @type {string} */ this.effectiveDate = info.effective_date;
      /** SHA-256 (hex) of the policy's canonical JSON: names the exact text shown. */
      this.digest = info.digest;
    }
    #live() {
      if (!this.#handle) throw new DouiError([{ code: 'wasm.disposed', path: '', detail: 'policy was disposed', offset: -1 }]);
      return this.#handle;
    }
    /** The policy as HTML: a full page, or with {fragment: true} an <article> to embed. */
    renderHtml({ fragment = false } = {}) {
      return take(core._doui_render_html(this.#live(), fragment ? 1 : 0)).text;
    }
    /** The disclosures derived from the policy text, each with its digest. */
    disclosures() {
      return JSON.parse(take(core._doui_policy_disclosures(this.#live())).text);
    }
    /**
     * Starts a consent session at `now` (a Date or RFC 3339 text; default: the current time).
     * The session only holds what was typed; every rule is decided by the core.
     */
    startSession({ now } = {}) {
      const policy = this;
      const at = now === undefined ? new Date().toISOString() : now instanceof Date ? now.toISOString() : String(now);
      let inputs = {};
      // The core's state for `next`; `next` becomes the inputs only if the core accepts its form
      // (a wrong type or an unknown field throws and leaves the session as it was).
      const evaluate = (next) => {
        const state = JSON.parse(policy.#call((h) => withStrings([JSON.stringify(next), at], ([i, n]) =>
          core._doui_consent_state(h, i.ptr, i.len, n.ptr, n.len))));
        inputs = next;
        return state;
      };
      return {
        /** The inputs so far (a copy). */
        get inputs() {
          return structuredClone(inputs);
        },
        /**
         * Sets one input and returns the new state. Fields: subject, birthdate, policy_agreed,
         * linkages (array of ids), locale, surface, agent, previous_record, event, and
         * guardian.name, guardian.name_kana, guardian.relationship, guardian.affirmed, guardian.covers.
         */
        set(field, value) {
          const next = structuredClone(inputs);
          if (field.startsWith('guardian.')) {
            next.guardian = { ...(next.guardian || {}), [field.slice(9)]: value };
          } else {
            next[field] = value;
          }
          return evaluate(next);
        },
        /** Chooses or unchooses one optional linkage (off unless chosen). */
        setLinkage(id, chosen) {
          const set = new Set(inputs.linkages || []);
          if (chosen) set.add(id);
          else set.delete(id);
          return evaluate({ ...structuredClone(inputs), linkages: [...set] });
        },
        /** {age, guardian_required, tokyo_date, complete, problems[{field, code, message{ja,en}}], linkages[]} */
        state() {
          return evaluate(inputs);
        },
        /** The canonical consent record (text: its bytes are what the digest covers). */
        buildRecord({ recordId = '' } = {}) {
          return policy.#call((h) => withStrings([JSON.stringify(inputs), at, recordId], ([i, n, r]) =>
            core._doui_consent_record(h, i.ptr, i.len, n.ptr, n.len, r.ptr, r.len)));
        },
      };
    }
    #call(fn) {
      return take(fn(this.#live())).text;
    }
    /** Frees the wasm memory now rather than at garbage collection. */
    dispose() {
      if (!this.#handle) return;
      registry?.unregister(this);
      core._doui_policy_free(this.#handle);
      this.#handle = 0;
    }
  }

  return {
    /**
     * Loads a policy: `policyJson` (text; omit for the bundled policy) and `links`, an object
     * mapping the policy's link targets to URLs. Throws DouiError with every problem found.
     */
    loadPolicy(policyJson, { links } = {}) {
      const [p, pn] = put(policyJson);
      const [l, ln] = put(links === undefined ? undefined : JSON.stringify(links));
      try {
        return new Policy(take(core._doui_policy_load(p, pn, l, ln)).handle);
      } finally {
        if (p) core._free(p);
        if (l) core._free(l);
      }
    },
  };
}
