// What the browser tests (tests/*.test.mjs) share: a static HTTP server on
// 127.0.0.1, Debian's Chromium through playwright-core (env CHROMIUM, default
// /usr/bin/chromium; never downloads a browser), and browser contexts in which
// no request leaves 127.0.0.1. Not a test file itself (outside tests/, so
// `node --test tests/` does not run it).
import assert from 'node:assert/strict';
import http from 'node:http';
import { readFile, stat } from 'node:fs/promises';
import { extname, join, resolve, sep } from 'node:path';
import { chromium } from 'playwright-core';

const MIME = {
  '.html': 'text/html; charset=utf-8', '.js': 'text/javascript; charset=utf-8', '.mjs': 'text/javascript; charset=utf-8',
  '.css': 'text/css; charset=utf-8', '.json': 'application/json', '.svg': 'image/svg+xml', '.png': 'image/png',
  '.jpg': 'image/jpeg', '.ico': 'image/x-icon', '.csv': 'text/csv; charset=utf-8', '.txt': 'text/plain; charset=utf-8',
  '.xml': 'application/xml', '.woff2': 'font/woff2', '.gz': 'application/gzip', '.webmanifest': 'application/manifest+json',
};

// requests with this header set to 1 (see harnessFetch) are the test's own: kept out of the server log
const HARNESS_HEADER = 'x-test-harness';

// Serves the directory `root` on 127.0.0.1 (a free port); resolves to {server, origin, log}:
// log holds {path, status, bytes} of every request not made through harnessFetch.
export function startServer(root) {
  return new Promise((res) => {
    const log = [];
    const server = http.createServer(async (req, resp) => {
      const entry = { path: req.url, status: 0, bytes: 0 };
      if (req.headers[HARNESS_HEADER] !== '1') log.push(entry);
      try {
        const p = decodeURIComponent(new URL(req.url, 'http://x').pathname);
        let file = resolve(root, '.' + p);
        if (file !== root && !file.startsWith(root + sep)) throw new Error('outside');
        let st = await stat(file);
        if (st.isDirectory()) { file = join(file, 'index.html'); st = await stat(file); }
        const body = await readFile(file);
        // no Content-Encoding: the bytes counted are the bytes sent
        resp.writeHead(200, {
          'content-type': MIME[extname(file).toLowerCase()] || 'application/octet-stream',
          'content-length': body.length,
          'cache-control': 'no-store',
        });
        entry.status = 200;
        entry.bytes = req.method === 'HEAD' ? 0 : body.length;
        resp.end(req.method === 'HEAD' ? undefined : body);
      } catch {
        entry.status = 404;
        entry.bytes = 9;
        resp.writeHead(404, { 'content-type': 'text/plain' });
        resp.end('not found');
      }
    });
    server.listen(0, '127.0.0.1', () => res({ server, log, origin: `http://127.0.0.1:${server.address().port}` }));
  });
}

// GET by the test itself (not in the server log); asserts 200
export async function harnessFetch(origin, path) {
  const r = await fetch(origin + path, { headers: { [HARNESS_HEADER]: '1' } });
  assert.equal(r.status, 200, `GET ${path}`);
  return r;
}

export function launchChromium() {
  return chromium.launch({
    executablePath: process.env.CHROMIUM || '/usr/bin/chromium',
    args: ['--no-sandbox', '--disable-gpu', '--disable-quic', '--no-first-run', '--disable-background-networking',
      '--disable-component-update', '--disable-sync'],
  });
}

// A new context and page of `browser`, with rec = {requests, external, consoleErrors}:
// the URL of every request; every request not to 127.0.0.1 (aborted: it never leaves
// the machine); console errors and uncaught exceptions of the page, except console
// errors whose source URL matches `ignoreConsoleFrom`.
export async function newContext(browser, { viewport = { width: 1280, height: 900 }, ignoreConsoleFrom } = {}) {
  const context = await browser.newContext({ viewport, serviceWorkers: 'block' });
  const rec = { requests: [], external: [], consoleErrors: [] };
  context.on('request', (r) => rec.requests.push(r.url()));
  await context.route((u) => !['data:', 'blob:', 'about:'].includes(u.protocol) && u.hostname !== '127.0.0.1', (route) => {
    rec.external.push(route.request().url());
    return route.abort();
  });
  const page = await context.newPage();
  page.on('console', (m) => {
    if (m.type() !== 'error') return;
    const where = m.location().url || '';
    if (ignoreConsoleFrom && ignoreConsoleFrom.test(where)) return;
    rec.consoleErrors.push(`${m.text()} @ ${where}`);
  });
  page.on('pageerror', (e) => rec.consoleErrors.push(`pageerror: ${e.message}`));
  return { context, page, rec };
}
