// Starts what the server tests need and stops it again: `doui serve` on a free loopback port
// over a fresh ledger (a SQLite file, or a PostgreSQL server started here from Debian's
// `postgresql` package: initdb in a temporary directory, loopback only, no system service).
import { spawn, spawnSync } from 'node:child_process';
import { chmodSync, existsSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { fileURLToPath } from 'node:url';

export const repoRoot = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '../..');
export const doui = process.env.DOUI_NATIVE_CLI ?? path.join(repoRoot, 'build/native/doui');

export function tempDir(prefix) {
  return mkdtempSync(path.join(tmpdir(), prefix));
}

/** Runs the native CLI; returns {status, stdout, stderr} as strings. */
export function cli(args, input) {
  const r = spawnSync(doui, args, { input, maxBuffer: 64 << 20 });
  return { status: r.status, stdout: r.stdout.toString(), stderr: r.stderr.toString() };
}

/** A key pair made by `doui key new` in `dir`: {key, pub}. */
export function newKey(dir, name = 'server.key') {
  const key = path.join(dir, name);
  const r = cli(['key', 'new', '--out', key]);
  if (r.status !== 0) throw new Error(`doui key new: ${r.stderr}`);
  return { key, pub: `${key}.pub` };
}

/** A consent record made now by the CLI (the server verifies at its clock). */
export function makeRecord(opts = {}) {
  const args = ['consent', '--subject', opts.subject ?? 'u-1', '--birthdate', opts.birthdate ?? '1990-04-01'];
  // A withdrawal takes everything back unless told what it keeps (agree, links).
  if (opts.agree ?? opts.event !== 'withdrawn') args.push('--agree');
  for (const l of opts.links ?? []) args.push('--link', l);
  if (opts.event) args.push('--event', opts.event);
  if (opts.previous) args.push('--previous', opts.previous);
  if (opts.id) args.push('--id', opts.id);
  if (opts.guardian) {
    args.push('--guardian-name', '山田 花子', '--guardian-relation', 'parent', '--guardian-affirm');
    for (const l of opts.links ?? []) args.push('--guardian-covers', l);
  }
  const r = cli(args);
  if (r.status !== 0) throw new Error(`doui consent: ${r.stderr}`);
  return r.stdout.replace(/\n$/, '');
}

const PG_BIN = '/usr/lib/postgresql/15/bin';

/**
 * A PostgreSQL server of its own on 127.0.0.1. As root, initdb and postgres run as the
 * `postgres` user (PostgreSQL refuses root). Returns {url, stop()}.
 */
export async function startPostgres() {
  const dir = tempDir('doui-pg-');
  const data = path.join(dir, 'data');
  const asRoot = process.getuid?.() === 0;
  const wrap = (cmd, args) => (asRoot ? ['runuser', ['-u', 'postgres', '--', cmd, ...args]] : [cmd, args]);
  if (asRoot) {
    chmodSync(dir, 0o777);
    spawnSync('chown', ['postgres', dir]);
  }
  const init = spawnSync(...wrap(`${PG_BIN}/initdb`, ['-D', data, '-U', 'postgres', '--auth=trust', '-E', 'UTF8', '--locale=C.UTF-8']), { encoding: 'utf8' });
  if (init.status !== 0) throw new Error(`initdb: ${init.stderr}`);
  const port = 20000 + Math.floor(Math.random() * 20000);
  const start = spawnSync(...wrap(`${PG_BIN}/pg_ctl`, ['-D', data, '-l', path.join(dir, 'log'), '-w', '-o',
    `-c listen_addresses=127.0.0.1 -p ${port} -k ${dir} -c max_connections=200`, 'start']), { encoding: 'utf8' });
  if (start.status !== 0) throw new Error(`pg_ctl start: ${start.stderr}${start.stdout}`);
  let dbs = 0;
  return {
    /** A fresh database on this server, as a URL. */
    database() {
      const name = `ledger${++dbs}`;
      const r = spawnSync('/usr/bin/psql', ['-h', '127.0.0.1', '-p', String(port), '-U', 'postgres',
        '-d', 'postgres', '-c', `CREATE DATABASE ${name}`], { encoding: 'utf8' });
      if (r.status !== 0) throw new Error(`createdb: ${r.stderr}`);
      return `postgresql://postgres@127.0.0.1:${port}/${name}`;
    },
    /** Runs SQL by hand (as someone with access to the database could). */
    sql(url, sql) {
      const r = spawnSync('/usr/bin/psql', [url, '-v', 'ON_ERROR_STOP=1', '-c', sql], { encoding: 'utf8' });
      if (r.status !== 0) throw new Error(`psql: ${r.stderr}`);
      return r.stdout;
    },
    stop() {
      spawnSync(...wrap(`${PG_BIN}/pg_ctl`, ['-D', data, '-m', 'immediate', 'stop']));
      rmSync(dir, { recursive: true, force: true });
    },
  };
}

/**
 * `doui serve` on 127.0.0.1, any free port. Resolves once it listens:
 * {base, proc, stop(signal)}; stop waits for the process to end.
 */
export function startServer({ db, key, apiKeyFile, extra = [] }) {
  const args = ['serve', '--host', '127.0.0.1', '--port', '0', '--db', db, '--key', key];
  if (apiKeyFile) args.push('--api-key-file', apiKeyFile);
  args.push(...extra);
  const proc = spawn(doui, args, { stdio: ['ignore', 'pipe', 'pipe'], cwd: repoRoot });
  let stderr = '';
  proc.stderr.on('data', (d) => { stderr += d; });
  return new Promise((resolve, reject) => {
    let out = '';
    const timer = setTimeout(() => reject(new Error(`doui serve did not start: ${stderr}`)), 20000);
    proc.on('exit', (code) => { clearTimeout(timer); reject(new Error(`doui serve exited ${code}: ${stderr}`)); });
    proc.stdout.on('data', (d) => {
      out += d;
      const m = out.match(/listening on (http:\/\/127\.0\.0\.1:\d+)/);
      if (!m) return;
      clearTimeout(timer);
      proc.removeAllListeners('exit');
      const exited = new Promise((r) => proc.on('exit', (code, sig) => r({ code, sig })));
      resolve({
        base: m[1],
        proc,
        stderr: () => stderr,
        exited,
        async stop(signal = 'SIGTERM') {
          if (proc.exitCode === null && proc.signalCode === null) proc.kill(signal);
          return exited;
        },
      });
    });
  });
}

/** An operator API key file in `dir`. */
export function apiKeyFile(dir, key = 'operator-key-0123456789abcdef0123456789') {
  const p = path.join(dir, 'api-key');
  writeFileSync(p, `${key}\n`);
  return { path: p, key };
}

export { existsSync };
