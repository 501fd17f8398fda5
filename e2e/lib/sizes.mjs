// First-load size of a build: each html/js/wasm/css file raw, gzip -9 and brotli q11, and the message
// catalog the page fetches at start (one language's: the largest of dist/locales/, the worst case).
import { existsSync, readdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { brotliCompressSync, constants, gzipSync } from 'node:zlib';

const measure = (file, body) => ({
  file,
  raw: body.length,
  gzip: gzipSync(body, { level: 9 }).length,
  brotli: brotliCompressSync(body, { params: { [constants.BROTLI_PARAM_QUALITY]: 11 } }).length,
});

export function firstLoadSizes(dist) {
  const files = readdirSync(dist).filter((f) => /\.(html|js|wasm|css)$/.test(f)).sort()
    .map((f) => measure(f, readFileSync(join(dist, f))));
  const locales = join(dist, 'locales');
  if (existsSync(locales)) {
    const catalogs = readdirSync(locales).filter((f) => f.endsWith('.json'))
      .map((f) => measure(`locales/${f}`, readFileSync(join(locales, f))));
    const largest = catalogs.sort((a, b) => b.brotli - a.brotli)[0];
    if (largest) files.push({ ...largest, file: `${largest.file} (largest of ${catalogs.length})` });
  }
  const total = (k) => files.reduce((n, s) => n + s[k], 0);
  return { files, total: { raw: total('raw'), gzip: total('gzip'), brotli: total('brotli') } };
}

export function printSizes({ files, total }) {
  console.log('first load of the release build (bytes)        raw      gzip    brotli');
  for (const s of [...files, { file: 'total', ...total }]) {
    console.log(`${s.file.padEnd(40)} ${String(s.raw).padStart(9)} ${String(s.gzip).padStart(9)} ${String(s.brotli).padStart(9)}`);
  }
}
