// The independent proof that cognito-local's server-side SRP and protocol are right: the official
// amazon-cognito-identity-js, unmodified, signs up, logs in and manages a session against it.
import assert from 'node:assert/strict';
import { createRequire } from 'node:module';
import { after, before, test } from 'node:test';
import { startLocalCognito } from '../lib/local-server.mjs';
import { totp } from '../lib/totp.mjs';

const require = createRequire(import.meta.url);
const { AuthenticationDetails, CognitoUser, CognitoUserAttribute, CognitoUserPool } = require('amazon-cognito-identity-js');

const PASSWORD = 'Interop-Pass-1';
let server;
let pool;

before(async () => {
  server = await startLocalCognito();
  pool = new CognitoUserPool({ UserPoolId: server.poolId, ClientId: server.clientId, endpoint: server.url });
});
after(() => server?.stop());

const signUp = (username, password) =>
  new Promise((resolve, reject) => {
    const attrs = [
      new CognitoUserAttribute({ Name: 'email', Value: `${username}@example.com` }),
      new CognitoUserAttribute({ Name: 'name', Value: `Name of ${username}` }),
    ];
    pool.signUp(username, password, attrs, null, (err, result) => (err ? reject(err) : resolve(result)));
  });

const userFor = (username) => new CognitoUser({ Username: username, Pool: pool });

const authenticate = (user, password, onNewPassword) =>
  new Promise((resolve, reject) => {
    user.authenticateUser(new AuthenticationDetails({ Username: user.getUsername(), Password: password }), {
      onSuccess: resolve,
      onFailure: reject,
      newPasswordRequired: (userAttributes, requiredAttributes) =>
        onNewPassword ? onNewPassword(userAttributes, requiredAttributes, resolve, reject) : reject(new Error('unexpected NEW_PASSWORD_REQUIRED')),
    });
  });

const cb = (fn) => new Promise((resolve, reject) => fn((err, result) => (err ? reject(err) : resolve(result))));

test('sign up, confirm, log in, read attributes, refresh, global sign-out', async () => {
  const signed = await signUp('ivy', PASSWORD);
  assert.equal(signed.userConfirmed, false);
  assert.equal(signed.codeDeliveryDetails.DeliveryMedium, 'EMAIL');
  const { confirmation } = await server.codes('ivy');
  assert.match(confirmation, /^\d{6}$/);
  const user = userFor('ivy');
  assert.equal(await cb((done) => user.confirmRegistration(confirmation, false, done)), 'SUCCESS');

  await assert.rejects(authenticate(userFor('ivy'), 'Wrong-Pass-1'), {
    code: 'NotAuthorizedException',
    message: 'Incorrect username or password.',
  });
  const session = await authenticate(user, PASSWORD);
  assert.ok(session.isValid());
  assert.equal(session.getIdToken().payload.email, 'ivy@example.com');
  assert.equal(session.getIdToken().payload.email_verified, true);
  assert.equal(session.getAccessToken().payload.username, 'ivy');

  const attributes = await cb((done) => user.getUserAttributes(done));
  const byName = Object.fromEntries(attributes.map((a) => [a.getName(), a.getValue()]));
  assert.equal(byName.name, 'Name of ivy');
  assert.equal(byName.email_verified, 'true');
  assert.equal(byName.sub, session.getIdToken().payload.sub);

  // The library's session storage reads back through getCurrentUser().getSession().
  const current = pool.getCurrentUser();
  assert.equal(current.getUsername(), 'ivy');
  const restored = await cb((done) => current.getSession(done));
  assert.equal(restored.getAccessToken().getJwtToken(), session.getAccessToken().getJwtToken());

  const refreshed = await cb((done) => user.refreshSession(session.getRefreshToken(), done));
  assert.notEqual(refreshed.getAccessToken().getJwtToken(), session.getAccessToken().getJwtToken());
  assert.equal(refreshed.getRefreshToken().getToken(), session.getRefreshToken().getToken(), 'the refresh token is kept');

  await new Promise((resolve, reject) => user.globalSignOut({ onSuccess: resolve, onFailure: reject }));
  await assert.rejects(cb((done) => userFor('ivy').refreshSession(session.getRefreshToken(), done)), {
    code: 'NotAuthorizedException',
    message: 'Refresh Token has been revoked',
  });
});

