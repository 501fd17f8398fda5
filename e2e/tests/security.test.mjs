// The app probed as an attacker would: redirects built from the URL, a sign-out racing a refresh in
// another tab, "sign out everywhere" after the session ended elsewhere, storage that refuses writes, and
// the app shown inside another page's frame (refused by the browser behind CloudFront, by the app itself
// on an S3 website).
import assert from 'node:assert/strict';
import { createServer } from 'node:http';
import { test } from 'node:test';
import { acijKeys, startApp, storageOf, withBrowserAndApp } from '../lib/app.mjs';
import { expectProfile, openPage, SHORT_LIVED_POOL, signedInUser, signIn } from '../lib/flows.mjs';

let app;
let browser;
withBrowserAndApp((b, a) => {
  browser = b;
  app = a;
});

const sleep = (ms) => new Promise((r) => setTimeout(r, ms));
const LOCAL_HOSTS = new Set(['127.0.0.1', 'localhost']);

// Any request for another host is answered here, never sent (this machine has no other network), so a
// page that was sent away lands on an error page whose URL still names where it was sent.
async function keepTrafficLocal(context) {
  await context.route((url) => !LOCAL_HOSTS.has(url.hostname), (route) => route.abort('blockedbyclient'));
}

test('?next= keeps a signed-in user on the site: tab, CR, LF, backslash, encoded slashes, absolute URLs', async () => {
  const { page, context, problems } = await openPage(browser, app);
  await keepTrafficLocal(context);
  await signedInUser(app, page, 'redir');
  const site = new URL(app.url).origin;
  // As typed into the address bar (the query string is sent as is, so %09 arrives as a tab once decoded).
  const probes = [
    '/%09/evil.example', '/%0a/evil.example', '/%0d/evil.example', '%09//evil.example', '/%09%0a%0d/evil.example',
    '//evil.example', '///evil.example', '/\\evil.example', '\\\\evil.example', '/%5Cevil.example',
    '%2F%2Fevil.example', '%2F%5Cevil.example', '/.//evil.example', '/..//evil.example',
    'https://evil.example/', 'https:evil.example', 'https:/evil.example', 'http://127.0.0.1@evil.example/',
    `${encodeURIComponent(site)}@evil.example`, 'javascript:alert(document.domain)', 'data:text/html,<b>x</b>',
    '/%E3%80%82evil.example', '%01//evil.example',
  ];
  for (const probe of probes) {
    await page.goto(`${app.url}/login?next=${probe}`);
    await page.waitForURL((url) => url.pathname !== '/login', { timeout: 10000 });
    await page.waitForTimeout(300); // a second navigation would have started by now
    const landed = new URL(page.url());
    assert.equal(landed.origin, site, `next=${probe} sent the browser to ${page.url()}`);
  }
  // A path of the site is still followed, query and fragment included.
  await page.goto(`${app.url}/login?next=${encodeURIComponent('/admin?x=1#top')}`);
  await page.waitForURL((url) => url.pathname === '/admin');
  assert.equal(new URL(page.url()).search, '?x=1');
  assert.equal(new URL(page.url()).hash, '#top');
  assert.deepEqual(problems, []);
});

