// The Content-Security-Policy of the release build: only this site's scripts (Trunk's inline loader by
// hash), wasm compilation, calls to this site and the sign-in server. The whole main flow runs under it
// without one violation, and an injected inline script does not run.
import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import { test } from 'node:test';
import { withBrowserAndApp } from '../lib/app.mjs';
import { ROOT } from '../lib/local-server.mjs';
import { expectProfile, openPage, signedInUser } from '../lib/flows.mjs';

let app;
let browser;
withBrowserAndApp((b, a) => {
  browser = b;
  app = a;
});

test('the built index.html carries a strict policy with the loader allowed by hash', () => {
  const html = readFileSync(`${ROOT}/dist/index.html`, 'utf8');
  const policy = html.match(/http-equiv="Content-Security-Policy" content="([^"]*)"/)?.[1];
  assert.ok(policy, 'a CSP meta element');
  assert.ok(html.indexOf('Content-Security-Policy') < html.indexOf('<script'), 'the policy comes before any script');
  const directives = Object.fromEntries(policy.split(';').map((d) => d.trim().split(/\s+/)).map(([k, ...v]) => [k, v]));
  assert.deepEqual(directives['default-src'], ["'none'"]);
  assert.deepEqual(directives['script-src'].slice(0, 2), ["'self'", "'wasm-unsafe-eval'"]);
  assert.ok(directives['script-src'].slice(2).every((s) => /^'sha256-[A-Za-z0-9+/]+=*'$/.test(s)), directives['script-src'].join(' '));
  assert.equal(directives['script-src'].length, 3, 'one inline script (the loader), by hash');
  assert.doesNotMatch(policy, /'unsafe-inline'|'unsafe-eval'|\*\.|https?:\/\/\*/);
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
