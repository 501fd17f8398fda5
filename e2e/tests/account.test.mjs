// Account features in Chromium against cognito-local: reset and change password, edit profile with email
// verification, delete account; each with its failure paths.
import assert from 'node:assert/strict';
import { test } from 'node:test';
import { acijKeys, jwtPayload, startApp, storageOf, withBrowserAndApp } from '../lib/app.mjs';
import { screenshot } from '../lib/browser.mjs';
import {
  expectProfile, KEEP_FRESH_POOL, newUser, openPage, PASSWORD, register, signedInUser, signIn, unique,
} from '../lib/flows.mjs';
import { totp } from '../lib/totp.mjs';

let app;
let browser;
withBrowserAndApp((b, a) => {
  browser = b;
  app = a;
});

const alert = (page, text) => page.getByRole('alert').filter({ hasText: text }).waitFor();

test('forgot password: code by email, wrong code, weak password, then sign in with the new one', async () => {
  const { page, problems } = await openPage(browser, app);
  const username = await newUser(app, page, 'fp');
  await page.getByLabel('Username', { exact: true }).fill(username);
  await page.getByRole('link', { name: 'Forgot your password?' }).click();
  await page.waitForURL(/\/forgot-password\?username=/);
  assert.equal(await page.getByLabel('Username', { exact: true }).inputValue(), username);
  await page.getByRole('button', { name: 'Send code' }).click();
  await page.getByText(/We sent a code by email to .\*\*\*@e\*\*\*/).waitFor();
  const { forgotPassword } = await app.cognito.codes(username);
  assert.match(forgotPassword, /^\d{6}$/);

  await page.getByLabel('Code from the email').fill(forgotPassword === '000000' ? '111111' : '000000');
  await page.getByLabel('New password', { exact: true }).fill('weak');
  await page.getByLabel('Repeat the new password').fill('weak');
  await page.getByRole('button', { name: 'Set new password' }).click();
  await page.getByText('The password needs: at least 8 characters.').waitFor();
  await page.getByLabel('New password', { exact: true }).fill('Brand-New-Pw-7');
  await page.getByLabel('Repeat the new password').fill('Brand-New-Pw-7');
  await page.getByRole('button', { name: 'Set new password' }).click();
  await alert(page, 'That code is not right. Check the email and try again.');
  await screenshot(page, 'forgot-password');

  await page.getByLabel('Code from the email').fill(forgotPassword);
  await page.getByRole('button', { name: 'Set new password' }).click();
  await page.waitForURL(/\/login\?username=/);
  await page.getByText('Your password has been reset. Sign in with the new one.').waitFor();
  await signIn(app, page, username, PASSWORD);
  await alert(page, 'Incorrect username or password.');
  await signIn(app, page, username, 'Brand-New-Pw-7');
  await expectProfile(page, username);
  assert.deepEqual(problems, []);
});

test('forgot password for an unconfirmed account sends no code and does not confirm it', async () => {
  const { page, problems } = await openPage(browser, app);
  const username = unique('fq');
  await register(app, page, username);
  await page.waitForURL(/\/confirm\?/);
  await page.goto(`${app.url}/forgot-password?username=${username}`);
  await page.getByRole('button', { name: 'Send code' }).click();
  // The pool hides which accounts exist (PreventUserExistenceErrors): like Cognito, it answers as if a code
  // was sent, and sends none, since the email is not verified.
  await page.getByText('We sent a code by email').waitFor();
  assert.equal((await app.cognito.codes(username)).forgotPassword, undefined);
  const user = await app.cognito.call('AdminGetUser', { UserPoolId: app.cognito.poolId, Username: username });
  assert.equal(user.UserStatus, 'UNCONFIRMED');
  assert.deepEqual(problems, []);
});

