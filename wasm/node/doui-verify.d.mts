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

/** Thrown when a call cannot be made: a bad `now`, a policy that does not load, a wrong type. */
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

/** TODO(receipts): the facts a verified receipt states (core/include/doui/receipt.hpp). */
export type ReceiptFacts = Record<string, unknown>;

/**
 * TODO(receipts): verifies a receipt against public keys (each as JSON text). Throws DouiError
 * with the receipt's problems; throws Error in a build without the receipt verifier.
 */
export declare function verifyReceipt(receipt: string, publicKeys: readonly string[]): ReceiptFacts;
