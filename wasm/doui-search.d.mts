// Types for doui-search.mjs: the privacy center's in-page search, apart from the signup widget's
// module (doui.mjs).
import type { LoadOptions } from './doui.mjs';

export { DouiError } from './doui.mjs';

/** A hit: text.slice(start, end) is what was found (whole characters of the text). */
export interface SearchHit {
  start: number;
  end: number;
}

export interface Searcher {
  /**
   * Every place `query` occurs in `text` as a person means it: full-width and half-width,
   * katakana and hiragana, upper and lower case alike (NFKC, case folding and kana folding in
   * the core, on both sides). In order, at most 1000; none for a blank query. A
   * non-string throws DouiError search.wrong_type, an unpaired surrogate json.invalid_utf8,
   * text over 8 MiB json.too_large.
   */
  search(text: string, query: string): SearchHit[];
  /** The wasm heap's size and the bytes allocated in it. */
  memory(): { heapBytes: number; usedBytes: number };
}

export declare function loadSearch(options?: LoadOptions): Promise<Searcher>;