test('change password: a wrong current password keeps you signed in; a weak one is refused; then it works', async () => {
  const { page, problems } = await openPage(browser, app);
  const username = await signedInUser(app, page, 'cp');
  await page.getByLabel('Current password').fill('Not-My-Password-1');
  await page.getByLabel('New password', { exact: true }).fill('Changed-Pass-9');
  await page.getByLabel('Repeat the new password').fill('Changed-Pass-9');
  await page.getByRole('button', { name: 'Change password' }).click();
  await alert(page, 'Incorrect username or password.');
  assert.ok(acijKeys(await storageOf(page), app.cognito.clientId).LastAuthUser, 'still signed in');
  assert.match(page.url(), /\/profile$/);

  await page.getByLabel('Current password').fill(PASSWORD);
  await page.getByLabel('New password', { exact: true }).fill('changed-pass');
  await page.getByLabel('Repeat the new password').fill('changed-pass');
  await page.getByRole('button', { name: 'Change password' }).click();
  await page.getByText('The password needs: an uppercase letter.').waitFor();

  await page.getByLabel('New password', { exact: true }).fill('Changed-Pass-9');
  await page.getByLabel('Repeat the new password').fill('Changed-Pass-9');
  await page.getByRole('button', { name: 'Change password' }).click();
  await page.getByText('Your password has been changed.').waitFor();
  assert.equal(await page.getByLabel('Current password').inputValue(), '', 'the form is cleared');

  await page.getByRole('button', { name: 'Sign out', exact: true }).click();
  await page.waitForURL(/\/login/);
  await signIn(app, page, username, 'Changed-Pass-9');
  await expectProfile(page, username);
  assert.deepEqual(problems, []);
});

test('a save in one account section leaves what is typed in another section as it is', async () => {
  const { page, problems } = await openPage(browser, app);
  await signedInUser(app, page, 'keep');
  const current = page.getByLabel('Current password');
  await current.fill('typed, not saved yet');
  await page.getByLabel('Name', { exact: true }).fill('Katherine Johnson');
  await page.getByRole('button', { name: 'Save profile' }).click();
  await page.getByText('Your profile has been saved.').waitFor();
  // The profile was read again (the new name is shown) without rebuilding the password section.
  await page.getByTestId('name').filter({ hasText: 'Katherine Johnson' }).waitFor();
  assert.equal(await current.inputValue(), 'typed, not saved yet', 'the other section kept what was typed');
  assert.equal(await page.getByLabel('Name', { exact: true }).inputValue(), 'Katherine Johnson');
  // Each section says what came of its own save: the notice is in the section that saved.
  const editSection = page.locator('section.section', { has: page.getByRole('heading', { name: 'Edit profile' }) });
  await editSection.getByText('Your profile has been saved.').waitFor();
  assert.deepEqual(problems, []);
});

test('edit profile: a new name is saved; a new email is unverified until its code is entered', async () => {
  const { page, problems } = await openPage(browser, app);
  const username = await signedInUser(app, page, 'ep');
  await page.getByLabel('Name', { exact: true }).fill('Grace Hopper');
  await page.getByRole('button', { name: 'Save profile' }).click();
  await page.getByText('Your profile has been saved.').waitFor();
  await page.getByTestId('name').filter({ hasText: 'Grace Hopper' }).waitFor();

  await page.getByLabel('Email', { exact: true }).fill('not an email');
  await page.getByRole('button', { name: 'Save profile' }).click();
  await page.getByText('Enter an email address like name@example.com.').waitFor();
  const newEmail = `${username}@new.example.org`;
  await page.getByLabel('Email', { exact: true }).fill(newEmail);
  await page.getByRole('button', { name: 'Save profile' }).click();
  await page.getByText(/We sent a code to your new email address/).waitFor();
  await page.getByTestId('email').filter({ hasText: newEmail }).waitFor();
  assert.equal(await page.getByTestId('email-verified').textContent(), 'no');
  await screenshot(page, 'profile-unverified-email');

  const code = (await app.cognito.codes(username)).attributes.email;
  await page.getByLabel('Verification code').fill(code === '000000' ? '111111' : '000000');
  await page.getByRole('button', { name: 'Verify email' }).click();
  await alert(page, 'That code is not right. Check the email and try again.');
  await page.getByRole('button', { name: 'Send a new code' }).click();
  await page.getByText(/We sent a new code to/).waitFor();
  const fresh = (await app.cognito.codes(username)).attributes.email;
  await page.getByLabel('Verification code').fill(fresh);
  await page.getByRole('button', { name: 'Verify email' }).click();
  await page.getByText('Your email address is verified.').waitFor();
  await page.getByTestId('email-verified').filter({ hasText: 'yes' }).waitFor();
  assert.deepEqual(problems, []);
});

