// Types of the Emscripten module (doui-verify-core.cjs): the C API of wasm/node/verify_api.cpp
// (exports.txt). Pointers and handles are wasm addresses (0: none); a DouiResult is freed with
// _doui_result_free. Only doui-verify.mjs uses it.
interface DouiVerifyCore {
  HEAPU8: Uint8Array;
  _malloc(size: number): number;
  _free(ptr: number): void;
  _doui_max_record_bytes(): number;
  _doui_registry_new(): number;
  _doui_registry_add(handle: number, json: number, jsonLen: number): number;
  _doui_registry_free(handle: number): void;
  _doui_verify_record(handle: number, record: number, recordLen: number, now: number, nowLen: number): number;
  _doui_verify_receipt(receipt: number, receiptLen: number, keys: number, keysLen: number): number;
  _doui_result_free(result: number): void;
}

declare function createDouiVerifyCore(options?: object): Promise<DouiVerifyCore>;
declare namespace createDouiVerifyCore {
  export type Core = DouiVerifyCore;
}
export = createDouiVerifyCore;
