// Runs a doui CLI given as a command string ("build/native/doui" or "node build/wasm/doui.js").
import { spawnSync } from 'node:child_process';
import { readFileSync } from 'node:fs';
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

/**
 * The test-only second version of the bundled policy: i18n/policy/ja/policy.json with
 * tests/fixtures/policy-next.patch.json applied (the C++ tests apply it with nlohmann's
 * json::patch). Only the patch's operations are supported: add, remove, replace (RFC 6902).
 */
export function nextPolicyJson() {
  const doc = JSON.parse(readFileSync(path.join(repoRoot, 'i18n/policy/ja/policy.json'), 'utf8'));
  const ops = JSON.parse(readFileSync(path.join(repoRoot, 'tests/fixtures/policy-next.patch.json'), 'utf8'));
  for (const { op, path: pointer, value } of ops) {
    const keys = pointer.split('/').slice(1).map((k) => k.replaceAll('~1', '/').replaceAll('~0', '~'));
    const last = keys.pop();
    const parent = keys.reduce((node, k) => node[Array.isArray(node) ? Number(k) : k], doc);
    if (!['add', 'remove', 'replace'].includes(op)) throw new Error(`unsupported patch op ${op}`);
    if (Array.isArray(parent)) {
      const at = last === '-' ? parent.length : Number(last);
      parent.splice(at, op === 'add' ? 0 : 1, ...(op === 'remove' ? [] : [value]));
    } else if (op === 'remove') {
      delete parent[last];
    } else {
      parent[last] = value;
    }
  }
  return JSON.stringify(doc);
}
