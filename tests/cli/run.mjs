// Runs a doui CLI given as a command string ("build/native/doui" or "node build/wasm/doui.js").
import { spawnSync } from 'node:child_process';
import { fileURLToPath } from 'node:url';
import path from 'node:path';

export const repoRoot = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '../..');

export function cliCommand(envName, fallback) {
  const cmd = process.env[envName] || fallback;
  if (!cmd) throw new Error(`set ${envName} to the CLI to test`);
  return cmd.split(/\s+/).filter(Boolean);
}

/** Runs `cmd args` with optional stdin; returns {status, stdout (Buffer), stderr (string)}. */
export function run(cmd, args, { input } = {}) {
  const [exe, ...pre] = cmd;
  const r = spawnSync(exe, [...pre, ...args], {
    cwd: repoRoot,
    input,
    maxBuffer: 64 << 20,
  });
  // EPIPE: the CLI exited before reading all of stdin (say, on a usage error); that is its
  // right, and its status and output still tell what happened.
  if (r.error && r.error.code !== 'EPIPE') throw r.error;
  return { status: r.status, stdout: r.stdout, stderr: r.stderr.toString('utf8') };
}