test('signing out while another tab refreshes: the refresh answer is discarded, both tabs stay signed out', async () => {
  const short = await startApp({ poolFile: SHORT_LIVED_POOL });
  try {
    const { page, context, problems } = await openPage(browser, short);
    const username = await signedInUser(short, page, 'race');
    const other = await context.newPage();
    other.on('pageerror', (err) => problems.push(err.message));
    await other.goto(`${short.url}/profile`);
    await expectProfile(other, username);
    await sleep(4500); // the 4-second tokens expire

    // The refresh the other tab starts on reload is held up on the way (3 s); revocation fails, so only
    // the app itself can keep the refresh token from coming back.
    await short.cognito.fault('InitiateAuth', 0, undefined, 3000);
    await short.cognito.fault('RevokeToken', 6, 'InternalErrorException');
    const refreshSent = other.waitForRequest((req) => /REFRESH_TOKEN_AUTH/.test(req.postData() || ''));
    const refreshAnswered = other.waitForResponse((res) => /REFRESH_TOKEN_AUTH/.test(res.request().postData() || ''));
    await other.reload();
    await refreshSent;
    await page.getByRole('button', { name: 'Sign out', exact: true }).click();
    await page.waitForURL(/\/login/);
    await refreshAnswered;
    await sleep(1500); // time to write the answer and for the tabs to follow each other

    const keys = acijKeys(await storageOf(page), short.cognito.clientId);
    assert.equal(keys.LastAuthUser, undefined, 'not signed in again by the late answer');
    for (const k of ['idToken', 'accessToken', 'refreshToken']) assert.equal(keys[`${username}.${k}`], undefined, k);
    for (const p of [page, other]) {
      await p.getByRole('heading', { name: 'Sign in' }).waitFor({ timeout: 5000 });
      assert.match(p.url(), /\/login/);
    }
    await short.cognito.clearFaults();
    assert.deepEqual(problems, []);
  } finally {
    await short.close();
  }
});

test('"sign out everywhere" after this device\'s session ended elsewhere: says so, and offers to sign in to do it', async () => {
  const { page, calls, problems } = await openPage(browser, app);
  const username = await signedInUser(app, page, 'everywhere');
  // Another device signs out everywhere: this device's tokens are revoked.
  const keys = acijKeys(await storageOf(page), app.cognito.clientId);
  await app.cognito.call('GlobalSignOut', { AccessToken: keys[`${username}.accessToken`] });

  await page.goto(`${app.url}/logout`);
  calls.length = 0;
  await page.getByRole('button', { name: 'Sign out everywhere' }).click();
  await page.waitForURL(/\/login\?next=%2Flogout$/);
  await page.getByRole('status').filter({ hasText: 'Your session on this device had already ended' }).waitFor();
  assert.equal(await page.getByText('You have been signed out on all devices.').count(), 0, 'no false success');
  assert.ok(calls.includes('GlobalSignOut'));

  // Signing in brings the user back to do it, and then it is done.
  await signIn(app, page, username);
  await page.waitForURL(/\/logout$/);
  calls.length = 0;
  await page.getByRole('button', { name: 'Sign out everywhere' }).click();
  await page.getByRole('status').filter({ hasText: 'You have been signed out on all devices.' }).waitFor();
  assert.deepEqual(calls.filter((c) => c === 'GlobalSignOut'), ['GlobalSignOut']);
  assert.deepEqual(problems, []);
});

// Local storage that accepts two of the app's writes per page load and then refuses with the browser's
// QuotaExceededError, from when the tab's sessionStorage says `storage-full`.
async function fillStorageAfterTwoWrites(context) {
  await context.addInitScript(() => {
    const real = Storage.prototype.setItem;
    let writes = 0;
    Storage.prototype.setItem = function setItem(key, value) {
      if (this === window.localStorage && sessionStorage.getItem('storage-full')
          && String(key).startsWith('CognitoIdentityServiceProvider.') && ++writes > 2) {
        throw new DOMException('The quota has been exceeded.', 'QuotaExceededError');
      }
      return real.call(this, key, value);
    };
  });
}

test('storage full at sign-in: a clear message, and no half-written session', async () => {
  const { page, context, problems } = await openPage(browser, app);
  await fillStorageAfterTwoWrites(context);
  const username = await signedInUser(app, page, 'quota');
  await page.getByRole('button', { name: 'Sign out', exact: true }).click();
  await page.waitForURL(/\/login/);
  await page.evaluate(() => sessionStorage.setItem('storage-full', '1'));
  await page.reload();

  await signIn(app, page, username);
  await page.getByRole('alert').filter({ hasText: 'Your browser did not let this site keep you signed in' }).waitFor();
  assert.deepEqual(acijKeys(await storageOf(page), app.cognito.clientId), {}, 'nothing of the session stays behind');
  assert.match(page.url(), /\/login/);
  assert.deepEqual(problems, []);
});

