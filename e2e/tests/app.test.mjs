// The app in headless Chromium against cognito-local: every flow asserts what the user sees and what
// localStorage holds (amazon-cognito-identity-js's key layout).
import assert from 'node:assert/strict';
import { after, before, describe, test } from 'node:test';
import { acijKeys, jwtPayload, startApp, storageOf, withBrowserAndApp } from '../lib/app.mjs';
import { screenshot } from '../lib/browser.mjs';
import {
  assertSignedInStorage, confirm, expectProfile, newUser, openPage, PASSWORD, register, SHORT_LIVED_POOL, signedInUser, signIn, unique,
} from '../lib/flows.mjs';

let app;
let browser;
withBrowserAndApp((b, a) => {
  browser = b;
  app = a;
});

describe('register, confirm, sign in', () => {
  test('1. register → code from /_local/ → confirm → login → profile shows name and email', async () => {
    const { page, problems } = await openPage(browser, app);
    const username = unique('ada');
    await register(app, page, username);
    await page.waitForURL(/\/confirm\?/);
    await page.getByText(/We sent a code by email to .\*\*\*@e\*\*\*/).waitFor();
    assert.equal(await page.getByLabel('Username', { exact: true }).inputValue(), username, 'username carried over');
    await screenshot(page, 'confirm');
    await confirm(app, page, username);
    await page.getByText('Your account is confirmed. You can sign in now.').waitFor();
    assert.equal(await page.getByLabel('Username', { exact: true }).inputValue(), username);
    await screenshot(page, 'login');
    await page.getByLabel('Password', { exact: true }).fill(PASSWORD);
    await page.getByRole('button', { name: 'Sign in' }).click();
    await page.waitForURL(/\/profile$/);
    await expectProfile(page, username);
    assert.equal(await page.getByTestId('name').textContent(), 'Ada Lovelace');
    assert.equal(await page.getByTestId('email-verified').textContent(), 'yes');
    await page.getByTestId('signed-in-as').filter({ hasText: username }).waitFor();
    await screenshot(page, 'profile');
    assertSignedInStorage(app, await storageOf(page), username);
    assert.deepEqual(problems, []);
  });

  test('the register form checks its fields and shows the password policy while typing', async () => {
    const { page, problems } = await openPage(browser, app);
    await page.goto(`${app.url}/register`);
    await page.getByLabel('Password', { exact: true }).fill('abc');
    const rules = page.locator('#password-rules li');
    assert.equal(await rules.count(), 5);
    assert.equal(await page.locator('#password-rules li.met').count(), 1, 'only "a lowercase letter" is met');
    await page.getByLabel('Email').fill('not-an-email');
    await page.getByLabel('Repeat the password').fill('abd');
    await page.getByRole('button', { name: 'Create account' }).click();
    await page.getByText('Please correct the fields marked below.').waitFor();
    await page.getByText('Enter a username.').waitFor();
    await page.getByText('Enter your name.').waitFor();
    await page.getByText('Enter an email address like name@example.com.').waitFor();
    await page.getByText('The password needs: at least 8 characters.').waitFor();
    await page.getByText('The two passwords are not the same.').waitFor();
    assert.equal(await page.getByLabel('Email').getAttribute('aria-invalid'), 'true');
    await screenshot(page, 'register-errors');
    await page.getByLabel('Password', { exact: true }).fill('Abcdefg1!');
    assert.equal(await page.locator('#password-rules li.met').count(), 5);
    assert.deepEqual(problems, []);
  });
});

