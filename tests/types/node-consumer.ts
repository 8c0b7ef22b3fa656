// A TypeScript consumer of the Node module (build/wasm/node/doui-verify.mjs) using every API
// through its types, checked by typecheck.mjs --module node with `tsc --noEmit`.
import { verifyRecord, verifyReceipt, DouiError } from './doui-verify.mjs';
import type { DouiProblem, ReceiptVerdict, Verdict, VerdictError, VerifyOptions } from './doui-verify.mjs';
import type { ErrorCode } from './codes.js';

export function useEverything(line: string, bytes: Uint8Array, policyJson: string): string {
  const options: VerifyOptions = { now: new Date('2030-01-01T00:00:00Z'), policies: [policyJson] };
  const verdict: Verdict = verifyRecord(line, options);
  const fromBytes: Verdict = verifyRecord(bytes, { now: '2030-01-01T09:00:00+09:00' });
  verifyRecord(line);
  const digest: string | null = verdict.digest;
  const id: string | null = fromBytes.id;
  const errors: VerdictError[] = verdict.errors;
  const codes: ErrorCode[] = errors.map((e) => e.code);
  const flags: boolean[] = [verdict.valid, verdict.reconsent_required];
  let receipt: ReceiptVerdict | null = null;
  try {
    receipt = verifyReceipt('{}', ['{}']);
  } catch (e) {
    if (e instanceof DouiError) {
      const first: ErrorCode = e.code;
      const all: DouiProblem[] = e.errors;
      return `${first} ${all.map((p) => `${p.code} ${p.path} ${p.detail} ${p.offset}`).join()}`;
    }
  }
  const receiptCodes: ErrorCode[] = receipt ? receipt.errors.map((e: VerdictError) => e.code) : [];
  const stated: (string | null)[] = receipt ? [receipt.key_id, receipt.record_id] : [];
  const receiptValid: boolean = receipt !== null && receipt.valid;
  return [digest, id, codes, flags, JSON.stringify(verdict), receiptCodes, stated, receiptValid].join();
}

// What the types refuse (each line must be an error, or tsc fails on the unused directive).
export function refused(line: string): void {
  // @ts-expect-error a record is text or bytes, not parsed JSON
  verifyRecord({ schema: 'doui.consent/1' });
  // @ts-expect-error `now` is a Date or text, not milliseconds
  verifyRecord(line, { now: 0 });
  // @ts-expect-error policies are JSON texts
  verifyRecord(line, { policies: [{}] });
  // @ts-expect-error keys are a list
  verifyReceipt('{}', '{}');
  // @ts-expect-error a receipt is JSON text
  verifyReceipt({}, ['{}']);
  const receipt = verifyReceipt('{}', ['{}']);
  // @ts-expect-error a receipt's verdict has no digest (that is a record's)
  void receipt.digest;
  const verdict = verifyRecord(line);
  // @ts-expect-error a verdict's code is one of the generated codes
  const code: 'no.such_code' = verdict.errors[0].code;
  void code;
}
