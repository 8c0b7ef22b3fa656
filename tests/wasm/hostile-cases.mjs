// Hostile calls on the browser module's JS API, shared by node (api-hostile.test.mjs) and headless
// Chromium (tests/browser/browser.test.mjs): plain JS, no node modules. runHostile() returns one
// result per case, {name, ok, detail}; the callers assert every one passed and that there were
// as many as expected. Cases that can be data are in tests/fixtures/hostile-js.json.

/**
 * Whether the heap held across many calls: the same heap, and used bytes that moved by less
 * than HEAP_SLACK. A leak of a single byte a call would move them by thousands; emmalloc's own
 * bookkeeping (it counts the header of each free region as used, and how regions split and
 * merge depends on the order of allocations) moves them by a few dozen, differently from one
 * build to the next.
 */
export const HEAP_SLACK = 256;
export function heapHeld(before, after) {
  return after.heapBytes === before.heapBytes && Math.abs(after.usedBytes - before.usedBytes) < HEAP_SLACK;
}

// Set to true once the core refuses names with control or invisible characters (someone else
// is changing core/ for that); until then those cases are reported as skipped.
export const CORE_NAMES = true;

const same = (a, b) => JSON.stringify(a) === JSON.stringify(b);

/**
 * @param {{doui: any, DouiError: any, fixture: any, heapCalls?: number}} ctx
 * @returns {{results: {name: string, ok: boolean, skipped?: boolean, detail: string}[], heap: any}}
 */
