// <doui-consent>: the signup widget. A form-associated custom element over the wasm session API.
// It draws and wires; the core decides: every verdict, every problem and every sentence shown
// comes from the core (its state, its rendered policy, its disclosure model, its catalogs).
// Strings a person types are only ever set as text (textContent, value); the core's escaped
// policy HTML is the only markup inserted.
import { loadDoui } from './doui.mjs';

/** @typedef {import('./doui.mjs').Doui} Doui */
/** @typedef {import('./doui.mjs').Policy} Policy */
/** @typedef {import('./doui.mjs').ConsentSession} ConsentSession */
/** @typedef {import('./doui.mjs').ConsentState} ConsentState */
/** @typedef {import('./doui.mjs').Disclosure} Disclosure */
/** @typedef {import('./doui.mjs').MessageCatalog} MessageCatalog */
/** @typedef {import('./doui.mjs').ConsentField} ConsentField */
/** @typedef {import('./codes.js').UiKey} UiKey */
/** @typedef {'ja' | 'en'} Lang */
/**
 * The elements drawn, by role.
 * @typedef {{ input: HTMLInputElement | HTMLSelectElement, problem: HTMLElement }} GuardianField
 * @typedef {{ box: HTMLInputElement, covers: HTMLInputElement, coversField: HTMLElement, problem: HTMLElement }} LinkageUi
 * @typedef {{ policy: HTMLElement, birthdate: HTMLInputElement, birthdateEcho: HTMLElement,
 *   birthdateProblem: HTMLElement, guardian: HTMLFieldSetElement,
 *   guardianInputs: Record<string, GuardianField>, linkages: Map<string, LinkageUi>,
 *   agree: HTMLInputElement, agreeProblem: HTMLElement, button: HTMLButtonElement,
 *   live: HTMLElement, error: HTMLElement }} Ui
 */

const VERSION = '@DOUI_VERSION@';
const AGENT = `doui-widget/${VERSION}`;

/** @type {Promise<Doui> | null} */
let corePromise = null;
/** One wasm core per page, however many widgets. */
const core = () => (corePromise ??= loadDoui());
/** Each policy URL fetched once per page. @type {Map<string, Promise<string>>} */
const policyTexts = new Map();
/** @param {string} url */
function fetchText(url) {
  if (!policyTexts.has(url)) {
    policyTexts.set(url, fetch(url, { credentials: 'same-origin' }).then((r) => {
      if (!r.ok) throw new Error(`${url}: HTTP ${r.status}`);
      return r.text();
    }));
  }
  return /** @type {Promise<string>} */ (policyTexts.get(url));
}

let ids = 0;
/**
 * An element with attributes and children; text is set as text, never parsed.
 * @template {keyof HTMLElementTagNameMap} K
 * @param {K} tag
 * @param {Record<string, string | number | boolean | null | undefined>} [attrs]
 * @param {...(Node | string | null | undefined)} children
 * @returns {HTMLElementTagNameMap[K]}
 */
function h(tag, attrs = {}, ...children) {
  const el = document.createElement(tag);
  for (const [k, v] of Object.entries(attrs)) {
    if (v === false || v === null || v === undefined) continue;
    if (k === 'text') el.textContent = String(v);
    else el.setAttribute(k, v === true ? '' : String(v));
  }
  for (const c of children) if (c) el.append(c);
  return el;
}

/** A POST that did not store the record: its message says why, in the page's language. */
class SendFailure extends Error {}

export class DouiConsentElement extends HTMLElement {
  static formAssociated = /** @type {const} */ (true);
  static observedAttributes = ['lang', 'subject'];

  #internals = this.attachInternals();
  #root = this.attachShadow({ mode: 'open', delegatesFocus: false });
  /** @type {Doui | null} */
  #doui = null;
  /** @type {Policy | null} */
  #policy = null;
  // Set together with #policy by #newSession, before anything is drawn; the methods that draw and
  // wire run only after it (so they read them through #s, #p, #ui).
  /** @type {ConsentSession | null} */
  #session = null;
  /** @type {ConsentState | null} */
  #state = null;
  /** @type {string | null} */
  #record = null;
  #busy = false;
  /** @type {Ui | null} */
  #drawn = null;
  #uid = `doui-${++ids}`;

  get #s() {
    return /** @type {ConsentSession} */ (this.#session);
  }
  get #p() {
    return /** @type {Policy} */ (this.#policy);
  }
  get #ui() {
    return /** @type {Ui} */ (this.#drawn);
  }
  get #st() {
    return /** @type {ConsentState} */ (this.#state);
  }

