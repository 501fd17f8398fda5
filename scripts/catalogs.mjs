// Trunk post-build hook (Trunk.toml [[hooks]]): compiles the message catalogs for the browser.
// Translators edit locales/<tag>.json ({"group.name": message}); the app reads, per language, one file
// `locales/<tag>.<fingerprint>.json` = {"keys": fingerprint, "messages": [...]}, the messages in the sorted
// order of locales/en.json's keys, which is how the app numbers them (crates/cognito-core/build.rs,
// `k::group::name`). So the app carries no key names, the file carries none either, and the fingerprint
// (FNV-1a of the sorted names, as build.rs computes it) names the file: a catalog is cached for good
// and never read by a build with other keys. A message a catalog lacks is filled in from English (and
// named here); the catalog test (tests/catalogs.rs) keeps the shipped ones complete.
import { mkdirSync, readdirSync, readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';

export function fingerprint(names) {
  let hash = 0x811c9dc5;
  for (const byte of Buffer.from(names.join('\n'), 'utf8')) {
    hash = Math.imul(hash ^ byte, 0x01000193) >>> 0;
  }
  return hash.toString(16).padStart(8, '0');
}

// `source` as the app reads it, with the keys it lacks (filled from `english`) and those no key has.
export function compileCatalog(source, english) {
  const names = Object.keys(english).sort();
  const missing = names.filter((name) => !(name in source));
  const unknown = Object.keys(source).filter((name) => !(name in english));
  const messages = names.map((name) => source[name] ?? english[name]);
  return { compiled: { keys: fingerprint(names), messages }, missing, unknown };
}

export function compileAll(localesDir, outDir) {
  const english = JSON.parse(readFileSync(join(localesDir, 'en.json'), 'utf8'));
  mkdirSync(outDir, { recursive: true });
  const written = [];
  for (const file of readdirSync(localesDir).filter((f) => f.endsWith('.json')).sort()) {
    const tag = file.slice(0, -'.json'.length);
    const { compiled, missing, unknown } = compileCatalog(JSON.parse(readFileSync(join(localesDir, file), 'utf8')), english);
    if (missing.length) console.warn(`catalogs: ${file} lacks ${missing.length} messages (English shown): ${missing.join(', ')}`);
    if (unknown.length) console.warn(`catalogs: ${file} has messages no key has (ignored): ${unknown.join(', ')}`);
    const name = `${tag}.${compiled.keys}.json`;
    writeFileSync(join(outDir, name), JSON.stringify(compiled));
    written.push(name);
  }
  return written;
}

if (process.argv[1] === fileURLToPath(import.meta.url)) {
  const dist = process.env.TRUNK_STAGING_DIR ?? process.argv[2] ?? 'dist';
  const written = compileAll('locales', join(dist, 'locales'));
  console.log(`catalogs: ${written.length} compiled into ${join(dist, 'locales')}`);
}