test('an unconfirmed user gets UserNotConfirmedException', async () => {
  await signUp('jack', PASSWORD);
  await assert.rejects(authenticate(userFor('jack'), PASSWORD), {
    code: 'UserNotConfirmedException',
    message: 'User is not confirmed.',
  });
});

test('sign-up errors come back as the library expects', async () => {
  await assert.rejects(signUp('kim', 'short'), { code: 'InvalidPasswordException' });
  await signUp('kim', PASSWORD);
  await assert.rejects(signUp('kim', PASSWORD), { code: 'UsernameExistsException', message: 'User already exists' });
  await assert.rejects(cb((done) => userFor('kim').confirmRegistration('000000x', false, done)), (err) =>
    ['CodeMismatchException'].includes(err.code));
});

test('an admin-created user completes the new-password challenge', async () => {
  await server.call('AdminCreateUser', {
    UserPoolId: server.poolId,
    Username: 'lena',
    TemporaryPassword: 'Temporary-1',
    MessageAction: 'SUPPRESS',
    UserAttributes: [{ Name: 'email', Value: 'lena@example.com' }, { Name: 'email_verified', Value: 'true' }],
  });
  const user = userFor('lena');
  let required;
  const session = await authenticate(user, 'Temporary-1', (userAttributes, requiredAttributes, resolve, reject) => {
    required = requiredAttributes;
    assert.equal(userAttributes.email, 'lena@example.com');
    user.completeNewPasswordChallenge('Permanent-Pass-2', { name: 'Lena L' }, { onSuccess: resolve, onFailure: reject });
  });
  assert.deepEqual(required, ['name']);
  assert.equal(session.getIdToken().payload.name, 'Lena L');
  const again = await authenticate(userFor('lena'), 'Permanent-Pass-2');
  assert.ok(again.isValid());
});

test('software-token MFA: associate, verify, prefer, then sign in with a TOTP code', async () => {
  await signUp('mona', PASSWORD);
  const { confirmation } = await server.codes('mona');
  const user = userFor('mona');
  await cb((done) => user.confirmRegistration(confirmation, false, done));
  await authenticate(user, PASSWORD);

  const secret = await new Promise((resolve, reject) => user.associateSoftwareToken({ associateSecretCode: resolve, onFailure: reject }));
  assert.match(secret, /^[A-Z2-7]{32}$/);
  await assert.rejects(
    new Promise((resolve, reject) => user.verifySoftwareToken(totp(secret, 9), 'phone', { onSuccess: resolve, onFailure: reject })),
    { code: 'EnableSoftwareTokenMFAException' },
  );
  const verified = await new Promise((resolve, reject) => user.verifySoftwareToken(totp(secret), 'phone', { onSuccess: resolve, onFailure: reject }));
  assert.equal(verified.Status, 'SUCCESS');
  assert.equal(await cb((done) => user.setUserMfaPreference(null, { PreferredMfa: true, Enabled: true }, done)), 'SUCCESS');

  const again = userFor('mona');
  const session = await new Promise((resolve, reject) => {
    again.authenticateUser(new AuthenticationDetails({ Username: 'mona', Password: PASSWORD }), {
      onSuccess: resolve,
      onFailure: reject,
      totpRequired: (challengeName) => {
        assert.equal(challengeName, 'SOFTWARE_TOKEN_MFA');
        again.sendMFACode(totp(secret), { onSuccess: resolve, onFailure: reject }, 'SOFTWARE_TOKEN_MFA');
      },
    });
  });
  assert.ok(session.isValid());
  assert.equal(session.getIdToken().payload['cognito:username'], 'mona');
});
