// The privacy center's in-page search (the policy pages): the search module's core finds, this
// script only draws. Progressive: the form is in the page hidden and is shown once the module
// runs; without JavaScript, CSS Custom Highlights or the module, the page is the plain policy.
// Hits are painted with the CSS Custom Highlight API, so the policy's markup is never changed.
const form = document.querySelector('form.policy-search');
const article = document.querySelector('.doui-policy');

async function start() {
  if (!form || !article || !('highlights' in CSS) || typeof Highlight !== 'function') return;
  const { loadSearch } = await import(new URL('dist/doui-search.mjs', import.meta.url).href);
  const doui = await loadSearch();
  const input = /** @type {HTMLInputElement} */ (form.querySelector('input'));
  const status = /** @type {HTMLElement} */ (form.querySelector('[role="status"]'));
  const buttons = [...form.querySelectorAll('button[data-step]')];

  // The article's text as one string, and where each text node starts in it. The contents and
  // the "#" self links repeat headings; they are not searched.
  const nodes = [];
  const starts = [];
  let text = '';
  const walker = document.createTreeWalker(article, NodeFilter.SHOW_TEXT, {
    acceptNode: (n) => (n.parentElement?.closest('nav.doui-toc, .doui-self') ? NodeFilter.FILTER_REJECT : NodeFilter.FILTER_ACCEPT),
  });
  for (let n = walker.nextNode(); n; n = walker.nextNode()) {
    nodes.push(n);
    starts.push(text.length);
    text += n.data;
  }
  /** @param {number} offset */
  const point = (offset, end = false) => {
    // The last node starting at or before `offset` (for an end, strictly before it).
    let lo = 0;
    let hi = nodes.length - 1;
    while (lo < hi) {
      const mid = (lo + hi + 1) >> 1;
      if (end ? starts[mid] < offset : starts[mid] <= offset) lo = mid;
      else hi = mid - 1;
    }
    return [nodes[lo], offset - starts[lo]];
  };

  /** @type {Range[]} */
  let ranges = [];
  let current = -1;
  const say = (template, values) =>
    template.replace(/\{(\w+)\}/g, (m, k) => (k in values ? String(values[k]) : m));

  function show() {
    CSS.highlights.delete('doui-hit-current');
    for (const b of buttons) b.disabled = ranges.length === 0;
    if (!input.value.trim()) {
      status.textContent = '';
      return;
    }
    if (ranges.length === 0) {
      status.textContent = form.dataset.none ?? '';
      return;
    }
    CSS.highlights.set('doui-hit-current', new Highlight(ranges[current]));
    status.textContent = say(form.dataset.found ?? '', { count: ranges.length, current: current + 1 });
    const box = ranges[current].getBoundingClientRect();
    if (box.top < 0 || box.bottom > innerHeight) {
      const reduce = matchMedia('(prefers-reduced-motion: reduce)').matches;
      scrollBy({ top: box.top - innerHeight / 3, behavior: reduce ? 'auto' : 'smooth' });
    }
  }

  function find() {
    ranges = doui.search(text, input.value).map(({ start, end }) => {
      const r = new Range();
      r.setStart(...point(start));
      r.setEnd(...point(end, true));
      return r;
    });
    current = ranges.length ? 0 : -1;
    CSS.highlights.set('doui-hit', new Highlight(...ranges));
    show();
  }

  /** @param {number} step */
  function move(step) {
    if (!ranges.length) return;
    current = (current + step + ranges.length) % ranges.length;
    show();
  }

  input.addEventListener('input', find);
  input.addEventListener('keydown', (e) => {
    if (e.key === 'Enter') {
      e.preventDefault();
      move(e.shiftKey ? -1 : 1);
    }
  });
  for (const b of buttons) b.addEventListener('click', () => move(Number(b.dataset.step)));
  form.addEventListener('submit', (e) => e.preventDefault());
  for (const b of buttons) b.disabled = true;
  form.hidden = false;
}

start().catch(() => {
  // The module could not load (a static host without dist/, an old browser): no search, the
  // policy as it is.
});
