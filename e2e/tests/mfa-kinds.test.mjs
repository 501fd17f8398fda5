// Every kind of second factor in the app, against a pool that offers an authenticator app, codes by text
// message and codes by email, and tracks devices but remembers one only when the user says so:
// a code by SMS (where it went shown, a wrong code corrected, a used code refused at the next sign-in),
// a code by email, the choice between kinds when none is preferred (SELECT_MFA_TYPE), "Remember this
// browser?" then no code on it, the profile's devices (this browser marked, forgotten: the code is asked
// again), and a pool requiring MFA where the first sign-in sets up codes by email.
import assert from 'node:assert/strict';
import { test } from 'node:test';
import { acijKeys, startApp, storageOf, withBrowserAndApp } from '../lib/app.mjs';
import { violations } from '../lib/axe.mjs';
import { pseudoCatalog, unmarked } from '../lib/pseudo.mjs';
import { totp } from '../lib/totp.mjs';
import { alertWith as alert, expectProfile, MFA_REQUIRED_POOL, newUser, openPage, PASSWORD, signIn, unique } from '../lib/flows.mjs';

const POOL = new URL('../pools/mfa-kinds.json', import.meta.url).pathname;
const ALL_KINDS = () => ({ mfaKinds: ['SOFTWARE_TOKEN_MFA', 'SMS_MFA', 'EMAIL_OTP'] });

let app;
let browser;
withBrowserAndApp((b, a) => {
  browser = b;
  app = a;
}, { poolFile: POOL, extraConfig: ALL_KINDS });

// A confirmed user with an email address and a phone number, made through the API (the register page
// asks for no phone number).
async function userWithPhone(target, stem) {
  const username = unique(stem);
  const { clientId } = target.cognito;
  await target.cognito.call('SignUp', { ClientId: clientId, Username: username, Password: PASSWORD,
    UserAttributes: [{ Name: 'email', Value: `${username}@example.com` }, { Name: 'name', Value: 'Kim' },
      { Name: 'phone_number', Value: '+15555550100' }] });
  const { confirmation } = await target.cognito.codes(username);
  await target.cognito.call('ConfirmSignUp', { ClientId: clientId, Username: username, ConfirmationCode: confirmation });
  return username;
}

const accessTokenOf = async (page, username) =>
  acijKeys(await storageOf(page), app.cognito.clientId)[`${username}.accessToken`];

// Every WCAG 2.1 AA violation axe-core finds, light and dark, and (in the pseudo-language) any text left
// outside the catalogs, added to `report` under `where`.
async function check(page, locale, where, report) {
  for (const scheme of ['light', 'dark']) {
    await page.emulateMedia({ colorScheme: scheme });
    for (const v of await violations(page)) report.push(`${where} ${scheme}: ${v}`);
  }
  if (locale !== 'en-US') for (const t of await unmarked(page)) report.push(`${where}: ${t}`);
}

async function signOut(page) {
  await page.getByRole('button', { name: 'Sign out', exact: true }).click();
  await page.waitForURL(/\/login/);
}

const codeOf = async (username) => (await app.cognito.codes(username)).signIn;

// A fresh browser with a new user (email and phone number) signed in on their profile.
async function onProfile(stem) {
  const { page, problems, calls } = await openPage(browser, app);
  const username = await userWithPhone(app, stem);
  await signIn(app, page, username);
  await expectProfile(page, username);
  return { page, problems, calls, username };
}

test('codes by text message: turned on in the profile; where it went, a wrong code corrected, a used code refused next time', async () => {
  const { page, problems, username } = await onProfile('sms');
  const codes = page.getByTestId('mfa-codes');
  await codes.getByText('Codes by text message: off.').waitFor();
  await codes.locator('li[data-kind="SMS_MFA"]').getByRole('button', { name: 'Turn on' }).click();
  await page.getByText('Your second steps are saved.').waitFor();
  await codes.getByText('Codes by text message: on.').waitFor();
  // The only second step is not turned off from here.
  await codes.getByText('This is your only second step. Set up another one before turning it off.').waitFor();
  assert.equal(await codes.getByRole('button', { name: 'Turn off' }).count(), 0);
  await signOut(page);

  await signIn(app, page, username);
  await page.getByRole('heading', { name: 'Enter your code' }).waitFor();
  await page.getByText('We sent a sign-in code by text message to +*******0100.').waitFor();
  const code = await codeOf(username);
  assert.match(code, /^\d{6}$/);
  await page.getByLabel('Sign-in code').fill(code === '000000' ? '111111' : '000000');
  await page.getByRole('button', { name: 'Continue' }).click();
  await alert(page, 'That code is not right. Check the message and try again.').waitFor();
  await page.getByLabel('Sign-in code').fill(code);
  await page.getByRole('button', { name: 'Continue' }).click();
  await expectProfile(page, username);

  // The code, once used, signs nobody in again.
  await signOut(page);
  await signIn(app, page, username);
  await page.getByRole('heading', { name: 'Enter your code' }).waitFor();
  if ((await codeOf(username)) !== code) {
    await page.getByLabel('Sign-in code').fill(code);
    await page.getByRole('button', { name: 'Continue' }).click();
    await alert(page, 'That code is not right.').waitFor();
  }
  assert.equal(new URL(page.url()).pathname, '/login');
  assert.deepEqual(problems, []);
});