test('delete account: explicit confirmation, then a clean signed-out state', async () => {
  const { page, problems } = await openPage(browser, app);
  const username = await signedInUser(app, page, 'da');
  await page.getByRole('button', { name: 'Delete my account…' }).click();
  const confirmButton = page.getByRole('button', { name: 'Delete my account for good' });
  await page.getByLabel(/Type your username/).fill('someone-else');
  assert.equal(await confirmButton.isDisabled(), true, 'the wrong name does not arm the button');
  await page.getByLabel(/Type your username/).fill(username);
  await screenshot(page, 'delete-account');
  await confirmButton.click();
  await page.waitForURL(/\/login/);
  await page.getByText('Your account has been deleted.').waitFor();
  assert.deepEqual(acijKeys(await storageOf(page), app.cognito.clientId), {});
  await signIn(app, page, username);
  await alert(page, 'Incorrect username or password.');
  await assert.rejects(app.cognito.call('AdminGetUser', { UserPoolId: app.cognito.poolId, Username: username }), { code: 'UserNotFoundException' });
  assert.deepEqual(problems, []);
});

test('/admin is for members of the admin group; others are not allowed; signed-out users go to login', async () => {
  const { page, problems } = await openPage(browser, app);
  await app.cognito.call('CreateGroup', { UserPoolId: app.cognito.poolId, GroupName: 'admin' }).catch((e) => {
    if (e.code !== 'GroupExistsException') throw e;
  });
  const boss = await newUser(app, page, 'boss');
  await app.cognito.call('AdminAddUserToGroup', { UserPoolId: app.cognito.poolId, Username: boss, GroupName: 'admin' });
  await page.goto(`${app.url}/admin`);
  await page.waitForURL(/\/login\?next=%2Fadmin/);
  await signIn(app, page, boss);
  await page.waitForURL(/\/admin$/);
  await page.getByTestId('admin-welcome').waitFor();
  await page.getByRole('link', { name: 'Admin' }).waitFor();
  await screenshot(page, 'admin');
  await page.goto(`${app.url}/profile`);
  await page.getByTestId('groups').filter({ hasText: 'admin' }).waitFor();

  const other = await openPage(browser, app);
  const plain = await newUser(app, other.page, 'plain');
  await signIn(app, other.page, plain);
  await expectProfile(other.page, plain);
  assert.equal(await other.page.getByRole('link', { name: 'Admin' }).count(), 0);
  await other.page.goto(`${app.url}/admin`);
  await other.page.getByTestId('not-allowed').waitFor();
  assert.deepEqual([...problems, ...other.problems], []);
});

test('the protected API is called with the id token; a tampered or expired token is refused (401)', async () => {
  const api = await startApp({ extraConfig: (cognito) => ({ apiUrl: `${cognito.url}/_local/echo` }) });
  try {
    const { page, problems } = await openPage(browser, api);
    const username = await signedInUser(api, page, 'api');
    await page.getByRole('button', { name: 'Call the API' }).click();
    await page.getByText('The API answered 200.').waitFor();
    const echoed = JSON.parse(await page.getByTestId('api-answer').locator('pre').textContent());
    assert.equal(echoed.claims['cognito:username'], username);
    assert.equal(echoed.claims.token_use, 'id');
    await screenshot(page, 'api-call');

    const key = `CognitoIdentityServiceProvider.${api.cognito.clientId}.${username}.idToken`;
    const original = await page.evaluate((k) => localStorage.getItem(k), key);
    await page.evaluate(([k, v]) => localStorage.setItem(k, v), [key, `${original.slice(0, -6)}AAAAAA`]);
    await page.getByRole('button', { name: 'Call the API' }).click();
    await page.getByText('The API refused the request (401): your session is not accepted.').waitFor();
    assert.match(await page.getByTestId('api-answer').locator('pre').textContent(), /Unauthorized/);

    await page.evaluate(([k, v]) => localStorage.setItem(k, v), [key, original]);
    await page.getByRole('button', { name: 'Call the API' }).click();
    await page.getByText('The API answered 200.').waitFor();
    await api.cognito.advanceClock(2 * 3600);
    await page.getByRole('button', { name: 'Call the API' }).click();
    await page.getByText('The API refused the request (401): your session is not accepted.').waitFor();
    assert.deepEqual(problems, []);
  } finally {
    await api.close();
  }
});

