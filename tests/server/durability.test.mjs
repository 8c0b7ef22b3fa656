// What the ledger promises under stress, against real server processes:
// - a burst of concurrent submissions, the server killed with SIGKILL in the middle and started
//   again: every submission that was answered 201 is in the ledger, nothing is half-written, and
//   `doui ledger check` passes (DOUI_DURABILITY_ROUNDS times; default 3);
// - with PostgreSQL, two servers sharing one database: concurrent submissions for one subject
//   through both still form one chain;
// - `doui ledger check` finding a row changed, a row deleted and two rows swapped by hand.
import { test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { spawnSync } from 'node:child_process';
import http from 'node:http';
import { rmSync } from 'node:fs';
import path from 'node:path';
import { apiKeyFile, cli, makeRecord, newKey, startPostgres, startServer, tempDir } from './harness.mjs';

const backend = process.env.DOUI_TEST_DB ?? 'sqlite';
const rounds = Number(process.env.DOUI_DURABILITY_ROUNDS ?? 3);
let dir, keys, apiKey, pg, dbs = 0;

before(async () => {
  dir = tempDir('doui-durable-');
  keys = newKey(dir);
  apiKey = apiKeyFile(dir);
  if (backend === 'postgresql') pg = await startPostgres();
});
after(() => {
  pg?.stop();
  rmSync(dir, { recursive: true, force: true });
});

function freshDb() {
  dbs += 1;
  return backend === 'postgresql' ? pg.database() : `sqlite:${path.join(dir, `ledger${dbs}.db`)}`;
}

// node:http, one connection a request: undici's fetch can leave a request unsettled when the
// server dies under it, and these tests kill servers on purpose.
function post(base, body, token) {
  const headers = { 'content-type': 'application/json', 'content-length': Buffer.byteLength(body) };
  if (token) headers.authorization = `Bearer ${token}`;
  return new Promise((resolve) => {
    const req = http.request(`${base}/api/consents`, { method: 'POST', headers, agent: false }, (res) => {
      let text = '';
      res.setEncoding('utf8');
      res.on('data', (d) => { text += d; });
      res.on('end', () => {
        try {
          resolve({ status: res.statusCode, json: JSON.parse(text) });
        } catch (e) {
          resolve({ status: 0, error: `cut short: ${e}` });
        }
      });
      res.on('error', (e) => resolve({ status: 0, error: String(e) }));
      res.on('aborted', () => resolve({ status: 0, error: 'aborted' }));
    });
    req.on('error', (e) => resolve({ status: 0, error: String(e) }));
    req.end(body);
  });
}

function check(db) {
  return cli(['ledger', 'check', '--db', db]);
}

// By hand, as someone with access to the database file or server could.
function sql(db, statement) {
  if (backend === 'postgresql') return pg.sql(db, statement);
  const file = db.replace(/^sqlite:/, '');
  const py = 'import sqlite3,sys; c=sqlite3.connect(sys.argv[1]); c.executescript(sys.argv[2]); c.commit()';
  const r = spawnSync('python3', ['-c', py, file, statement], { encoding: 'utf8' });
  if (r.status !== 0) throw new Error(r.stderr);
  return r.stdout;
}

const dropGuards = backend === 'postgresql'
  ? 'DROP TRIGGER entries_append_only ON entries;'
  : 'DROP TRIGGER entries_append_only_u; DROP TRIGGER entries_append_only_d;';

test(`SIGKILL in a burst loses no answered consent (${rounds} rounds)`, async () => {
  const db = freshDb();
  const answered = new Set();
  let sent = 0;
  for (let round = 0; round < rounds; round += 1) {
    const server = await startServer({ db, key: keys.key, apiKeyFile: apiKey.path });
    const records = Array.from({ length: 120 }, (_, i) => makeRecord({ subject: `k${round}-${i}` }));
    sent += records.length;
    // 24 clients at a time, each sending its next record when answered, and the kill once the
    // tenth answer is in: some are answered, some are in flight inside the server, and the rest
    // are never sent. (All 120 at once let a fast build answer every one before the kill landed.)
    let kill;
    const killing = new Promise((r) => { kill = r; });
    let next = 0;
    let answeredNow = 0;
    const results = [];
    const lane = async () => {
      while (next < records.length) {
        const r = records[next++];
        const res = await post(server.base, r);
        results.push(res);
        if (res.status === 201) {
          answered.add(JSON.parse(r).record_id);
          if (++answeredNow >= 10) kill();
        }
      }
    };
    const lanes = Promise.all(Array.from({ length: 24 }, lane));
    await Promise.race([killing, new Promise((r) => setTimeout(r, 20000))]);
    await new Promise((r) => setTimeout(r, 3 * round));
    server.proc.kill('SIGKILL');
    await server.exited;
    await lanes;
    for (const res of results) assert.ok([0, 201].includes(res.status), JSON.stringify(res));
  }
  // The kill landed inside the bursts: some were answered, some were not.
  assert.ok(answered.size > 0 && answered.size < sent, `answered ${answered.size} of ${sent}`);
  // Started again: every answered record is there, and the ledger checks whole.
  const server = await startServer({ db, key: keys.key, apiKeyFile: apiKey.path });
  try {
    for (const id of answered) {
      const r = await fetch(`${server.base}/api/consents/${id}`, { headers: { authorization: `Bearer ${apiKey.key}` } });
      assert.equal(r.status, 200, `answered ${id}, not in the ledger`);
    }
    const c = check(db);
    assert.equal(c.status, 0, c.stderr);
    const summary = JSON.parse(c.stdout);
    assert.equal(summary.valid, true);
    assert.ok(summary.entries >= answered.size && summary.entries <= sent, JSON.stringify({ summary, answered: answered.size }));
  } finally {
    await server.stop();
  }
});

test('concurrent followers of one record: one is appended, the rest are 409', async () => {
  const db = freshDb();
  const a = await startServer({ db, key: keys.key, apiKeyFile: apiKey.path });
  // With PostgreSQL a second server shares the database: the chain must hold across both.
  const b = backend === 'postgresql' ? await startServer({ db, key: keys.key, apiKeyFile: apiKey.path }) : a;
  try {
    const firstRecord = makeRecord({ subject: 'race' });
    const firstAnswer = await post(a.base, firstRecord);
    assert.equal(firstAnswer.status, 201);
    const token = firstAnswer.json.access_token;
    const prev = JSON.parse(firstRecord).record_id;
    const followers = Array.from({ length: 16 }, () => makeRecord({ subject: 'race', event: 'changed', previous: prev, links: ['amazon'] }));
    const results = await Promise.all(followers.map((r, i) => post(i % 2 ? b.base : a.base, r, token)));
    const statuses = results.map((r) => r.status).sort();
    assert.deepEqual(statuses, [201, ...Array(15).fill(409)]);
    for (const r of results.filter((x) => x.status === 409)) assert.equal(r.json.code, 'ledger.not_latest');
    const history = await fetch(`${b.base}/api/subjects/race/consents`, { headers: { authorization: `Bearer ${token}` } }).then((r) => r.json());
    assert.equal(history.consents.length, 2);
    assert.equal(history.consents[0].record.previous_record, prev);
    const c = check(db);
    assert.equal(c.status, 0, c.stderr);
  } finally {
    await a.stop();
    if (b !== a) await b.stop();
  }
});

test('ledger check finds a row changed, a row deleted and two rows swapped by hand', async () => {
  const cases = {
    changed: `UPDATE entries SET received_at = '2026-01-01T00:00:00.000Z' WHERE position = 2;`,
    deleted: 'DELETE FROM entries WHERE position = 2;',
    swapped: 'UPDATE entries SET position = -1 WHERE position = 1; UPDATE entries SET position = 1 WHERE position = 2; UPDATE entries SET position = 2 WHERE position = -1;',
  };
  const expected = {
    changed: 'doui: ledger: ledger.broken: entry 2: hash does not match its fields',
    deleted: 'doui: ledger: ledger.broken: entry 3: expected position 2 (a row is missing or moved)',
    swapped: 'doui: ledger: ledger.broken: entry 1: hash does not match its fields',
  };
  for (const [name, statement] of Object.entries(cases)) {
    const db = freshDb();
    const server = await startServer({ db, key: keys.key });
    try {
      for (const s of ['t1', 't2', 't3']) assert.equal((await post(server.base, makeRecord({ subject: s }))).status, 201);
    } finally {
      await server.stop();
    }
    const clean = check(db);
    assert.equal(clean.status, 0, clean.stderr);
    assert.deepEqual(JSON.parse(clean.stdout), { commits: JSON.parse(clean.stdout).commits, entries: 3, valid: true });
    sql(db, dropGuards + statement);
    const broken = check(db);
    assert.equal(broken.status, 1, `${name}: ${broken.stderr}`);
    assert.equal(broken.stderr.split('\n')[0], expected[name], name);
    assert.equal(JSON.parse(broken.stdout).valid, false);
  }
});

test('the database refuses UPDATE and DELETE on the ledger', async () => {
  const db = freshDb();
  const server = await startServer({ db, key: keys.key });
  try {
    assert.equal((await post(server.base, makeRecord({ subject: 'guard' }))).status, 201);
  } finally {
    await server.stop();
  }
  assert.throws(() => sql(db, "UPDATE entries SET subject = 'x';"), /append-only/);
  assert.throws(() => sql(db, 'DELETE FROM entries;'), /append-only/);
  assert.equal(check(db).status, 0);
});

// Dates relative to the clock: the server stamps what it receives now, so "three years on" is a
// --now passed to the ledger commands.
function tokyoDate(ms) {
  return new Date(ms + 9 * 3600e3).toISOString().slice(0, 10);
}

test('ledger prune keeps what is in force, leaves the chains checking, refuses a recent cut-off', async () => {
  const db = freshDb();
  const later = new Date(Date.now() + (3 * 365 + 10) * 86400e3).toISOString(); // three years and some days on
  const before = tokyoDate(Date.now() + 86400e3); // tomorrow in Tokyo: everything sent today is older
  let server = await startServer({ db, key: keys.key, apiKeyFile: apiKey.path });
  const given = makeRecord({ subject: 'old', links: ['ponta'] });
  let changed, withdrawn;
  try {
    const first = await post(server.base, given);
    assert.equal(first.status, 201);
    const token = first.json.access_token;
    changed = makeRecord({ subject: 'old', event: 'changed', previous: JSON.parse(given).record_id });
    assert.equal((await post(server.base, changed, token)).status, 201);
    withdrawn = makeRecord({ subject: 'old', event: 'withdrawn', previous: JSON.parse(changed).record_id });
    assert.equal((await post(server.base, withdrawn, token)).status, 201);
    assert.equal((await post(server.base, makeRecord({ subject: 'kept' }))).status, 201);
  } finally {
    await server.stop();
  }

  // Today the retention has not ended: refused, nothing pruned.
  const early = cli(['ledger', 'prune', '--db', db, '--before', before]);
  assert.equal(early.status, 2, early.stderr);
  assert.match(early.stderr, /^doui: --before: ledger\.retention/m);
  // Three years on: the given and the changed record went out of force before the cut-off.
  const pruned = cli(['ledger', 'prune', '--db', db, '--before', before, '--now', later]);
  assert.equal(pruned.status, 0, pruned.stderr);
  assert.equal(JSON.parse(pruned.stdout).pruned, 2);
  const c = cli(['ledger', 'check', '--db', db, '--now', later]);
  assert.equal(c.status, 0, c.stderr);
  assert.deepEqual(JSON.parse(c.stdout).entries, 4);
  const exported = JSON.parse(cli(['ledger', 'export', '--db', db, '--subject', 'old']).stdout);
  assert.deepEqual(exported.records.map((r) => r.record.record_id), [JSON.parse(withdrawn).record_id]);

  // The server goes on from the subject's latest; a pruned id stays used.
  server = await startServer({ db, key: keys.key, apiKeyFile: apiKey.path });
  try {
    const again = await post(server.base, makeRecord({ subject: 'old', previous: JSON.parse(withdrawn).record_id }), apiKey.key);
    assert.equal(again.status, 201, JSON.stringify(again.json));
    const reused = await post(server.base, given, apiKey.key);
    assert.equal(reused.status, 409);
    assert.equal(reused.json.code, 'ledger.id_in_use');
    const history = await fetch(`${server.base}/api/subjects/old/consents`, { headers: { authorization: `Bearer ${apiKey.key}` } }).then((r) => r.json());
    assert.equal(history.consents.length, 2);
  } finally {
    await server.stop();
  }
  assert.equal(cli(['ledger', 'check', '--db', db, '--now', later]).status, 0);

  // A ledger that does not check is not pruned.
  sql(db, dropGuards + "UPDATE entries SET received_at = '2001-01-01T00:00:00.000Z' WHERE position = 4;");
  const broken = cli(['ledger', 'prune', '--db', db, '--before', before, '--now', later]);
  assert.equal(broken.status, 1, broken.stderr);
  assert.match(broken.stderr, /ledger\.broken: entry 4: hash does not match its fields/);
});
