// Types for doui-consent.mjs: the <doui-consent> element.
import type { ConsentState } from './doui.mjs';

/**
 * <doui-consent policy? lang? subject? links? endpoint? surface? name?>: the signup widget.
 * Form-associated: inside a <form> it keeps the form from submitting until the person has
 * consented, then submits the canonical record under its `name`.
 */
export declare class DouiConsentElement extends HTMLElement {
  static readonly formAssociated: true;
  /** The core's live state after the last input; null until the policy is loaded. */
  readonly state: ConsentState | null;
  /** The canonical record (RFC 8785 JSON text) once the person has consented, else null. */
  readonly record: string | null;
  readonly form: HTMLFormElement | null;
  readonly name: string | null;
  /** Clears every input and starts a new session. */
  reset(): void;
}

export interface DouiConsentEventMap {
  /** The live state, after every input. */
  'doui-change': CustomEvent<ConsentState>;
  /** The record, once consented (and, with `endpoint`, stored). */
  'doui-consent': CustomEvent<{ record: string; receipt?: unknown }>;
}

declare global {
  interface HTMLElementTagNameMap {
    'doui-consent': DouiConsentElement;
  }
  interface HTMLElementEventMap extends DouiConsentEventMap {}
}