test('codes by text message need a phone number: added and verified on the profile first', async () => {
  const { page, problems } = await openPage(browser, app);
  const username = await newUser(app, page, 'nophone');
  await signIn(app, page, username);
  await expectProfile(page, username);
  const sms = page.getByTestId('mfa-codes').locator('li[data-kind="SMS_MFA"]');
  await sms.getByText('Codes by text message need a phone number on your account.').waitFor();
  assert.equal(await sms.getByRole('button').count(), 0);
  // A number without its country code is refused before anything is sent.
  await page.getByLabel('Phone number').fill('555 0100');
  await page.getByRole('button', { name: 'Save profile' }).click();
  await page.getByText('Enter a phone number with its country code, like +14155550100.').waitFor();
  await page.getByLabel('Phone number').fill('+15555550142');
  await page.getByRole('button', { name: 'Save profile' }).click();
  await page.getByText('Saved. We sent a code by text message to your new number: enter it below to verify it.').waitFor();
  await page.getByText('Your phone number is not verified.').waitFor();
  const { attributes } = await app.cognito.codes(username);
  await page.locator('#phone-code').fill(attributes.phone_number);
  await page.getByRole('button', { name: 'Verify phone number' }).click();
  await page.getByText('Your phone number is verified.').waitFor();
  // Now codes by text message can be turned on, and go to that number.
  await sms.getByRole('button', { name: 'Turn on' }).click();
  await sms.getByText('Codes by text message: on.').waitFor();
  await signOut(page);
  await signIn(app, page, username);
  await page.getByText('We sent a sign-in code by text message to +*******0142.').waitFor();
  assert.deepEqual(problems, []);
});

