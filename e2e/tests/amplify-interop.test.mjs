// The second judge of cognito-local: the unmodified aws-amplify v6 (pinned in e2e/package.json), the client
// most Cognito front ends use, runs its whole user journey against the server, in Node and in Chromium
// (where every call is a CORS request with Amplify's own headers). Amplify refreshes with
// GetTokensFromRefreshToken and signs in with SRP computed by its own code.
import assert from 'node:assert/strict';
import { after, before, test } from 'node:test';
import { Amplify } from 'aws-amplify';
import {
  autoSignIn, confirmResetPassword, confirmSignIn, confirmSignUp, fetchAuthSession, fetchUserAttributes,
  getCurrentUser, resetPassword, setUpTOTP, signIn, signOut, signUp, updateMFAPreference, updatePassword,
  verifyTOTPSetup,
} from 'aws-amplify/auth';
import { build, stop as stopEsbuild } from 'esbuild';
import { launchBrowser } from '../lib/browser.mjs';
import { ROOT, startLocalCognito } from '../lib/local-server.mjs';
import { MFA_REQUIRED_POOL, PASSWORDLESS_POOL } from '../lib/flows.mjs';
import { serveDist } from '../lib/static-server.mjs';
import { totp } from '../lib/totp.mjs';

const PASSWORD = 'Amplify-Pass-1';
let server;

before(async () => {
  server = await startLocalCognito();
  Amplify.configure({
    Auth: { Cognito: { userPoolId: server.poolId, userPoolClientId: server.clientId, userPoolEndpoint: server.url } },
  });
});
after(async () => {
  await server?.stop();
  // esbuild's service process would otherwise keep this file's process alive (seen once in CI).
  await stopEsbuild();
});

test('in Chromium: Amplify\'s requests pass CORS, and it signs up, signs in, reads, refreshes and signs out', async () => {
  const bundle = await build({
    entryPoints: [`${ROOT}/e2e/lib/amplify-entry.mjs`], bundle: true, format: 'esm', write: false,
    platform: 'browser', logLevel: 'silent',
  });
  const site = await serveDist(`${ROOT}/dist`, {
    '/amplify.js': { type: 'text/javascript', body: bundle.outputFiles[0].text, testPage: true },
    '/amplify.html': { type: 'text/html; charset=utf-8', body: '<!doctype html><title>amplify</title><script type="module" src="/amplify.js"></script>', testPage: true },
  });
  const browser = await launchBrowser();
  try {
    const page = await browser.newPage();
    const problems = [];
    page.on('pageerror', (e) => problems.push(e.message));
    const requestHeaders = [];
    page.on('request', (r) => { if (r.method() === 'POST' && r.url().startsWith(server.url)) requestHeaders.push(Object.keys(r.headers())); });
    await page.goto(`${site.url}/amplify.html`);
    await page.waitForFunction(() => window.amplify);
    const username = unique('web');
    await page.evaluate(([config, username, password, attrs]) => {
      window.amplify.configure(config);
      return window.amplify.signUp({ username, password, options: { userAttributes: attrs } });
    }, [{ Auth: { Cognito: { userPoolId: server.poolId, userPoolClientId: server.clientId, userPoolEndpoint: server.url } } },
      username, PASSWORD, attributes(username)]);
    const { confirmation } = await server.codes(username);
    const result = await page.evaluate(async ([username, password, code]) => {
      const a = window.amplify;
      await a.confirmSignUp({ username, confirmationCode: code });
      const signedIn = await a.signIn({ username, password });
      const attrs = await a.fetchUserAttributes();
      const first = await a.fetchAuthSession();
      await new Promise((r) => setTimeout(r, 1100)); // a new iat for the refreshed tokens
      const refreshed = await a.fetchAuthSession({ forceRefresh: true });
      const stored = Object.keys(localStorage).filter((k) => k.startsWith('CognitoIdentityServiceProvider.'));
      await a.signOut();
      return {
        signedIn: signedIn.isSignedIn, email: attrs.email,
        newAccessToken: refreshed.tokens.accessToken.toString() !== first.tokens.accessToken.toString(),
        stored: stored.length, leftAfterSignOut: Object.keys(localStorage).filter((k) => k.endsWith('.accessToken')).length,
      };
    }, [username, PASSWORD, confirmation]);
    assert.deepEqual(result, { signedIn: true, email: `${username}@example.com`, newAccessToken: true, stored: result.stored, leftAfterSignOut: 0 });
    assert.ok(result.stored >= 4, `Amplify stored its session (${result.stored} keys)`);
    // Cross-origin calls carrying headers outside the CORS safelist: each one passed a preflight (a refused
    // preflight fails the call, and the steps above with it).
    assert.notEqual(new URL(site.url).origin, new URL(server.url).origin);
    assert.ok(requestHeaders.length >= 6 && requestHeaders.every((h) => h.includes('amz-sdk-invocation-id') && h.includes('amz-sdk-request')),
      'Amplify sent its SDK headers on every call');
    assert.deepEqual(problems, []);
  } finally {
    await browser.close();
    await site.close();
  }
});

