// The Content-Security-Policy of the release build and of production hosting: only this site's scripts
// (no inline script at all: Trunk's loader is a file), wasm compilation, calls to this site and the sign-in
// server; behind CloudFront the same policy as a header (deploy/template.yaml) with frame-ancestors
// 'none', and the other security headers. The whole main flow runs under both without one violation, an
// injected inline script does not run, and deep links are answered by the template's function.
import assert from 'node:assert/strict';
import { createHash } from 'node:crypto';
import { readFileSync } from 'node:fs';
import { test } from 'node:test';
import { withBrowserAndApp } from '../lib/app.mjs';
import { directives, TEMPLATE_CSP } from '../lib/hosting.mjs';
import { ROOT } from '../lib/local-server.mjs';
import { expectProfile, openPage, signedInUser } from '../lib/flows.mjs';

let app;
let browser;
withBrowserAndApp((b, a) => {
  browser = b;
  app = a;
});

const builtHtml = () => readFileSync(`${ROOT}/dist/index.html`, 'utf8');
const metaPolicy = (html) => html.match(/http-equiv="Content-Security-Policy" content="([^"]*)"/)?.[1];

test('the built index.html runs no inline script and carries a strict policy', () => {
  const html = builtHtml();
  const policy = metaPolicy(html);
  assert.ok(policy, 'a CSP meta element');
  assert.ok(html.indexOf('Content-Security-Policy') < html.indexOf('<script'), 'the policy comes before any script');
  const d = directives(policy);
  assert.deepEqual(d['default-src'], ["'none'"]);
  assert.deepEqual(d['script-src'], ["'self'", "'wasm-unsafe-eval'"], 'no hash, no inline script');
  assert.doesNotMatch(policy, /'unsafe-inline'|'unsafe-eval'|\*\.|https?:\/\/\*/);
  const scripts = [...html.matchAll(/<script([^>]*)>([\s\S]*?)<\/script>/g)];
  assert.equal(scripts.length, 1, 'one script: the loader');
  const [, attributes, body] = scripts[0];
  assert.equal(body.trim(), '', 'loaded from a file');
  const src = attributes.match(/src="\/(boot-[0-9a-f]{16}\.js)"/)?.[1];
  assert.ok(src, attributes);
  const file = readFileSync(`${ROOT}/dist/${src}`);
  const integrity = `sha384-${createHash('sha384').update(file).digest('base64')}`;
  assert.ok(attributes.includes(`integrity="${integrity}"`), 'with its integrity');
  assert.match(file.toString(), /await init\(/, 'the wasm loader');
});

test('the CloudFront header policy is the page\'s policy plus frame-ancestors, and the app is served under it', async () => {
  const header = directives(TEMPLATE_CSP);
  const meta = directives(metaPolicy(builtHtml()));
  assert.deepEqual(header['frame-ancestors'], ["'none'"]);
  assert.deepEqual(header['connect-src'], ["'self'", 'https://cognito-idp.${AWS::Region}.amazonaws.com']);
  const rest = (p) => Object.fromEntries(Object.entries(p).filter(([k]) => !['connect-src', 'frame-ancestors'].includes(k)));
  assert.deepEqual(rest(header), rest(meta), 'one policy: change index.html and the template together');

  const res = await fetch(`${app.url}/login?next=%2Fprofile`);
  assert.equal(res.status, 200);
  const served = directives(res.headers.get('content-security-policy'));
  assert.deepEqual(rest(served), rest(header));
  assert.deepEqual(served['frame-ancestors'], ["'none'"]);
  assert.match(res.headers.get('strict-transport-security'), /^max-age=63072000/);
  assert.equal(res.headers.get('x-content-type-options'), 'nosniff');
  assert.equal(res.headers.get('x-frame-options'), 'DENY');
  assert.equal(res.headers.get('referrer-policy'), 'no-referrer');
  assert.match(res.headers.get('permissions-policy'), /camera=\(\)/);
});

test('deep links get index.html with 200 (the template\'s function); a missing file stays an error', async () => {
  const index = builtHtml();
  for (const path of ['/', '/login', '/profile', '/oauth/callback', '/login?next=%2Fprofile', '/no/such/route']) {
    const res = await fetch(`${app.url}${path}`);
    assert.equal(res.status, 200, path);
    assert.equal(await res.text(), index, path);
  }
  for (const path of ['/no-such-file.js', '/favicon.ico', '/main.css']) {
    const res = await fetch(`${app.url}${path}`);
    assert.equal(res.status, 403, `${path}: an error as from the private bucket, not index.html`);
  }
  const config = await fetch(`${app.url}/config.json`);
  assert.equal(config.headers.get('content-type'), 'application/json');
});

test('register, confirm, sign in, profile and sign out run with no policy violation; injected scripts do not', async () => {
  const { page, context, problems } = await openPage(browser, app);
  await context.addInitScript(() => {
    window.__violations = [];
    document.addEventListener('securitypolicyviolation', (e) => window.__violations.push(`${e.violatedDirective} ${e.blockedURI}`));
  });
  const username = await signedInUser(app, page, 'csp');
  await page.reload();
  await expectProfile(page, username);
  await page.getByRole('button', { name: 'Sign out', exact: true }).click();
  await page.waitForURL(/\/login/);
  assert.deepEqual(await page.evaluate(() => window.__violations), []);
  assert.deepEqual(problems, []);

  const ran = await page.evaluate(async () => {
    const script = document.createElement('script');
    script.textContent = 'window.__injected = true';
    document.body.append(script);
    await new Promise((r) => setTimeout(r, 100));
    return window.__injected === true;
  });
  assert.equal(ran, false, 'an inline script added to the page is blocked');
  assert.match((await page.evaluate(() => window.__violations)).join('\n'), /script-src/);
});
