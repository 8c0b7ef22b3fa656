// A TypeScript consumer of the browser module using every API, checked by typecheck.mjs with
// `tsc --noEmit` next to the shipped files, as a site would import them (doui.mjs: its types
// come from doui.d.mts).
import { loadDoui, DouiError } from './doui.mjs';
import type {
  BirthdateState, ConsentField, ConsentProblem, ConsentSession, ConsentState, Disclosure, Doui, DouiProblem,
  GuardianInput, LinkageState, LoadOptions, MessageCatalog, Policy, ProblemField, Texts,
} from './doui.mjs';
import type { ErrorCode, UiKey } from './codes.js';
import { loadReceiptVerifier, DouiError as ReceiptDouiError } from './doui-receipt.mjs';
import type { ReceiptVerdict, ReceiptVerifier } from './doui-receipt.mjs';
import { loadSearch, DouiError as SearchDouiError } from './doui-search.mjs';
import type { SearchHit, Searcher } from './doui-search.mjs';

export async function useEverything(wasmBinary: Uint8Array): Promise<string> {
  const options: LoadOptions = { wasmBinary, locateFile: (p: string, prefix: string) => prefix + p };
  const doui: Doui = await loadDoui(options);
  const policy: Policy = doui.loadPolicy(undefined, { links: { contact: 'https://example.jp/' } });
  const meta: string[] = [policy.id, policy.version, policy.lang, policy.title, policy.effectiveDate, policy.digest];
  const page: string = policy.renderHtml();
  const article: string = policy.renderHtml({ fragment: true });
  const disclosures: Disclosure[] = policy.disclosures();
  const kinds: Disclosure['kind'][] = disclosures.map((d) => d.kind);
  const session: ConsentSession = policy.startSession({ now: new Date('2026-01-15T01:00:00Z') });
  policy.startSession({ now: '2026-01-15T10:00:00+09:00' });
  policy.startSession();
  const fields: ConsentField[] = ['subject', 'birthdate', 'policy_agreed', 'linkages', 'guardian',
    'locale', 'surface', 'agent', 'previous_record', 'event', 'guardian.name', 'guardian.name_kana',
    'guardian.relationship', 'guardian.affirmed', 'guardian.covers', 'linkages.ponta'];
  const guardian: GuardianInput = { name: '山田 花子', relationship: '親権者', affirmed: true, covers: ['ponta'] };
  session.set('subject', 'u-1');
  session.set('policy_agreed', true);
  session.set('linkages', ['ponta'] as const);
  session.set('guardian', guardian);
  const state: ConsentState = session.setLinkage('amazon', true);
  session.set('linkages.d-account', false);
  const again: ConsentState = session.state();
  const problems: ConsentProblem[] = again.problems;
  // A problem's field is a name set() takes (or the session's instant).
  const problemFields: ProblemField[] = problems.map((p) => p.field);
  for (const p of problems) if (p.field !== 'consented_at') session.set(p.field, true);
  const born: BirthdateState | null = again.birthdate;
  const words: string[] = born ? [born.iso, born.words.ja, born.words.en, String(born.age), born.age_words?.ja ?? ''] : [];
  const labels: Texts[] = state.linkages.flatMap((l) => [l.name, l.label, l.guardian_label]);
  const ja: MessageCatalog = doui.messages('ja');
  const key: UiKey = 'label.birthdate';
  const label: string = ja.ui[key] + doui.messages('en').errors['birthdate.missing'] + ja.errors['http.forbidden'];
  const codes: ErrorCode[] = problems.map((p) => p.code);
  const linkages: LinkageState[] = state.linkages;
  const inputs: Record<string, unknown> = session.inputs;
  let record = '';
  try {
    record = session.buildRecord({ recordId: '6f1c2a5e-8d4b-4c3a-9f2e-1b7d5a9c0e3f' }) + session.buildRecord();
  } catch (e) {
    if (e instanceof DouiError) {
      const first: ErrorCode = e.code;
      const all: DouiProblem[] = e.errors;
      return `${first} ${all.map((p) => `${p.code} ${p.path} ${p.detail} ${p.offset}`).join()}`;
    }
    throw e;
  }
  const made = new DouiError([{ code: 'wasm.disposed', path: '', detail: '', offset: -1 }]);
  const mem: { heapBytes: number; usedBytes: number } = doui.memory();
  policy.dispose();
  return [meta, page, article, kinds, fields, problemFields, words, labels, label, state.age, state.guardian_required, state.tokyo_date,
    state.complete, codes, linkages.map((l) => [l.id, l.recipients, l.title, l.chosen, l.needs_guardian,
      l.disclosure_digest]), inputs, record, made.message, mem.usedBytes].join();
}

// What the types refuse (each line must be an error, or tsc fails on the unused directive).
export async function refused(doui: Doui, session: ConsentSession): Promise<void> {
  // @ts-expect-error an unknown field
  session.set('__proto__', { linkages: ['ponta'] });
  // @ts-expect-error a choice is a boolean, not truthy text
  session.setLinkage('ponta', 'false');
  // @ts-expect-error a number is no input value
  session.set('subject', 1);
  // @ts-expect-error the policy is JSON text
  doui.loadPolicy({ format: 'doui.policy/1' });
  // @ts-expect-error link URLs are strings
  doui.loadPolicy(undefined, { links: { contact: 1 } });
  // @ts-expect-error only the two catalogs exist
  doui.messages('fr');
  // @ts-expect-error the browser catalogs hold no key-file messages
  doui.messages('ja').errors['key.bad_value'];
  // @ts-expect-error UI keys are known
  doui.messages('ja').ui['label.nothing'];
  // @ts-expect-error the code is a known ErrorCode
  const code: DouiError['code'] = 'no.such_code';
  void code;
}

// The receipt module (doui-receipt.mjs), apart from the widget's.
export async function useReceipts(wasmBinary: Uint8Array, receipt: string, pub: string): Promise<string> {
  const verifier: ReceiptVerifier = await loadReceiptVerifier({ wasmBinary });
  const verdict: ReceiptVerdict = verifier.verifyReceipt(receipt, [pub]);
  const codes: ErrorCode[] = verdict.errors.map((e) => e.code);
  try {
    verifier.verifyReceipt(receipt, []);
  } catch (e) {
    if (e instanceof ReceiptDouiError && e instanceof DouiError) codes.push(e.code);
  }
  // @ts-expect-error public keys are JSON texts in an array
  verifier.verifyReceipt(receipt, pub);
  return [verdict.valid, verdict.key_id ?? '', verdict.record_id ?? '', codes.join(','), verifier.memory().usedBytes].join();
}

// The search module (doui-search.mjs), apart from the widget's.
export async function useSearch(text: string, query: string): Promise<string> {
  const searcher: Searcher = await loadSearch();
  const hits: SearchHit[] = searcher.search(text, query);
  const found: string[] = hits.map((h) => text.slice(h.start, h.end));
  try {
    searcher.search(text, '');
  } catch (e) {
    if (e instanceof SearchDouiError && e instanceof DouiError) found.push(e.code);
  }
  // @ts-expect-error the query is a string
  searcher.search(text, 42);
  return [...found, searcher.memory().usedBytes].join();
}
