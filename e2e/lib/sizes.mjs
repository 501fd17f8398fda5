// First-load size of a build: each html/js/wasm/css file raw, gzip -9 and brotli q11.
import { readdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { brotliCompressSync, constants, gzipSync } from 'node:zlib';

export function firstLoadSizes(dist) {
  const files = readdirSync(dist).filter((f) => /\.(html|js|wasm|css)$/.test(f)).sort().map((f) => {
    const body = readFileSync(join(dist, f));
    return {
      file: f,
      raw: body.length,
      gzip: gzipSync(body, { level: 9 }).length,
      brotli: brotliCompressSync(body, { params: { [constants.BROTLI_PARAM_QUALITY]: 11 } }).length,
    };
  });
  const total = (k) => files.reduce((n, s) => n + s[k], 0);
  return { files, total: { raw: total('raw'), gzip: total('gzip'), brotli: total('brotli') } };
}

export function printSizes({ files, total }) {
  console.log('first load of the release build (bytes)        raw      gzip    brotli');
  for (const s of [...files, { file: 'total', ...total }]) {
    console.log(`${s.file.padEnd(40)} ${String(s.raw).padStart(9)} ${String(s.gzip).padStart(9)} ${String(s.brotli).padStart(9)}`);
  }
}