let counter = 0;
const unique = (stem) => `${stem}${Date.now().toString(36)}${counter++}`;
const attributes = (username) => ({ email: `${username}@example.com`, name: `Name of ${username}` });

async function confirmedUser(stem) {
  const username = unique(stem);
  await signUp({ username, password: PASSWORD, options: { userAttributes: attributes(username) } });
  const { confirmation } = await server.codes(username);
  await confirmSignUp({ username, confirmationCode: confirmation });
  return username;
}

test('sign-up, sign-in before confirming, confirm, auto sign-in, attributes, refresh, password change, sign-out', async () => {
  const username = unique('amy');
  const signedUp = await signUp({
    username, password: PASSWORD, options: { userAttributes: attributes(username), autoSignIn: true },
  });
  assert.equal(signedUp.isSignUpComplete, false);
  assert.equal(signedUp.nextStep.signUpStep, 'CONFIRM_SIGN_UP');
  assert.equal(signedUp.nextStep.codeDeliveryDetails.deliveryMedium, 'EMAIL');

  const { confirmation } = await server.codes(username);
  const confirmed = await confirmSignUp({ username, confirmationCode: confirmation });
  assert.equal(confirmed.isSignUpComplete, true);
  assert.equal(confirmed.nextStep.signUpStep, 'COMPLETE_AUTO_SIGN_IN');
  const auto = await autoSignIn();
  assert.equal(auto.isSignedIn, true);

  const current = await getCurrentUser();
  assert.equal(current.username, username);
  const attrs = await fetchUserAttributes();
  assert.equal(attrs.email, `${username}@example.com`);
  assert.equal(attrs.email_verified, 'true');
  assert.equal(attrs.name, `Name of ${username}`);

  const before_ = await fetchAuthSession();
  await server.advanceClock(2); // a new iat, so the refreshed tokens differ
  const refreshed = await fetchAuthSession({ forceRefresh: true });
  assert.notEqual(refreshed.tokens.accessToken.toString(), before_.tokens.accessToken.toString());
  assert.equal(refreshed.tokens.idToken.payload['cognito:username'], username);
  assert.equal(refreshed.tokens.accessToken.payload.origin_jti, before_.tokens.accessToken.payload.origin_jti);

  await assert.rejects(updatePassword({ oldPassword: 'Wrong-Pass-9', newPassword: 'Amplify-Pass-2' }), {
    name: 'NotAuthorizedException',
  });
  await updatePassword({ oldPassword: PASSWORD, newPassword: 'Amplify-Pass-2' });
  await signOut();
  await assert.rejects(getCurrentUser(), { name: 'UserUnAuthenticatedException' });

  // Signing in before confirming (another user): Amplify
  // turns UserNotConfirmedException into the confirm step.
  const other = unique('amo');
  await signUp({ username: other, password: PASSWORD, options: { userAttributes: attributes(other) } });
  const early = await signIn({ username: other, password: PASSWORD });
  assert.equal(early.isSignedIn, false);
  assert.equal(early.nextStep.signInStep, 'CONFIRM_SIGN_UP');


  await assert.rejects(signIn({ username, password: PASSWORD }), {
    name: 'NotAuthorizedException', message: 'Incorrect username or password.',
  });
  const again = await signIn({ username, password: 'Amplify-Pass-2' });
  assert.equal(again.isSignedIn, true);
  const session = await fetchAuthSession();

  // Global sign-out: every token of the user is dead, the next refresh fails.
  await signOut({ global: true });
  const revoked = await fetch(server.url, {
    method: 'POST',
    headers: { 'Content-Type': 'application/x-amz-json-1.1', 'X-Amz-Target': 'AWSCognitoIdentityProviderService.GetUser' },
    body: JSON.stringify({ AccessToken: session.tokens.accessToken.toString() }),
  });
  assert.equal(revoked.status, 400);
  assert.equal((await revoked.json()).__type, 'NotAuthorizedException');
});

