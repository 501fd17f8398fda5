// The contract every form keeps through its one action type (src/form.rs, FormAction): a submission runs
// once however often the form is submitted, shows its progress with the fields disabled, each new attempt
// starts without the last one's error, and a secondary action ("Send a new code") does not mark the
// form as submitted.
import assert from 'node:assert/strict';
import { test } from 'node:test';
import { withBrowserAndApp } from '../lib/app.mjs';
import { alertWith as alert, countCalls as count, expectProfile, newUser, openPage, PASSWORD, register, signIn, unique } from '../lib/flows.mjs';

let app;
let browser;
withBrowserAndApp((b, a) => {
  browser = b;
  app = a;
});

test('a submission runs once however often the form is submitted, shows progress, and starts clean', async () => {
  const { page, calls, problems } = await openPage(browser, app);
  const username = await newUser(app, page, 'formonce');
  await signIn(app, page, username, 'Wrong-Password-1');
  await alert(page, 'Incorrect username or password.').waitFor();

  // A slow service: the first submission is under way while the form is submitted three more times.
  await app.cognito.fault('InitiateAuth', 0, undefined, 1500); // count 0: every call waits, none fails
  calls.length = 0;
  await page.getByLabel('Password', { exact: true }).fill(PASSWORD);
  await page.getByRole('button', { name: 'Sign in' }).click();
  const progress = page.getByRole('button', { name: 'Signing in…' });
  await progress.waitFor();
  assert.equal(await progress.isDisabled(), true);
  assert.equal(await page.getByLabel('Password', { exact: true }).isDisabled(), true);
  assert.equal(await page.locator('form').getAttribute('aria-busy'), 'true');
  assert.equal(await alert(page, 'Incorrect username or password.').count(), 0, 'the last error is gone');
  // requestSubmit() fires the submit event even with the button disabled (as Enter in a field would).
  await page.locator('form').evaluate((form) => {
    form.requestSubmit();
    form.requestSubmit();
    form.requestSubmit();
  });
  await expectProfile(page, username);
  await app.cognito.clearFaults();
  assert.equal(count(calls, 'InitiateAuth'), 1, 'one sign-in sent');
  assert.equal(count(calls, 'RespondToAuthChallenge'), 1);
  assert.deepEqual(problems, []);
});

test('"Send a new code" does not mark the form as submitted; submitting does', async () => {
  const { page, calls, problems } = await openPage(browser, app);
  const username = unique('formresend');
  await register(app, page, username);
  await page.waitForURL(/\/confirm\?/);
  const codeError = page.getByText('Enter the code from the email.');

  calls.length = 0;
  await page.getByRole('button', { name: 'Send a new code' }).click();
  await page.getByRole('status').filter({ hasText: 'New code sent.' }).waitFor();
  assert.equal(count(calls, 'ResendConfirmationCode'), 1);
  assert.equal(await codeError.count(), 0, 'the empty code field is not called out by a resend');

  await page.getByRole('button', { name: 'Confirm account' }).click();
  await codeError.waitFor();
  assert.equal(count(calls, 'ConfirmSignUp'), 0, 'nothing sent with an empty code');
  assert.deepEqual(problems, []);
});
