// A pool whose users sign up and in with their email (UsernameAttributes [email], the Amplify default;
// config.json "usernameAttributes": ["email"]): the pool names each user by a UUID, which is
// USER_ID_FOR_SRP and the key of the stored session; the app asks for and shows the email, and
// amazon-cognito-identity-js reads the session it stored.
import assert from 'node:assert/strict';
import { test } from 'node:test';
import { acijKeys, jwtPayload, storageOf, withBrowserAndApp } from '../lib/app.mjs';
import { EMAIL_POOL, openPage, PASSWORD, unique } from '../lib/flows.mjs';

let app;
let browser;
withBrowserAndApp((b, a) => {
  browser = b;
  app = a;
}, { poolFile: EMAIL_POOL, extraConfig: () => ({ usernameAttributes: ['email'] }) });

test('register, confirm and sign in with the email; the session is keyed by the pool\'s UUID for the user', async () => {
  const { page, problems } = await openPage(browser, app);
  const email = `${unique('mail')}@example.com`;
  await page.goto(`${app.url}/register`);
  assert.equal(await page.getByLabel('Username', { exact: true }).count(), 0, 'no username of its own');
  await page.getByLabel('Name', { exact: true }).fill('Mia Mail');
  await page.getByLabel('Email').fill(email);
  await page.getByLabel('Password', { exact: true }).fill(PASSWORD);
  await page.getByLabel('Repeat the password').fill(PASSWORD);
  await page.getByRole('button', { name: 'Create account' }).click();
  await page.waitForURL(/\/confirm\?/);
  assert.equal(await page.getByLabel('Email', { exact: true }).inputValue(), email);
  const { confirmation } = await app.cognito.codes(email);
  await page.getByLabel('Confirmation code').fill(confirmation);
  await page.getByRole('button', { name: 'Confirm account' }).click();
  await page.waitForURL(/\/login/);

  // The sign-in form asks for the email (filled in after confirming), and says so when it is missing.
  const field = page.getByLabel('Email', { exact: true });
  assert.equal(await field.inputValue(), email);
  await field.fill('');
  await page.getByRole('button', { name: 'Sign in' }).click();
  await page.getByText('Enter your email.').waitFor();
  await field.fill(email);
  await page.getByLabel('Password', { exact: true }).fill(PASSWORD);
  await page.getByRole('button', { name: 'Sign in' }).click();
  await page.getByRole('heading', { name: 'Your profile' }).waitFor();
  await page.getByTestId('signed-in-as').filter({ hasText: email }).waitFor();

  const stored = acijKeys(await storageOf(page), app.cognito.clientId);
  const uuid = stored.LastAuthUser;
  assert.match(uuid, /^[0-9a-f]{8}-[0-9a-f]{4}-4[0-9a-f]{3}-[89ab][0-9a-f]{3}-[0-9a-f]{12}$/, 'a UUID, not the email');
  const id = jwtPayload(stored[`${uuid}.idToken`]);
  assert.equal(id['cognito:username'], uuid);
  assert.equal(id.sub, uuid);
  assert.equal(id.email, email);

  // The reference client finds the same session.
  await page.goto(`${app.url}/acij.html`);
  const theirs = await page.evaluate(([p, c, e]) => window.readSession(p, c, e), [app.cognito.poolId, app.cognito.clientId, `${app.cognito.url}/`]);
  assert.equal(theirs.username, uuid);
  assert.equal(theirs.valid, true);

  // Deleting the account asks for what the user knows: the email.
  await page.goto(`${app.url}/profile`);
  await page.getByRole('button', { name: 'Delete my account…' }).click();
  await page.getByLabel(`Type your email (${email}) to confirm`).fill(email);
  await page.getByRole('button', { name: 'Delete my account for good' }).click();
  await page.waitForURL(/\/login/);
  assert.deepEqual(problems, []);
});
