// Types of the search module's Emscripten core (doui-search-core.mjs): the C API of
// wasm/search_api.cpp (search_exports.txt). Only doui-search.mjs uses it.
export interface DouiSearchCore {
  HEAPU8: Uint8Array;
  _malloc(size: number): number;
  _free(ptr: number): void;
  _doui_search(text: number, textLen: number, query: number, queryLen: number): number;
  _doui_result_free(result: number): void;
  _doui_heap_used(): number;
}

export default function createDouiSearchCore(options?: object): Promise<DouiSearchCore>;
