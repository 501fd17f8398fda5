// Serves a built dist/ on loopback the way production does (CloudFront in front of the private bucket,
// deploy/template.yaml): every answer carries the template's security headers, and the template's
// deep-link function decides which file a path is (a route gets index.html with 200, a missing file is an
// error, 403 as from a private bucket). Used by the end-to-end tests. With `{website: true}` it serves as
// the S3 website mode does instead: no headers at all, and index.html for any missing file, with status
// 404 (the bucket's ErrorDocument).
import { createServer } from 'node:http';
import { readFile, stat } from 'node:fs/promises';
import { extname, join, normalize, resolve, sep } from 'node:path';
import { originUri, productionHeaders } from './hosting.mjs';

const TYPES = {
  '.html': 'text/html; charset=utf-8',
  '.js': 'text/javascript; charset=utf-8',
  '.wasm': 'application/wasm',
  '.css': 'text/css; charset=utf-8',
  '.json': 'application/json',
  '.svg': 'image/svg+xml',
  '.png': 'image/png',
  '.ico': 'image/x-icon',
};

// The page may call the local sign-in servers of the tests (any loopback port), as the build's own
// <meta> policy allows; everything else of the policy is the template's.
const HEADERS = productionHeaders(['http://127.0.0.1:*', 'http://localhost:*']);

// `extra` maps paths to {body, type} answered instead of files (a test's config.json, helper pages);
// `{…, testPage: true}` marks a helper page of the tests, served without the app's headers.
// `{plain: true}` serves files as they are, without the app's headers (the benchmark's own pages).
export async function serveDist(root, extra = {}, { website = false, plain = false } = {}) {
  const base = resolve(root);
  const headers = website || plain ? {} : HEADERS;
  const server = createServer(async (req, res) => {
    try {
      const requested = decodeURIComponent(new URL(req.url, 'http://x').pathname);
      const own = extra[requested];
      if (own) {
        res.writeHead(200, { ...(own.testPage ? {} : headers), 'Content-Type': own.type, 'Cache-Control': 'no-store' });
        res.end(own.body);
        return;
      }
      const path = website ? requested : originUri(requested);
      const file = normalize(join(base, path));
      if (file !== base && !file.startsWith(base + sep)) {
        res.writeHead(400, headers).end();
        return;
      }
      const info = await stat(file).catch(() => null);
      if ((!info || info.isDirectory()) && website) {
        res.writeHead(path === '/' ? 200 : 404, { 'Content-Type': TYPES['.html'], 'Cache-Control': 'no-store' });
        res.end(await readFile(join(base, 'index.html')));
        return;
      }
      if (!info || info.isDirectory()) {
        res.writeHead(403, { ...HEADERS, 'Content-Type': 'application/xml' }).end('<Error><Code>AccessDenied</Code></Error>');
        return;
      }
      const body = await readFile(file);
      res.writeHead(200, { ...headers, 'Content-Type': TYPES[extname(file)] || 'application/octet-stream', 'Cache-Control': 'no-store' });
      res.end(body);
    } catch (err) {
      res.writeHead(500, { 'Content-Type': 'text/plain' }).end(String(err));
    }
  });
  await new Promise((ok) => server.listen(0, '127.0.0.1', ok));
  const { port } = server.address();
  // Closing ends every connection too: a browser's open page keeps a keep-alive (or a request under way)
  // that would otherwise hold server.close() for good (a CI run once hung in a test file's after hook).
  const close = () => new Promise((ok) => {
    server.close(ok);
    server.closeAllConnections();
  });
  return { url: `http://127.0.0.1:${port}`, close };
}
