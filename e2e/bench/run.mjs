// The benchmark command's driver (scripts/bench.sh builds what it needs first):
// 1. SRP in headless Chromium, same page, same run: cognito-core (release wasm) against
//    amazon-cognito-identity-js, median of RUNS each, and the same code built for the host;
// 2. the release app against the local server: login click -> profile, reload -> profile (medians);
// 3. first-load size of the release build (dist/): raw, gzip and brotli per file.
// Prints a table and writes bench-results.json at the repository root.
import { execFileSync } from 'node:child_process';
import { readFileSync, writeFileSync } from 'node:fs';
import { ROOT } from '../lib/local-server.mjs';
import { launchBrowser } from '../lib/browser.mjs';
import { firstLoadSizes, printSizes } from '../lib/sizes.mjs';
import { serveDist } from '../lib/static-server.mjs';
import { startApp } from '../lib/app.mjs';
import { newUser, openPage, PASSWORD } from '../lib/flows.mjs';

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
}, { plain: true });
const browser = await launchBrowser();
const page = await browser.newPage();
await page.goto(`${site.url}/srp.html`);
await page.waitForFunction(() => window.benchReady === true);
const r = await page.evaluate(([v, runs, warmup]) => window.runBench(v, runs, warmup), [vector, RUNS, WARMUP]);
const chromium = await browser.version();
await browser.close();
await site.close();
if (r.vectorKey !== r.expectedKey || r.theirsKey !== r.expectedKey || r.shortKeys.ours !== r.shortKeys.theirs || r.oursKey !== r.shortKeys.ours) {
  console.error(`key mismatch: ours ${r.vectorKey}, theirs ${r.theirsKey}, expected ${r.expectedKey}; 64-byte a: ours ${r.shortKeys.ours}, theirs ${r.shortKeys.theirs}`);
  process.exit(1);
}

// ---- the same code on the host ----
const native = JSON.parse(execFileSync('cargo', ['run', '-q', '--release', '--locked', '-p', 'cognito-core', '--example', 'srp_bench', '--', String(RUNS)], { cwd: ROOT, encoding: 'utf8' }));

const ours = { a: median(r.ours.a), key: median(r.ours.key) };
const theirs = { a: median(r.theirs.a), key: median(r.theirs.key) };
const total = (x) => x.a + x.key;
const ratio = total(theirs) / total(ours);
console.log(`\nSRP sign-in math, median of ${RUNS} runs (ms), ${chromium}, ${new Date().toISOString().slice(0, 10)}`);
console.log('(each with the a it generates: 1024 bits for amazon-cognito-identity-js, 512 for cognito-core)');
console.log('                                   A (g^a)   key+sig     total');
console.log(`amazon-cognito-identity-js (JS) ${ms(theirs.a)}  ${ms(theirs.key)}  ${ms(total(theirs))}`);
console.log(`cognito-core (wasm, this app)   ${ms(ours.a)}  ${ms(ours.key)}  ${ms(total(ours))}`);
console.log(`cognito-core (native, host)     ${ms(native.a)}  ${ms(native.key)}  ${ms(total(native))}`);
console.log(`ratio: ours is ${ratio.toFixed(1)}x faster than amazon-cognito-identity-js; wasm/native = ${(total(ours) / total(native)).toFixed(2)}`);

