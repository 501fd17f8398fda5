// The benchmark command's driver (scripts/bench.sh builds what it needs first):
// 1. SRP in headless Chromium, same page, same run: cognito-core (release wasm) against
//    amazon-cognito-identity-js, median of RUNS each, and the same code built for the host;
// 2. first-load size of the release build (dist/): raw, gzip and brotli per file.
// Prints a table and writes bench-results.json at the repository root.
import { execFileSync } from 'node:child_process';
import { readFileSync, writeFileSync } from 'node:fs';
import { ROOT } from '../lib/local-server.mjs';
import { launchBrowser } from '../lib/browser.mjs';
import { firstLoadSizes, printSizes } from '../lib/sizes.mjs';
import { serveDist } from '../lib/static-server.mjs';

const RUNS = Number(process.env.BENCH_RUNS || 31);
const WARMUP = 3;
const median = (xs) => { const s = [...xs].sort((a, b) => a - b); return s[Math.floor(s.length / 2)]; };
const ms = (x) => x.toFixed(2).padStart(8);

// ---- SRP in the browser ----
const vectors = JSON.parse(readFileSync(`${ROOT}/crates/cognito-core/tests/vectors/srp.json`, 'utf8'));
const vector = vectors.srp[0];
const pkg = `${ROOT}/target/bench-pkg`;
const file = (path, type) => ({ type, body: readFileSync(path) });
const site = await serveDist(`${ROOT}/e2e/bench`, {
  '/acij.js': file(`${ROOT}/e2e/node_modules/amazon-cognito-identity-js/dist/amazon-cognito-identity.min.js`, 'text/javascript'),
  '/pkg/srp_bench_wasm.js': file(`${pkg}/srp_bench_wasm.js`, 'text/javascript'),
  '/pkg/srp_bench_wasm_bg.wasm': file(`${pkg}/srp_bench_wasm_bg.wasm`, 'application/wasm'),
});
const browser = await launchBrowser();
const page = await browser.newPage();
await page.goto(`${site.url}/srp.html`);
await page.waitForFunction(() => window.benchReady === true);
const r = await page.evaluate(([v, runs, warmup]) => window.runBench(v, runs, warmup), [vector, RUNS, WARMUP]);
const chromium = await browser.version();
await browser.close();
await site.close();
if (r.oursKey !== r.expectedKey || r.theirsKey !== r.expectedKey) {
  console.error(`key mismatch: ours ${r.oursKey}, theirs ${r.theirsKey}, expected ${r.expectedKey}`);
  process.exit(1);
}

// ---- the same code on the host ----
const native = JSON.parse(execFileSync('cargo', ['run', '-q', '--release', '--locked', '-p', 'cognito-core', '--example', 'srp_bench', '--', String(RUNS)], { cwd: ROOT, encoding: 'utf8' }));

const ours = { a: median(r.ours.a), key: median(r.ours.key) };
const theirs = { a: median(r.theirs.a), key: median(r.theirs.key) };
const total = (x) => x.a + x.key;
const ratio = total(theirs) / total(ours);
console.log(`\nSRP sign-in math, median of ${RUNS} runs (ms), ${chromium}, ${new Date().toISOString().slice(0, 10)}`);
console.log('                                   A (g^a)   key+sig     total');
console.log(`amazon-cognito-identity-js (JS) ${ms(theirs.a)}  ${ms(theirs.key)}  ${ms(total(theirs))}`);
console.log(`cognito-core (wasm, this app)   ${ms(ours.a)}  ${ms(ours.key)}  ${ms(total(ours))}`);
console.log(`cognito-core (native, host)     ${ms(native.a)}  ${ms(native.key)}  ${ms(total(native))}`);
console.log(`ratio: ours is ${ratio.toFixed(1)}x faster than amazon-cognito-identity-js; wasm/native = ${(total(ours) / total(native)).toFixed(2)}`);

// ---- first-load size ----
const sizes = firstLoadSizes(`${ROOT}/dist`);
console.log('');
printSizes(sizes);

writeFileSync(`${ROOT}/bench-results.json`, `${JSON.stringify({
  date: new Date().toISOString(), chromium, runs: RUNS, ours, theirs, native, ratio, wasmOverNative: total(ours) / total(native), sizes,
}, null, 1)}\n`);
console.log('\nwritten to bench-results.json');