test('codes by email, chosen among several kinds; then the browser remembered, listed and forgotten', async () => {
  const { page, problems, calls, username } = await onProfile('pick');
  // A first sign-in in this pool hands out a device and, the pool asking the user, the profile asks.
  await page.getByTestId('device-question').waitFor();
  await page.getByRole('button', { name: 'Not now' }).click();
  await page.getByTestId('device-question').waitFor({ state: 'detached' });
  await page.getByTestId('device-list').getByText('This browser').waitFor();
  await page.getByTestId('device-list').getByText('not remembered').waitFor();
  await app.cognito.call('SetUserMFAPreference', { AccessToken: await accessTokenOf(page, username),
    SMSMfaSettings: { Enabled: true, PreferredMfa: false }, EmailMfaSettings: { Enabled: true, PreferredMfa: false } });
  await signOut(page);

  // Not remembered: the code is asked; two kinds, none preferred: the user picks.
  await signIn(app, page, username);
  await page.getByRole('heading', { name: 'How do you want to get your code?' }).waitFor();
  await page.getByRole('button', { name: 'With a code by text message' }).waitFor();
  await page.getByRole('button', { name: 'With a code by email' }).click();
  await page.getByText(/We sent a sign-in code by email to .\*\*\*@e\*\*\*/).waitFor();
  // The second factor's form: no new code, no other way (those belong to a sign-in by code).
  await page.locator('#mfa-code').waitFor();
  assert.equal(await page.getByRole('button', { name: 'Send a new code' }).count(), 0);
  const code = await codeOf(username);
  assert.match(code, /^\d{8}$/);
  await page.getByLabel('Sign-in code').fill(code === '00000000' ? '11111111' : '00000000');
  await page.getByRole('button', { name: 'Continue' }).click();
  await alert(page, 'That code is not right. Check the message and try again.').waitFor();
  await page.getByLabel('Sign-in code').fill(code);
  await page.getByRole('button', { name: 'Continue' }).click();
  await expectProfile(page, username);
  assert.equal(await page.getByTestId('device-question').count(), 0, 'asked once, on the first sign-in with this device');
  // Email asked for first from now on, and text messages turned off: no more choice.
  const codes = page.getByTestId('mfa-codes');
  await codes.locator('li[data-kind="EMAIL_OTP"]').getByRole('button', { name: 'Ask for this one first' }).click();
  await codes.locator('li[data-kind="EMAIL_OTP"]').getByText('Asked for first when you sign in.').waitFor();
  await codes.locator('li[data-kind="SMS_MFA"]').getByRole('button', { name: 'Turn off' }).click();
  await codes.getByText('Codes by text message: off.').waitFor();

  // Remembered on the user's word (the question comes after a sign-in that handed out a new device).
  const keys = acijKeys(await storageOf(page), app.cognito.clientId);
  const deviceKey = keys[`${username}.deviceKey`];
  assert.ok(deviceKey);
  await page.evaluate((k) => { for (const s of ['deviceKey', 'deviceGroupKey', 'randomPasswordKey']) localStorage.removeItem(`${k}.${s}`); },
    `CognitoIdentityServiceProvider.${app.cognito.clientId}.${username}`);
  await signOut(page);
  await signIn(app, page, username);
  await page.locator('#mfa-code').waitFor(); // email asked at once, no choice
  await page.getByLabel('Sign-in code').fill(await codeOf(username));
  await page.getByRole('button', { name: 'Continue' }).click();
  await expectProfile(page, username);
  await page.getByRole('button', { name: 'Remember this browser' }).click();
  await page.getByText('This browser is remembered.').waitFor();
  const list = page.getByTestId('device-list');
  await list.locator('li', { hasText: 'This browser' }).getByText('remembered: no code asked there').waitFor();
  assert.equal(await list.locator('li').count(), 2, 'the device of the first sign-ins and this one');

  // A remembered browser: no code.
  await signOut(page);
  const before = calls.length;
  await signIn(app, page, username);
  await expectProfile(page, username);
  assert.ok(!calls.slice(before).includes('ConfirmDevice'), 'no new device');

  // Forgotten: the code is asked for again.
  const here = list.locator('li', { hasText: 'This browser' });
  await here.getByRole('button', { name: 'Forget' }).click();
  await page.getByText('Forget this device? Signing in there will ask for your code again.').waitFor();
  await here.getByRole('button', { name: 'Forget' }).click();
  await page.getByText('The device is forgotten.').waitFor();
  assert.equal(acijKeys(await storageOf(page), app.cognito.clientId)[`${username}.deviceKey`], undefined);
  await signOut(page);
  await signIn(app, page, username);
  await page.getByText(/We sent a sign-in code by email to/).waitFor();
  // An email code used before signs nobody in again.
  if ((await codeOf(username)) !== code) {
    await page.getByLabel('Sign-in code').fill(code);
    await page.getByRole('button', { name: 'Continue' }).click();
    await alert(page, 'That code is not right.').waitFor();
  }
  assert.deepEqual(problems, []);
});

test('the authenticator app with codes by text message: which is asked first, and turning the app off', async () => {
  const { page, problems, username } = await onProfile('both');
  const appSection = page.locator('section[aria-labelledby="mfa-title"]');
  await appSection.getByRole('button', { name: 'Set up an authenticator app' }).click();
  const key = (await page.getByTestId('totp-secret').textContent()).replaceAll(' ', '');
  await page.getByLabel('Code from the app').fill(totp(key));
  await appSection.getByRole('button', { name: 'Turn on' }).click();
  await appSection.getByTestId('mfa-status').filter({ hasText: 'On:' }).waitFor();
  const codes = page.getByTestId('mfa-codes');
  const sms = codes.locator('li[data-kind="SMS_MFA"]');
  await sms.getByRole('button', { name: 'Turn on' }).click();
  await sms.getByText('Codes by text message: on.').waitFor();
  // The app was first (set up first); text messages made first instead.
  await sms.getByRole('button', { name: 'Ask for this one first' }).click();
  await sms.getByText('Asked for first when you sign in.').waitFor();
  await codes.getByRole('button', { name: 'Ask for the authenticator app first' }).waitFor();

  // Turning the app off signs in again with its code, which text messages being first cannot take.
  await appSection.getByRole('button', { name: 'Turn off' }).click();
  await page.getByLabel('Your password').fill(PASSWORD);
  await page.getByLabel('Current code from the app').fill(totp(key, 1));
  await page.getByRole('button', { name: 'Confirm and turn off' }).click();
  await alert(page, 'Signing in asks first for a code sent to you, not the app\'s.').waitFor();
  await codes.getByRole('button', { name: 'Ask for the authenticator app first' }).click();
  await sms.getByRole('button', { name: 'Ask for this one first' }).waitFor();
  await appSection.getByRole('button', { name: 'Turn off' }).click();
  await page.getByLabel('Your password').fill(PASSWORD);
  await page.getByLabel('Current code from the app').fill(totp(key, 1));
  await page.getByRole('button', { name: 'Confirm and turn off' }).click();
  await page.getByText('Two-step verification is off.').waitFor();
  await codes.getByText('Codes by text message: on.').waitFor();
  assert.deepEqual(problems, []);
});

