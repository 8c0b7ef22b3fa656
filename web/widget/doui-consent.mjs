// <doui-consent>: the signup widget. A form-associated custom element over the wasm session API.
// It draws and wires; the core decides: every verdict, every problem and every sentence shown
// comes from the core (its state, its rendered policy, its disclosure model, its catalogs).
// Strings a person types are only ever set as text (textContent, value); the core's escaped
// policy HTML is the only markup inserted.
import { loadDoui } from './doui.mjs';

const VERSION = '@DOUI_VERSION@';
const AGENT = `doui-widget/${VERSION}`;

let corePromise = null;
/** One wasm core per page, however many widgets. */
const core = () => (corePromise ??= loadDoui());
/** Each policy URL fetched once per page. */
const policyTexts = new Map();
function fetchText(url) {
  if (!policyTexts.has(url)) {
    policyTexts.set(url, fetch(url, { credentials: 'same-origin' }).then((r) => {
      if (!r.ok) throw new Error(`${url}: HTTP ${r.status}`);
      return r.text();
    }));
  }
  return policyTexts.get(url);
}

let ids = 0;
/** An element with attributes and children; text is set as text, never parsed. */
function h(tag, attrs = {}, ...children) {
  const el = document.createElement(tag);
  for (const [k, v] of Object.entries(attrs)) {
    if (v === false || v === null || v === undefined) continue;
    if (k === 'text') el.textContent = v;
    else el.setAttribute(k, v === true ? '' : String(v));
  }
  for (const c of children) if (c) el.append(c);
  return el;
}

export class DouiConsentElement extends HTMLElement {
  static formAssociated = true;
  static observedAttributes = ['lang', 'subject'];

  #internals = this.attachInternals();
  #root = this.attachShadow({ mode: 'open', delegatesFocus: false });
  #doui = null;
  #policy = null;
  #session = null;
  #catalog = null;
  #state = null;
  #record = null;
  #busy = false;
  #ui = null; // the elements drawn, by role
  #uid = `doui-${++ids}`;

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
    if (!this.#ui) this.#start();
  }

  attributeChangedCallback(name, before, after) {
    if (!this.#session || before === after) return;
    if (name === 'lang') this.#draw();
    else if (name === 'subject') this.#update(() => this.#session.set('subject', after ?? ''));
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

  get #lang() {
    return this.getAttribute('lang') === 'en' ? 'en' : 'ja';
  }

  #t(key) {
    return this.#catalog[this.#lang].ui[key] ?? key;
  }

