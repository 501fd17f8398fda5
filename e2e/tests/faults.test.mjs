// Transient failures of the sign-in service (planned with /_local/faults) during sign-in, profile load and
// sign-out: retried with backoff and invisible when they pass, a clear message when they persist, slow
// answers shown as progress, and a valid session never dropped because of them.
import assert from 'node:assert/strict';
import { test } from 'node:test';
import { acijKeys, storageOf, withBrowserAndApp } from '../lib/app.mjs';
import { alertWith as alert, countCalls as count, expectProfile, newUser, openPage, signedInUser, signIn } from '../lib/flows.mjs';

let app;
let browser;
withBrowserAndApp((b, a) => {
  browser = b;
  app = a;
});

test('sign-in rides out throttling and server errors, and says so when they persist', async () => {
  const { page, calls, problems } = await openPage(browser, app);
  const username = await newUser(app, page, 'faultin');

  // Two throttled InitiateAuth calls, then a throttled RespondToAuthChallenge: all retried, signed in.
  await app.cognito.fault('InitiateAuth', 2, 'TooManyRequestsException');
  await app.cognito.fault('RespondToAuthChallenge', 1, 'TooManyRequestsException');
  calls.length = 0;
  await signIn(app, page, username);
  await expectProfile(page, username);
  assert.equal(count(calls, 'InitiateAuth:USER_SRP_AUTH'), 3);
  assert.equal(count(calls, 'RespondToAuthChallenge'), 2);

  // A server error answering the single-use challenge: not sent again (its outcome is unknown); the user
  // is told to sign in again, and that works.
  await page.getByRole('button', { name: 'Sign out', exact: true }).click();
  await page.waitForURL(/\/login/);
  await app.cognito.fault('RespondToAuthChallenge', 1, 'InternalErrorException');
  calls.length = 0;
  await signIn(app, page, username);
  await alert(page, 'this sign-in attempt cannot go on. Sign in again.').waitFor();
  assert.equal(count(calls, 'RespondToAuthChallenge'), 1, 'not repeated');
  await page.getByRole('button', { name: 'Sign in' }).click();
  await expectProfile(page, username);

  // A fresh tab signs in while the service keeps failing: a clear message, the username kept, no session.
  const other = await openPage(browser, app);
  await app.cognito.fault('InitiateAuth', 6, 'InternalErrorException');
  other.calls.length = 0;
  await signIn(app, other.page, username);
  await alert(other.page, 'The sign-in service had a problem. Try again in a moment.').waitFor();
  assert.equal(count(other.calls, 'InitiateAuth'), 3, 'three attempts, then it stops');
  assert.equal(await other.page.getByLabel('Username', { exact: true }).inputValue(), username);
  assert.equal(acijKeys(await storageOf(other.page), app.cognito.clientId).LastAuthUser, undefined);
  await app.cognito.clearFaults();
  await other.page.getByLabel('Password', { exact: true }).fill('Sunny-Day-42');
  await other.page.getByRole('button', { name: 'Sign in' }).click();
  await expectProfile(other.page, username);
  assert.deepEqual([...problems, ...other.problems], []);
});

test('the profile load is retried, shows progress while slow, and keeps the session when it fails', async () => {
  const { page, calls, problems } = await openPage(browser, app);
  const username = await signedInUser(app, page, 'faultprof');
  const keysBefore = acijKeys(await storageOf(page), app.cognito.clientId);

  await app.cognito.fault('GetUser', 2, 'ServiceUnavailable');
  calls.length = 0;
  await page.reload();
  await expectProfile(page, username);
  assert.equal(count(calls, 'GetUser'), 3);

  // Slow: the progress line shows until the answer comes.
  await app.cognito.fault('GetUser', 0, undefined, 1500); // count 0: every call waits, none fails
  await page.reload();
  await page.getByRole('status').filter({ hasText: 'Loading your profile…' }).waitFor();
  await expectProfile(page, username);
  await app.cognito.clearFaults();

  // Down for good: an error with a retry button; the tokens stay.
  await app.cognito.fault('GetUser', 6, 'InternalErrorException');
  await page.reload();
  await alert(page, 'The sign-in service had a problem. Try again in a moment.').waitFor({ timeout: 10000 });
  assert.deepEqual(acijKeys(await storageOf(page), app.cognito.clientId), keysBefore, 'session untouched');
  await app.cognito.clearFaults();
  await page.getByRole('button', { name: 'Try again' }).click();
  await expectProfile(page, username);
  assert.deepEqual(problems, []);
});