describe('session in localStorage', () => {
  test('2. reload on /profile with valid tokens → still signed in, no InitiateAuth sent', async () => {
    const { page, calls, problems } = await openPage(browser, app);
    const username = await signedInUser(app, page, 'bo');
    const before_ = assertSignedInStorage(app, await storageOf(page), username);
    calls.length = 0;
    await page.reload();
    await expectProfile(page, username);
    assert.deepEqual(calls.filter((c) => c.startsWith('InitiateAuth')), [], `calls after reload: ${calls}`);
    assert.deepEqual(calls, ['GetUser']);
    const after_ = assertSignedInStorage(app, await storageOf(page), username);
    assert.equal(after_[`${username}.accessToken`], before_[`${username}.accessToken`]);
    assert.deepEqual(problems, []);
  });

  test('4. refresh token revoked server-side → reload lands on /login, ACIJ keys gone', async () => {
    const { page, problems } = await openPage(browser, app);
    const username = await signedInUser(app, page, 'cy');
    const keys = acijKeys(await storageOf(page), app.cognito.clientId);
    await app.cognito.call('RevokeToken', { Token: keys[`${username}.refreshToken`], ClientId: app.cognito.clientId });
    await page.reload();
    await page.waitForURL(/\/login/);
    await page.getByText('Your session has ended. Please sign in again.').waitFor();
    assert.deepEqual(acijKeys(await storageOf(page), app.cognito.clientId), {});
    assert.deepEqual(problems, []);
  });

  test('6. logout and global logout clear storage; /profile then goes to /login and back after login', async () => {
    const { page, problems } = await openPage(browser, app);
    const username = await signedInUser(app, page, 'di');
    await page.getByRole('link', { name: 'Sign out' }).click();
    await page.getByRole('heading', { name: 'Sign out' }).waitFor();
    await screenshot(page, 'logout');
    await page.getByRole('button', { name: 'Sign out', exact: true }).click();
    await page.waitForURL(/\/login/);
    await page.getByText('You have been signed out.').waitFor();
    assert.deepEqual(acijKeys(await storageOf(page), app.cognito.clientId), {});

    await page.goto(`${app.url}/profile`);
    await page.waitForURL(/\/login\?next=%2Fprofile/);
    await signIn(app, page, username);
    await page.waitForURL(/\/profile$/);
    await expectProfile(page, username);
    const other = await browser.newContext();
    const otherPage = await other.newPage();
    await otherPage.goto(`${app.url}/login`);
    await signIn(app, otherPage, username);
    await expectProfile(otherPage, username);
    const otherRefresh = acijKeys(await storageOf(otherPage), app.cognito.clientId)[`${username}.refreshToken`];

    await page.getByRole('button', { name: 'Sign out everywhere' }).click();
    await page.waitForURL(/\/login/);
    await page.getByText('You have been signed out on all devices.').waitFor();
    assert.deepEqual(acijKeys(await storageOf(page), app.cognito.clientId), {});
    await assert.rejects(
      app.cognito.call('InitiateAuth', { AuthFlow: 'REFRESH_TOKEN_AUTH', ClientId: app.cognito.clientId, AuthParameters: { REFRESH_TOKEN: otherRefresh } }),
      { message: 'Refresh Token has been revoked' },
      'the other device is signed out too',
    );
    await other.close();
    assert.deepEqual(problems, []);
  });
});

describe('refresh on reload', () => {
  let shortApp;
  before(async () => { shortApp = await startApp({ poolFile: SHORT_LIVED_POOL }); });
  after(() => shortApp?.close());

  test('3. reload after the access token expired → tokens refreshed (new access token in storage), profile shown', async () => {
    const { page, calls, problems } = await openPage(browser, shortApp);
    const username = unique('eve');
    await shortApp.cognito.call('AdminCreateUser', {
      UserPoolId: shortApp.cognito.poolId, Username: username, TemporaryPassword: PASSWORD, MessageAction: 'SUPPRESS',
      UserAttributes: [{ Name: 'email', Value: `${username}@example.com` }, { Name: 'email_verified', Value: 'true' }, { Name: 'name', Value: 'Eve' }],
    });
    // Make the account an ordinary confirmed one with a known password.
    await page.goto(`${shortApp.url}/login`);
    await page.getByLabel('Username', { exact: true }).fill(username);
    await page.getByLabel('Password', { exact: true }).fill(PASSWORD);
    await page.getByRole('button', { name: 'Sign in' }).click();
    await page.getByLabel('New password', { exact: true }).fill('Sunny-Day-43');
    await page.getByLabel('Repeat the new password').fill('Sunny-Day-43');
    await page.getByRole('button', { name: 'Set password and sign in' }).click();
    await page.getByRole('heading', { name: 'Your profile' }).waitFor();
    const clientId = shortApp.cognito.clientId;
    const before_ = acijKeys(await storageOf(page), clientId);
    const oldAccess = before_[`${username}.accessToken`];
    assert.equal(jwtPayload(oldAccess).exp - jwtPayload(oldAccess).iat, 4);

    // Away from the app while the tokens expire (an open page would refresh them before they do).
    await page.goto('about:blank');
    await new Promise((r) => setTimeout(r, 5000));
    calls.length = 0;
    await page.goto(`${shortApp.url}/profile`);
    await page.getByTestId('email').filter({ hasText: `${username}@example.com` }).waitFor();
    assert.deepEqual(calls, ['InitiateAuth:REFRESH_TOKEN_AUTH', 'GetUser']);
    const after_ = acijKeys(await storageOf(page), clientId);
    assert.notEqual(after_[`${username}.accessToken`], oldAccess, 'a new access token is stored');
    assert.equal(after_[`${username}.refreshToken`], before_[`${username}.refreshToken`], 'the refresh token is kept');
    assert.equal(jwtPayload(after_[`${username}.accessToken`]).origin_jti, jwtPayload(oldAccess).origin_jti);
    assert.deepEqual(problems, []);
  });
});