test('tokens are refreshed before they expire while the page stays open, once per due time, without interrupting the user', async () => {
  // Id tokens of 5 minutes with access tokens of an hour: keep-fresh must follow the shorter one (a
  // minute ahead) and refresh once each time, never in a loop. The browser's clock is moved forward
  // instead of waiting; clockDrift absorbs the difference from the server's.
  const fresh = await startApp({ poolFile: KEEP_FRESH_POOL });
  try {
    const context = await browser.newContext();
    await context.clock.install();
    const { page, calls, problems } = await openPage(context, fresh);
    const username = await signedInUser(fresh, page, 'pr');
    const key = `CognitoIdentityServiceProvider.${fresh.cognito.clientId}.${username}.idToken`;
    const first = await page.evaluate((k) => localStorage.getItem(k), key);
    await page.getByLabel('Name', { exact: true }).fill('Typed but not saved');
    const refreshes = () => calls.filter((c) => c === 'InitiateAuth:REFRESH_TOKEN_AUTH').length;
    calls.length = 0;

    await page.clock.fastForward('03:50'); // not yet due (4 minutes after issue)
    await page.waitForTimeout(500);
    assert.equal(refreshes(), 0, 'nothing before the id token is due');
    await page.clock.fastForward('00:15'); // due: a minute before the 5-minute id token expires
    await page.waitForFunction(([k, v]) => localStorage.getItem(k) !== v, [key, first], { timeout: 10000 });
    await page.waitForTimeout(1500);
    assert.equal(refreshes(), 1, `one refresh, no loop: ${calls}`);
    const second = await page.evaluate((k) => localStorage.getItem(k), key);
    assert.ok(jwtPayload(second).jti !== jwtPayload(first).jti, 'a new id token');
    assert.ok(!calls.includes('GetUser'), 'the profile was not reloaded');
    assert.match(page.url(), /\/profile$/);
    assert.equal(await page.getByLabel('Name', { exact: true }).inputValue(), 'Typed but not saved', 'what the user typed is intact');

    await page.clock.fastForward('04:05'); // and again four minutes later
    await page.waitForFunction(([k, v]) => localStorage.getItem(k) !== v, [key, second], { timeout: 10000 });
    await page.waitForTimeout(1500);
    assert.equal(refreshes(), 2, `calls: ${calls}`);
    assert.deepEqual(problems, []);
    await context.close();
  } finally {
    await fresh.close();
  }
});

