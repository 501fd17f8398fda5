// Stored data and clocks the app does not control: corrupt or foreign entries in localStorage, and a
// browser clock two hours off the server's.
import assert from 'node:assert/strict';
import { test } from 'node:test';
import { acijKeys, startApp, storageOf, withBrowserAndApp } from '../lib/app.mjs';
import {
  confirm, expectProfile, newUser, openPage, PASSWORD, register, SHORT_LIVED_POOL, signedInUser, signIn, unique,
} from '../lib/flows.mjs';

let app;
let browser;
withBrowserAndApp((b, a) => {
  browser = b;
  app = a;
});

const b64 = (o) => Buffer.from(JSON.stringify(o)).toString('base64url');
const fakeJwt = (claims) => `${b64({ alg: 'RS256', kid: 'x' })}.${b64(claims)}.c2ln`;

test('corrupt, truncated, foreign, dangling or huge stored values: signed out, only our broken keys removed, no crash', async () => {
  const prefix = `CognitoIdentityServiceProvider.${app.cognito.clientId}`;
  const now = Math.floor(Date.now() / 1000);
  const otherClient = 'CognitoIdentityServiceProvider.someotherclient.LastAuthUser';
  const cases = {
    garbage: { id: 'garbage', access: '%%%', refresh: '' },
    truncated: { id: fakeJwt({ exp: now + 3600, iat: now }).slice(0, 25), access: 'ey.', refresh: '' },
    'another client': {
      id: fakeJwt({ token_use: 'id', aud: 'someotherclient', exp: now + 3600, iat: now }),
      access: fakeJwt({ token_use: 'access', client_id: 'someotherclient', exp: now + 3600, iat: now }),
      refresh: '',
    },
    'garbage refresh token': { id: 'x.y.z', access: 'x.y.z', refresh: 'not-a-refresh-token' },
    huge: { id: 'a'.repeat(3_000_000), access: 'b'.repeat(100), refresh: '' },
    'dangling LastAuthUser': null,
  };
  for (const [name, values] of Object.entries(cases)) {
    const { page, problems } = await openPage(browser, app);
    await page.goto(`${app.url}/nowhere`);
    await page.evaluate(([p, v, other]) => {
      localStorage.setItem(`${p}.LastAuthUser`, 'mallory');
      if (v) {
        localStorage.setItem(`${p}.mallory.idToken`, v.id);
        localStorage.setItem(`${p}.mallory.accessToken`, v.access);
        if (v.refresh) localStorage.setItem(`${p}.mallory.refreshToken`, v.refresh);
        localStorage.setItem(`${p}.mallory.clockDrift`, 'NaN');
      }
      localStorage.setItem(`${p}.mallory.deviceKey`, 'device-kept');
      localStorage.setItem(other, 'someone');
      localStorage.setItem('unrelated-app-setting', 'kept');
    }, [prefix, values, otherClient]);
    await page.goto(`${app.url}/profile`);
    await page.waitForURL(/\/login\?next=%2Fprofile/, { timeout: 5000 });
    await page.getByRole('heading', { name: 'Sign in' }).waitFor();
    const storage = await storageOf(page);
    assert.deepEqual(acijKeys(storage, app.cognito.clientId), { 'mallory.deviceKey': 'device-kept' }, `${name}: our broken keys are removed, the device key stays`);
    assert.equal(storage[otherClient], 'someone', `${name}: another client's keys are untouched`);
    assert.equal(storage['unrelated-app-setting'], 'kept', `${name}: other keys are untouched`);
    assert.equal(await page.locator('#crash').count(), 0, `${name}: no crash`);
    assert.deepEqual(problems, [], name);
    await page.context().close();
  }
});

