// Hostile input, table-driven (tests/fixtures/hostile-cli.json): directories, FIFOs, devices,
// inputs that never end, closed and full outputs, arguments that are not UTF-8, control
// characters, repeated options, bad records late in an export. Each case is run through bash
// (raw argument bytes, redirections, process substitution) against the CLI under test
// (DOUI_CLI); with DOUI_NATIVE_CLI and DOUI_WASM_CLI both set (the wasm preset), against both,
// which must agree byte for byte.
import { after, before, test } from 'node:test';
import assert from 'node:assert/strict';
import { spawnSync } from 'node:child_process';
import { mkdirSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { cliCommand, repoRoot, run } from './run.mjs';

const fixture = JSON.parse(readFileSync(path.join(repoRoot, 'tests/fixtures/hostile-cli.json'), 'utf8'));
const codes = Object.fromEntries(JSON.parse(readFileSync(path.join(repoRoot, 'core/codes/codes.json'), 'utf8'))
  .errors.map((e) => [e.code, e]));
const both = process.env.DOUI_NATIVE_CLI && process.env.DOUI_WASM_CLI;
const clis = both
  ? { native: cliCommand('DOUI_NATIVE_CLI'), wasm: cliCommand('DOUI_WASM_CLI') }
  : { cli: cliCommand('DOUI_CLI', path.join(repoRoot, 'build/native/doui')) };
const main = Object.values(clis)[0];

const tmp = mkdtempSync(path.join(tmpdir(), 'doui-hostile-'));
const dir = path.join(tmp, 'a-directory');
const policyPath = path.join(repoRoot, 'i18n/policy/ja/policy.json');
let fifoCount = 0;

before(() => {
  mkdirSync(dir);
  const make = (args) => {
    const r = run(main, args);
    assert.equal(r.status, 0, `${args.join(' ')}: ${r.stderr}`);
    return r.stdout.toString('utf8').trim();
  };
  const consent = (id, at) => make(['consent', '--id', id, '--at', at, '--subject', 'u-77', '--birthdate',
    '1990-01-01', '--agree', '--link', 'ponta']);
  const valid = consent('3d2b1f0e-9c8b-4a7a-b6d5-c4e3f2a1b0c9', '2025-06-01T10:00:00+09:00');
  const t = JSON.parse(valid);
  t.person.age = 99;
  const records = {
    '@valid': valid,
    '@tampered': JSON.stringify(t),
    '@future': consent('0f1e2d3c-4b5a-4968-8776-a5b4c3d2e1f0', '2025-06-02T10:00:00+09:00'),
    '@pretty': JSON.stringify(JSON.parse(valid), null, 2),
  };
  for (const [name, content] of Object.entries(fixture.files)) {
    const bytes = Array.isArray(content)
      ? Buffer.from(content.map((l) => records[l] ?? l).join('\n') + '\n')
      : Buffer.from(content.base64, 'base64');
    writeFileSync(path.join(tmp, name), bytes);
  }
});

after(() => rmSync(tmp, { recursive: true, force: true }));

const subst = (s) => s.replaceAll('$TMP', tmp).replaceAll('$POLICY', policyPath).replaceAll('$DIR', dir);

// One argument as bash reads it: $'...' with every byte but the plainest escaped.
function quote(arg) {
  const bytes = typeof arg === 'string' ? Buffer.from(subst(arg)) : Buffer.from(arg.hex.replace(/\s/g, ''), 'hex');
  let out = "$'";
  for (const b of bytes) {
    out += /[A-Za-z0-9/._+=:@,-]/.test(String.fromCharCode(b)) ? String.fromCharCode(b)
      : `\\x${b.toString(16).padStart(2, '0')}`;
  }
  return out + "'";
}

// The bash script that runs `cmd` as the case says.
function script(cmd, c, args = c.args) {
  const lines = ['set -u'];
  let fifo = null;
  const words = [...cmd.map(quote), ...args.map((a) => {
    if (a === '$FIFO') return quote(fifo ??= path.join(tmp, `fifo-${++fifoCount}`));
    if (a === '$SUBST') return `<(cat ${quote(c.subst)})`;
    return quote(a);
  })];
  if (fifo) lines.push(`mkfifo ${quote(fifo)}`, `cat ${quote(c.fifo)} > ${quote(fifo)} 2>/dev/null &`);
  let command = words.join(' ');
  if (c.stdin === 'closed') command += ' <&-';
  if (c.stdout === 'closed') command += ' >&-';
  if (c.stdout === 'full') command += ' >/dev/full';
  const parts = [];
  if (c.stdin?.file) parts.push(`cat ${quote(c.stdin.file)} 2>/dev/null`);
  // A pipe whose reader has gone: ':' exits at once, doui writes half a second later.
  parts.push(c.stdout === 'broken' ? `{ sleep 0.5; ${command}; }` : command);
  const index = parts.length - 1;
  if (c.stdout === 'broken') parts.push(':');
  lines.push(parts.join(' | '), parts.length > 1 ? `st=\${PIPESTATUS[${index}]}` : 'st=$?');
  if (fifo) lines.push('kill %1 2>/dev/null', `rm -f ${quote(fifo)}`);
  lines.push('exit $st');
  return lines.join('\n');
}

function runCase(cmd, c, args) {
  const input = c.stdin?.text !== undefined ? Buffer.from(c.stdin.text)
    : c.stdin?.base64 !== undefined ? Buffer.from(c.stdin.base64, 'base64') : Buffer.alloc(0);
  const r = spawnSync('bash', ['-c', script(cmd, c, args)], { cwd: repoRoot, input, maxBuffer: 64 << 20, timeout: 120_000 });
  if (r.error && r.error.code !== 'EPIPE') throw r.error;
  return { status: r.status, stdout: r.stdout, stderr: r.stderr.toString('utf8').replaceAll(tmp, '$TMP') };
}

const escapeRe = (s) => s.replace(/[.*+?^${}()|[\]\\]/g, '\\$&');

function check(c, r, cmd) {
  const e = c.expect;
  const where = `${c.name}: stderr ${JSON.stringify(r.stderr)}`;
  assert.equal(r.status, e.status, `exit status; ${where}`);
  // One line per problem, each ended, none with a control character (escaped instead).
  const lines = r.stderr === '' ? [] : r.stderr.split('\n');
  if (lines.length) assert.equal(lines.pop(), '', `stderr ends in a newline; ${where}`);
  assert.equal(lines.length, e.problems.length, `one stderr line per problem; ${where}`);
  for (const line of lines) {
    assert.doesNotMatch(line, /[\u0000-\u001f\u007f-\u009f\ufffd\u202a-\u202e\u2066-\u2069]/u, `no control characters; ${where}`);
    assert.ok(line.startsWith('doui: '), where);
  }
  const command = Object.hasOwn(fixture.help, c.args[0]) ? c.args[0] : '--help';
  e.problems.forEach((p, i) => {
    const at = p.pointer === null ? '(: |$)' : ` at ${escapeRe(p.pointer)}(: |$)`;
    assert.match(lines[i], new RegExp(`(^doui: |: )${escapeRe(p.code)}${at}`), `problem ${i}; ${where}`);
    if (p.line) assert.ok(lines[i].startsWith(`doui: export: line ${p.line}: `), `line ${p.line}; ${where}`);
    // The exit status core/codes/codes.json (and so docs/error-codes.md) states for it.
    const known = codes[p.code];
    assert.ok(known, `${p.code} is a code`);
    let stated = known.exit[command];
    if (stated !== null && typeof stated === 'object') stated = stated[p.input];
    assert.equal(stated, e.status, `codes.json's exit status of ${p.code} in ${command} (${p.input ?? ''})`);
  });
  if (e.stderr_has) assert.ok(r.stderr.includes(e.stderr_has), `stderr has ${e.stderr_has}; ${where}`);
  if (e.stdout === 'empty') assert.equal(r.stdout.length, 0, `no output; ${where}`);
  if (e.stdout === 'nonempty') assert.ok(r.stdout.length > 0, where);
  if (e.stdout?.lines !== undefined) {
    assert.equal(r.stdout.toString().split('\n').length - 1, e.stdout.lines, `output lines; ${where}`);
  }
  if (e.stdout?.same_as) {
    const ref = run(cmd, e.stdout.same_as.map(subst));
    assert.equal(ref.status, 0, ref.stderr);
    assert.ok(ref.stdout.length > 0);
    assert.ok(Buffer.compare(ref.stdout, r.stdout) === 0, `output as from a plain file; ${where}`);
  }
}

assert.ok(fixture.cases.length > 0, 'the fixture has cases');
let ran = 0;
for (const c of fixture.cases) {
  test(c.name, () => {
    const results = Object.entries(clis).map(([name, cmd]) => [name, cmd, runCase(cmd, c)]);
    for (const [name, cmd, r] of results) check(c, r, cmd, name);
    if (both) {
      const [[, , a], [, , b]] = results;
      assert.equal(b.status, a.status, 'native and wasm: exit status');
      assert.equal(b.stderr, a.stderr, 'native and wasm: stderr');
      assert.ok(Buffer.compare(a.stdout, b.stdout) === 0, 'native and wasm: stdout');
    }
    ++ran;
  });
}

test('every command --help lists every option, on stdout, exit 0', () => {
  const commands = Object.entries(fixture.help);
  assert.ok(commands.length > 0);
  for (const cmd of Object.values(clis)) {
    const all = run(cmd, ['--help']);
    assert.equal(all.status, 0);
    assert.equal(all.stderr, '');
    for (const [command, options] of commands) {
      const one = run(cmd, command === 'policy' ? ['policy', '--help'] : [command, '--help']);
      assert.equal(one.status, 0, `${command} --help: ${one.stderr}`);
      assert.equal(one.stderr, '');
      for (const o of options) {
        assert.match(one.stdout.toString(), new RegExp(`${escapeRe(o)}\\b`), `${command} --help names ${o}`);
        assert.match(all.stdout.toString(), new RegExp(`${escapeRe(o)}\\b`), `--help names ${o}`);
      }
    }
    assert.equal(run(cmd, ['policy', 'digest', '--help']).status, 0);
  }
});

test('the suite ran every case', () => {
  assert.equal(ran, fixture.cases.length);
  assert.ok(ran > 0);
});
