// Types for doui-verify.mjs, the verifier for Node servers (named .d.mts so that TypeScript
// finds them for an import of doui-verify.mjs). doui-verify.mjs is type-checked against them
// (tests/types): they promise only what the code does. Error codes are generated from
// core/codes/codes.json (codes.ts).
import type { ErrorCode } from './codes.js';

export interface DouiProblem {
  /** Stable error code, e.g. "time.bad_instant". */
  code: ErrorCode;
  /** JSON pointer (RFC 6901) into the input; "" is the whole document. */
  path: string;
  detail: string;
  /** Byte offset into the input for syntax and encoding errors, else -1. */
  offset: number;
}

/**
 * Thrown when a call cannot be made: a bad `now`, a policy or public key file that does not
 * load, a receipt over its limit, a wrong type.
 */
export declare class DouiError extends Error {
  constructor(errors: DouiProblem[]);
  readonly errors: DouiProblem[];
  /** The first problem's code. */
  readonly code: ErrorCode;
}

/** One problem with a record: its code and where in the record (JSON pointer). */
export interface VerdictError {
  code: ErrorCode;
  path: string;
}

/**
 * A record's verdict; JSON.stringify(verdict) is the line `doui verify` prints for the record
 * (docs/consent-record.md).
 */
export interface Verdict {
  /** The record's digest as recomputed (null if the record could not be read). */
  digest: string | null;
  /** Every problem found; empty when valid. */
  errors: VerdictError[];
  /** The record's id as stated, if readable. */
  id: string | null;
  /** Valid, but against a policy version that a newer one in effect has superseded. */
  reconsent_required: boolean;
  valid: boolean;
}

export interface VerifyOptions {
  /** The time to verify at (default: now), as `doui verify --now`. */
  now?: Date | string;
  /** Policies besides the bundled one, each as JSON text, as `doui verify --policy FILE ...`. */
  policies?: readonly string[];
}

/** Verifies one record (JSON text, or its UTF-8 bytes, e.g. a Buffer). */
export declare function verifyRecord(record: string | Uint8Array, options?: VerifyOptions): Verdict;

/**
 * A receipt's verdict; JSON.stringify(verdict) is the line `doui receipt verify` prints for the
 * receipt (and the receipt module's verifyReceipt gives the same).
 */
export interface ReceiptVerdict {
  /** Every problem, each with its code and JSON pointer; empty when valid. */
  errors: VerdictError[];
  /** As stated in the receipt (null: unreadable); verified only when valid. */
  key_id: string | null;
  /** As stated in the receipt (null: unreadable); verified only when valid. */
  record_id: string | null;
  valid: boolean;
}

/**
 * Verifies a signed receipt (its JSON text; whitespace does not matter, any other change does)
 * against public key files (their JSON text, as `doui key new` writes FILE.pub), as `doui receipt
 * verify --pub FILE ...`. A receipt that does not verify is a verdict (valid: false). Throws
 * DouiError, as the CLI exits 2, for an unusable key file (its key.* problems: e.g.
 * key.secret_in_public for a file that holds the secret key, key.bad_value, key.id_mismatch),
 * for a receipt over 64 KiB (json.too_large), and for an argument of the wrong type
 * (receipt.wrong_type, key.wrong_type).
 */
export declare function verifyReceipt(receiptJson: string, publicKeyJsons: readonly string[]): ReceiptVerdict;