for (const hours of [2, -2]) {
  test(`a browser clock ${hours > 0 ? 'ahead of' : 'behind'} the server by 2 hours: sign-in and reload still work (clockDrift)`, async () => {
    const context = await browser.newContext();
    await context.clock.install({ time: new Date(Date.now() + hours * 3600 * 1000) });
    const page = await context.newPage();
    const problems = [];
    const calls = [];
    page.on('pageerror', (err) => problems.push(err.message));
    page.on('request', (req) => { const t = req.headers()['x-amz-target']; if (t) calls.push(t.split('.').pop()); });
    const username = await newUser(app, page, `skew${hours > 0 ? 'a' : 'b'}`);
    await signIn(app, page, username);
    await expectProfile(page, username);
    const drift = Number(acijKeys(await storageOf(page), app.cognito.clientId)[`${username}.clockDrift`]);
    assert.ok(Math.abs(drift - hours * 3600) < 60, `clockDrift ${drift} reflects the skew`);
    calls.length = 0;
    await page.reload();
    await expectProfile(page, username);
    assert.deepEqual(calls, ['GetUser'], 'valid thanks to clockDrift: no refresh, no new login');
    assert.deepEqual(problems, []);
    await context.close();
  });
}

test('an expired session is refreshed through transient failures, and kept when the service stays down', async () => {
  const short = await startApp({ poolFile: SHORT_LIVED_POOL });
  try {
    const { page, calls, problems } = await openPage(browser, short);
    const username = await signedInUser(short, page, 'flaky');
    const keysBefore = acijKeys(await storageOf(page), short.cognito.clientId);

    // Two failures, then success: retried with backoff, the profile appears.
    await page.goto('about:blank');
    await new Promise((r) => setTimeout(r, 5000));
    await short.cognito.fault('InitiateAuth', 2, 'InternalErrorException');
    calls.length = 0;
    await page.goto(`${short.url}/profile`);
    await page.getByRole('status').filter({ hasText: 'Restoring your session…' }).waitFor();
    await expectProfile(page, username);
    assert.deepEqual(calls.filter((c) => c.startsWith('InitiateAuth')), Array(3).fill('InitiateAuth:REFRESH_TOKEN_AUTH'));

    // The service keeps failing: still signed in, told so, with a way to retry; nothing removed.
    await page.goto('about:blank');
    await new Promise((r) => setTimeout(r, 5000));
    await short.cognito.fault('InitiateAuth', 10, 'ServiceUnavailable');
    await page.goto(`${short.url}/profile`);
    await page.getByRole('heading', { name: 'You are still signed in' }).waitFor({ timeout: 15000 });
    await page.getByRole('alert').filter({ hasText: 'The sign-in service had a problem. Try again in a moment.' }).waitFor();
    const keysDuring = acijKeys(await storageOf(page), short.cognito.clientId);
    assert.equal(keysDuring.LastAuthUser, username);
    assert.equal(keysDuring[`${username}.refreshToken`], keysBefore[`${username}.refreshToken`], 'the session is kept');
    await short.cognito.clearFaults();
    await page.getByRole('button', { name: 'Try again' }).click();
    await expectProfile(page, username);
    assert.deepEqual(problems, []);
  } finally {
    await short.close();
  }
});

test('two tabs reloading with an expired access token send exactly one refresh, and both end signed in', async () => {
  const short = await startApp({ poolFile: SHORT_LIVED_POOL });
  try {
    const { page, context, problems } = await openPage(browser, short);
    const username = await signedInUser(short, page, 'twotabs');
    const second = await context.newPage();
    second.on('pageerror', (err) => problems.push(err.message));
    const refreshes = [];
    const tabs = [];
    for (const [tab, p] of [['first', page], ['second', second]]) {
      p.on('request', (req) => {
        if (req.headers()['x-amz-target']?.endsWith('InitiateAuth') && /REFRESH_TOKEN_AUTH/.test(req.postData() || '')) {
          refreshes.push(Date.now());
          tabs.push(tab);
        }
      });
    }
    await page.goto('about:blank');
    await new Promise((r) => setTimeout(r, 5000)); // both tabs away while the 4-second tokens expire
    await Promise.all([page.goto(`${short.url}/profile`), second.goto(`${short.url}/profile`)]);
    await expectProfile(page, username);
    await expectProfile(second, username);
    // The refreshed tokens live 4 s too, so an open tab refreshes them again 3.2 s later (keep-fresh,
    // a fifth of the lifetime ahead): on a loaded machine that can happen before both pages show. The
    // tabs' start-up refreshes are the ones within the first moments.
    assert.ok(refreshes.length >= 1, 'the expired session was refreshed');
    const atStart = refreshes.filter((t) => t - refreshes[0] < 2500);
    const offsets = refreshes.map((t, i) => `${tabs[i]} +${t - refreshes[0]} ms`).join(', ');
    assert.equal(atStart.length, 1, `refresh requests at start-up: ${atStart.length} (all: ${offsets})`);
    assert.deepEqual(problems, []);
  } finally {
    await short.close();
  }
});