test('sign-out: everywhere keeps the session when the service fails; this device always signs out', async () => {
  const { page, calls, problems } = await openPage(browser, app);
  const username = await signedInUser(app, page, 'faultout');
  const keysBefore = acijKeys(await storageOf(page), app.cognito.clientId);

  // "Everywhere" needs the service: after three failed attempts the user is told and still signed in.
  await app.cognito.fault('GlobalSignOut', 6, 'InternalErrorException');
  calls.length = 0;
  await page.getByRole('button', { name: 'Sign out everywhere' }).click();
  await alert(page, 'The sign-in service had a problem. Try again in a moment.').waitFor({ timeout: 10000 });
  assert.equal(count(calls, 'GlobalSignOut'), 3);
  assert.deepEqual(acijKeys(await storageOf(page), app.cognito.clientId), keysBefore);

  // One more failure is retried away: signed out everywhere.
  await app.cognito.clearFaults();
  await app.cognito.fault('GlobalSignOut', 1, 'TooManyRequestsException');
  await page.getByRole('button', { name: 'Sign out everywhere' }).click();
  await page.waitForURL(/\/login/);
  assert.equal(acijKeys(await storageOf(page), app.cognito.clientId).LastAuthUser, undefined);

  // "This device" with the revocation failing: signed out here all the same, and told what was not done.
  await signIn(app, page, username);
  await expectProfile(page, username);
  await app.cognito.fault('RevokeToken', 6, 'InternalErrorException');
  calls.length = 0;
  await page.getByRole('button', { name: 'Sign out', exact: true }).click();
  await page.waitForURL(/\/login/);
  await page.getByText('You are signed out on this device, but the sign-in service could not be reached').waitFor();
  assert.equal(count(calls, 'RevokeToken'), 3);
  const keys = acijKeys(await storageOf(page), app.cognito.clientId);
  assert.equal(keys.LastAuthUser, undefined);
  assert.equal(keys[`${username}.refreshToken`], undefined);
  await app.cognito.clearFaults();
  assert.deepEqual(problems, []);
});

test('a change whose answer is lost is not sent again: the user learns the outcome is unknown and how to check', async () => {
  const { page, calls, problems } = await openPage(browser, app);
  const username = await signedInUser(app, page, 'faultchange');
  const change = async (from, to) => {
    await page.getByLabel('Current password').fill(from);
    await page.getByLabel('New password', { exact: true }).fill(to);
    await page.getByLabel('Repeat the new password').fill(to);
    await page.getByRole('button', { name: 'Change password' }).click();
  };

  // The service fails after the request reached it: one attempt, and an honest "may or may not".
  await app.cognito.fault('ChangePassword', 1, 'InternalErrorException');
  calls.length = 0;
  await change('Sunny-Day-42', 'Cloudy-Day-43');
  await alert(page, 'your password may or may not have changed').waitFor();
  assert.equal(count(calls, 'ChangePassword'), 1, 'not repeated');

  // Throttled (refused before anything was done): sent again, and done.
  await app.cognito.fault('ChangePassword', 1, 'TooManyRequestsException');
  calls.length = 0;
  await change('Sunny-Day-42', 'Cloudy-Day-43');
  await page.getByText('Your password has been changed.').waitFor();
  assert.equal(count(calls, 'ChangePassword'), 2);
  assert.deepEqual(problems, []);
});
