// The widget as a site gets it: `npm pack` of the package directory the wasm preset writes
// (build/wasm/package), installed into a scratch project; its exports resolve, the core module
// runs under node from node_modules, and the element, served from node_modules, draws in Chromium.
import { test, after } from 'node:test';
import assert from 'node:assert/strict';
import { execFileSync } from 'node:child_process';
import { existsSync, readdirSync, rmSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import { fileURLToPath, pathToFileURL } from 'node:url';
import { chromium } from 'playwright-core';
import { newKey, startServer, tempDir } from '../server/harness.mjs';

const repoRoot = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '../..');
const pkgDir = path.resolve(repoRoot, process.env.DOUI_PACKAGE_DIR || 'build/wasm/package');
const scratch = tempDir('doui-package-');
after(() => rmSync(scratch, { recursive: true, force: true }));

test('npm pack, install into a scratch project, import the element and the core from it', async () => {
  assert.ok(existsSync(path.join(pkgDir, 'package.json')), `no package directory at ${pkgDir}`);
  execFileSync('npm', ['pack', '--pack-destination', scratch, '--loglevel=error'], { cwd: pkgDir });
  const tarball = readdirSync(scratch).find((f) => f.endsWith('.tgz'));
  assert.ok(tarball, 'npm pack wrote a tarball');
  const project = path.join(scratch, 'site');
  execFileSync('mkdir', ['-p', project]);
  writeFileSync(path.join(project, 'package.json'), '{"name":"site","private":true,"type":"module"}\n');
  execFileSync('npm', ['install', '--no-audit', '--no-fund', '--offline', '--loglevel=error', path.join(scratch, tarball)], { cwd: project });
  const installed = path.join(project, 'node_modules', 'doui-consent');

  // The exports resolve from the project, as a bundler or node would resolve them.
  // (The browser module's Emscripten glue wants a CommonJS scope under node, as the other node
  // tests of it give it; sites run it in the browser.)
  writeFileSync(path.join(project, 'check.mjs'), `
    import { createRequire } from 'node:module';
    import { readFileSync } from 'node:fs';
    import { fileURLToPath } from 'node:url';
    import path from 'node:path';
    const wasm = fileURLToPath(import.meta.resolve('doui-consent/doui-core.wasm'));
    globalThis.__dirname = path.dirname(wasm);
    globalThis.require = createRequire(import.meta.url);
    const core = await import('doui-consent/core');
    const doui = await core.loadDoui({ wasmBinary: readFileSync(wasm) });
    const policy = doui.loadPolicy();
    const state = policy.startSession().set('birthdate', '2009-04-01');
    console.log(JSON.stringify({ element: import.meta.resolve('doui-consent'), digest: policy.digest,
      words: state.birthdate.words.ja, label: doui.messages('ja').ui['label.birthdate'] }));
  `);
  const out = JSON.parse(execFileSync(process.execPath, ['--no-experimental-fetch', 'check.mjs'], { cwd: project }).toString());
  assert.equal(out.element, pathToFileURL(path.join(installed, 'doui-consent.mjs')).href);
  assert.match(out.digest, /^[0-9a-f]{64}$/);
  assert.match(out.words, /^2009年4月1日（平成21年）$/);
  assert.equal(out.label, '生年月日');

  // The element from node_modules, in a page of the scratch project.
  writeFileSync(path.join(project, 'index.html'), '<!doctype html><html lang="ja"><title>site</title>' +
    '<script type="module" src="/dist/doui-consent.mjs"></script><doui-consent></doui-consent></html>');
  const { key } = newKey(scratch);
  const server = await startServer({ db: `sqlite:${path.join(scratch, 'l.db')}`, key, extra: ['--web', project, '--dist', installed] });
  const browser = await chromium.launch({ executablePath: process.env.DOUI_CHROMIUM || '/usr/bin/chromium', args: ['--no-sandbox'] });
  try {
    const page = await browser.newPage();
    await page.goto(`${server.base}/`);
    await page.getByLabel('生年月日').waitFor();
    assert.equal(await page.getByRole('button', { name: /同意/ }).isDisabled(), true);
  } finally {
    await browser.close();
    await server.stop();
  }
});
