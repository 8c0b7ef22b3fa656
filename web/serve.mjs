// The demo's static file server: loopback only, no dependencies (node:http).
//   node web/serve.mjs [--port N] [--host 127.0.0.1] [--dist DIR]
// `/` is served from web/ (the source pages), `/dist/` from the wasm build output
// (default build/wasm/web; --dist DIR or env DOUI_WEB_DIST). Port 0 picks a free port.
// No directory listings; paths that leave the served directory, dotfiles and anything but
// GET/HEAD are refused. Every response carries the security headers below.
import http from 'node:http';
import { createReadStream } from 'node:fs';
import fs from 'node:fs/promises';
import path from 'node:path';
import { fileURLToPath, pathToFileURL } from 'node:url';

const here = path.dirname(fileURLToPath(import.meta.url));
export const repoRoot = path.resolve(here, '..');

export const MIME_TYPES = {
  '.html': 'text/html; charset=utf-8',
  '.mjs': 'text/javascript; charset=utf-8',
  '.js': 'text/javascript; charset=utf-8',
  '.css': 'text/css; charset=utf-8',
  '.json': 'application/json; charset=utf-8',
  '.map': 'application/json; charset=utf-8',
  '.ts': 'text/plain; charset=utf-8',
  '.txt': 'text/plain; charset=utf-8',
  '.svg': 'image/svg+xml; charset=utf-8',
  '.png': 'image/png',
  '.ico': 'image/x-icon',
  '.wasm': 'application/wasm',
};

export const SECURITY_HEADERS = {
  'X-Content-Type-Options': 'nosniff',
  'Content-Security-Policy':
    "default-src 'self'; script-src 'self' 'wasm-unsafe-eval'; style-src 'self' 'unsafe-inline'; " +
    "img-src 'self' data:; object-src 'none'; base-uri 'none'; frame-ancestors 'none'",
  'Referrer-Policy': 'no-referrer',
  'Cross-Origin-Opener-Policy': 'same-origin',
  'Cross-Origin-Resource-Policy': 'same-origin',
};

const LOOPBACK_HOSTS = new Set(['127.0.0.1', 'localhost', '::1', '[::1]']);

function isLoopback(host) {
  return LOOPBACK_HOSTS.has(host) || /^127\.\d{1,3}\.\d{1,3}\.\d{1,3}$/.test(host);
}

function send(req, res, status, body, headers = {}) {
  const text = body ?? `${status} ${http.STATUS_CODES[status] ?? ''}\n`;
  const bytes = Buffer.from(text, 'utf8');
  res.writeHead(status, {
    ...SECURITY_HEADERS,
    'Content-Type': 'text/plain; charset=utf-8',
    'Content-Length': bytes.length,
    'Cache-Control': 'no-store',
    ...headers,
  });
  res.end(req.method === 'HEAD' ? undefined : bytes);
}

// Maps a URL path below a mount point to a file inside `base`, or returns an HTTP status.
async function resolveFile(base, relUrlPath) {
  let rel;
  try {
    rel = decodeURIComponent(relUrlPath);
  } catch {
    return { status: 400 };
  }
  if (rel.includes('\0') || rel.includes('\\')) return { status: 403 };
  const segments = rel.split('/').filter((s) => s !== '');
  // "..", "." and dotfiles (.git, .env, ...) never name something we serve.
  if (segments.some((s) => s.startsWith('.'))) return { status: 403 };
  let file = path.join(base, ...segments);
  if (file !== base && !file.startsWith(base + path.sep)) return { status: 403 };

  let stat;
  try {
    stat = await fs.stat(file);
  } catch {
    return { status: 404 };
  }
  if (stat.isDirectory()) {
    if (!relUrlPath.endsWith('/') && relUrlPath !== '') return { redirect: true };
    file = path.join(file, 'index.html');
    try {
      stat = await fs.stat(file);
    } catch {
      return { status: 404 }; // no directory listings
    }
  }
  if (!stat.isFile()) return { status: 404 };
  // Symlinks must not lead out of the served directory either.
  const real = await fs.realpath(file).catch(() => null);
  const realBase = await fs.realpath(base).catch(() => base);
  if (!real || (real !== realBase && !real.startsWith(realBase + path.sep))) return { status: 403 };
  return { file: real, size: stat.size, mtime: stat.mtime };
}

/**
 * Starts the server. `root` (default web/) is served at `/`, `dist` (default env DOUI_WEB_DIST
 * or build/wasm/web; relative paths against the repository root) at `/dist/`.
 * Resolves to {url, port, server, close()}.
 */
