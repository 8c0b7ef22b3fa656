// The demo page: loads the wasm core, renders the bundled privacy policy into <main> and shows
// which policy (id, version, digest) is on screen. With ?links=1 the policy's link targets get
// the example URLs from /links.demo.json; without it the policy is rendered with no links.
// The HTML comes from the core, which escapes every text it places; it is inserted as is.
const root = document.documentElement;
const main = document.getElementById('main');
const status = document.getElementById('status');

async function loadLinks() {
  const res = await fetch('/links.demo.json', { cache: 'no-store' });
  if (!res.ok) throw new Error(`/links.demo.json: HTTP ${res.status}`);
  return res.json();
}

async function run() {
  const withLinks = new URLSearchParams(location.search).get('links') === '1';
  const links = withLinks ? await loadLinks() : undefined;
  // Imported here rather than statically so that a missing build shows as an error too.
  const { loadDoui } = await import('/dist/doui.mjs');
  const doui = await loadDoui();
  const policy = doui.loadPolicy(undefined, links ? { links } : {});
  const html = policy.renderHtml({ fragment: true });

  main.innerHTML = html;
  main.removeAttribute('aria-busy');
  document.getElementById('policy-id').textContent = policy.id;
  document.getElementById('policy-version').textContent = policy.version;
  document.getElementById('policy-digest').textContent = policy.digest;
  document.title = `${policy.title} — doui デモ`;
  status.textContent = withLinks ? '描画しました（リンク先付き）。' : '描画しました。';
  status.classList.add('done');

  window.doui = { policy, rendered: html };
  root.dataset.ready = '1';
}

run().catch((err) => {
  const message = err?.errors
    ? err.errors.map((e) => `${e.code} ${e.path || '/'}${e.detail ? ': ' + e.detail : ''}`).join('\n')
    : String(err?.message ?? err);
  root.dataset.error = message;
  main.removeAttribute('aria-busy');
  status.textContent = '描画できませんでした。';
  const box = document.getElementById('error');
  box.textContent = `エラー: ${message}`;
  box.hidden = false;
});
