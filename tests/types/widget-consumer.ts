// A TypeScript page using <doui-consent> through its types (doui-consent.d.mts), checked by
// typecheck.mjs --module widget with `tsc --noEmit` next to the shipped files. The element's
// source is checked too (checkJs), so the types cannot promise what the element does not do.
import { DouiConsentElement } from './doui-consent.mjs';
import type { DouiConsentEventMap } from './doui-consent.mjs';
import type { ConsentState } from './doui.mjs';

export function useWidget(form: HTMLFormElement): string[] {
  // The tag name map: querySelector and createElement know the element.
  const found: DouiConsentElement | null = document.querySelector('doui-consent');
  const made: DouiConsentElement = document.createElement('doui-consent');
  made.setAttribute('endpoint', '/api/consents');
  form.append(made);
  const seen: string[] = [];
  // The events' details are typed on every element (HTMLElementEventMap).
  made.addEventListener('doui-change', (e) => {
    const s: ConsentState = e.detail;
    seen.push(`${s.complete} ${s.guardian_required} ${s.problems.map((p) => p.code).join()}`);
  });
  form.addEventListener('doui-consent', (e) => {
    const record: string = e.detail.record;
    const receipt: unknown = e.detail.receipt;
    seen.push(record, String(receipt));
  });
  const state: ConsentState | null = made.state;
  const record: string | null = made.record;
  const owner: HTMLFormElement | null = made.form;
  const name: string | null = made.name;
  made.reset();
  const associated: true = DouiConsentElement.formAssociated;
  const change: DouiConsentEventMap['doui-change']['detail'] | null = state;
  seen.push(String(found?.state?.age), String(record), String(owner?.id), String(name), String(associated), String(change?.complete));
  return seen;
}

// What the types refuse (each line must be an error, or tsc fails on the unused directive).
export function refused(el: DouiConsentElement): void {
  // @ts-expect-error the state is the core's; the page does not write it
  el.state = null;
  // @ts-expect-error the record is built by the core, not set by the page
  el.record = '{}';
  el.addEventListener('doui-consent', (e) => {
    // @ts-expect-error the record is canonical JSON text, not an object
    const parsed: { subject: string } = e.detail.record;
    void parsed;
  });
  el.addEventListener('doui-change', (e) => {
    // @ts-expect-error complete is a boolean
    const complete: string = e.detail.complete;
    void complete;
  });
}
