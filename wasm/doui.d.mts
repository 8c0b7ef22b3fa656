// Types for doui.mjs (named .d.mts so that TypeScript finds them for an import of doui.mjs).
// doui.mjs is type-checked against them (tests/types): they promise only what the code does.
// Error codes and UI keys are generated from core/codes/codes.json and the catalogs (codes.ts).
import type { ErrorCode, UiKey } from './codes.js';

export interface DouiProblem {
  /** Stable error code, e.g. "policy.missing_field". */
  code: ErrorCode;
  /** JSON pointer (RFC 6901) into the input; "" is the whole document. */
  path: string;
  detail: string;
  /** Byte offset into the input for syntax and encoding errors, else -1. */
  offset: number;
}

/** Every refusal: wrong types, unknown fields, sizes, memory, a disposed policy, broken rules. */
export declare class DouiError extends Error {
  constructor(errors: DouiProblem[]);
  readonly errors: DouiProblem[];
  /** The first problem's code. */
  readonly code: ErrorCode;
}

export interface Recipient {
  name: string;
  type: 'organization' | 'category';
}

export interface Purpose {
  text: string;
  examples: string[];
  deidentified: boolean;
}

export interface Disclosure {
  id: string;
  kind: 'provision' | 'foreign-provision' | 'foreign-outsourcing' | 'foreign-succession' | 'receipt';
  source: string;
  title: string;
  recipients: Recipient[];
  optional_linkage: boolean;
  when: string[];
  purposes: Purpose[];
  data_items: string[];
  statements: string[];
  notes: string[];
  deidentified: 'none' | 'partial' | 'all';
  /** SHA-256 (hex) of the disclosure's canonical JSON without this field. */
  digest: string;
}

/** A text in both languages, ready to show. */
export interface Texts {
  ja: string;
  en: string;
}

/**
 * The input a problem belongs to: the name `set()` takes for it (`linkages.<id>`: that linkage's
 * own choice, as setLinkage(id)), or `consented_at`, the session's instant (startSession's `now`).
 */
export type ProblemField = ConsentField | 'consented_at';

export interface ConsentProblem {
  field: ProblemField;
  code: ErrorCode;
  /** Ready to show, in both languages. */
  message: Texts;
}

export interface LinkageState {
  id: string;
  recipients: string[];
  title: string;
  chosen: boolean;
  needs_guardian: boolean;
  disclosure_digest: string;
  /** Its short name: "Ponta", "dアカウント" / "d ACCOUNT", "Amazon" (catalog name.<id>, else the recipients). */
  name: Texts;
  /** The person's checkbox label: "Pontaと連携する（任意）". */
  label: Texts;
  /** The legal representative's checkbox label (guardian.covers). */
  guardian_label: Texts;
}

/** The birth date as the core read it. */
export interface BirthdateState {
  /** "2009-04-01" */
  iso: string;
  /** { ja: "2009年4月1日（平成21年）", en: "1 April 2009 (Heisei 21)" }; 元年 for an era's first year. */
  words: Texts;
  /** Legal age in Japan time at the session's instant; null when the date is refused (in the future, before 1900). */
  age: number | null;
  /** { ja: "16歳", en: "age 16" }, with age. */
  age_words: Texts | null;
}

export interface ConsentState {
  /** Legal age in Japan time at the session's instant, once the birth date is usable. */
  age: number | null;
  /** Once the birth date reads as a date (a missing one is the problem birthdate.missing). */
  birthdate: BirthdateState | null;
  guardian_required: boolean;
  tokyo_date: string | null;
  /** A record can be built now. */
  complete: boolean;
  problems: ConsentProblem[];
  linkages: LinkageState[];
}

export type ConsentField =
  | 'subject' | 'birthdate' | 'policy_agreed' | 'linkages' | 'locale' | 'surface' | 'agent'
  | 'previous_record' | 'event' | 'guardian' | 'guardian.name' | 'guardian.name_kana' | 'guardian.relationship'
  | 'guardian.affirmed' | 'guardian.covers' | `linkages.${string}`;

export interface GuardianInput {
  name?: string;
  name_kana?: string;
  relationship?: string;
  affirmed?: boolean;
  covers?: readonly string[];
}

export interface ConsentSession {
  /** A copy of the inputs so far. */
  readonly inputs: Record<string, unknown>;
  /**
   * Sets one input and returns the new state. The value is copied: later changes to it do not
   * reach the session. A value of the wrong type or an unknown field (also inside guardian)
   * throws DouiError (record.wrong_type / record.unknown_field, with its JSON pointer) and
   * leaves the inputs unchanged; so does every other error. `linkages.<id>` takes a boolean:
   * setLinkage(id, value).
   */
  set(field: ConsentField, value: string | boolean | readonly string[] | GuardianInput): ConsentState;
  /** Chooses (true) or unchooses (false) a linkage; any other value is record.wrong_type. */
  setLinkage(id: string, chosen: boolean): ConsentState;
  state(): ConsentState;
  /** The canonical record (RFC 8785 JSON text); throws DouiError listing the broken rules. */
  buildRecord(options?: { recordId?: string }): string;
}

export interface Policy {
  readonly id: string;
  readonly version: string;
  readonly lang: string;
  readonly title: string;
  readonly effectiveDate: string;
  /** SHA-256 (hex) of the policy's RFC 8785 canonical JSON. */
  readonly digest: string;
  renderHtml(options?: { fragment?: boolean }): string;
  disclosures(): Disclosure[];
  /**
   * Throws DouiError time.bad_instant for an invalid Date or text that is not RFC 3339. `inputs`:
   * where the session starts (the inputs' JSON form, e.g. a withdrawal's from the server's
   * status); refused as the core refuses them (record.unknown_field, record.wrong_type, …).
   */
  startSession(options?: { now?: Date | string; inputs?: Record<string, unknown> }): ConsentSession;
  /** Frees the policy now; every later call on it or its sessions throws wasm.disposed. */
  dispose(): void;
}

/** Error codes whose messages the browser module does not carry (the CLI's, key files', receipts'). */
export type NonBrowserCode = Extract<ErrorCode, `cli.${string}` | `key.${string}` | `receipt.${string}`>;

/** A message catalog (i18n/messages/<lang>.json as the core embeds it). */
export interface MessageCatalog {
  locale: 'ja' | 'en';
  /** Every error code's message a page can meet, {placeholders} as written (the state's messages are filled). */
  errors: Record<Exclude<ErrorCode, NonBrowserCode>, string>;
  /** Labels, headings, explanations and templates; a template's {placeholders} are filled by the core in the state. */
  ui: Record<UiKey, string>;
}

export interface Doui {
  loadPolicy(policyJson?: string, options?: { links?: Record<string, string> }): Policy;
  /** The catalog of 'ja' or 'en'; any other value throws DouiError render.bad_option. */
  messages(lang: 'ja' | 'en'): MessageCatalog;
  /** The wasm heap's size and the bytes allocated in it. */
  memory(): { heapBytes: number; usedBytes: number };
}

export interface LoadOptions {
  /** The module's bytes (under node, read from doui-core.wasm); else it is fetched. */
  wasmBinary?: ArrayBuffer | Uint8Array;
  /** Where to fetch `path` (doui-core.wasm) from; `prefix` is this module's directory URL. */
  locateFile?: (path: string, prefix: string) => string;
}

export declare function loadDoui(options?: LoadOptions): Promise<Doui>;
