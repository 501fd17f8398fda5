// A pool that requires two-step verification (MfaConfiguration ON): a user without it gets the MFA_SETUP
// challenge at sign-in, sets up an authenticator app on the sign-in page (AssociateSoftwareToken and
// VerifySoftwareToken with the sign-in's session), and is signed in; the next sign-in asks for a code.
// And the other end: a pool with MFA off, where the profile offers no authenticator app.
import assert from 'node:assert/strict';
import { test } from 'node:test';
import { acijKeys, startApp, storageOf, withBrowserAndApp } from '../lib/app.mjs';
import { alertWith as alert, countCalls as count, expectProfile, MFA_REQUIRED_POOL, newUser, openPage, signIn } from '../lib/flows.mjs';
import { totp } from '../lib/totp.mjs';

let app;
let browser;
withBrowserAndApp((b, a) => {
  browser = b;
  app = a;
}, { poolFile: MFA_REQUIRED_POOL });

test('MFA_SETUP: an authenticator app is set up while signing in, and asked for at the next sign-in', async () => {
  const { page, calls, problems } = await openPage(browser, app);
  const username = await newUser(app, page, 'setup');
  calls.length = 0;
  await signIn(app, page, username);
  await page.getByRole('heading', { name: 'Set up two-step verification' }).waitFor();
  const key = (await page.getByTestId('totp-secret').textContent()).replaceAll(' ', '');
  assert.match(key, /^[A-Z2-7]{32}$/);
  await page.getByRole('img', { name: 'QR code for your authenticator app' }).waitFor();
  assert.equal(acijKeys(await storageOf(page), app.cognito.clientId).LastAuthUser, undefined, 'not signed in yet');

  // A wrong code can be corrected within the same sign-in.
  await page.getByLabel('Code from the app').fill(totp(key, 9));
  await page.getByRole('button', { name: 'Turn on and sign in' }).click();
  await alert(page, 'That code is not right.').waitFor();
  await page.getByLabel('Code from the app').fill(totp(key));
  await page.getByRole('button', { name: 'Turn on and sign in' }).click();
  await expectProfile(page, username);
  await page.getByTestId('mfa-status').filter({ hasText: 'On:' }).waitFor();
  assert.deepEqual(
    calls.filter((c) => !c.startsWith('GetUser')),
    ['InitiateAuth:USER_SRP_AUTH', 'RespondToAuthChallenge', 'AssociateSoftwareToken', 'VerifySoftwareToken',
      'VerifySoftwareToken', 'RespondToAuthChallenge'],
  );

  await page.getByRole('button', { name: 'Sign out', exact: true }).click();
  await page.waitForURL(/\/login/);
  await signIn(app, page, username);
  await page.getByRole('heading', { name: 'Enter your code' }).waitFor();
  await page.getByLabel('Code from the app').fill(totp(key, 1));
  await page.getByRole('button', { name: 'Continue' }).click();
  await expectProfile(page, username);
  assert.equal(count(calls, 'AssociateSoftwareToken'), 1, 'set up once');
  assert.deepEqual(problems, []);
});

test('MFA off (config.json and the pool): the profile offers no authenticator app, and sign-in asks for no code', async () => {
  const off = await startApp({ extraConfig: () => ({ mfaConfiguration: 'OFF' }) });
  try {
    await off.cognito.call('SetUserPoolMfaConfig', { UserPoolId: off.cognito.poolId, MfaConfiguration: 'OFF' });
    const { page, calls, problems } = await openPage(browser, off);
    const username = await newUser(off, page, 'nomfa');
    await signIn(off, page, username);
    await expectProfile(page, username);
    await page.getByRole('heading', { name: 'Change password' }).waitFor();
    await page.getByRole('heading', { name: 'Delete account' }).waitFor();
    assert.equal(await page.getByRole('heading', { name: 'Two-step verification' }).count(), 0);
    assert.equal(count(calls, 'AssociateSoftwareToken'), 0);
    assert.deepEqual(problems, []);
  } finally {
    await off.close();
  }
});

test('MFA off in the pool but not in config.json: setting up an authenticator app is refused plainly', async () => {
  const stale = await startApp();
  try {
    await stale.cognito.call('SetUserPoolMfaConfig', { UserPoolId: stale.cognito.poolId, MfaConfiguration: 'OFF' });
    const { page, problems } = await openPage(browser, stale);
    const username = await newUser(stale, page, 'stale');
    await signIn(stale, page, username);
    await expectProfile(page, username);
    await page.getByRole('button', { name: 'Set up an authenticator app' }).click();
    await alert(page, 'Authenticator apps are not available for this account.').waitFor();
    assert.equal(await page.getByTestId('totp-secret').count(), 0);
    assert.deepEqual(problems, []);
  } finally {
    await stale.close();
  }
});