describe('failures', () => {
  test('5. wrong password, unknown user, wrong code, weak password, unconfirmed login → the right message, nothing stored', async () => {
    const { page, problems } = await openPage(browser, app);
    const username = await newUser(app, page, 'fay');
    await signIn(app, page, username, 'Wrong-Password-1');
    await page.getByRole('alert').filter({ hasText: 'Incorrect username or password.' }).waitFor();
    await screenshot(page, 'login-wrong-password');
    await signIn(app, page, unique('ghost'), PASSWORD);
    await page.getByRole('alert').filter({ hasText: 'Incorrect username or password.' }).waitFor();
    assert.deepEqual(acijKeys(await storageOf(page), app.cognito.clientId), {});

    // Weak password: stopped in the form, with the rule it breaks.
    const weak = unique('gus');
    await register(app, page, weak, { password: 'weakpass' });
    await page.getByText('The password needs: an uppercase letter.').waitFor();
    assert.match(page.url(), /\/register$/);

    // Unconfirmed account: right password → sent to /confirm.
    const pending = unique('hal');
    await register(app, page, pending);
    await page.waitForURL(/\/confirm\?/);
    await page.goto(`${app.url}/login`);
    await signIn(app, page, pending);
    await page.waitForURL(/\/confirm\?username=.*unconfirmed=1/);
    await page.getByText('Your account is not confirmed yet.').waitFor();
    // Wrong code.
    const { confirmation } = await app.cognito.codes(pending);
    await page.getByLabel('Confirmation code').fill(confirmation === '000000' ? '111111' : '000000');
    await page.getByRole('button', { name: 'Confirm account' }).click();
    await page.getByRole('alert').filter({ hasText: 'That code is not right. Check the email and try again.' }).waitFor();
    // A new code works.
    await page.getByRole('button', { name: 'Send a new code' }).click();
    await page.getByText(/New code sent\./).waitFor();
    await confirm(app, page, pending);
    assert.deepEqual(acijKeys(await storageOf(page), app.cognito.clientId), {});
    // Duplicate username.
    await register(app, page, pending);
    await page.getByRole('alert').filter({ hasText: 'That username is taken.' }).waitFor();
    assert.deepEqual(problems, []);
  });

  test('a missing or broken config.json shows a setup message', async () => {
    const broken = await startApp({ config: { userPoolId: 'not-a-pool', clientId: 'x' } });
    try {
      const { page, problems } = await openPage(browser, broken);
      await page.goto(`${broken.url}/login`);
      await page.getByRole('heading', { name: 'This sign-in page is not set up yet' }).waitFor();
      assert.match(await page.getByTestId('setup-error').textContent(), /userPoolId.*not a user pool id/);
      await screenshot(page, 'setup-error');
      assert.deepEqual(problems, []);
    } finally {
      await broken.close();
    }
  });
});

