// The privacy center's "my consents" page. The page (core/src/site.cpp) holds every text and the
// structure; this script asks the API with the person's access token, draws what it answers,
// checks each receipt with the receipt module, and builds a withdrawal with the browser module
// from the inputs the server's core derived (status.withdrawal): the core decides what a
// withdrawal states, and the server checks it again before it stores it. Nothing here is kept
// once the page is gone: the token lives in this module only.
const root = /** @type {HTMLElement | null} */ (document.querySelector('.consents'));
const island = document.getElementById('consents-texts');

if (root && island) {
  /** @type {Record<string, any>} */
  const texts = JSON.parse(island.textContent ?? '{}');
  const api = root.dataset.api ?? '';
  const locale = root.dataset.locale === 'en' ? 'en' : 'ja';
  const agent = root.dataset.agent ?? '';
  const form = /** @type {HTMLFormElement} */ (root.querySelector('.consents-sign-in'));
  const message = /** @type {HTMLElement} */ (root.querySelector('.consents-message'));
  const state = /** @type {HTMLElement} */ (root.querySelector('.consents-state'));
  const historySection = /** @type {HTMLElement} */ (root.querySelector('.consents-history'));
  const tbody = /** @type {HTMLElement} */ (root.querySelector('table.history tbody'));
  const dialog = /** @type {HTMLDialogElement} */ (root.querySelector('dialog.consents-confirm'));
  const download = /** @type {HTMLButtonElement} */ (root.querySelector('.consents-download'));
  root.hidden = false;

  /** @param {string} template @param {Record<string, string>} values */
  const say = (template, values) => template.replace(/\{(\w+)\}/g, (m, k) => (k in values ? values[k] : m));
  /** @param {string} text @param {boolean} [focus] */
  const tell = (text, focus = false) => {
    message.textContent = text;
    if (focus && text) message.focus();
  };

  // The modules, loaded once, on first use (from dist/ beside the site's root).
  /** @type {Promise<{doui: any, receipts: any}> | null} */
  let modules = null;
  const load = () =>
    (modules ??= (async () => {
      const base = new URL('dist/', import.meta.url);
      const [{ loadDoui }, { loadReceiptVerifier }] = await Promise.all([
        import(new URL('doui.mjs', base).href),
        import(new URL('doui-receipt.mjs', base).href),
      ]);
      const [doui, receipts] = await Promise.all([loadDoui(), loadReceiptVerifier()]);
      return { doui, receipts };
    })());
  // The policy in effect, which the site writes beside this script, for the withdrawals: they are
  // made under it (as the server makes its own forms'), not under the browser module's bundled
  // policy, which may be an older version. Asked for again after a failure.
  /** @type {Promise<any> | null} */
  let inEffect = null;
  const policy = () =>
    (inEffect ??= (async () => {
      const [{ doui }, text] = await Promise.all([load(), fetch(new URL('policy.json', import.meta.url)).then((r) => {
        if (!r.ok) throw new Error(`policy.json: HTTP ${r.status}`);
        return r.text();
      })]);
      return doui.loadPolicy(text);
    })().catch((e) => {
      inEffect = null;
      throw e;
    }));

  /** @type {{subject: string, token: string} | null} */
  let who = null;
  /** @type {any} */
  let status = null;
  /** @type {string} the history as the API sent it */
  let historyText = '';

  const clear = () => {
    state.hidden = true;
    historySection.hidden = true;
    tbody.replaceChildren();
    status = null;
    historyText = '';
  };

  /** @param {string} path @param {RequestInit} [init] */
  const call = (path, init = {}) =>
    fetch(`${api}${path}`, {
      ...init,
      headers: { ...(init.headers ?? {}), Authorization: `Bearer ${who?.token ?? ''}` },
      credentials: 'omit',
      cache: 'no-store',
    });

  /** The history, the status and the keys; a refusal shows nothing but itself. */
  async function show() {
    if (!who) return;
    tell(texts.loading);
    const base = `/api/subjects/${encodeURIComponent(who.subject)}`;
    let answers;
    try {
      answers = await Promise.all([call(`${base}/consents`), call(`${base}/status`), fetch(`${api}/api/keys`)]);
    } catch {
      clear();
      return tell(texts.failed, true);
    }
    const [h, s, k] = answers;
    if ([h, s].some((r) => r.status === 401 || r.status === 403 || r.status === 404 || r.status === 400)) {
      clear();
      who = null;
      return tell(texts.refused, true);
    }
    if (!h.ok || !s.ok || !k.ok) {
      clear();
      return tell(texts.failed, true);
    }
    historyText = await h.text();
    status = await s.json();
    const keys = (await k.json()).keys.map((/** @type {unknown} */ key) => JSON.stringify(key));
    drawState();
    await drawHistory(JSON.parse(historyText).consents, keys);
    tell('');
  }

  function drawState() {
    for (const li of state.querySelectorAll('li[data-consent]')) {
      const id = /** @type {HTMLElement} */ (li).dataset.consent ?? '';
      const value = /** @type {HTMLElement} */ (li.querySelector('.consents-value'));
      const button = /** @type {HTMLButtonElement} */ (li.querySelector('button'));
      const linkage = status.linkages.find((/** @type {any} */ l) => l.id === id);
      if (id === '') {
        value.textContent = status.policy_agreed ? texts.agreed : texts.not_agreed;
        button.hidden = status.withdrawal === null;
      } else {
        value.textContent = linkage?.chosen ? texts.linked : texts.not_linked;
        button.hidden = !linkage || linkage.withdrawal === null;
      }
    }
    state.hidden = false;
  }

  /** @param {any[]} consents newest first @param {string[]} keys */
  async function drawHistory(consents, keys) {
    tbody.replaceChildren();
    const when = new Intl.DateTimeFormat(locale === 'ja' ? 'ja-JP' : 'en-GB', {
      dateStyle: 'medium', timeStyle: 'short', timeZone: 'Asia/Tokyo',
    });
    const rows = consents.map((/** @type {any} */ c) => {
      const r = c.record;
      const tr = document.createElement('tr');
      const time = document.createElement('time');
      time.dateTime = r.consented_at;
      // The date and the time each kept whole: on a phone the cell wraps only between them.
      const parts = when.formatToParts(new Date(r.consented_at));
      const split = parts.findIndex((p) => p.type === 'hour');
      const joint = split > 0 && parts[split - 1].type === 'literal' ? split - 1 : split;
      const run = (/** @type {Intl.DateTimeFormatPart[]} */ ps) => {
        const span = document.createElement('span');
        span.className = 'nowrap';
        span.textContent = ps.map((p) => p.value).join('');
        return span;
      };
      if (split > 0) time.append(run(parts.slice(0, joint)), parts.slice(joint, split).map((p) => p.value).join(''), run(parts.slice(split)));
      else time.textContent = when.format(new Date(r.consented_at));
      const chosen = [];
      if (r.policy_agreed) chosen.push(texts.policy);
      for (const choice of r.choices) if (choice.chosen) chosen.push(texts.linkages[choice.id] ?? choice.id);
      const cells = [time, texts[r.event] ?? r.event, chosen.length ? chosen.join(locale === 'ja' ? '、' : ', ') : texts.nothing, texts.receipt_checking];
      for (const [i, content] of cells.entries()) {
        const td = document.createElement(i === 0 ? 'th' : 'td');
        if (i === 0) td.scope = 'row';
        if (typeof content === 'string') td.textContent = content;
        else td.append(content);
        if (i === 3) td.className = 'receipt';
        tr.append(td);
      }
      tbody.append(tr);
      return tr;
    });
    historySection.hidden = false;
    // Each receipt: the server's signature over it (Ed25519, by the receipt module), and that it
    // is the receipt of this very record (its id and digest).
    const { receipts } = await load();
    consents.forEach((/** @type {any} */ c, /** @type {number} */ i) => {
      let valid = false;
      try {
        const verdict = receipts.verifyReceipt(JSON.stringify(c.receipt), keys);
        valid = verdict.valid && verdict.record_id === c.record.record_id && c.receipt.record_digest === c.record.digest;
      } catch {
        valid = false;
      }
      const td = /** @type {HTMLElement} */ (rows[i].querySelector('td.receipt'));
      td.textContent = valid ? texts.receipt_valid : texts.receipt_invalid;
      td.dataset.valid = String(valid);
    });
  }

  form.addEventListener('submit', (e) => {
    e.preventDefault();
    const data = new FormData(form);
    who = { subject: String(data.get('subject') ?? '').trim(), token: String(data.get('token') ?? '').trim() };
    clear();
    show();
  });

  // A withdrawal: confirmed in a dialog, built by the core from the server's inputs, sent.
  /** @type {string | null} */
  let pending = null;
  for (const button of state.querySelectorAll('button.consents-withdraw')) {
    // (Served by doui serve, the buttons submit a form the server answers without JavaScript:
    // with it, they are this script's.)
    button.addEventListener('click', (e) => {
      e.preventDefault();
      const id = /** @type {HTMLElement} */ (button.closest('li')).dataset.consent ?? '';
      pending = id;
      const what = id === '' ? texts.policy : texts.linkages[id] ?? id;
      /** @type {HTMLElement} */ (dialog.querySelector('h2')).textContent = say(texts.confirm_title, { what });
      /** @type {HTMLElement} */ (dialog.querySelector('p')).textContent = id === '' ? texts.confirm_all : texts.confirm_linkage;
      dialog.returnValue = '';
      dialog.showModal();
    });
  }
  dialog.addEventListener('close', async () => {
    const id = pending;
    pending = null;
    if (dialog.returnValue !== 'confirm' || id === null || !status) return;
    const inputs = id === '' ? status.withdrawal : status.linkages.find((/** @type {any} */ l) => l.id === id)?.withdrawal;
    if (!inputs) return;
    /** @type {any} */
    let doui = null;
    // Why it failed, in the catalog's words, when the core or the server named a code (the
    // server's RFC 9457 problem carries it: e.g. ledger.not_latest after another tab's change).
    const failed = (/** @type {unknown} */ code) => {
      const reason = typeof code === 'string' ? doui?.messages(locale).errors[code] : undefined;
      tell(typeof reason === 'string' && !reason.includes('{') ? reason : texts.failed, true);
    };
    try {
      doui = (await load()).doui;
      const session = (await policy()).startSession({ inputs: { ...inputs, surface: 'privacy-center', agent, locale } });
      const record = session.buildRecord();
      const res = await call('/api/consents', { method: 'POST', headers: { 'Content-Type': 'application/json' }, body: record });
      if (res.status === 401 || res.status === 403) {
        clear();
        who = null;
        return tell(texts.refused, true);
      }
      if (!res.ok) {
        const code = (await res.json().catch(() => null))?.code;
        // The history moved on elsewhere (another tab, the form without JavaScript): show it as
        // it is now, so that choosing again builds on the latest record, and say so.
        if (code === 'ledger.not_latest') {
          await show();
          return tell(texts.moved_on, true);
        }
        return failed(code);
      }
      await show();
      tell(texts.done, true);
    } catch (e) {
      failed(/** @type {{code?: unknown}} */ (e)?.code);
    }
  });

  // The history exactly as the API sent it: records and receipts, byte for byte.
  download.addEventListener('click', (e) => {
    e.preventDefault();
    if (!historyText || !who) return;
    const a = document.createElement('a');
    a.href = URL.createObjectURL(new Blob([historyText], { type: 'application/json' }));
    a.download = `consents-${who.subject}.json`;
    document.body.append(a);
    a.click();
    a.remove();
    setTimeout(() => URL.revokeObjectURL(a.href), 0);
  });

  // A link from a receipt e-mail may carry both in the fragment (never sent to a server):
  // #subject=…&token=…; it is read once and removed from the address bar.
  if (location.hash.length > 1) {
    const p = new URLSearchParams(location.hash.slice(1));
    const subject = p.get('subject');
    const token = p.get('token');
    if (subject && token) {
      history.replaceState(null, '', location.pathname + location.search);
      /** @type {HTMLInputElement} */ (form.elements.namedItem('subject')).value = subject;
      who = { subject, token };
      show();
    }
  }
}
