// Native and wasm builds must produce byte-identical output for the same input: every command,
// several text widths, success and failure alike (stdout, stderr and exit status).
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { existsSync } from 'node:fs';
import path from 'node:path';
import { cliCommand, repoRoot, run } from './run.mjs';

const native = cliCommand('DOUI_NATIVE_CLI', path.join(repoRoot, 'build/native/doui'));
const wasm = cliCommand('DOUI_WASM_CLI', `node ${path.join(repoRoot, 'build/wasm/doui.js')}`);
const links = 'tests/fixtures/links.json';

const cases = [
  ['render'],
  ['render', '--fragment'],
  ['render', '--links', links],
  ['render', '--format', 'json'],
  ...[20, 21, 33, 40, 57, 80, 100].map((w) => ['render', '--format', 'text', '--width', String(w)]),
  ['render', '--format', 'text', '--width', '44', '--links', links],
  ['policy', 'digest'],
  ['policy', 'disclosures'],
  ['policy', 'check', 'i18n/policy/ja/policy.json'],
  ['--help'],
  ['render', '--format', 'text', '--width', '3'],
  ['policy', 'digest', 'tests/fixtures/jcs.json'],
  ['policy', 'digest', 'no/such/file.json'],
];

test('both CLIs exist', () => {
  assert.ok(existsSync(native[0]), `native CLI missing: ${native[0]} (build the native preset first)`);
  assert.ok(existsSync(wasm.at(-1)), `wasm CLI missing: ${wasm.at(-1)}`);
});

for (const args of cases) {
  test(`doui ${args.join(' ')}`, () => {
    const a = run(native, args);
    const b = run(wasm, args);
    assert.equal(b.status, a.status, 'exit status');
    assert.equal(b.stderr, a.stderr, 'stderr');
    assert.ok(Buffer.compare(a.stdout, b.stdout) === 0,
      `stdout differs (${a.stdout.length} vs ${b.stdout.length} bytes)`);
  });
}
