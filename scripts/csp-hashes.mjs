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
const hashes = [...html.matchAll(/<script(?![^>]*\bsrc=)[^>]*>([\s\S]*?)<\/script>/g)]
  .map((m) => `'sha256-${createHash('sha256').update(m[1], 'utf8').digest('base64')}'`);
writeFileSync(file, html.replace(POLICY, (_, before) => before + hashes.join(' ')));
console.log(`csp-hashes: ${hashes.length} inline script(s) allowed by hash in ${file}`);
