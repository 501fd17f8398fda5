// Page flows shared by the end-to-end tests: each takes the app (see app.mjs) it runs against.
import assert from 'node:assert/strict';
import { acijKeys, jwtPayload } from './app.mjs';

export const PASSWORD = 'Sunny-Day-42';
// A pool whose access and id tokens live 4 seconds (refresh tests).
export const SHORT_LIVED_POOL = new URL('../pools/short-lived.json', import.meta.url).pathname;
// A pool whose id tokens live 5 minutes and access tokens an hour (keep-fresh timing).
export const KEEP_FRESH_POOL = new URL('../pools/keep-fresh.json', import.meta.url).pathname;
// 4-second tokens and refresh-token rotation without a grace period: a refresh token sent twice is refused.
export const ROTATING_POOL = new URL('../pools/rotating.json', import.meta.url).pathname;
// Users sign up and in with their email (UsernameAttributes [email]); the pool names them by UUID.
export const EMAIL_POOL = new URL('../pools/email-username.json', import.meta.url).pathname;
// MfaConfiguration ON: users without MFA set up an authenticator app when they sign in (MFA_SETUP).
export const MFA_REQUIRED_POOL = new URL('../pools/mfa-required.json', import.meta.url).pathname;
// A pool whose users may also sign in with a code by email (USER_AUTH; allowedFirstAuthFactors).
export const PASSWORDLESS_POOL = new URL('../pools/passwordless.json', import.meta.url).pathname;
let counter = 0;
export const unique = (stem) => `${stem}${Date.now().toString(36)}${counter++}`;

// A fresh browser profile (empty localStorage) that records console errors and Cognito calls.
// The browser speaks `locale` (navigator.languages, Accept-Language); English unless a test says otherwise.
export async function openPage(browser, target, { locale = 'en-US' } = {}) {
  // A browser, or a context a test prepared (e.g. with a fake clock).
  const context = typeof browser.newPage === 'function' && typeof browser.newContext !== 'function'
    ? browser : await browser.newContext({ locale });
  const page = await context.newPage();
  const problems = [];
  const calls = [];
  page.on('console', (msg) => {
    // Chromium logs every 4xx answer; those are expected in failure tests.
    if (msg.type() === 'error' && !/Failed to load resource/.test(msg.text())) problems.push(msg.text());
  });
  page.on('pageerror', (err) => problems.push(err.message));
  page.on('request', (req) => {
    const target_ = req.headers()['x-amz-target'];
    if (target_) {
      let flow;
      try { flow = JSON.parse(req.postData() || '{}').AuthFlow; } catch { flow = undefined; }
      calls.push(flow ? `${target_.split('.').pop()}:${flow}` : target_.split('.').pop());
    }
  });
  return { page, problems, calls, context, target };
}

export async function register(app, page, username, { name = 'Ada Lovelace', email = `${username}@example.com`, password = PASSWORD } = {}) {
  await page.goto(`${app.url}/register`);
  await page.getByLabel('Username', { exact: true }).fill(username);
  await page.getByLabel('Name', { exact: true }).fill(name);
  await page.getByLabel('Email', { exact: true }).fill(email);
  await page.getByLabel('Password', { exact: true }).fill(password);
  await page.getByLabel('Repeat the password').fill(password);
  await page.getByRole('button', { name: 'Create account' }).click();
}

export async function confirm(app, page, username) {
  const { confirmation } = await app.cognito.codes(username);
  await page.getByLabel('Confirmation code').fill(confirmation);
  await page.getByRole('button', { name: 'Confirm account' }).click();
  await page.waitForURL(/\/login/);
}

export async function signIn(app, page, username, password = PASSWORD) {
  if (!new URL(page.url()).pathname.startsWith('/login')) await page.goto(`${app.url}/login`);
  await page.getByLabel('Username', { exact: true }).fill(username);
  await page.getByLabel('Password', { exact: true }).fill(password);
  await page.getByRole('button', { name: 'Sign in' }).click();
}

export async function newUser(app, page, stem) {
  const username = unique(stem);
  await register(app, page, username);
  await page.waitForURL(/\/confirm\?/);
  await confirm(app, page, username);
  return username;
}

export async function expectProfile(page, username) {
  await page.getByRole('heading', { name: 'Your profile' }).waitFor();
  await page.getByTestId('email').filter({ hasText: `${username}@example.com` }).waitFor();
  assert.equal(await page.getByTestId('username').textContent(), username);
}

export function assertSignedInStorage(app, storage, username) {
  const keys = acijKeys(storage, app.cognito.clientId);
  assert.equal(keys.LastAuthUser, username);
  for (const k of ['idToken', 'accessToken', 'refreshToken', 'clockDrift']) {
    assert.ok(keys[`${username}.${k}`], `${k} stored under the user id`);
  }
  assert.equal(jwtPayload(keys[`${username}.idToken`])['cognito:username'], username);
  assert.match(keys[`${username}.clockDrift`], /^-?\d+$/);
  return keys;
}


// A new confirmed user, signed in, on the profile page.
export async function signedInUser(app, page, stem) {
  const username = await newUser(app, page, stem);
  await signIn(app, page, username);
  await expectProfile(page, username);
  return username;
}

// How many of the recorded calls (see openPage) are of this operation (`InitiateAuth`, or with the flow:
// `InitiateAuth:USER_SRP_AUTH`).
export const countCalls = (calls, prefix) => calls.filter((c) => c.startsWith(prefix)).length;

// The page's alerts that say this.
export const alertWith = (page, text) => page.getByRole('alert').filter({ hasText: text });
