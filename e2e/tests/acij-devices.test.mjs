// Remembered devices judged by the reference client: amazon-cognito-identity-js, unmodified, against
// cognito-local with device tracking. It confirms the device it is handed (NewDeviceMetadata → its own
// verifier → ConfirmDevice), remembers it on the user's word, then signs in on it with the device's SRP
// proof instead of the authenticator code, refreshes with its DEVICE_KEY, lists and forgets it.
import assert from 'node:assert/strict';
import { createRequire } from 'node:module';
import { after, before, test } from 'node:test';
import { fileURLToPath } from 'node:url';
import { startLocalCognito } from '../lib/local-server.mjs';
import { totp } from '../lib/totp.mjs';

const require = createRequire(import.meta.url);
const { AuthenticationDetails, CognitoUser, CognitoUserAttribute, CognitoUserPool } = require('amazon-cognito-identity-js');

const PASSWORD = 'Interop-Pass-1';
const POOL_FILE = fileURLToPath(new URL('../pools/devices.json', import.meta.url));
let server;
let pool;

before(async () => {
  server = await startLocalCognito(POOL_FILE);
  pool = new CognitoUserPool({ UserPoolId: server.poolId, ClientId: server.clientId, endpoint: server.url });
});
after(() => server?.stop());

const cb = (fn) => new Promise((resolve, reject) => fn((err, result) => (err ? reject(err) : resolve(result))));
const claims = (jwt) => JSON.parse(Buffer.from(jwt.split('.')[1], 'base64url').toString('utf8'));

// The library's sign-in: resolves with {session, userConfirmationNecessary, asked} (asked: the MFA kinds
// it was asked for, answered with `code()`).
function signIn(username, code) {
  const user = new CognitoUser({ Username: username, Pool: pool });
  const asked = [];
  return new Promise((resolve, reject) => {
    user.authenticateUser(new AuthenticationDetails({ Username: username, Password: PASSWORD }), {
      onSuccess: (session, userConfirmationNecessary) => resolve({ user, session, userConfirmationNecessary, asked }),
      onFailure: reject,
      totpRequired: (challengeName) => {
        asked.push(challengeName);
        if (!code) return reject(new Error('an MFA code was asked for'));
        user.sendMFACode(code(), {
          onSuccess: (session, userConfirmationNecessary) => resolve({ user, session, userConfirmationNecessary, asked }),
          onFailure: reject,
        }, 'SOFTWARE_TOKEN_MFA');
      },
    });
  });
}

test('the reference client confirms, remembers and signs in on a device, skipping MFA, then forgets it', async () => {
  const attrs = [
    new CognitoUserAttribute({ Name: 'email', Value: 'dana@example.com' }),
    new CognitoUserAttribute({ Name: 'name', Value: 'Dana' }),
  ];
  await cb((done) => pool.signUp('dana', PASSWORD, attrs, null, done));
  const { confirmation } = await server.codes('dana');
  await cb((done) => new CognitoUser({ Username: 'dana', Pool: pool }).confirmRegistration(confirmation, false, done));

  // First sign-in: a new device; the library confirms it and learns the user must be asked.
  const first = await signIn('dana');
  assert.equal(first.userConfirmationNecessary, true, "the pool remembers devices on the user's word");
  const deviceKey = first.user.deviceKey;
  assert.match(deviceKey, /^us-east-1_[0-9a-f-]{36}$/);
  assert.equal(claims(first.session.getAccessToken().getJwtToken()).device_key, deviceKey);

  // An authenticator app, so that sign-ins ask for a code.
  const secret = await new Promise((resolve, reject) => first.user.associateSoftwareToken({ associateSecretCode: resolve, onFailure: reject }));
  await new Promise((resolve, reject) => first.user.verifySoftwareToken(totp(secret), 'phone', { onSuccess: resolve, onFailure: reject }));
  assert.equal(await cb((done) => first.user.setUserMfaPreference(null, { PreferredMfa: true, Enabled: true }, done)), 'SUCCESS');
  // Not remembered yet: the code is asked.
  const asked = await signIn('dana', () => totp(secret));
  assert.deepEqual(asked.asked, ['SOFTWARE_TOKEN_MFA']);
  assert.equal(claims(asked.session.getAccessToken().getJwtToken()).device_key, deviceKey);

  // Remembered: the next sign-in needs no code, the device's proof instead.
  await cb((done) => asked.user.setDeviceStatusRemembered({ onSuccess: (r) => done(null, r), onFailure: done }));
  const remembered = await signIn('dana');
  assert.deepEqual(remembered.asked, []);
  assert.equal(claims(remembered.session.getAccessToken().getJwtToken()).device_key, deviceKey);

  // Its refresh sends DEVICE_KEY, as the service requires of a device's tokens.
  const refreshed = await cb((done) => remembered.user.refreshSession(remembered.session.getRefreshToken(), done));
  assert.ok(refreshed.isValid());

  const listed = await cb((done) => remembered.user.listDevices(10, null, { onSuccess: (r) => done(null, r), onFailure: done }));
  assert.equal(listed.Devices.length, 1);
  const status = listed.Devices[0].DeviceAttributes.find((a) => a.Name === 'dev:device_remembered_status');
  assert.equal(status.Value, 'remembered');

  // Forgotten: the library drops its keys, and the code is asked again.
  await cb((done) => remembered.user.forgetDevice({ onSuccess: (r) => done(null, r), onFailure: done }));
  const again = await signIn('dana', () => totp(secret));
  assert.deepEqual(again.asked, ['SOFTWARE_TOKEN_MFA']);
  assert.notEqual(again.user.deviceKey, deviceKey, 'a new device');
});