test('storage full while restoring an expired session: told what to do, never an endless "Restoring…"', async () => {
  const short = await startApp({ poolFile: SHORT_LIVED_POOL });
  try {
    const { page, context, problems } = await openPage(browser, short);
    await fillStorageAfterTwoWrites(context);
    const username = await signedInUser(short, page, 'quotarestore');
    const before = acijKeys(await storageOf(page), short.cognito.clientId);
    await page.evaluate(() => sessionStorage.setItem('storage-full', '1'));
    await page.goto('about:blank');
    await sleep(4500); // the 4-second tokens expire
    await page.goto(`${short.url}/profile`);
    await page.getByRole('status').filter({ hasText: 'Your browser did not let this site keep you signed in' })
      .waitFor({ timeout: 10000 });
    assert.equal(await page.getByText('Restoring your session…').count(), 0);
    // Whole or gone: the session as it was, or nothing of it (never new tokens beside old ones).
    const after = acijKeys(await storageOf(page), short.cognito.clientId);
    const session = (keys) => Object.fromEntries(Object.entries(keys).filter(([k]) => k === 'LastAuthUser' || k.startsWith(`${username}.`)));
    assert.ok(
      JSON.stringify(session(after)) === '{}' || JSON.stringify(session(after)) === JSON.stringify(session(before)),
      `half a session: ${Object.keys(after)}`,
    );
    assert.deepEqual(problems, []);
  } finally {
    await short.close();
  }
});

// Another site (another origin on this machine) framing the sign-in page of `target`.
async function framingSite(target) {
  const framing = createServer((req, res) => {
    res.writeHead(200, { 'Content-Type': 'text/html; charset=utf-8' });
    res.end(`<!DOCTYPE html><title>framing</title><iframe title="framed" src="${target.url}/login" width="600" height="400"></iframe>`);
  });
  await new Promise((ok) => framing.listen(0, '127.0.0.1', ok));
  return {
    url: `http://localhost:${framing.address().port}/`,
    close: async () => { framing.closeAllConnections(); await new Promise((ok) => framing.close(ok)); },
  };
}

test('behind CloudFront the browser refuses to show the app in a frame (the template\'s frame-ancestors header)', async () => {
  const { page, problems } = await openPage(browser, app);
  const framing = await framingSite(app);
  try {
    const refused = page.waitForEvent('console', (m) => /frame-ancestors/.test(m.text()));
    await page.goto(framing.url);
    await refused;
    const frame = page.frames().find((f) => f !== page.mainFrame());
    await page.waitForTimeout(500);
    assert.equal(await frame.locator('#boot, form, button').count(), 0, 'nothing of the app runs in the frame');
  } finally {
    await framing.close();
  }
  await page.goto(`${app.url}/login`);
  await page.getByRole('button', { name: 'Sign in' }).waitFor();
  await page.context().close();
  assert.deepEqual(problems.filter((p) => !/frame-ancestors/.test(p)), []);
});

test('as an S3 website (no headers) the app itself refuses to run inside another page\'s frame', async () => {
  const website = await startApp({ website: true });
  const { page, problems } = await openPage(browser, website);
  const framing = await framingSite(website);
  try {
    await page.goto(framing.url);
    const frame = page.frameLocator('iframe');
    await frame.getByRole('heading', { name: 'This page cannot be shown inside another page' }).waitFor();
    assert.equal(await frame.getByRole('button', { name: 'Sign in' }).count(), 0, 'no sign-in form in a frame');
    assert.equal(await frame.getByLabel('Password').count(), 0);
    assert.equal(await frame.getByRole('link', { name: 'Open the sign-in page' }).getAttribute('target'), '_blank');
    // Opened directly, the same page works.
    await page.goto(`${website.url}/login`);
    await page.getByRole('button', { name: 'Sign in' }).waitFor();
  } finally {
    await page.context().close();
    await framing.close();
    await website.close();
  }
  assert.deepEqual(problems, []);
});