// ---- the app against the local server: login click -> profile, reload -> profile ----
// An init script in every page notes (performance.now(), i.e. ms since navigation start) the first click
// and the moment the profile shows the user's name. A is computed while the page idles before the click,
// as it does while a user types.
const APP_RUNS = Number(process.env.BENCH_APP_RUNS || 15);
const app = await startApp();
const appBrowser = await launchBrowser();
const setup = await openPage(appBrowser, app);
const username = await newUser(app, setup.page, 'bench');
await setup.context.close();
const NAME = 'Ada Lovelace';
// Every fetch is timed by its Cognito operation (X-Amz-Target): when it was sent and when its answer came,
// so the client's own work between InitiateAuth's answer and RespondToAuthChallenge's request, and from
// the click to InitiateAuth, can be read off for the app and amazon-cognito-identity-js alike.
const watcher = (name) => {
  window.__bench = { calls: [] };
  const target = (input, init) => {
    const headers = init?.headers ?? (input instanceof Request ? input.headers : undefined);
    if (!headers) return '';
    if (headers instanceof Headers) return headers.get('x-amz-target') ?? '';
    const key = Object.keys(headers).find((k) => k.toLowerCase() === 'x-amz-target');
    return key ? headers[key] : '';
  };
  const fetch = window.fetch;
  window.fetch = function timedFetch(input, init) {
    const call = { op: target(input, init).split('.').pop(), sent: performance.now() };
    window.__bench.calls.push(call);
    const answer = fetch.call(this, input, init);
    answer.then(() => { call.answered = performance.now(); }, () => {});
    return answer;
  };
  document.addEventListener('click', () => { window.__bench.click ??= performance.now(); }, true);
  const seen = () => {
    if (window.__bench.shown === undefined && document.querySelector('[data-testid="name"]')?.textContent === name) {
      window.__bench.shown = performance.now();
    }
  };
  new MutationObserver(seen).observe(document, { subtree: true, childList: true, characterData: true });
};
// From the timed calls of one SRP sign-in: click (or the library call) -> InitiateAuth sent, and
// InitiateAuth answered -> RespondToAuthChallenge sent.
const stepTimes = (b, start) => {
  const initiate = b.calls.find((c) => c.op === 'InitiateAuth');
  const respond = b.calls.find((c) => c.op === 'RespondToAuthChallenge');
  return { toInitiate: initiate.sent - start, challengeToAnswer: respond.sent - initiate.answered };
};
const loginTimes = [];
const reloadTimes = [];
const ourSteps = [];
const theirSteps = [];
for (let i = 0; i < APP_RUNS + 1; i++) {
  const { page, context, problems } = await openPage(appBrowser, app);
  await context.addInitScript(watcher, NAME);
  await page.goto(`${app.url}/login`);
  await page.getByLabel('Username', { exact: true }).fill(username);
  await page.getByLabel('Password', { exact: true }).fill(PASSWORD);
  await page.waitForTimeout(300); // the user's last keystrokes: A is ready long before this ends
  await page.getByRole('button', { name: 'Sign in' }).click();
  await page.waitForFunction(() => window.__bench.shown !== undefined);
  const login = await page.evaluate(() => window.__bench.shown - window.__bench.click);
  const steps = stepTimes(await page.evaluate(() => window.__bench), await page.evaluate(() => window.__bench.click));
  await page.reload();
  await page.waitForFunction(() => window.__bench.shown !== undefined);
  const reload = await page.evaluate(() => window.__bench.shown);
  if (problems.length) throw new Error(`app problems: ${problems.join('; ')}`);
  if (i > 0) { loginTimes.push(login); reloadTimes.push(reload); ourSteps.push(steps); } // the first run warms the server
  await context.close();

  // The reference client in the same browser against the same server: its sign-in from the call.
  const acij = await openPage(appBrowser, app);
  await acij.context.addInitScript(watcher, NAME);
  await acij.page.goto(`${app.url}/acij.html`);
  const start = await acij.page.evaluate(async ([poolId, clientId, endpoint, user, password]) => {
    const t = performance.now();
    await window.libraryLogin(poolId, clientId, endpoint, user, password);
    return t;
  }, [app.cognito.poolId, app.cognito.clientId, app.cognito.url, username, PASSWORD]);
  if (i > 0) theirSteps.push(stepTimes(await acij.page.evaluate(() => window.__bench), start));
  await acij.context.close();
}
await appBrowser.close();
await app.close();
const stepMedians = (xs) => ({ toInitiate: median(xs.map((x) => x.toInitiate)), challengeToAnswer: median(xs.map((x) => x.challengeToAnswer)) });
const appTimes = {
  loginClickToProfile: median(loginTimes), reloadToProfile: median(reloadTimes), runs: APP_RUNS,
  steps: { ours: stepMedians(ourSteps), theirs: stepMedians(theirSteps) },
};
console.log(`\nthe app against the local server, median of ${APP_RUNS} (ms)`);
console.log(`login click -> profile shows the name  ${ms(appTimes.loginClickToProfile)}`);
console.log(`reload (valid tokens) -> profile name  ${ms(appTimes.reloadToProfile)}`);
const { ours: o, theirs: t } = appTimes.steps;
console.log('the client\'s own work in a sign-in (ms)       this app  amazon-cognito-identity-js   ratio');
console.log(`click -> InitiateAuth sent (A ready here)  ${ms(o.toInitiate)}  ${ms(t.toInitiate)}                 ${(t.toInitiate / o.toInitiate).toFixed(1)}x`);
console.log(`challenge answered -> answer sent          ${ms(o.challengeToAnswer)}  ${ms(t.challengeToAnswer)}                 ${(t.challengeToAnswer / o.challengeToAnswer).toFixed(1)}x`);

// ---- first-load size ----
const sizes = firstLoadSizes(`${ROOT}/dist`);
console.log('');
printSizes(sizes);
// The same measure of a two-page app on the same stack (crates/size-floor): what the framework alone costs.
const floor = firstLoadSizes(`${ROOT}/target/size-floor-dist`);
console.log(`floor: Leptos + router, two pages, no app code  ${String(floor.total.raw).padStart(9)} ${String(floor.total.gzip).padStart(9)} ${String(floor.total.brotli).padStart(9)}`);
console.log(`the app above the floor (brotli)                                   ${String(sizes.total.brotli - floor.total.brotli).padStart(9)}`);

writeFileSync(`${ROOT}/bench-results.json`, `${JSON.stringify({
  date: new Date().toISOString(), chromium, runs: RUNS, ours, theirs, native, ratio, wasmOverNative: total(ours) / total(native), app: appTimes, sizes, sizeFloor: floor,
}, null, 1)}\n`);
console.log('\nwritten to bench-results.json');