test('the new steps: no WCAG 2.1 AA violation (light and dark), and no text outside the catalogs', async () => {
  const { path, body } = pseudoCatalog();
  const pseudo = await startApp({ poolFile: POOL, extraConfig: ALL_KINDS, files: { [path]: { type: 'application/json', body } } });
  try {
    for (const [locale, target] of [['en-US', app], ['de-DE', pseudo]]) {
      const { page, problems } = await openPage(browser, target, { locale });
      const report = [];
      const username = await userWithPhone(target, 'mfaa11y');
      const signInHere = async () => {
        await page.goto(`${target.url}/login`);
        await page.locator('#username').fill(username);
        await page.locator('#password').fill(PASSWORD);
        await page.locator('main button[type="submit"]').click();
      };
      await signInHere();
      await page.getByTestId('device-question').waitFor();
      await page.getByTestId('device-list').waitFor();
      await page.getByTestId('mfa-codes').waitFor();
      await check(page, locale, 'the device question and list, codes by text message or email', report);
      const accessToken = acijKeys(await storageOf(page), target.cognito.clientId)[`${username}.accessToken`];
      await target.cognito.call('SetUserMFAPreference', { AccessToken: accessToken,
        SMSMfaSettings: { Enabled: true }, EmailMfaSettings: { Enabled: true } });
      await page.evaluate(() => localStorage.clear());
      await signInHere();
      await page.locator('.ways button').nth(1).waitFor();
      await check(page, locale, 'the kinds', report);
      await page.locator('.ways button').nth(1).click();
      await page.locator('#mfa-code').waitFor();
      await page.locator('main button[type="submit"]').click();
      await page.locator('[role="alert"]:not(:empty)').first().waitFor();
      await check(page, locale, 'the code by email', report);
      assert.deepEqual(report, []);
      assert.deepEqual(problems, []);
    }
  } finally {
    await pseudo.close();
  }
});

test('a pool requiring MFA: the first sign-in sets up codes by email', async () => {
  const required = await startApp({ poolFile: MFA_REQUIRED_POOL });
  try {
    await required.cognito.call('SetUserPoolMfaConfig', { UserPoolId: required.cognito.poolId, MfaConfiguration: 'ON',
      SoftwareTokenMfaConfiguration: { Enabled: true }, EmailMfaConfiguration: { Message: 'Your code is {####}', Subject: 'Code' } });
    const { page, problems } = await openPage(browser, required);
    const username = await newUser(required, page, 'mailsetup');
    await signIn(required, page, username);
    await page.getByRole('heading', { name: 'Set up two-step verification' }).waitFor();
    await page.getByRole('button', { name: 'Use an authenticator app' }).waitFor();
    const report = [];
    await check(page, 'en-US', 'the choice of a second step', report);
    await page.getByRole('button', { name: 'Get codes by email' }).click();
    await page.getByLabel('Email').fill('not an address');
    await page.getByRole('button', { name: 'Send the code' }).click();
    await page.getByText('Enter an email address like name@example.com.').waitFor();
    await check(page, 'en-US', 'codes by email set up', report);
    assert.deepEqual(report, []);
    await page.getByLabel('Email').fill(`${username}.codes@example.com`);
    await page.getByRole('button', { name: 'Send the code' }).click();
    await page.getByRole('heading', { name: 'Enter your code' }).waitFor();
    const { signIn: code } = await required.cognito.codes(username);
    await page.getByLabel('Sign-in code').fill(code);
    await page.getByRole('button', { name: 'Continue' }).click();
    await page.getByRole('heading', { name: 'Your profile' }).waitFor();
    // From now on, every sign-in asks for a code by email.
    await page.getByRole('button', { name: 'Sign out', exact: true }).click();
    await page.waitForURL(/\/login/);
    await signIn(required, page, username);
    await page.getByText(/We sent a sign-in code by email to/).waitFor();
    assert.deepEqual(problems, []);
  } finally {
    await required.close();
  }
});
