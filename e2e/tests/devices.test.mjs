// Remembered devices in the app (a pool with device tracking that remembers a confirmed device at once,
// and an authenticator app for the second factor): the device the service hands out is confirmed with a
// verifier made in wasm and kept in amazon-cognito-identity-js's keys; the next sign-in on it needs no
// code (the device proves itself); its tokens refresh with its DEVICE_KEY; a sign-out keeps it; and the
// reference client signs in on a device the app remembered, and the app on one the reference client
// remembered.
import assert from 'node:assert/strict';
import { test } from 'node:test';
import { acijKeys, storageOf, withBrowserAndApp } from '../lib/app.mjs';
import { expectProfile, openPage, PASSWORD, register, confirm, signIn, unique } from '../lib/flows.mjs';
import { totp } from '../lib/totp.mjs';

const POOL = new URL('../pools/devices-remembered.json', import.meta.url).pathname;

let app;
let browser;
let clockAheadMs = 0; // the local server's clock, moved by a test, is this far ahead of ours
withBrowserAndApp((b, a) => {
  browser = b;
  app = a;
}, { poolFile: POOL });

const deviceKeysOf = async (page, username) => {
  const keys = acijKeys(await storageOf(page), app.cognito.clientId);
  return { deviceKey: keys[`${username}.deviceKey`], groupKey: keys[`${username}.deviceGroupKey`], password: keys[`${username}.randomPasswordKey`] };
};

// An authenticator app for the signed-in user, through the API with the app's access token.
async function turnOnTotp(page, username) {
  const accessToken = acijKeys(await storageOf(page), app.cognito.clientId)[`${username}.accessToken`];
  const { SecretCode } = await app.cognito.call('AssociateSoftwareToken', { AccessToken: accessToken });
  await app.cognito.call('VerifySoftwareToken', { AccessToken: accessToken, UserCode: totp(SecretCode, 0, Date.now() + clockAheadMs) });
  await app.cognito.call('SetUserMFAPreference', { AccessToken: accessToken, SoftwareTokenMfaSettings: { Enabled: true, PreferredMfa: true } });
  return SecretCode;
}

async function signOut(page) {
  await page.getByRole('button', { name: 'Sign out', exact: true }).click();
  await page.waitForURL(/\/login/);
}