export async function startServer({ port = 0, host = '127.0.0.1', root, dist } = {}) {
  if (!isLoopback(host)) throw new Error(`refusing to listen on ${host}: the demo server is loopback only`);
  const rootDir = path.resolve(repoRoot, root ?? here);
  const distDir = path.resolve(repoRoot, dist ?? process.env.DOUI_WEB_DIST ?? 'build/wasm/web');

  const server = http.createServer(async (req, res) => {
    try {
      if (req.method !== 'GET' && req.method !== 'HEAD') {
        return send(req, res, 405, undefined, { Allow: 'GET, HEAD' });
      }
      // Only loopback names in Host: a page on another site cannot reach us by DNS rebinding.
      const hostHeader = (req.headers.host ?? '').replace(/:\d+$/, '');
      if (!isLoopback(hostHeader)) return send(req, res, 421);

      const rawPath = (req.url ?? '/').split(/[?#]/, 1)[0];
      if (!rawPath.startsWith('/')) return send(req, res, 400);

      let base, rel, mount;
      if (rawPath === '/dist' || rawPath.startsWith('/dist/')) {
        [base, rel, mount] = [distDir, rawPath.slice('/dist'.length), '/dist'];
      } else {
        [base, rel, mount] = [rootDir, rawPath, ''];
      }
      const found = await resolveFile(base, rel.replace(/^\/+/, ''));
      if (found.redirect) {
        return send(req, res, 301, undefined, { Location: `${mount}/${rel.replace(/^\/+/, '')}/` });
      }
      if (found.status) return send(req, res, found.status);

      const type = MIME_TYPES[path.extname(found.file).toLowerCase()] ?? 'application/octet-stream';
      res.writeHead(200, {
        ...SECURITY_HEADERS,
        'Content-Type': type,
        'Content-Length': found.size,
        'Last-Modified': found.mtime.toUTCString(),
        'Cache-Control': 'no-cache',
      });
      if (req.method === 'HEAD') return res.end();
      const stream = createReadStream(found.file);
      stream.on('error', () => res.destroy());
      stream.pipe(res);
    } catch (err) {
      if (!res.headersSent) send(req, res, 500);
      else res.destroy();
      console.error('doui demo:', err);
    }
  });

  await new Promise((resolve, reject) => {
    server.once('error', reject);
    server.listen(port, host, () => {
      server.off('error', reject);
      resolve();
    });
  });
  const actual = server.address().port;
  const urlHost = host.includes(':') && !host.startsWith('[') ? `[${host}]` : host;
  return {
    url: `http://${urlHost}:${actual}/`,
    port: actual,
    server,
    close() {
      return new Promise((resolve) => {
        server.close(() => resolve());
        server.closeAllConnections?.();
      });
    },
  };
}

function parseArgs(argv) {
  const opts = {};
  for (let i = 0; i < argv.length; i++) {
    const arg = argv[i];
    const [name, inline] = arg.includes('=') ? arg.split(/=(.*)/s, 2) : [arg, undefined];
    const value = () => {
      if (inline !== undefined) return inline;
      if (i + 1 >= argv.length) throw new Error(`${name} needs a value`);
      return argv[++i];
    };
    switch (name) {
      case '--port': {
        const v = value();
        if (!/^\d+$/.test(v) || Number(v) > 65535) throw new Error(`bad port: ${v}`);
        opts.port = Number(v);
        break;
      }
      case '--host':
        opts.host = value();
        break;
      case '--dist':
        opts.dist = path.resolve(value()); // relative to the current directory
        break;
      case '-h':
      case '--help':
        opts.help = true;
        break;
      default:
        throw new Error(`unknown argument: ${arg}`);
    }
  }
  return opts;
}

async function main() {
  let opts;
  try {
    opts = parseArgs(process.argv.slice(2));
  } catch (err) {
    console.error(`serve.mjs: ${err.message}`);
    process.exit(2);
  }
  if (opts.help) {
    console.log('usage: node web/serve.mjs [--port N] [--host 127.0.0.1] [--dist DIR]');
    return;
  }
  const { help, ...serverOpts } = opts;
  let srv;
  try {
    srv = await startServer(serverOpts);
  } catch (err) {
    console.error(`serve.mjs: ${err.message}`);
    process.exit(1);
  }
  console.log(`doui demo: ${srv.url}`);
  const stop = async () => {
    await srv.close();
    process.exit(0);
  };
  process.once('SIGINT', stop);
  process.once('SIGTERM', stop);
}

if (process.argv[1] && import.meta.url === pathToFileURL(path.resolve(process.argv[1])).href) {
  main();
}