test('no password, code or token ever appears in a URL or in the console', async () => {
  const context = await browser.newContext();
  const page = await context.newPage();
  const seen = [];
  page.on('console', (msg) => seen.push(`console: ${msg.text()}`));
  page.on('pageerror', (err) => seen.push(`error: ${err.message}`));
  page.on('request', (req) => seen.push(`url: ${req.url()}`));
  page.on('framenavigated', (frame) => seen.push(`location: ${frame.url()}`));
  const username = unique('quiet');
  await register(app, page, username);
  await page.waitForURL(/\/confirm\?/);
  const { confirmation } = await app.cognito.codes(username);
  await confirm(app, page, username);
  await signIn(app, page, username, 'Wrong-Password-9');
  await page.getByRole('alert').filter({ hasText: 'Incorrect username or password.' }).waitFor();
  await signIn(app, page, username);
  await expectProfile(page, username);
  const keys = acijKeys(await storageOf(page), app.cognito.clientId);
  await page.getByLabel('Current password').fill(PASSWORD);
  await page.getByLabel('New password', { exact: true }).fill('Quiet-Changed-1');
  await page.getByLabel('Repeat the new password').fill('Quiet-Changed-1');
  await page.getByRole('button', { name: 'Change password' }).click();
  await page.getByText('Your password has been changed.').waitFor();
  await page.reload();
  await expectProfile(page, username);
  await page.getByRole('button', { name: 'Sign out', exact: true }).click();
  await page.waitForURL(/\/login/);

  const secrets = {
    password: PASSWORD,
    'wrong password': 'Wrong-Password-9',
    'new password': 'Quiet-Changed-1',
    'confirmation code': confirmation,
    'id token': keys[`${username}.idToken`],
    'access token': keys[`${username}.accessToken`],
    'refresh token': keys[`${username}.refreshToken`],
  };
  assert.ok(seen.some((s) => s.startsWith('url:')), 'requests were recorded');
  for (const [name, secret] of Object.entries(secrets)) {
    assert.ok(secret && secret.length >= 6, `${name} is known`);
    const leaks = seen.filter((s) => s.includes(secret) || s.includes(encodeURIComponent(secret)));
    assert.deepEqual(leaks, [], `${name} leaked`);
  }
  await context.close();
});

test('with the sign-in service gone entirely: a stored session is kept and sign-in says the service is unreachable', async () => {
  const short = await startApp({ poolFile: SHORT_LIVED_POOL });
  const { page, problems } = await openPage(browser, short);
  try {
    const username = await signedInUser(short, page, 'offline');
    await page.goto('about:blank');
    await short.cognito.stop();
    await new Promise((r) => setTimeout(r, 5000)); // the 4-second tokens expire
    await page.goto(`${short.url}/profile`);
    await page.getByRole('heading', { name: 'You are still signed in' }).waitFor({ timeout: 15000 });
    await page.getByRole('alert').filter({ hasText: 'Cannot reach the sign-in service. Check your connection and try again.' }).waitFor();
    assert.equal(acijKeys(await storageOf(page), short.cognito.clientId).LastAuthUser, username, 'the session is kept');

    await page.evaluate(() => localStorage.clear());
    await page.goto(`${short.url}/login`);
    await signIn(short, page, username);
    await page.getByRole('alert').filter({ hasText: 'Cannot reach the sign-in service.' }).waitFor();
    assert.equal(await page.getByRole('button', { name: 'Sign in' }).isEnabled(), true, 'the form can be sent again');
    // Chromium logs the refused connections as console errors ("net::ERR_CONNECTION_REFUSED"); those are
    // the point of this test. Anything else is a failure.
    assert.deepEqual(problems.filter((p) => !/ERR_CONNECTION_REFUSED/.test(p)), []);
  } finally {
    await short.site.close();
  }
});