test('the app confirms its device, signs in on it with no code, refreshes with it, and keeps it on sign-out', async () => {
  const { page, problems, calls } = await openPage(browser, app);
  const requests = [];
  page.on('request', (r) => { if (r.postData()) requests.push(r.postData()); });
  const username = unique('dev');
  await register(app, page, username);
  await page.waitForURL(/\/confirm\?/);
  await confirm(app, page, username);
  await signIn(app, page, username);
  await expectProfile(page, username);
  // The device handed out at the end of the sign-in is confirmed and kept in the reference client's keys.
  await page.waitForFunction((prefix) => localStorage.getItem(`${prefix}.randomPasswordKey`),
    `CognitoIdentityServiceProvider.${app.cognito.clientId}.${username}`);
  const device = await deviceKeysOf(page, username);
  assert.match(device.deviceKey, /^us-east-1_[0-9a-f-]{36}$/);
  assert.match(device.groupKey, /^-/);
  assert.equal(Buffer.from(device.password, 'base64').length, 40);
  const confirmDevice = requests.map((b) => JSON.parse(b)).find((b) => b.DeviceSecretVerifierConfig);
  assert.equal(confirmDevice.DeviceKey, device.deviceKey);
  assert.ok(!JSON.stringify(confirmDevice).includes(device.password), 'the device password never leaves the page');
  const secret = await turnOnTotp(page, username);

  // Signed out: the device stays; signing in again asks for no code (the device proves itself).
  await signOut(page);
  assert.deepEqual(await deviceKeysOf(page, username), device, 'a sign-out keeps the device');
  const before = calls.length;
  await signIn(app, page, username);
  await expectProfile(page, username);
  assert.deepEqual(calls.slice(before).filter((c) => /InitiateAuth|RespondToAuthChallenge|ConfirmDevice/.test(c)),
    ['InitiateAuth:USER_SRP_AUTH', 'RespondToAuthChallenge', 'RespondToAuthChallenge', 'RespondToAuthChallenge']);
  // (PASSWORD_VERIFIER, DEVICE_SRP_AUTH, DEVICE_PASSWORD_VERIFIER; no code, no new device.)

  // The tokens expire: the reload refreshes them, naming the device (the service refuses otherwise).
  await app.cognito.advanceClock(3700);
  clockAheadMs += 3700 * 1000;
  const refreshes = requests.length;
  await page.reload();
  await expectProfile(page, username);
  const refresh = requests.slice(refreshes).map((b) => JSON.parse(b)).find((b) => b.AuthFlow === 'REFRESH_TOKEN_AUTH');
  assert.equal(refresh.AuthParameters.DEVICE_KEY, device.deviceKey);

  // amazon-cognito-identity-js on this browser signs in on the device the app remembered: no code.
  await signOut(page);
  await page.goto(`${app.url}/acij.html`);
  const library = await page.evaluate(({ poolId, clientId, endpoint, username, password }) =>
    window.libraryLogin(poolId, clientId, endpoint, username, password),
  { poolId: app.cognito.poolId, clientId: app.cognito.clientId, endpoint: `${app.cognito.url}/`, username, password: PASSWORD });
  assert.equal(library.username, username);
  const claims = JSON.parse(Buffer.from(library.accessToken.split('.')[1], 'base64url').toString('utf8'));
  assert.equal(claims.device_key, device.deviceKey);
  assert.ok(secret);
  assert.deepEqual(problems, []);
});

test('the app signs in on a device amazon-cognito-identity-js remembered', async () => {
  const { page, problems } = await openPage(browser, app);
  const username = unique('libdev');
  const { clientId } = app.cognito;
  await app.cognito.call('SignUp', { ClientId: clientId, Username: username, Password: PASSWORD,
    UserAttributes: [{ Name: 'email', Value: `${username}@example.com` }, { Name: 'name', Value: 'Lib' }] });
  const { confirmation } = await app.cognito.codes(username);
  await app.cognito.call('ConfirmSignUp', { ClientId: clientId, Username: username, ConfirmationCode: confirmation });
  // The library signs in first on this browser: it confirms the device and keeps it.
  await page.goto(`${app.url}/acij.html`);
  const library = await page.evaluate(({ poolId, clientId, endpoint, username, password }) =>
    window.libraryLogin(poolId, clientId, endpoint, username, password),
  { poolId: app.cognito.poolId, clientId, endpoint: `${app.cognito.url}/`, username, password: PASSWORD });
  await page.waitForFunction((prefix) => localStorage.getItem(`${prefix}.randomPasswordKey`),
    `CognitoIdentityServiceProvider.${clientId}.${username}`);
  const device = await deviceKeysOf(page, username);
  await turnOnTotp(page, username);
  assert.ok(library.accessToken);
  // The app, on the same browser after the library signed out: no code asked, the library's device used.
  await page.evaluate(() => {
    for (const k of Object.keys(localStorage)) if (/\.(idToken|accessToken|refreshToken|clockDrift|LastAuthUser)$/.test(k)) localStorage.removeItem(k);
  });
  await page.goto(`${app.url}/login`);
  await signIn(app, page, username);
  await expectProfile(page, username);
  const accessToken = acijKeys(await storageOf(page), clientId)[`${username}.accessToken`];
  const claims = JSON.parse(Buffer.from(accessToken.split('.')[1], 'base64url').toString('utf8'));
  assert.equal(claims.device_key, device.deviceKey);
  assert.deepEqual(problems, []);
});
