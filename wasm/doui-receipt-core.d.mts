// Types of the receipt module's Emscripten core (doui-receipt-core.mjs): the C API of
// wasm/receipt_api.cpp (receipt_exports.txt). Only doui-receipt.mjs uses it.
export interface DouiReceiptCore {
  HEAPU8: Uint8Array;
  _malloc(size: number): number;
  _free(ptr: number): void;
  _doui_receipt_verify(receipt: number, receiptLen: number, keys: number, keysLen: number): number;
  _doui_result_free(result: number): void;
  _doui_heap_used(): number;
}

export default function createDouiReceiptCore(options?: object): Promise<DouiReceiptCore>;