test('password reset with the emailed code', async () => {
  const username = await confirmedUser('rex');
  const started = await resetPassword({ username });
  assert.equal(started.nextStep.resetPasswordStep, 'CONFIRM_RESET_PASSWORD_WITH_CODE');
  assert.equal(started.nextStep.codeDeliveryDetails.deliveryMedium, 'EMAIL');
  const { forgotPassword } = await server.codes(username);
  await assert.rejects(
    confirmResetPassword({ username, confirmationCode: forgotPassword === '000000' ? '111111' : '000000', newPassword: 'Reset-Pass-1' }),
    { name: 'CodeMismatchException' },
  );
  await confirmResetPassword({ username, confirmationCode: forgotPassword, newPassword: 'Reset-Pass-1' });
  const signedIn = await signIn({ username, password: 'Reset-Pass-1' });
  assert.equal(signedIn.isSignedIn, true);
  await signOut();
});

test('TOTP: set up with an authenticator app, then sign in with a code', async () => {
  const username = await confirmedUser('tom');
  assert.equal((await signIn({ username, password: PASSWORD })).isSignedIn, true);
  const setup = await setUpTOTP();
  assert.match(setup.sharedSecret, /^[A-Z2-7]+$/);
  assert.match(setup.getSetupUri('amplify-test').href, /^otpauth:\/\/totp\//);
  await verifyTOTPSetup({ code: totp(setup.sharedSecret) });
  await updateMFAPreference({ totp: 'PREFERRED' });
  await signOut();

  const first = await signIn({ username, password: PASSWORD });
  assert.equal(first.isSignedIn, false);
  assert.equal(first.nextStep.signInStep, 'CONFIRM_SIGN_IN_WITH_TOTP_CODE');
  await assert.rejects(confirmSignIn({ challengeResponse: totp(setup.sharedSecret, 10) }), { name: 'CodeMismatchException' });
  const done = await confirmSignIn({ challengeResponse: totp(setup.sharedSecret) });
  assert.equal(done.isSignedIn, true);
  assert.equal((await getCurrentUser()).username, username);
  await signOut();
});

test('MFA required by the pool: Amplify sets up TOTP during sign-in (MFA_SETUP with the Session)', async () => {
  const mfaServer = await startLocalCognito(MFA_REQUIRED_POOL);
  try {
    Amplify.configure({
      Auth: { Cognito: { userPoolId: mfaServer.poolId, userPoolClientId: mfaServer.clientId, userPoolEndpoint: mfaServer.url } },
    });
    const username = unique('req');
    await signUp({ username, password: PASSWORD, options: { userAttributes: attributes(username) } });
    await confirmSignUp({ username, confirmationCode: (await mfaServer.codes(username)).confirmation });
    const first = await signIn({ username, password: PASSWORD });
    assert.equal(first.nextStep.signInStep, 'CONTINUE_SIGN_IN_WITH_TOTP_SETUP');
    const secret = first.nextStep.totpSetupDetails.sharedSecret;
    const done = await confirmSignIn({ challengeResponse: totp(secret) });
    assert.equal(done.isSignedIn, true);
    await signOut();
    const next = await signIn({ username, password: PASSWORD });
    assert.equal(next.nextStep.signInStep, 'CONFIRM_SIGN_IN_WITH_TOTP_CODE');
    assert.equal((await confirmSignIn({ challengeResponse: totp(secret, 1) })).isSignedIn, true);
    await signOut();
  } finally {
    await mfaServer.stop();
    Amplify.configure({
      Auth: { Cognito: { userPoolId: server.poolId, userPoolClientId: server.clientId, userPoolEndpoint: server.url } },
    });
  }
});

test('choice-based sign-in (USER_AUTH): Amplify lists the ways, signs in with a code by email, and with SRP', async () => {
  const pwdServer = await startLocalCognito(PASSWORDLESS_POOL);
  const configure = (s) => Amplify.configure({
    Auth: { Cognito: { userPoolId: s.poolId, userPoolClientId: s.clientId, userPoolEndpoint: s.url } },
  });
  try {
    configure(pwdServer);
    const username = unique('otp');
    await signUp({ username, password: PASSWORD, options: { userAttributes: attributes(username) } });
    await confirmSignUp({ username, confirmationCode: (await pwdServer.codes(username)).confirmation });
    // No preference: SELECT_CHALLENGE, which Amplify shows as the factors to choose from.
    const choose = await signIn({ username, options: { authFlowType: 'USER_AUTH' } });
    assert.equal(choose.nextStep.signInStep, 'CONTINUE_SIGN_IN_WITH_FIRST_FACTOR_SELECTION');
    assert.deepEqual(choose.nextStep.availableChallenges, ['PASSWORD', 'PASSWORD_SRP', 'EMAIL_OTP']);
    const sent = await confirmSignIn({ challengeResponse: 'EMAIL_OTP' });
    assert.equal(sent.nextStep.signInStep, 'CONFIRM_SIGN_IN_WITH_EMAIL_CODE');
    assert.equal(sent.nextStep.codeDeliveryDetails.destination, `${username[0]}***@e***`);
    const done = await confirmSignIn({ challengeResponse: (await pwdServer.codes(username)).signIn });
    assert.equal(done.isSignedIn, true);
    assert.equal((await getCurrentUser()).username, username);
    await signOut();
    // Preferred EMAIL_OTP: the code at once.
    const direct = await signIn({ username, options: { authFlowType: 'USER_AUTH', preferredChallenge: 'EMAIL_OTP' } });
    assert.equal(direct.nextStep.signInStep, 'CONFIRM_SIGN_IN_WITH_EMAIL_CODE');
    assert.equal((await confirmSignIn({ challengeResponse: (await pwdServer.codes(username)).signIn })).isSignedIn, true);
    await signOut();
    // Preferred PASSWORD_SRP: Amplify's own SRP through USER_AUTH.
    const srp = await signIn({ username, password: PASSWORD, options: { authFlowType: 'USER_AUTH', preferredChallenge: 'PASSWORD_SRP' } });
    assert.equal(srp.isSignedIn, true);
    await signOut();
    // Auto sign-in after confirming: Amplify passes ConfirmSignUp's Session to USER_AUTH.
    const fresh = unique('auto');
    await signUp({ username: fresh, password: PASSWORD, options: { userAttributes: attributes(fresh), autoSignIn: { authFlowType: 'USER_AUTH' } } });
    await confirmSignUp({ username: fresh, confirmationCode: (await pwdServer.codes(fresh)).confirmation });
    assert.equal((await autoSignIn()).isSignedIn, true);
    assert.equal((await getCurrentUser()).username, fresh);
    await signOut();
  } finally {
    await pwdServer.stop();
    configure(server);
  }
});
