// Types for doui-receipt.mjs: verifyReceipt, apart from the signup widget's module (doui.mjs).
import type { ErrorCode } from './codes.js';
import type { LoadOptions } from './doui.mjs';

export { DouiError } from './doui.mjs';

/** What verifyReceipt (and `doui receipt verify`) found: the same JSON on both targets. */
export interface ReceiptVerdict {
  /** Every problem, each with its code and JSON pointer; empty when valid. */
  errors: { code: ErrorCode; path: string }[];
  /** As stated in the receipt (null: unreadable); verified only when valid. */
  key_id: string | null;
  record_id: string | null;
  valid: boolean;
}

export interface ReceiptVerifier {
  /**
   * Verifies a signed receipt (its JSON text; whitespace does not matter, any other change
   * does) against public key files (their JSON text). Throws DouiError (key.*, json.*) for an
   * unusable key file, each problem's path beginning with the key's index (/0/key_id), and
   * json.too_large for a receipt over 64 KiB.
   */
  verifyReceipt(receiptJson: string, publicKeyJsons: readonly string[]): ReceiptVerdict;
  /** The wasm heap's size and the bytes allocated in it. */
  memory(): { heapBytes: number; usedBytes: number };
}

export declare function loadReceiptVerifier(options?: LoadOptions): Promise<ReceiptVerifier>;
