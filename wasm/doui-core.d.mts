// Types of the Emscripten module (doui-core.mjs): the C API of wasm/api.cpp (exports.txt).
// Pointers and handles are wasm addresses (0: none); a DouiResult is freed with
// _doui_result_free. Only doui.mjs uses it.
export interface DouiCore {
  HEAPU8: Uint8Array;
  _malloc(size: number): number;
  _free(ptr: number): void;
  _doui_policy_load(json: number, jsonLen: number, links: number, linksLen: number): number;
  _doui_policy_free(handle: number): void;
  _doui_render_html(handle: number, fragment: number): number;
  _doui_policy_info(handle: number): number;
  _doui_policy_disclosures(handle: number): number;
  _doui_consent_state(handle: number, inputs: number, inputsLen: number, now: number, nowLen: number): number;
  _doui_consent_record(handle: number, inputs: number, inputsLen: number, now: number, nowLen: number,
    recordId: number, recordIdLen: number): number;
  _doui_result_free(result: number): void;
  _doui_heap_used(): number;
  _doui_messages(lang: number, langLen: number): number;
}

/** `wasm`: the module's bytes (Emscripten's minimal runtime instantiates what it is given). */
export default function createDouiCore(options: { wasm: ArrayBuffer | Uint8Array }): Promise<DouiCore>;