export function runHostile({ doui, DouiError, fixture, heapCalls = 10000 }) {
  const results = [];
  const pass = (name) => results.push({ name, ok: true, detail: '' });
  const failed = (name, detail) => results.push({ name, ok: false, detail });
  const skip = (name) => results.push({ name, ok: true, skipped: true, detail: 'CORE_NAMES is off' });
  const policy = doui.loadPolicy();

  // The reference: the same valid inputs in a session nothing hostile touched.
  const fresh = () => {
    const s = policy.startSession({ now: fixture.now });
    for (const [f, v] of fixture.reference) s.set(f, v);
    return s;
  };
  const reference = fresh().buildRecord({ recordId: fixture.record_id });

  // Runs fn; it must throw a DouiError holding exactly `expected` ({code, path} each, in order).
  const refusal = (fn, expected) => {
    try {
      fn();
    } catch (e) {
      if (!(e instanceof DouiError)) return `threw ${e?.name}: ${e?.message}, not a DouiError`;
      const got = e.errors.map((x) => ({ code: x.code, path: x.path }));
      if (!same(got, expected)) return `errors ${JSON.stringify(got)}, expected ${JSON.stringify(expected)}`;
      if (e.code !== expected[0].code) return `code ${e.code}`;
      return null;
    }
    return 'did not throw';
  };
  // The session still works: a later valid set() and buildRecord() give the reference bytes.
  const usable = (s) => {
    try {
      s.set('subject', 'u-hostile');
      const r = s.buildRecord({ recordId: fixture.record_id });
      return r === reference ? null : `record differs:\n${r}\nexpected:\n${reference}`;
    } catch (e) {
      return `session broken: ${e?.name}: ${e?.message}`;
    }
  };
  const check = (name, fn, expected, s = fresh()) => {
    const problem = refusal(() => fn(s), expected) ?? usable(s);
    if (problem) failed(name, problem);
    else pass(name);
  };
  const wrong = (path) => [{ code: 'record.wrong_type', path }];

  // --- values as data (fixture) ---
  for (const c of fixture.set) {
    check(`set(${JSON.stringify(c.field)}, ${JSON.stringify(c.value)})`, (s) => s.set(c.field, c.value), c.errors);
  }
  for (const c of fixture.guardian_json) {
    check(`set('guardian', JSON.parse(${c.text}))`, (s) => s.set('guardian', JSON.parse(c.text)), c.errors);
  }
  for (const c of fixture.set_linkage) {
    check(`setLinkage(${JSON.stringify(c.id)}, ${JSON.stringify(c.chosen)})`, (s) => s.setLinkage(c.id, c.chosen), c.errors);
  }
  for (const c of fixture.load_policy) {
    const name = `loadPolicy(${c.policy === undefined ? 'bundled' : JSON.stringify(c.policy)}, links ${JSON.stringify(c.links)})`;
    const problem = refusal(() => doui.loadPolicy(c.policy, 'links' in c ? { links: c.links } : {}), c.errors);
    if (problem) failed(name, problem);
    else pass(name);
  }

  // --- values JSON cannot carry, built in code ---
  const cyclicArray = ['d-account'];
  cyclicArray.push(cyclicArray);
  const cyclicObject = { name: '山田 花子' };
  cyclicObject.self = cyclicObject;
  const trap = () => { throw new Error('trap'); };
  const throwing = new Proxy({}, { get: trap, ownKeys: trap, getOwnPropertyDescriptor: trap, getPrototypeOf: trap, has: trap });
  const { proxy: revoked, revoke } = Proxy.revocable({}, {});
  revoke();
  class Person { constructor() { this.name = '山田 花子'; } }
  const exotic = [
    ['a Symbol', Symbol('x')],
    ['a function', () => 'u-1'],
    ['an object with toJSON', { toJSON: () => 'u-1' }],
    ['a Proxy of a string', new Proxy(new String('u-1'), {})],
    ['a Proxy whose traps throw', throwing],
    ['a revoked Proxy', revoked],
    ['a BigInt', 10n],
    ['undefined', undefined],
    ['NaN', NaN],
    ['Infinity', -Infinity],
    ['a boxed string', new String('u-1')],
    ['a boxed boolean', new Boolean(false)],
    ['a Date', new Date(0)],
    ['a Map', new Map([['name', 'x']])],
    ['a cyclic array', cyclicArray],
    ['a cyclic object', cyclicObject],
    ['an object with a throwing getter', { get name() { throw new Error('getter'); } }],
    ['a class instance', new Person()],
    ['an object without prototype', Object.assign(Object.create(null), { name: 'x' })],
  ];
  for (const [what, v] of exotic) {
    for (const field of ['subject', 'policy_agreed', 'linkages', 'guardian.name', 'guardian.affirmed']) {
      const path = field.startsWith('guardian.') ? `/guardian/${field.slice(9)}` : `/${field}`;
      // An array member the wrapper cannot carry arrives as null: the core names its index.
      const at = v === cyclicArray && field === 'linkages' ? `${path}/1` : path;
      check(`set('${field}', ${what})`, (s) => s.set(field, v), wrong(at));
    }
    check(`setLinkage('ponta', ${what})`, (s) => s.setLinkage('ponta', v), wrong('/linkages'));
    check(`setLinkage(${what}, true)`, (s) => s.setLinkage(v, true), wrong('/linkages'));
  }
  // Inside containers: an exotic element or member is refused at the container, or (a hole in
  // a sparse array, which arrives as null) at its index: the core's path.
  const arrayProxy = new Proxy(['ponta'], { get(t, k) { if (k === 'length') throw new Error('trap'); return t[k]; } });
  const hugeArray = new Proxy([], { get(t, k) { return k === 'length' ? 2 ** 32 - 1 : t[k]; } });
  const sparse = ['ponta'];
  sparse[2] = 'd-account';
  // [what, value, the index the core names (null: the wrapper refuses the container)]
  for (const [what, v, index] of [['a Proxy array whose length throws', arrayProxy, null],
    ['an array claiming 2^32-1 elements', hugeArray, null], ['a sparse array', sparse, 1],
    ['an array with a Symbol', ['ponta', Symbol('x')], 1], ['an array with a BigInt', ['ponta', 1n], 1],
    ['an array with undefined', ['ponta', undefined], 1], ['an array of arrays', [['ponta']], 0]]) {
    const at = (path) => (index === null ? path : `${path}/${index}`);
    check(`set('linkages', ${what})`, (s) => s.set('linkages', v), wrong(at('/linkages')));
    check(`set('guardian.covers', ${what})`, (s) => s.set('guardian.covers', v), wrong(at('/guardian/covers')));
  }
  for (const [what, g, expected] of [
    ['a guardian whose name getter throws', { get name() { throw new Error('getter'); }, affirmed: true }, wrong('/guardian/name')],
    ['a guardian with a function', { name: () => 'x' }, wrong('/guardian/name')],
    ['a guardian with a BigInt', { affirmed: 1n }, wrong('/guardian/affirmed')],
    ['a guardian with undefined', { name: undefined }, wrong('/guardian/name')],
    ['a guardian with a Symbol key', { name: 'x', [Symbol('k')]: 1 }, wrong('/guardian')],
    ['a guardian that is a Proxy whose traps throw', throwing, wrong('/guardian')],
    ['a guardian with a prototype carrying fields', Object.create({ affirmed: true }), wrong('/guardian')],
    ['a guardian that is an array', ['山田 花子'], wrong('/guardian')],
    ['a guardian with a nested unknown field', { name: 'x', extra: { deep: { deeper: [1] } } }, [{ code: 'record.unknown_field', path: '/guardian/extra' }]],
  ]) {
    check(`set('guardian', ${what})`, (s) => s.set('guardian', g), expected);
  }
  // Field names that are not strings, or hide in the prototype chain.
  for (const [what, f] of [['a Symbol', Symbol('subject')], ['a number', 1], ['undefined', undefined], ['null', null],
    ['a boxed string', new String('subject')], ['an object with toString', { toString: () => 'subject' }]]) {
    check(`set(${what} as field)`, (s) => s.set(f, 'u-1'), [{ code: 'record.unknown_field', path: '' }]);
  }

  // --- prototype pollution by someone else on the page changes nothing ---
  {
    const name = 'a polluted Object.prototype does not reach the inputs or the options';
    const saved = Object.getOwnPropertyDescriptors(Object.prototype);
    try {
      Object.prototype.linkages = ['ponta'];
      Object.prototype.now = '1999-01-01T00:00:00Z';
      Object.prototype.recordId = 'not-a-uuid';
      Object.prototype.fragment = 'yes';
      const s = fresh();
      const r = s.buildRecord({ recordId: fixture.record_id });
      const page = policy.renderHtml({});
      delete Object.prototype.linkages;
      delete Object.prototype.now;
      delete Object.prototype.recordId;
      delete Object.prototype.fragment;
      if (r !== reference) failed(name, `record differs:\n${r}`);
      else if (page !== policy.renderHtml()) failed(name, 'renderHtml read an inherited option');
      else pass(name);
    } catch (e) {
      failed(name, `${e?.name}: ${e?.message}`);
    } finally {
      for (const k of ['linkages', 'now', 'recordId', 'fragment']) if (!(k in saved)) delete Object.prototype[k];
    }
  }

  // --- caller-owned objects are copied on the way in ---
  {
    const name = 'changing the caller\'s array or guardian after set() changes nothing';
    const s = fresh();
    const linkages = ['d-account'];
    s.set('linkages', linkages);
    linkages.push('ponta');
    linkages[0] = 'amazon';
    const g = { name: '山田 花子', relationship: '親権者', affirmed: true, covers: ['d-account'] };
    const minor = policy.startSession({ now: fixture.now });
    minor.set('subject', 'u-minor');
    minor.set('birthdate', '2012-04-01');
    minor.set('policy_agreed', true);
    minor.set('linkages', ['d-account']);
    minor.set('guardian', g);
    const before = minor.buildRecord({ recordId: fixture.record_id });
    g.name = 123;
    g.affirmed = 'no';
    g.covers.push('ponta');
    g.extra = 1;
    const inputs = s.inputs;
    inputs.linkages.push('amazon');
    inputs.policy_agreed = false;
    try {
      const after = minor.buildRecord({ recordId: fixture.record_id });
      const r = s.buildRecord({ recordId: fixture.record_id });
      if (r !== reference) failed(name, `record differs:\n${r}`);
      else if (after !== before) failed(name, `guardian record changed:\n${after}`);
      else if (!same(s.inputs.linkages, ['d-account'])) failed(name, `inputs: ${JSON.stringify(s.inputs)}`);
      else pass(name);
    } catch (e) {
      failed(name, `${e?.name}: ${e?.message}`);
    }
  }

  // --- truthy is not true: refused choices leave the choice as it was ---
  {
    const name = "setLinkage('ponta', 'false') does not choose Ponta";
    const s = fresh();
    refusal(() => s.setLinkage('ponta', 'false'), wrong('/linkages'));
    const chosen = s.state().linkages.filter((l) => l.chosen).map((l) => l.id);
    if (!same(chosen, ['d-account'])) failed(name, `chosen: ${JSON.stringify(chosen)}`);
    else pass(name);
  }

  // --- options ---
  for (const [what, fn, expected] of [
    ['startSession with an invalid Date', () => policy.startSession({ now: new Date(NaN) }), [{ code: 'time.bad_instant', path: '' }]],
    ['startSession with a number', () => policy.startSession({ now: 1e12 }), [{ code: 'time.bad_instant', path: '' }]],
    ['startSession with a Symbol', () => policy.startSession({ now: Symbol('now') }), [{ code: 'time.bad_instant', path: '' }]],
    ['startSession with a fake Date', () => policy.startSession({ now: Object.create(Date.prototype) }), [{ code: 'time.bad_instant', path: '' }]],
    ['startSession with text that is no instant', () => policy.startSession({ now: 'tomorrow' }), [{ code: 'time.bad_instant', path: '' }]],
    ['startSession with options that are a string', () => policy.startSession('2026-01-15T10:00:00Z'), [{ code: 'time.bad_instant', path: '' }]],
    ['startSession with a throwing getter', () => policy.startSession({ get now() { throw new Error('getter'); } }), [{ code: 'time.bad_instant', path: '' }]],
    ["renderHtml({fragment: 'false'})", () => policy.renderHtml({ fragment: 'false' }), [{ code: 'render.bad_option', path: '/fragment' }]],
    ['renderHtml({fragment: 1})', () => policy.renderHtml({ fragment: 1 }), [{ code: 'render.bad_option', path: '/fragment' }]],
    ['renderHtml(true)', () => policy.renderHtml(true), [{ code: 'render.bad_option', path: '/fragment' }]],
    ['loadPolicy with a number', () => doui.loadPolicy(42), [{ code: 'policy.wrong_type', path: '' }]],
    ['loadPolicy with an object', () => doui.loadPolicy({ format: 'doui.policy/1' }), [{ code: 'policy.wrong_type', path: '' }]],
    ['loadPolicy with a Symbol', () => doui.loadPolicy(Symbol('p')), [{ code: 'policy.wrong_type', path: '' }]],
    ['loadPolicy with an unpaired surrogate', () => doui.loadPolicy('{"id":"\ud800"}'), [{ code: 'json.invalid_utf8', path: '' }]],
    ['loadPolicy with links holding a BigInt', () => doui.loadPolicy(undefined, { links: { contact: 1n } }), [{ code: 'links.wrong_type', path: '/contact' }]],
    ['loadPolicy with cyclic links', () => doui.loadPolicy(undefined, { links: cyclicObject }), [{ code: 'links.unknown_target', path: '/name' }, { code: 'links.unknown_target', path: '/self' }]],
    ['loadPolicy with links that throw', () => doui.loadPolicy(undefined, { links: throwing }), [{ code: 'links.wrong_type', path: '' }]],
    ['loadPolicy with options that throw', () => doui.loadPolicy(undefined, throwing), [{ code: 'links.wrong_type', path: '' }]],
  ]) {
    const problem = refusal(fn, expected);
    if (problem) failed(what, problem);
    else pass(what);
  }
  for (const [what, id, expected] of [
    ['a number', 5, wrong('/record_id')],
    ['a Symbol', Symbol('id'), wrong('/record_id')],
    ['text that is no UUID v4', 'not-a-uuid', [{ code: 'record.bad_value', path: '/record_id' }]],
  ]) {
    check(`buildRecord({recordId: ${what}})`, (s) => s.buildRecord({ recordId: id }), expected);
  }

  // --- sizes: refused before anything is copied into wasm memory ---
  {
    const big = 'x'.repeat(50 * 1024 * 1024);
    const heap = doui.memory().heapBytes;
    check('set(subject, a 50 MB string)', (s) => s.set('subject', big),
      [{ code: 'json.too_large', path: '' }]);
    const problem = refusal(() => doui.loadPolicy(big), [{ code: 'json.too_large', path: '' }]) ??
      refusal(() => doui.loadPolicy(undefined, { links: { contact: big } }), [{ code: 'json.too_large', path: '' }]);
    if (problem) failed('loadPolicy with 50 MB texts', problem);
    else pass('loadPolicy with 50 MB texts');
    const grown = doui.memory().heapBytes - heap;
    if (grown !== 0) failed('50 MB values are not copied into wasm memory', `the heap grew by ${grown} bytes`);
    else pass('50 MB values are not copied into wasm memory');
  }
  {
    // The inputs limit is the core's: 65536 bytes of JSON pass the wrapper and reach the core
    // (which then refuses the one text over its 16 KiB limit, at its member); one more byte is
    // refused whole with the core's detail.
    const name = 'inputs of exactly 64 KiB reach the core; one byte more is json.too_large';
    const s = policy.startSession({ now: fixture.now });
    const pad = 65536 - JSON.stringify({ ...s.inputs, subject: '' }).length;
    let problem = null;
    try {
      s.set('subject', 'x'.repeat(pad));
      problem = '65536 bytes: a 16 KiB text accepted';
    } catch (e) {
      if (!(e instanceof DouiError) || e.code !== 'record.too_large' || e.errors[0].path !== '/subject') {
        problem = `65536 bytes refused: ${e?.message}`;
      }
    }
    try {
      s.set('subject', 'x'.repeat(pad + 1));
      problem ??= '65537 bytes accepted';
    } catch (e) {
      if (!(e instanceof DouiError) || e.code !== 'json.too_large' || e.errors[0].detail !== '65537 bytes; the limit is 65536') {
        problem ??= `65537 bytes: ${e?.message}`;
      }
    }
    // Multi-byte text counts in UTF-8 bytes, not UTF-16 units.
    try {
      s.set('subject', 'あ'.repeat(Math.floor(pad / 3) + 1));
      problem ??= 'UTF-8 size not counted';
    } catch (e) {
      if (!(e instanceof DouiError) || e.code !== 'json.too_large') problem ??= `UTF-8: ${e?.message}`;
    }
    if (problem) failed(name, problem);
    else pass(name);
  }

  // --- disposed ---
  {
    const p = doui.loadPolicy();
    const s = p.startSession({ now: fixture.now });
    s.set('subject', 'u-1');
    p.dispose();
    p.dispose();
    const disposed = [{ code: 'wasm.disposed', path: '' }];
    for (const [what, fn] of [
      ['renderHtml', () => p.renderHtml()], ['disclosures', () => p.disclosures()],
      ['startSession', () => p.startSession({ now: fixture.now })], ['session.set', () => s.set('subject', 'u-2')],
      ['session.setLinkage', () => s.setLinkage('ponta', true)], ['session.state', () => s.state()],
      ['session.buildRecord', () => s.buildRecord()],
    ]) {
      const problem = refusal(fn, disposed);
      if (problem) failed(`${what} after dispose()`, problem);
      else pass(`${what} after dispose()`);
    }
  }

  // --- names: being fixed in the core (CORE_NAMES) ---
  for (const [what, name, code] of [
    ['a control character (BEL)', '山田\u0007花子', 'record.bad_value'],
    ['a newline', '山田\n花子', 'record.bad_value'],
    ['a bidi override', '山田\u202e花子', 'record.bad_value'],
    ['a bidi isolate', '山田\u2066花子\u2069様', 'record.bad_value'],
    ['only a word joiner', '\u2060', 'guardian.missing_name'],
    ['only a Hangul filler', '\u3164', 'guardian.missing_name'],
    ['only zero-width spaces', '\u200b\u200b', 'guardian.missing_name'],
    ['only variation selectors', '\ufe0f\u{e0100}', 'guardian.missing_name'],
    ['only tag characters', '\u{e0041}\u{e0042}', 'guardian.missing_name'],
  ]) {
    const label = `guardian name with ${what} is ${code}`;
    if (!CORE_NAMES) {
      skip(label);
      continue;
    }
    const s = policy.startSession({ now: fixture.now });
    s.set('subject', 'u-minor');
    s.set('birthdate', '2012-04-01');
    s.set('policy_agreed', true);
    s.set('guardian.relationship', '親権者');
    s.set('guardian.affirmed', true);
    const state = s.set('guardian.name', name);
    const inState = state.problems.some((p) => p.field === 'guardian.name' && p.code === code);
    const problem = inState ? refusal(() => s.buildRecord(), [{ code, path: '/guardian/name' }]) : `state: ${JSON.stringify(state.problems)}`;
    if (problem) failed(label, problem);
    else pass(label);
  }

  // --- memory: failing calls do not grow the wasm heap ---
  const failing = [
    () => doui.loadPolicy(undefined, { links: { contact: 5 } }), // the links-failure path
    () => doui.loadPolicy(undefined, { links: { nope: 'https://example.jp/' } }),
    () => doui.loadPolicy('{"format":"doui.policy/1"}'),
    () => doui.loadPolicy('{"format":'),
  ];
  const s = fresh();
  const future = policy.startSession({ now: fixture.now });
  future.set('birthdate', '2999-01-01');
  failing.push(
    () => s.set('policy_agreed', 'false'), () => s.set('__proto__', {}), () => s.set('guardian', { x: 1 }),
    () => s.set('subject', 42), () => s.setLinkage('ponta', 'false'), () => s.set('linkages', [1n]),
    () => s.buildRecord({ recordId: 'not-a-uuid' }), () => future.buildRecord(), () => s.set('subject', '\ud800'),
  );
  const runAll = (n) => {
    let refused = 0;
    for (let i = 0; i < n; i++) {
      try {
        failing[i % failing.length]();
      } catch (e) {
        if (e instanceof DouiError) refused++;
      }
    }
    return refused;
  };
  // First calls may fill the core's caches, and emmalloc's free regions take a while to settle
  // into the pattern these calls repeat (a few hundred bytes over the first thousands of calls,
  // then nothing): warm up past that, so only what a call keeps is measured.
  runAll(2000);
  const before = doui.memory();
  const refused = runAll(heapCalls);
  const after = doui.memory();
  const heap = { calls: heapCalls, refused, before, after };
  const name = `${heapCalls} failing calls do not grow the wasm heap`;
  if (refused !== heapCalls) failed(name, `only ${refused} of ${heapCalls} calls threw a DouiError`);
  else if (!heapHeld(before, after)) {
    failed(name, `before ${JSON.stringify(before)}, after ${JSON.stringify(after)}`);
  } else pass(name);
  policy.dispose();
  return { results, heap };
}
