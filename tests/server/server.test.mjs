// `doui serve` as a client meets it: a real server process on loopback over a fresh ledger,
// SQLite by default or PostgreSQL (DOUI_TEST_DB=postgresql: a server started for the test).
// Every answer is also checked against the server's own OpenAPI description.
import { test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { gunzipSync } from 'node:zlib';
import { mkdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import net from 'node:net';
import path from 'node:path';
import { spawnSync } from 'node:child_process';
import Ajv2020 from 'ajv/dist/2020.js';
import addFormats from 'ajv-formats';
import { apiKeyFile, cli, makeRecord, newKey, startPostgres, startServer, tempDir } from './harness.mjs';

const backend = process.env.DOUI_TEST_DB ?? 'sqlite';
let dir, keys, apiKey, pg, server, seen;

function dbUrl(name) {
  return backend === 'postgresql' ? pg.database() : `sqlite:${path.join(dir, `${name}.db`)}`;
}

before(async () => {
  dir = tempDir('doui-serve-');
  keys = newKey(dir);
  apiKey = apiKeyFile(dir);
  if (backend === 'postgresql') pg = await startPostgres();
  const web = path.join(dir, 'web');
  mkdirSync(path.join(web, 'sub'), { recursive: true });
  writeFileSync(path.join(web, 'index.html'), `<!doctype html><title>t</title>${'<p>doui</p>'.repeat(200)}`);
  writeFileSync(path.join(web, 'm.wasm'), Buffer.from([0, 0x61, 0x73, 0x6d, 1, 0, 0, 0]));
  writeFileSync(path.join(web, '.secret'), 'no');
  writeFileSync(path.join(web, 'sub', 'index.html'), '<!doctype html><title>sub</title>');
  server = await startServer({ db: dbUrl('main'), key: keys.key, apiKeyFile: apiKey.path, extra: ['--web', web, '--dist', web, '--cors-origin', 'https://privacy.example'] });
  seen = [];
});

after(async () => {
  await server?.stop();
  pg?.stop();
  rmSync(dir, { recursive: true, force: true });
});

/** A request to `server`; records every JSON answer for the OpenAPI check at the end. */
async function api(method, url, { body, token, headers = {}, base = server.base } = {}) {
  const h = { ...headers };
  if (body !== undefined && !h['content-type']) h['content-type'] = 'application/json';
  if (token) h.authorization = `Bearer ${token}`;
  const res = await fetch(base + url, { method, headers: h, body });
  const text = await res.text();
  const type = res.headers.get('content-type') ?? '';
  const json = /json/.test(type) ? JSON.parse(text) : undefined;
  seen.push({ method, url, status: res.status, type, json });
  return { status: res.status, headers: res.headers, text, json };
}

const post = (record, opts = {}) => api('POST', '/api/consents', { body: record, ...opts });

function entries() {
  return api('GET', '/healthz').then((r) => r.json.ledger_entries);
}

// The first record of a subject: 201, and its token.
async function first(subject, opts = {}) {
  const record = makeRecord({ subject, ...opts });
  const r = await post(record);
  assert.equal(r.status, 201, r.text);
  return { record, token: r.json.access_token, receipt: r.json.receipt };
}

function verifyReceipt(receipt) {
  const file = path.join(dir, `receipt-${Math.random()}.json`);
  writeFileSync(file, typeof receipt === 'string' ? receipt : JSON.stringify(receipt));
  return cli(['receipt', 'verify', '--pub', keys.pub, file]);
}

test('a valid record is stored and answered with a signed receipt', async () => {
  const record = makeRecord({ subject: 'u-accept', links: ['ponta'] });
  const rec = JSON.parse(record);
  const before = await entries();
  const r = await post(record);
  assert.equal(r.status, 201, r.text);
  assert.match(r.json.access_token, /^[A-Za-z0-9_-]{43}$/);
  assert.equal(r.headers.get('location'), `/api/consents/${rec.record_id}`);
  const receipt = r.json.receipt;
  assert.equal(receipt.format, 'doui.receipt/1');
  assert.equal(receipt.record_id, rec.record_id);
  assert.equal(receipt.record_digest, rec.digest);
  assert.equal(receipt.subject, 'u-accept');
  assert.equal(receipt.ledger_position, before + 1);
  assert.equal(receipt.key_id, JSON.parse(readFileSync(keys.pub, 'utf8')).key_id);
  assert.equal(await entries(), before + 1);
  // Anyone with the public key can check it; one changed byte and it fails.
  const ok = verifyReceipt(receipt);
  assert.equal(ok.status, 0, ok.stderr);
  assert.equal(JSON.parse(ok.stdout).valid, true);
  const forged = JSON.stringify(receipt).replace(`"ledger_position":${receipt.ledger_position}`, `"ledger_position":${receipt.ledger_position + 1}`);
  const bad = verifyReceipt(forged);
  assert.equal(bad.status, 1);
  assert.equal(JSON.parse(bad.stdout).valid, false);
});

test('the same record again gets the same receipt, and no token', async () => {
  const { record, receipt } = await first('u-replay');
  const before = await entries();
  const again = await post(record);
  assert.equal(again.status, 200, again.text);
  assert.deepEqual(again.json, { receipt });
  assert.equal(await entries(), before);
});

test('another record under a used record id is 409 ledger.id_in_use', async () => {
  const { record } = await first('u-id');
  const id = JSON.parse(record).record_id;
  const other = makeRecord({ subject: 'u-id-other', id });
  const r = await post(other);
  assert.equal(r.status, 409);
  assert.match(r.headers.get('content-type'), /^application\/problem\+json/);
  assert.equal(r.json.code, 'ledger.id_in_use');
  assert.equal(r.json.status, 409);
});

test('an invalid record is 422 with every problem, and nothing is stored', async () => {
  const rec = JSON.parse(makeRecord({ subject: 'u-invalid' }));
  rec.locale = 'xx';
  rec.policy.digest = '0'.repeat(64);
  const before = await entries();
  const r = await post(JSON.stringify(rec));
  assert.equal(r.status, 422, r.text);
  assert.match(r.headers.get('content-type'), /^application\/problem\+json/);
  assert.deepEqual(r.json.errors.map((e) => `${e.code} ${e.pointer}`), [
    'record.bad_value /locale',
    'record.policy_digest_mismatch /policy/digest',
    'record.digest_mismatch /digest',
  ]);
  assert.equal(r.json.code, 'record.bad_value');
  assert.equal(await entries(), before);
  // Not JSON, not a record, not application/json: refused the same way, nothing stored.
  const junk = await post('{"schema":');
  assert.equal(junk.status, 422);
  assert.equal(junk.json.errors[0].code, 'json.syntax');
  const typed = await api('POST', '/api/consents', { body: makeRecord({ subject: 'u-type' }), headers: { 'content-type': 'text/plain' } });
  assert.equal(typed.status, 415);
  assert.equal(typed.json.code, 'http.unsupported_media_type');
  assert.equal(await entries(), before);
});

// One of each kind of invalid record: each is 422 with its code first, and nothing is stored.
test('every class of invalid record is refused, and nothing is stored', async () => {
  const base = () => JSON.parse(makeRecord({ subject: 'u-classes', links: ['ponta'] }));
  const future = new Date(Date.now() + 3600e3).toISOString().replace(/\.\d+Z$/, '.000Z');
  const cases = [
    ['unknown field', (r) => { r.extra = 1; }, 'record.unknown_field', '/extra'],
    ['missing field', (r) => { delete r.subject; }, 'record.missing_field', '/subject'],
    ['wrong type', (r) => { r.policy_agreed = 'yes'; }, 'record.wrong_type', '/policy_agreed'],
    ['bad value', (r) => { r.event = 'maybe'; }, 'record.bad_value', '/event'],
    ['schema', (r) => { r.schema = 'doui.consent/2'; }, 'record.unsupported_schema', '/schema'],
    ['unknown policy', (r) => { r.policy.version = '2099-01-01'; }, 'record.unknown_policy', '/policy'],
    ['policy digest', (r) => { r.policy.digest = 'f'.repeat(64); }, 'record.policy_digest_mismatch', '/policy/digest'],
    ['age', (r) => { r.person.age += 1; }, 'record.age_mismatch', '/person/age'],
    ['future', (r) => { r.consented_at = future; }, 'record.instant_in_future', '/consented_at'],
    ['disclosure', (r) => { r.choices[0].purposes = ['なんでも']; }, 'linkage.disclosure_mismatch', '/choices/0/purposes'],
    ['not given', (r) => { r.policy_agreed = false; }, 'consent.not_given', '/policy_agreed'],
    ['digest', (r) => { r.subject = 'u-classes-2'; }, 'record.digest_mismatch', '/digest'],
  ];
  const before = await entries();
  for (const [name, mutate, code, pointer] of cases) {
    const rec = base();
    mutate(rec);
    const r = await post(JSON.stringify(rec));
    assert.equal(r.status, 422, `${name}: ${r.text}`);
    assert.deepEqual([r.json.errors[0].code, r.json.errors[0].pointer], [code, pointer], `${name}: ${r.text}`);
  }
  assert.equal(await entries(), before);
});

test('history, status and each record are the subject\'s own', async () => {
  const a = await first('u-owner', { links: ['amazon'] });
  const b = await first('u-stranger');
  const id = JSON.parse(a.record).record_id;
  for (const url of ['/api/subjects/u-owner/consents', '/api/subjects/u-owner/status', `/api/consents/${id}`]) {
    const none = await api('GET', url);
    assert.equal(none.status, 401, url);
    assert.equal(none.headers.get('www-authenticate'), 'Bearer');
    assert.equal(none.json.code, 'http.unauthorized');
    const wrong = await api('GET', url, { token: 'x'.repeat(43) });
    assert.equal(wrong.status, 403, url);
    assert.equal(wrong.json.code, 'http.forbidden');
    assert.equal((await api('GET', url, { token: b.token })).status, 403, `${url}: another subject's token`);
    assert.equal((await api('GET', url, { token: a.token })).status, 200, url);
    assert.equal((await api('GET', url, { token: apiKey.key })).status, 200, `${url}: operator`);
  }
  // A subject that does not exist answers as one that is not yours; the operator learns 404.
  const ghost = await api('GET', '/api/subjects/u-ghost/consents', { token: a.token });
  assert.equal(ghost.status, 403);
  assert.deepEqual(ghost.json, (await api('GET', '/api/subjects/u-owner/consents', { token: b.token })).json);
  assert.equal((await api('GET', '/api/subjects/u-ghost/consents', { token: apiKey.key })).status, 404);
  // The record comes back as the exact bytes sent, beside its receipt.
  const one = await api('GET', `/api/consents/${id}`, { token: a.token });
  assert.ok(one.text.includes(`"record":${a.record}`), 'exact bytes');
  assert.deepEqual(one.json.receipt, a.receipt);
});

test('a change and a withdrawal form one history; the status follows it', async () => {
  const a = await first('u-hist', { links: ['ponta', 'd-account'] });
  const id1 = JSON.parse(a.record).record_id;
  // Without the token, a subject that exists takes nothing.
  const change = makeRecord({ subject: 'u-hist', links: ['ponta'], event: 'changed', previous: id1 });
  assert.equal((await post(change)).status, 401);
  const c = await post(change, { token: a.token });
  assert.equal(c.status, 201, c.text);
  assert.equal(c.json.access_token, undefined, 'the token is given once');
  const id2 = JSON.parse(change).record_id;
  // Naming a record that is not the latest: 409, nothing stored.
  const stale = await post(makeRecord({ subject: 'u-hist', event: 'withdrawn', previous: id1 }), { token: a.token });
  assert.equal(stale.status, 409);
  assert.equal(stale.json.code, 'ledger.not_latest');
  // Before withdrawing, the status gives the inputs of each withdrawal the core allows.
  let status = await api('GET', '/api/subjects/u-hist/status', { token: a.token });
  const inputs = (/** @type {object} */ more) => ({
    subject: 'u-hist', birthdate: '1990-04-01', locale: 'ja', surface: '', agent: '', event: 'withdrawn',
    previous_record: id2, ...more,
  });
  assert.deepEqual(status.json.withdrawal, inputs({ policy_agreed: false, linkages: [] }));
  assert.deepEqual(status.json.linkages.map((l) => [l.id, l.withdrawal]), [
    ['ponta', inputs({ policy_agreed: true, linkages: [] })], ['d-account', null], ['amazon', null],
  ]);
  // A "withdrawal" needs no representative, so one that adds (d-account) is refused: 422.
  const adds = await post(makeRecord({ subject: 'u-hist', event: 'withdrawn', agree: true, links: ['ponta', 'd-account'], previous: id2 }), { token: a.token });
  assert.equal(adds.status, 422, adds.text);
  assert.equal(adds.json.code, 'withdrawal.adds');
  assert.deepEqual(adds.json.errors.map((e) => e.pointer), ['/choices/1']);
  // Taking Ponta back keeps the policy.
  const one = makeRecord({ subject: 'u-hist', event: 'withdrawn', agree: true, previous: id2 });
  assert.equal((await post(one, { token: a.token })).status, 201);
  status = await api('GET', '/api/subjects/u-hist/status', { token: a.token });
  assert.equal(status.json.withdrawn, false);
  assert.equal(status.json.policy_agreed, true);
  assert.equal(status.json.linkages[0].withdrawal, null);
  const w = await post(makeRecord({ subject: 'u-hist', event: 'withdrawn', previous: JSON.parse(one).record_id }), { token: a.token });
  assert.equal(w.status, 201, w.text);
  const history = await api('GET', '/api/subjects/u-hist/consents', { token: a.token });
  assert.deepEqual(history.json.consents.map((x) => x.record.event), ['withdrawn', 'withdrawn', 'changed', 'given']);
  assert.deepEqual(history.json.consents.map((x) => x.receipt.ledger_position), [...history.json.consents.map((x) => x.receipt.ledger_position)].sort((p, q) => q - p));
  status = await api('GET', '/api/subjects/u-hist/status', { token: a.token });
  assert.equal(status.status, 200);
  assert.equal(status.json.withdrawn, true);
  assert.equal(status.json.withdrawal, null, 'nothing is left to take back');
  assert.equal(status.json.event, 'withdrawn');
  assert.equal(status.json.reconsent_required, false);
  assert.deepEqual(status.json.linkages, [
    { id: 'ponta', chosen: false, withdrawal: null }, { id: 'd-account', chosen: false, withdrawal: null },
    { id: 'amazon', chosen: false, withdrawal: null },
  ]);
  // A given for a subject that has records must follow the latest too.
  const again = await post(makeRecord({ subject: 'u-hist' }), { token: a.token });
  assert.equal(again.status, 409);
  assert.equal(again.json.code, 'ledger.not_latest');
});

test('a body over 64 KiB is refused with 413 before it is read', async () => {
  const before = await entries();
  const r = await post(`{"x":"${'a'.repeat(1 << 20)}"}`);
  assert.equal(r.status, 413);
  assert.equal(r.json.code, 'http.too_large');
  assert.equal(await entries(), before);
});

test('unknown paths and methods are problems too', async () => {
  const r = await api('GET', '/api/nothing');
  assert.equal(r.status, 404);
  assert.equal(r.json.code, 'http.not_found');
  const m = await api('DELETE', '/api/consents');
  assert.equal(m.status, 405);
  assert.equal(m.json.code, 'http.method_not_allowed');
});

test('the policies, the health and the metrics', async () => {
  const p = await api('GET', '/api/policies');
  assert.equal(p.status, 200);
  const digest = cli(['policy', 'digest']).stdout.trim();
  assert.deepEqual(p.json.policies.map((x) => [x.version, x.digest, x.in_effect]), [['2025-04-01', digest, true]]);
  const h = await api('GET', '/healthz');
  assert.equal(h.json.status, 'ok');
  const m = await fetch(`${server.base}/metrics`);
  assert.match(m.headers.get('content-type'), /^text\/plain; version=0\.0\.4/);
  const text = await m.text();
  assert.match(text, /^doui_http_requests_total\{route="\/api\/consents",status="201"\} [1-9]\d*$/m);
  assert.match(text, /^doui_verdicts_total\{result="record\.bad_value"\} [1-9]\d*$/m);
  assert.match(text, new RegExp(`^doui_ledger_entries ${h.json.ledger_entries}$`, 'm'));
  assert.match(text, /^doui_commit_duration_seconds_count [1-9]\d*$/m);
  assert.match(text, /^# TYPE doui_commit_duration_seconds histogram$/m);
});

test('pages: types, validators, gzip, and nothing outside the site', async () => {
  const page = await fetch(`${server.base}/`);
  assert.equal(page.status, 200);
  assert.equal(page.headers.get('content-type'), 'text/html; charset=utf-8');
  assert.match(page.headers.get('content-security-policy'), /default-src 'self'/);
  const etag = page.headers.get('etag');
  assert.match(etag, /^"[0-9a-f]{32}"$/);
  // node's fetch asks for gzip whatever it is told: read the plain page with curl.
  const body = spawnSync('curl', ['-s', `${server.base}/`], { encoding: 'utf8' }).stdout;
  assert.ok(body.startsWith('<!doctype html>'));
  const cached = await fetch(`${server.base}/`, { headers: { 'if-none-match': etag } });
  assert.equal(cached.status, 304);
  // node's fetch decodes gzip itself: ask with a raw request to see the encoding.
  const raw = spawnSync('curl', ['-s', '-D', '-', '-H', 'Accept-Encoding: gzip', '-o', path.join(dir, 'page.gz'), `${server.base}/`], { encoding: 'utf8' });
  assert.match(raw.stdout, /content-encoding: gzip/i);
  assert.equal(gunzipSync(readFileSync(path.join(dir, 'page.gz'))).toString(), body);
  const wasm = await fetch(`${server.base}/dist/m.wasm`);
  assert.equal(wasm.headers.get('content-type'), 'application/wasm');
  assert.equal((await fetch(`${server.base}/sub/`)).status, 200);
  for (const p of ['/.secret', '/%2e%2e/%2e%2e/etc/passwd', '/sub/../../x', '/nope.html']) {
    assert.equal((await fetch(server.base + p)).status, 404, p);
  }
});

test('slow and silent clients are cut at the deadline and cannot hold every worker', async () => {
  // A server of its own with a 2 s request deadline; more slow clients than it has workers (128).
  const slow = await startServer({ db: dbUrl('slow'), key: keys.key, extra: ['--request-timeout', '2'] });
  const { port } = new URL(slow.base);
  const sockets = [];
  const closedAfter = [];
  try {
    const started = Date.now();
    for (let i = 0; i < 140; i += 1) {
      const s = net.connect(Number(port), '127.0.0.1');
      s.on('error', () => {});
      s.on('close', () => closedAfter.push([Date.now() - started, i === 0 ? 'silent' : i % 2 ? 'headers' : 'body']));
      // Half drip a header byte every 300 ms (slowloris), half send a body too slowly; one says nothing.
      s.on('connect', () => {
        if (i === 0) return;
        s.write(i % 2 ? 'GET /healthz HTTP/1.1\r\nHost: x\r\n' : 'POST /api/consents HTTP/1.1\r\nHost: x\r\nContent-Type: application/json\r\nContent-Length: 1000\r\n\r\n{');
        const drip = setInterval(() => (s.destroyed ? clearInterval(drip) : s.write(i % 2 ? 'X' : ' ')), 300);
        s.on('close', () => clearInterval(drip));
      });
      sockets.push(s);
    }
    await new Promise((r) => setTimeout(r, 300));
    // Every worker is taken by a slow client: a good request waits at most for a deadline.
    const t0 = Date.now();
    const res = await fetch(`${slow.base}/healthz`);
    assert.equal(res.status, 200);
    const waited = Date.now() - t0;
    assert.ok(waited < 4000, `a good request waited ${waited} ms`);
    // Every slow client is cut off, none before its deadline and none long after it.
    const deadline = Date.now() + 8000;
    while (closedAfter.length < sockets.length && Date.now() < deadline) await new Promise((r) => setTimeout(r, 100));
    assert.equal(closedAfter.length, sockets.length, `${closedAfter.length} of ${sockets.length} cut off`);
    const times = closedAfter.map(([ms]) => ms);
    assert.ok(Math.min(...times) >= 1900, `one was cut after ${Math.min(...times)} ms`);
    const late = closedAfter.filter(([ms]) => ms >= 7000);
    assert.deepEqual(late, [], 'cut only long after the deadline');
  } finally {
    for (const s of sockets) s.destroy();
    await slow.stop();
  }
});

test('the public key that checks the receipts is published, and it checks one', async () => {
  const r = await api('GET', '/api/keys');
  assert.equal(r.status, 200);
  assert.deepEqual(r.json.keys, [JSON.parse(readFileSync(keys.pub, 'utf8'))]);
  // What a page does with it: the receipt of a record checked against the published key alone.
  const { receipt } = await first('u-keys');
  const pubFile = path.join(dir, 'published.pub');
  writeFileSync(pubFile, JSON.stringify(r.json.keys[0]));
  const file = path.join(dir, 'receipt-keys.json');
  writeFileSync(file, JSON.stringify(receipt));
  const v = cli(['receipt', 'verify', '--pub', pubFile, file]);
  assert.equal(v.status, 0, v.stderr);
  assert.equal(JSON.parse(v.stdout).valid, true);
  assert.equal((await api('POST', '/api/keys', { body: '{}' })).status, 405);
});

test('every answer is one the OpenAPI description allows', async () => {
  const doc = (await api('GET', '/api/openapi.json')).json;
  assert.equal(doc.openapi, '3.1.0');
  const ajv = new Ajv2020({ strict: false, allErrors: true });
  addFormats(ajv);
  ajv.addSchema({ ...doc, $id: 'openapi.json' });
  // Each path template as a pattern; each answer we saw must be documented, and match.
  const routes = Object.entries(doc.paths).map(([p, ops]) => ({
    re: new RegExp(`^${p.replace(/\{[^}]+\}/g, '[^/]+')}$`), ops, p,
  }));
  let checked = 0;
  for (const s of seen) {
    const pathname = new URL(s.url, 'http://x').pathname;
    const route = routes.find((r) => r.re.test(pathname));
    if (!route) {
      assert.ok(s.status === 404 && s.json?.code === 'http.not_found', `undocumented ${s.method} ${pathname}`);
      continue;
    }
    const op = route.ops[s.method.toLowerCase()];
    if (!op) {
      assert.equal(s.status, 405, `${s.method} ${route.p}`);
      continue;
    }
    const resp = op.responses[String(s.status)];
    assert.ok(resp, `${s.method} ${route.p} ${s.status} is not documented`);
    const media = Object.keys(resp.content ?? {})[0];
    if (!media || s.json === undefined) continue;
    assert.ok(s.type.startsWith(media), `${s.method} ${route.p} ${s.status}: ${s.type} is not ${media}`);
    // By JSON pointer into the description, so the schema's own $refs resolve there.
    const ptr = ['paths', route.p, s.method.toLowerCase(), 'responses', String(s.status), 'content', media, 'schema']
      .map((t) => t.replaceAll('~', '~0').replaceAll('/', '~1')).join('/');
    const validate = ajv.getSchema(`openapi.json#/${ptr}`);
    assert.ok(validate(s.json), `${s.method} ${route.p} ${s.status}: ${ajv.errorsText(validate.errors)}`);
    checked += 1;
  }
  assert.ok(checked >= 40, `answers checked: ${checked}`);
});

// A privacy center on another origin (doui site build --api) may call the API, named with
// --cors-origin; no other origin is allowed, and no credentials (the token is a header).
test('CORS: the named origin may call the API, with its preflight; others may not', async () => {
  const url = `${server.base}/api/subjects/u-x/status`;
  const preflight = await fetch(url, { method: 'OPTIONS', headers: { Origin: 'https://privacy.example',
    'Access-Control-Request-Method': 'GET', 'Access-Control-Request-Headers': 'authorization' } });
  assert.equal(preflight.status, 204);
  assert.equal(preflight.headers.get('access-control-allow-origin'), 'https://privacy.example');
  assert.equal(preflight.headers.get('access-control-allow-methods'), 'GET, POST');
  assert.equal(preflight.headers.get('access-control-allow-headers'), 'Authorization, Content-Type');
  assert.equal(preflight.headers.get('access-control-allow-credentials'), null);
  const get = await fetch(url, { headers: { Origin: 'https://privacy.example' } });
  assert.equal(get.status, 401);
  assert.equal(get.headers.get('access-control-allow-origin'), 'https://privacy.example');
  assert.equal(get.headers.get('vary'), 'Origin');
  for (const origin of ['https://evil.example', 'https://privacy.example.evil', 'null']) {
    const other = await fetch(url, { headers: { Origin: origin } });
    assert.equal(other.headers.get('access-control-allow-origin'), null, origin);
    const pre = await fetch(url, { method: 'OPTIONS', headers: { Origin: origin, 'Access-Control-Request-Method': 'GET' } });
    assert.notEqual(pre.status, 204, origin);
    assert.equal(pre.headers.get('access-control-allow-origin'), null, origin);
  }
  // Not an origin: refused at the command line.
  const r = cli(['serve', '--cors-origin', 'https://x.example/path']);
  assert.equal(r.status, 2);
  assert.match(r.stderr, /--cors-origin takes an origin/);
});