  /** The core's live state (age, guardian_required, complete, problems, linkages). */
  get state() {
    return this.#state;
  }
  /** The canonical record once the person has consented, else null. */
  get record() {
    return this.#record;
  }
  get form() {
    return this.#internals.form;
  }
  get name() {
    return this.getAttribute('name');
  }

  connectedCallback() {
    if (!this.#started) {
      this.#started = true;
      void this.#start();
    }
  }
  #started = false;

  /**
   * @param {string} name
   * @param {string | null} before
   * @param {string | null} after
   */
  attributeChangedCallback(name, before, after) {
    if (!this.#session || !this.#drawn || before === after) return;
    if (name === 'lang') this.#draw();
    else if (name === 'subject') this.#update(() => this.#s.set('subject', after ?? ''));
  }

  /** Starts over: every input cleared, a new session. */
  reset() {
    if (!this.#policy) return;
    this.#newSession();
    this.#draw();
  }

  formResetCallback() {
    this.reset();
  }

  /** @returns {Lang} */
  get #lang() {
    return this.getAttribute('lang') === 'en' ? 'en' : 'ja';
  }

  // Each catalog is read from the core when its language is first shown (most pages show one).
  /** @type {Partial<Record<Lang, MessageCatalog>>} */
  #catalogs = {};
  get #catalog() {
    const lang = this.#lang;
    return (this.#catalogs[lang] ??= /** @type {Doui} */ (this.#doui).messages(lang));
  }

  /** @param {UiKey} key */
  #t(key) {
    return this.#catalog.ui[key] ?? key;
  }

