// DouiError on its own, so that a module needing only the error (the receipt and search modules,
// small-core.mjs) does not load the signup widget's wrapper and its glue with it; every module of a
// page then throws the same class (one URL, one module instance). The Node verifier
// (wasm/node/doui-verify.mjs) ships and throws it too.
/** @typedef {import('./codes.js').ErrorCode} ErrorCode */
/** @typedef {{ code: ErrorCode, path: string, detail: string, offset: number }} DouiProblem */

/** Thrown when the core reports problems; `errors` holds every one with its stable code. */
export class DouiError extends Error {
  /** @param {DouiProblem[]} errors */
  constructor(errors) {
    super(errors.map((e) => `${e.code} at ${e.path || '/'}${e.detail ? ': ' + e.detail : ''}`).join('\n'));
    this.name = 'DouiError';
    /** @type {DouiProblem[]} */
    this.errors = errors;
    /** @type {ErrorCode} */
    this.code = errors.length ? errors[0].code : 'wasm.out_of_memory';
  }
}