  async #start() {
    this.#root.replaceChildren(
      h('link', { rel: 'stylesheet', href: new URL('./doui-consent.css', import.meta.url).href }),
      h('p', { part: 'status', role: 'status', text: '…' }),
    );
    this.#internals.setValidity({ customError: true }, '…');
    try {
      this.#doui = await core();
      const policyUrl = this.getAttribute('policy');
      const linksUrl = this.getAttribute('links');
      const [text, links] = await Promise.all([
        policyUrl ? fetchText(new URL(policyUrl, document.baseURI).href) : undefined,
        linksUrl ? fetchText(new URL(linksUrl, document.baseURI).href).then(JSON.parse) : undefined,
      ]);
      this.#policy = this.#doui.loadPolicy(text, links ? { links } : {});
      this.#catalog = { ja: this.#doui.messages('ja'), en: this.#doui.messages('en') };
      this.#newSession();
      this.#draw();
    } catch (err) {
      const message = err?.errors ? err.errors.map((e) => `${e.code} ${e.path || '/'}`).join('\n') : String(err?.message ?? err);
      this.#root.replaceChildren(h('p', { part: 'error', role: 'alert', text: message }));
      this.dataset.error = message;
    }
  }

  #newSession() {
    this.#session = this.#policy.startSession();
    this.#record = null;
    this.#session.set('agent', AGENT);
    this.#session.set('surface', this.getAttribute('surface') || 'signup');
    this.#session.set('subject', this.getAttribute('subject') ?? '');
    this.#state = this.#session.set('locale', this.#lang);
  }

  // ---- drawing --------------------------------------------------------------------------------

  #draw() {
    const t = (k) => this.#t(k);
    const id = (s) => `${this.#uid}-${s}`;
    const p = this.#policy;
    this.#session.set('locale', this.#lang);
    const ui = {};
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
    for (const [field, label, kind] of [['name', 'label.guardian_name', 'text'], ['name_kana', 'label.guardian_name_kana', 'text'], ['relationship', 'label.guardian_relationship', 'select'], ['affirmed', 'label.guardian_affirm', 'checkbox']]) {
      const inputId = id(`guardian-${field}`);
      const problemId = `${inputId}-problem`;
      let input;
      if (kind === 'select') {
        input = h('select', { id: inputId, name: `guardian.${field}`, 'aria-describedby': problemId },
          h('option', { value: '', text: '—' }),
          ...['parent', 'guardian', 'other'].map((r) => h('option', { value: r, text: t(`relationship.${r}`) })));
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
    for (const l of this.#state.linkages) {
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

    this.#root.replaceChildren(
      h('link', { rel: 'stylesheet', href: new URL('./doui-consent.css', import.meta.url).href }),
      h('div', { class: 'widget', part: 'widget', lang: this.#lang },
        h('h2', { part: 'title', text: p.title, lang: p.lang }), meta, ui.policy, birth, ui.guardian, linkageList,
        h('div', { class: 'field check agree' }, ui.agree, h('label', { for: id('agree'), text: t('label.agree') }), ui.agreeProblem),
        ui.button, ui.live, ui.error));
    this.#ui = ui;
    this.#restore();
    this.#wire();
    this.#show();
  }

  // A redraw (a language switch) keeps what the person entered: the session holds it.
  #restore() {
    const ui = this.#ui;
    const inputs = this.#session.inputs;
    ui.birthdate.value = inputs.birthdate ?? '';
    ui.agree.checked = inputs.policy_agreed === true;
    const g = inputs.guardian ?? {};
    for (const [field, { input }] of Object.entries(ui.guardianInputs)) {
      if (input.type === 'checkbox') input.checked = g[field] === true;
      else input.value = g[field] ?? '';
    }
    const chosen = new Set(inputs.linkages ?? []);
    const covered = new Set(g.covers ?? []);
    for (const [linkage, { box, covers }] of ui.linkages) {
      box.checked = chosen.has(linkage);
      covers.checked = covered.has(linkage);
    }
  }

  #disclosure(d, id) {
    const t = (k) => this.#t(k);
    const dl = h('dl', { id, class: 'disclosure', part: 'disclosure', lang: this.#policy.lang });
    const row = (label, values) => {
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
    ui.birthdate.addEventListener('input', () => this.#update(() => this.#session.set('birthdate', ui.birthdate.value)));
    for (const [field, { input }] of Object.entries(ui.guardianInputs)) {
      const read = () => (input.type === 'checkbox' ? input.checked : input.value);
      input.addEventListener(input.tagName === 'SELECT' || input.type === 'checkbox' ? 'change' : 'input', () => this.#update(() => this.#session.set(`guardian.${field}`, read())));
    }
    const covered = () => [...ui.linkages].filter(([, l]) => l.covers.checked).map(([linkage]) => linkage);
    for (const [linkage, { box, covers }] of ui.linkages) {
      box.addEventListener('change', () => this.#update(() => this.#session.setLinkage(linkage, box.checked)));
      covers.addEventListener('change', () => this.#update(() => this.#session.set('guardian.covers', covered())));
    }
    ui.agree.addEventListener('change', () => this.#update(() => this.#session.set('policy_agreed', ui.agree.checked)));
    ui.button.addEventListener('click', () => this.#consent());
  }

  #update(change) {
    this.#record = null;
    this.#state = change();
    this.#show();
    this.dispatchEvent(new CustomEvent('doui-change', { detail: this.#state, bubbles: true, composed: true }));
  }

  // Everything shown follows the core's state.
  #show() {
    const ui = this.#ui;
    const s = this.#state;
    const lang = this.#lang;
    const problems = new Map();
    for (const p of s.problems) if (!problems.has(p.field)) problems.set(p.field, p.message[lang]);
    const say = (el, input, field, show = true) => {
      const m = show ? problems.get(field) ?? '' : '';
      el.textContent = m;
      input?.setAttribute('aria-invalid', m ? 'true' : 'false');
    };
    const typed = ui.birthdate.value.trim() !== '';
    const b = s.birthdate;
    ui.birthdateEcho.textContent = b ? [b.words[lang], b.age_words?.[lang]].filter(Boolean).join('・') : '';
    say(ui.birthdateProblem, ui.birthdate, 'birthdate', typed);
    ui.guardian.hidden = !s.guardian_required;
    for (const [field, { input, problem }] of Object.entries(ui.guardianInputs)) {
      say(problem, input, `guardian.${field}`, s.guardian_required && (input.type === 'checkbox' ? true : input.value !== ''));
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
      const record = this.#session.buildRecord();
      const endpoint = this.getAttribute('endpoint');
      let receipt;
      if (endpoint) {
        this.#ui.live.textContent = this.#t('status.sending');
        let res;
        try {
          res = await fetch(new URL(endpoint, document.baseURI), { method: 'POST', headers: { 'content-type': 'application/json' }, body: record });
        } catch {
          throw new Error(this.#t('status.failed'));
        }
        if (!res.ok) {
          // The server's problem, in the page's language when the catalog has its code.
          const problem = await res.json().catch(() => null);
          throw new Error(`${this.#t('status.failed')} ${this.#catalog[this.#lang].errors[problem?.code] ?? `(HTTP ${res.status})`}`);
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
      // Every input stays as it was; the person is told what happened.
      this.#ui.error.textContent = err instanceof Error && !err.errors ? err.message : this.#t('status.failed');
      this.#ui.error.hidden = false;
      this.#ui.live.textContent = '';
    } finally {
      this.#busy = false;
      this.#ui.button.disabled = !this.#state.complete;
    }
  }
}

if (!customElements.get('doui-consent')) customElements.define('doui-consent', DouiConsentElement);