  // The stylesheet: one <link> for the element's life, first in the shadow root and never moved.
  // A <link> in a shadow root does not hold back rendering: a new one on every draw left the first
  // frame of each draw unstyled, so the whole policy (not its scrolling region's first screen) was
  // laid out, ~0.1 s of Japanese text. The first draw also waits until it has loaded (or failed).
  #style = h('link', { rel: 'stylesheet', href: new URL('./doui-consent.css', import.meta.url).href });
  #styled = new Promise((resolve) => {
    this.#style.addEventListener('load', resolve, { once: true });
    this.#style.addEventListener('error', resolve, { once: true });
  });

  /**
   * Shows `nodes` in place of what the shadow root held after the stylesheet.
   * @param {...Node} nodes
   */
  #put(...nodes) {
    while (this.#style.nextSibling) this.#style.nextSibling.remove();
    this.#root.append(...nodes);
  }

  async #start() {
    this.#root.replaceChildren(this.#style);
    this.#put(h('p', { part: 'status', role: 'status', text: '…' }));
    this.#internals.setValidity({ customError: true }, '…');
    try {
      const policyUrl = this.getAttribute('policy');
      const linksUrl = this.getAttribute('links');
      // The core, the stylesheet, the policy and the links load side by side.
      const [doui, , text, links] = await Promise.all([
        core(),
        this.#styled,
        policyUrl ? fetchText(new URL(policyUrl, document.baseURI).href) : undefined,
        linksUrl ? fetchText(new URL(linksUrl, document.baseURI).href).then((t) => /** @type {Record<string, string>} */ (JSON.parse(t))) : undefined,
      ]);
      this.#doui = doui;
      this.#policy = doui.loadPolicy(text, links ? { links } : {});
      this.#newSession();
      this.#draw();
    } catch (err) {
      const e = /** @type {{ errors?: import('./doui.mjs').DouiProblem[], message?: string }} */ (err);
      const message = e?.errors ? e.errors.map((x) => `${x.code} ${x.path || '/'}`).join('\n') : String(e?.message ?? err);
      this.#put(h('p', { part: 'error', role: 'alert', text: message }));
      this.dataset.error = message;
    }
  }

  #newSession() {
    // The four fixed inputs in one go: each set() is a whole evaluation by the core.
    const session = this.#p.startSession({
      inputs: { agent: AGENT, surface: this.getAttribute('surface') || 'signup', subject: this.getAttribute('subject') ?? '', locale: this.#lang },
    });
    this.#session = session;
    this.#record = null;
    this.#state = session.state();
  }

  // ---- drawing --------------------------------------------------------------------------------

  #draw() {
    const t = (/** @type {UiKey} */ k) => this.#t(k);
    const id = (/** @type {string} */ s) => `${this.#uid}-${s}`;
    const p = this.#p;
    // The session speaks the element's language (a switch redraws in the other one).
    if (this.#s.inputs.locale !== this.#lang) this.#state = this.#s.set('locale', this.#lang);
    const ui = /** @type {Ui} */ ({});
    ui.policy = h('section', { part: 'policy', class: 'policy', tabindex: 0, role: 'region', 'aria-label': p.title, lang: p.lang });
    ui.policy.innerHTML = p.renderHtml({ fragment: true }); // the core escapes every text it places
    const meta = h('p', { part: 'policy-meta', class: 'meta' },
      h('span', { text: `${t('policy.version')} ${p.version}` }), ' · ',
      h('span', { text: `${t('policy.effective_date')} ${p.effectiveDate}` }));

    // Birth date: the core parses what people type and says it back in words.
    ui.birthdate = h('input', { id: id('birthdate'), name: 'birthdate', part: 'input', autocomplete: 'bday', inputmode: 'text', 'aria-describedby': `${id('birthdate-hint')} ${id('birthdate-echo')} ${id('birthdate-problem')}` });
    ui.birthdateEcho = h('p', { id: id('birthdate-echo'), class: 'echo', part: 'echo' });
    ui.birthdateProblem = h('p', { id: id('birthdate-problem'), class: 'problem', part: 'problem' });
    const birth = h('div', { class: 'field' },
      h('label', { for: id('birthdate'), text: t('label.birthdate') }),
      h('p', { id: id('birthdate-hint'), class: 'explain', text: t('hint.birthdate') }),
      ui.birthdate, ui.birthdateEcho, ui.birthdateProblem);

    // The guardian: shown while the core says a guardian is required.
    ui.guardian = h('fieldset', { class: 'guardian', part: 'guardian', hidden: true },
      h('legend', { text: t('heading.guardian') }),
      h('p', { class: 'explain', text: t('guardian.explain') }),
      h('p', { class: 'explain', text: t('relationship.explain') }));
    ui.guardianInputs = {};
    /** @type {[string, UiKey, string][]} */
    const guardianFields = [['name', 'label.guardian_name', 'text'], ['name_kana', 'label.guardian_name_kana', 'text'], ['relationship', 'label.guardian_relationship', 'select'], ['affirmed', 'label.guardian_affirm', 'checkbox']];
    for (const [field, label, kind] of guardianFields) {
      const inputId = id(`guardian-${field}`);
      const problemId = `${inputId}-problem`;
      let input;
      if (kind === 'select') {
        input = h('select', { id: inputId, name: `guardian.${field}`, 'aria-describedby': problemId },
          h('option', { value: '', text: '—' }),
          ...(/** @type {const} */ (['parent', 'guardian', 'other'])).map((r) => h('option', { value: r, text: t(`relationship.${r}`) })));
      } else {
        input = h('input', { id: inputId, name: `guardian.${field}`, type: kind, 'aria-describedby': problemId, autocomplete: kind === 'text' ? 'off' : null });
      }
      const problem = h('p', { id: problemId, class: 'problem', part: 'problem' });
      ui.guardianInputs[field] = { input, problem };
      const labelEl = h('label', { for: inputId, text: t(label) });
      ui.guardian.append(kind === 'checkbox' ? h('div', { class: 'field check' }, input, labelEl, problem) : h('div', { class: 'field' }, labelEl, input, problem));
    }

    // The optional linkages: each its own unticked box, its disclosure beside it.
    const disclosures = new Map(p.disclosures().map((d) => [d.digest, d]));
    ui.linkages = new Map();
    const linkageList = h('fieldset', { class: 'linkages', part: 'linkages' }, h('legend', { text: t('heading.linkages') }),
      h('p', { class: 'explain', text: t('linkages.explain') }));
    for (const l of this.#st.linkages) {
      const d = disclosures.get(l.disclosure_digest);
      const inputId = id(`linkage-${l.id}`);
      const box = h('input', { type: 'checkbox', id: inputId, name: `linkages.${l.id}`, 'aria-describedby': `${inputId}-disclosure ${inputId}-problem` });
      // A minor's linkage also needs the guardian's own consent to it (guardian.covers).
      const covers = h('input', { type: 'checkbox', id: `${inputId}-guardian`, name: `guardian.covers.${l.id}` });
      const coversField = h('div', { class: 'field check covers', hidden: true }, covers, h('label', { for: `${inputId}-guardian`, text: l.guardian_label[this.#lang] }));
      const problem = h('p', { id: `${inputId}-problem`, class: 'problem', part: 'problem' });
      ui.linkages.set(l.id, { box, covers, coversField, problem });
      linkageList.append(h('div', { class: 'linkage', part: 'linkage' },
        h('div', { class: 'field check' }, box, h('label', { for: inputId, text: l.label[this.#lang] })),
        d ? this.#disclosure(d, `${inputId}-disclosure`) : null, coversField, problem));
    }

    ui.agree = h('input', { type: 'checkbox', id: id('agree'), name: 'policy_agreed', 'aria-describedby': id('agree-problem') });
    ui.agreeProblem = h('p', { id: id('agree-problem'), class: 'problem', part: 'problem' });
    ui.button = h('button', { type: 'button', part: 'button', class: 'consent', text: t('action.submit'), disabled: true });
    ui.live = h('p', { class: 'live', part: 'status', role: 'status', 'aria-live': 'polite' });
    ui.error = h('p', { class: 'failure', part: 'error', role: 'alert', hidden: true });

    this.#put(
      h('div', { class: 'widget', part: 'widget', lang: this.#lang },
        h('h2', { part: 'title', text: p.title, lang: p.lang }), meta, ui.policy, birth, ui.guardian, linkageList,
        h('div', { class: 'field check agree' }, ui.agree, h('label', { for: id('agree'), text: t('label.agree') }), ui.agreeProblem),
        ui.button, ui.live, ui.error));
    this.#drawn = ui;
    this.#restore();
    this.#wire();
    this.#show();
  }

  // A redraw (a language switch) keeps what the person entered: the session holds it.
  #restore() {
    const ui = this.#ui;
    const inputs = this.#s.inputs;
    ui.birthdate.value = typeof inputs.birthdate === 'string' ? inputs.birthdate : '';
    ui.agree.checked = inputs.policy_agreed === true;
    const g = /** @type {Record<string, unknown>} */ (inputs.guardian ?? {});
    for (const [field, { input }] of Object.entries(ui.guardianInputs)) {
      if (input instanceof HTMLInputElement && input.type === 'checkbox') input.checked = g[field] === true;
      else input.value = typeof g[field] === 'string' ? g[field] : '';
    }
    const chosen = new Set(/** @type {string[]} */ (inputs.linkages ?? []));
    const covered = new Set(/** @type {string[]} */ (g.covers ?? []));
    for (const [linkage, { box, covers }] of ui.linkages) {
      box.checked = chosen.has(linkage);
      covers.checked = covered.has(linkage);
    }
  }

  /**
   * @param {Disclosure} d
   * @param {string} id
   */
  #disclosure(d, id) {
    const t = (/** @type {UiKey} */ k) => this.#t(k);
    const dl = h('dl', { id, class: 'disclosure', part: 'disclosure', lang: this.#p.lang });
    const row = (/** @type {UiKey} */ label, /** @type {string[]} */ values) => {
      if (!values.length) return;
      dl.append(h('dt', { text: t(label), lang: this.#lang }));
      for (const v of values) dl.append(h('dd', { text: v }));
    };
    row('disclosure.recipients', d.recipients.map((r) => r.name));
    row('disclosure.purposes', d.purposes.map((x) => x.text));
    row('disclosure.data_items', d.data_items);
    row('disclosure.when', d.when);
    row('disclosure.notes', d.notes);
    return dl;
  }

  // ---- wiring ---------------------------------------------------------------------------------

  #wire() {
    const ui = this.#ui;
    ui.birthdate.addEventListener('input', () => this.#update(() => this.#s.set('birthdate', ui.birthdate.value)));
    for (const [field, { input }] of Object.entries(ui.guardianInputs)) {
      const box = input instanceof HTMLInputElement && input.type === 'checkbox' ? input : null;
      const read = () => (box ? box.checked : input.value);
      const name = /** @type {ConsentField} */ (`guardian.${field}`);
      input.addEventListener(box || input instanceof HTMLSelectElement ? 'change' : 'input', () => this.#update(() => this.#s.set(name, read())));
    }
    const covered = () => [...ui.linkages].filter(([, l]) => l.covers.checked).map(([linkage]) => linkage);
    for (const [linkage, { box, covers }] of ui.linkages) {
      box.addEventListener('change', () => this.#update(() => this.#s.setLinkage(linkage, box.checked)));
      covers.addEventListener('change', () => this.#update(() => this.#s.set('guardian.covers', covered())));
    }
    ui.agree.addEventListener('change', () => this.#update(() => this.#s.set('policy_agreed', ui.agree.checked)));
    ui.button.addEventListener('click', () => void this.#consent());
  }

  /** @param {() => ConsentState} change */
  #update(change) {
    this.#record = null;
    this.#state = change();
    this.#show();
    this.dispatchEvent(new CustomEvent('doui-change', { detail: this.#state, bubbles: true, composed: true }));
  }

  // Everything shown follows the core's state.
  #show() {
    const ui = this.#ui;
    const s = this.#st;
    const lang = this.#lang;
    /** @type {Map<string, string>} */
    const problems = new Map();
    for (const p of s.problems) if (!problems.has(p.field)) problems.set(p.field, p.message[lang]);
    /**
     * @param {HTMLElement} el
     * @param {HTMLElement} input
     * @param {string} field
     */
    const say = (el, input, field, show = true) => {
      const m = show ? problems.get(field) ?? '' : '';
      el.textContent = m;
      input.setAttribute('aria-invalid', m ? 'true' : 'false');
    };
    const typed = ui.birthdate.value.trim() !== '';
    const b = s.birthdate;
    ui.birthdateEcho.textContent = b ? [b.words[lang], b.age_words?.[lang]].filter(Boolean).join('・') : '';
    say(ui.birthdateProblem, ui.birthdate, 'birthdate', typed);
    ui.guardian.hidden = !s.guardian_required;
    for (const [field, { input, problem }] of Object.entries(ui.guardianInputs)) {
      say(problem, input, `guardian.${field}`, s.guardian_required && (input.type === 'checkbox' || input.value !== ''));
    }
    for (const [linkage, { box, coversField, problem }] of ui.linkages) {
      coversField.hidden = !(s.guardian_required && box.checked);
      say(problem, box, `linkages.${linkage}`, box.checked);
    }
    ui.button.disabled = !s.complete || this.#busy;
    ui.live.textContent = s.complete ? this.#t('status.complete') : '';
    this.#internals.setFormValue(this.#record);
    if (this.#record) this.#internals.setValidity({});
    else this.#internals.setValidity({ customError: true }, s.problems[0]?.message[lang] ?? this.#t('status.incomplete'), ui.button);
  }

  async #consent() {
    if (this.#busy || !this.#state?.complete) return;
    this.#busy = true; // a double click submits once
    this.#ui.button.disabled = true;
    this.#ui.error.hidden = true;
    try {
      const record = this.#s.buildRecord();
      const endpoint = this.getAttribute('endpoint');
      let receipt;
      if (endpoint) {
        this.#ui.live.textContent = this.#t('status.sending');
        let res;
        try {
          res = await fetch(new URL(endpoint, document.baseURI), { method: 'POST', headers: { 'content-type': 'application/json' }, body: record });
        } catch {
          throw new SendFailure(this.#t('status.retry'));
        }
        if (!res.ok) {
          // The server's problem, in the page's language when the catalog has its code: it says
          // itself whether trying again can help (ledger.unavailable does; a refusal does not).
          // A message with a {placeholder} needs the server's detail, so the code is shown instead.
          const code = (await res.json().catch(() => null))?.code;
          const said = /** @type {Record<string, string>} */ (this.#catalog.errors)[code];
          throw new SendFailure(said && !said.includes('{') ? said
            : `${typeof code === 'string' ? code : this.#t('status.retry')} (HTTP ${res.status})`);
        }
        receipt = await res.json();
      }
      this.#record = record;
      this.#internals.setFormValue(record);
      this.#internals.setValidity({});
      this.#ui.live.textContent = this.#t('status.consented');
      this.dispatchEvent(new CustomEvent('doui-consent', { detail: receipt ? { record, receipt } : { record }, bubbles: true, composed: true }));
      this.form?.requestSubmit?.();
    } catch (err) {
      // Every input stays as it was; the person is told what happened and, on a line of its own,
      // why (the server's words, or that trying again may help).
      const why = err instanceof SendFailure ? err.message : '';
      this.#ui.error.replaceChildren(...[this.#t('status.failed'), why].filter(Boolean).map((text) => h('span', { text })));
      this.#ui.error.hidden = false;
      this.#ui.live.textContent = '';
    } finally {
      this.#busy = false;
      this.#ui.button.disabled = !this.#st.complete;
    }
  }
}

// The class is what doui-consent.d.mts says it is (tsc, tests/types: --module widget).
/** @satisfies {typeof import('./doui-consent.mjs').DouiConsentElement} */ (DouiConsentElement);

if (!customElements.get('doui-consent')) customElements.define('doui-consent', DouiConsentElement);