test('TOTP MFA: set up with the QR code or the key, asked at sign-in, wrong codes refused, can be turned off', async () => {
  const { page, problems } = await openPage(browser, app);
  const username = await signedInUser(app, page, 'mfa');
  await page.getByTestId('mfa-status').filter({ hasText: 'Off.' }).waitFor();
  await page.getByRole('button', { name: 'Set up an authenticator app' }).click();
  const key = (await page.getByTestId('totp-secret').textContent()).replaceAll(' ', '');
  assert.match(key, /^[A-Z2-7]{32}$/);
  const qr = page.getByRole('img', { name: 'QR code for your authenticator app' });
  assert.ok((await qr.locator('svg').count()) === 1, 'a QR code is drawn');
  assert.ok((await qr.boundingBox()).width >= 150);
  await screenshot(page, 'mfa-setup');
  await page.getByLabel('Code from the app').fill(totp(key, 9));
  await page.getByRole('button', { name: 'Turn on' }).click();
  await page.getByRole('alert').filter({ hasText: 'That code is not right.' }).waitFor();
  await page.getByLabel('Code from the app').fill(totp(key));
  await page.getByRole('button', { name: 'Turn on' }).click();
  await page.getByText('Two-step verification is on. Signing in will ask for a code from your app.').waitFor();
  await page.getByTestId('mfa-status').filter({ hasText: 'On:' }).waitFor();

  await page.getByRole('button', { name: 'Sign out', exact: true }).click();
  await page.waitForURL(/\/login/);
  await signIn(app, page, username);
  await page.getByRole('heading', { name: 'Enter your code' }).waitFor();
  assert.deepEqual(acijKeys(await storageOf(page), app.cognito.clientId), {}, 'nothing stored before the code');
  await page.getByLabel('Code from the app').fill(totp(key, 7));
  await page.getByRole('button', { name: 'Continue' }).click();
  await page.getByRole('alert').filter({ hasText: 'That code is not right. Enter the current code from your authenticator app.' }).waitFor();
  await screenshot(page, 'mfa-sign-in');
  await page.getByLabel('Code from the app').fill(totp(key));
  await page.getByRole('button', { name: 'Continue' }).click();
  await page.waitForURL(/\/profile$/);
  await expectProfile(page, username);

  // Turning it off needs the password and a current code (a fresh sign-in), not just an open session.
  await page.getByRole('button', { name: 'Turn off' }).click();
  await page.getByLabel('Your password').fill(PASSWORD);
  await page.getByLabel('Current code from the app').fill(totp(key, 7));
  await page.getByRole('button', { name: 'Confirm and turn off' }).click();
  await page.getByRole('alert').filter({ hasText: 'That code is not right.' }).waitFor();
  await page.getByTestId('mfa-status').filter({ hasText: 'On:' }).waitFor();
  const refreshBefore = acijKeys(await storageOf(page), app.cognito.clientId)[`${username}.refreshToken`];
  await page.getByLabel('Your password').fill(PASSWORD);
  await page.getByLabel('Current code from the app').fill(totp(key));
  await page.getByRole('button', { name: 'Confirm and turn off' }).click();
  await page.getByText('Two-step verification is off.').waitFor();
  await page.getByTestId('mfa-status').filter({ hasText: 'Off.' }).waitFor();
  const refreshAfter = acijKeys(await storageOf(page), app.cognito.clientId)[`${username}.refreshToken`];
  assert.notEqual(refreshAfter, refreshBefore, 'the confirming sign-in replaced the session');
  await assert.rejects(
    app.cognito.call('InitiateAuth', { AuthFlow: 'REFRESH_TOKEN_AUTH', ClientId: app.cognito.clientId, AuthParameters: { REFRESH_TOKEN: refreshBefore } }),
    { code: 'NotAuthorizedException' },
    'the replaced session was revoked',
  );
  await page.getByRole('button', { name: 'Sign out', exact: true }).click();
  await page.waitForURL(/\/login/);
  await signIn(app, page, username);
  await expectProfile(page, username);
  assert.deepEqual(problems, []);
});

test('an expired password-reset code is refused with a request for a new one', async () => {
  const own = await startApp();
  try {
    const { page, problems } = await openPage(browser, own);
    const username = await newUser(own, page, 'exp');
    await page.goto(`${own.url}/forgot-password?username=${username}`);
    await page.getByRole('button', { name: 'Send code' }).click();
    await page.getByText(/We sent a code by email/).waitFor();
    const { forgotPassword } = await own.cognito.codes(username);
    await own.cognito.advanceClock(3601); // reset codes live one hour
    await page.getByLabel('Code from the email').fill(forgotPassword);
    await page.getByLabel('New password', { exact: true }).fill('Brand-New-Pw-8');
    await page.getByLabel('Repeat the new password').fill('Brand-New-Pw-8');
    await page.getByRole('button', { name: 'Set new password' }).click();
    await alert(page, 'That code has expired. Request a new one.');
    await page.getByRole('button', { name: 'Send a new code' }).click();
    await page.getByText(/We sent a code by email/).waitFor();
    await page.getByLabel('Code from the email').fill((await own.cognito.codes(username)).forgotPassword);
    await page.getByRole('button', { name: 'Set new password' }).click();
    await page.getByText('Your password has been reset. Sign in with the new one.').waitFor();
    assert.deepEqual(problems, []);
  } finally {
    await own.close();
  }
});
