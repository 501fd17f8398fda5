// Trunk post-build hook (Trunk.toml [[hooks]]): fills the Content-Security-Policy of the built index.html
// with the sha256 hash of each inline <script> Trunk generated (the wasm loader, and in `trunk serve` the
// live-reload script), replacing the 'inline-scripts' placeholder. Nothing else may run inline.
import { createHash } from 'node:crypto';
import { readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';

const file = join(process.env.TRUNK_STAGING_DIR ?? process.argv[2] ?? 'dist', 'index.html');
const html = readFileSync(file, 'utf8');
const PLACEHOLDER = "'inline-scripts'";
const POLICY = /(http-equiv="Content-Security-Policy" content="[^"]*)'inline-scripts'/;
if (!POLICY.test(html)) {
  console.error(`csp-hashes: ${file} has no ${PLACEHOLDER} in its Content-Security-Policy`);
  process.exit(1);
}
const hash = (text) => `'sha256-${createHash('sha256').update(text, 'utf8').digest('base64')}'`;
// `trunk serve` fills its live-reload script's address with the request's Host header when it serves the
// page, so that script is hashed as served at the addresses of Trunk.toml's [serve] port (another host or
// port only loses live reload, never the app).
const port = readFileSync('Trunk.toml', 'utf8').match(/^port\s*=\s*(\d+)/m)?.[1] ?? '8080';
const asServed = (text) => [`127.0.0.1:${port}`, `localhost:${port}`].map((host) =>
  text.replaceAll("'{{__TRUNK_ADDRESS__}}'", `'${host}'`).replaceAll('{{__TRUNK_WS_BASE__}}', '/'));
const hashes = [...html.matchAll(/<script(?![^>]*\bsrc=)[^>]*>([\s\S]*?)<\/script>/g)]
  .flatMap((m) => (m[1].includes('{{__TRUNK_ADDRESS__}}') ? asServed(m[1]) : [m[1]]).map(hash));
writeFileSync(file, html.replace(POLICY, (_, before) => before + hashes.join(' ')));
console.log(`csp-hashes: ${hashes.length} inline script(s) allowed by hash in ${file}`);