describe('compatibility with amazon-cognito-identity-js', () => {
  test('7a. the library reads our session with getCurrentUser().getSession()', async () => {
    const { page, problems } = await openPage(browser, app);
    const username = await signedInUser(app, page, 'ida');
    const ours = acijKeys(await storageOf(page), app.cognito.clientId);
    await page.goto(`${app.url}/acij.html`);
    const theirs = await page.evaluate(([p, c, e]) => window.readSession(p, c, e), [app.cognito.poolId, app.cognito.clientId, `${app.cognito.url}/`]);
    assert.equal(theirs.username, username);
    assert.equal(theirs.valid, true);
    assert.equal(theirs.accessToken, ours[`${username}.accessToken`]);
    assert.equal(theirs.idPayload.email, `${username}@example.com`);
    assert.deepEqual(problems, []);
  });

  test('7b. a session written by the library is picked up by our app after a reload', async () => {
    const { page, calls, problems } = await openPage(browser, app);
    const username = await newUser(app, page, 'jo');
    await page.goto(`${app.url}/acij.html`);
    const theirs = await page.evaluate(
      ([p, c, e, u, pw]) => window.libraryLogin(p, c, e, u, pw),
      [app.cognito.poolId, app.cognito.clientId, `${app.cognito.url}/`, username, PASSWORD],
    );
    assert.equal(theirs.username, username);
    calls.length = 0;
    await page.goto(`${app.url}/profile`);
    await expectProfile(page, username);
    assert.deepEqual(calls, ['GetUser'], 'signed in from the library\'s tokens, no new login');
    assert.equal(acijKeys(await storageOf(page), app.cognito.clientId)[`${username}.accessToken`], theirs.accessToken);
    assert.deepEqual(problems, []);
  });
});

test('8. an admin-created user completes NEW_PASSWORD_REQUIRED and lands on the profile', async () => {
  const { page, problems } = await openPage(browser, app);
  const username = unique('kai');
  await app.cognito.call('AdminCreateUser', {
    UserPoolId: app.cognito.poolId, Username: username, TemporaryPassword: 'Temporary-Pass-1', MessageAction: 'SUPPRESS',
    UserAttributes: [{ Name: 'email', Value: `${username}@example.com` }, { Name: 'email_verified', Value: 'true' }],
  });
  await page.goto(`${app.url}/login`);
  await signIn(app, page, username, 'Temporary-Pass-1');
  await page.getByRole('heading', { name: 'Choose a new password' }).waitFor();
  await page.getByLabel('Name', { exact: true }).fill('Kai Admin-Made');
  await page.getByLabel('New password', { exact: true }).fill('weak');
  await page.getByLabel('Repeat the new password').fill('weak');
  await page.getByRole('button', { name: 'Set password and sign in' }).click();
  await page.getByText('The password needs: at least 8 characters.').waitFor();
  await screenshot(page, 'new-password');
  await page.getByLabel('New password', { exact: true }).fill('Chosen-Pass-2');
  await page.getByLabel('Repeat the new password').fill('Chosen-Pass-2');
  await page.getByRole('button', { name: 'Set password and sign in' }).click();
  await page.waitForURL(/\/profile$/);
  await expectProfile(page, username);
  assert.equal(await page.getByTestId('name').textContent(), 'Kai Admin-Made');
  assertSignedInStorage(app, await storageOf(page), username);
  assert.deepEqual(problems, []);
});

test('unknown paths show the not-found page; / goes to /login when signed out', async () => {
  const { page, problems } = await openPage(browser, app);
  const wasm = page.waitForResponse((r) => r.url().endsWith('.wasm'));
  await page.goto(`${app.url}/nowhere`);
  assert.equal((await wasm).headers()['content-type'], 'application/wasm');
  await page.getByRole('heading', { name: 'Page not found' }).waitFor();
  await page.goto(`${app.url}/`);
  await page.waitForURL(/\/login$/);
  await page.setViewportSize({ width: 375, height: 740 });
  await page.getByRole('heading', { name: 'Sign in' }).waitFor();
  await screenshot(page, 'login-phone');
  assert.deepEqual(problems, []);
});

test('signing out in one tab signs out the other within a second; signing in again follows too', async () => {
  const { page, context, problems } = await openPage(browser, app);
  const username = await signedInUser(app, page, 'tab');
  const second = await context.newPage();
  second.on('pageerror', (err) => problems.push(err.message));
  await second.goto(`${app.url}/profile`);
  await expectProfile(second, username);

  await page.getByRole('button', { name: 'Sign out', exact: true }).click();
  await page.waitForURL(/\/login/);
  await second.waitForURL(/\/login/, { timeout: 1000 });
  await second.getByText('You have been signed out.').waitFor();

  await signIn(app, page, username);
  await expectProfile(page, username);
  await second.waitForURL(/\/profile$/, { timeout: 1000 });
  await expectProfile(second, username);
  assert.equal(await page.locator('#crash').count() + await second.locator('#crash').count(), 0);
  assert.deepEqual(problems, []);
});
