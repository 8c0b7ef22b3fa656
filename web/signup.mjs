// The demo signup page's own script: a subject id for this visitor, the page's language, and
// what happens once the form is submitted (the widget has already stored the record through
// its endpoint). A real site would send the form to its server; the demo shows the receipt.
const consent = document.getElementById('consent');
const form = document.getElementById('signup');
const params = new URLSearchParams(location.search);
// The demo page's own words are in its HTML in both languages (data-en, or one element per
// language); the widget's come from the core's catalogs through its lang attribute.
if (params.get('lang') === 'en') {
  document.documentElement.lang = 'en';
  for (const el of document.querySelectorAll('[data-en]')) el.textContent = el.dataset.en;
  for (const el of document.querySelectorAll('.site-lead')) el.hidden = el.lang !== 'en';
  for (const el of document.querySelectorAll('[data-ja-only]')) el.hidden = true;
  for (const el of document.querySelectorAll('[data-en-only]')) el.hidden = false;
  consent.setAttribute('lang', 'en');
}
consent.setAttribute('subject', `demo-${crypto.randomUUID()}`);

let receipt = null;
consent.addEventListener('doui-consent', (e) => {
  receipt = e.detail.receipt ?? null;
});
form.addEventListener('submit', (e) => {
  e.preventDefault();
  const data = new FormData(form);
  window.doui = { submitted: Object.fromEntries(data), receipt };
  form.hidden = true;
  const done = document.getElementById('done');
  document.getElementById('receipt').textContent = JSON.stringify(receipt, null, 2);
  done.hidden = false;
  document.getElementById('done-title').focus();
});
