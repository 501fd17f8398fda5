// Choice-based sign-in (USER_AUTH) in a pool that allows codes by email and passkeys
// (allowedFirstAuthFactors): the username first, then the ways the user has (SELECT_CHALLENGE); a code by
// email (EMAIL_OTP) with where it went, a wrong code corrected, an expired one replaced; the password
// proven with SRP when picked; passkeys added on the profile and used to sign in (Chromium's virtual
// authenticator); and the way of last time taken at once next time.
import assert from 'node:assert/strict';
import { test } from 'node:test';
import { startApp, withBrowserAndApp } from '../lib/app.mjs';
import { violations } from '../lib/axe.mjs';
import { alertWith, countCalls, openPage, PASSWORD, PASSWORDLESS_POOL, register, unique } from '../lib/flows.mjs';
import { pseudoCatalog, unmarked } from '../lib/pseudo.mjs';

// The pool file, and config.json saying the same of its first factors.
const PASSWORDLESS = {
  poolFile: PASSWORDLESS_POOL,
  extraConfig: () => ({ allowedFirstAuthFactors: ['PASSWORD', 'EMAIL_OTP', 'WEB_AUTHN'] }),
};

let app;
let browser;
withBrowserAndApp((b, a) => {
  browser = b;
  app = a;
}, PASSWORDLESS);

const signInCode = async (username) => (await app.cognito.codes(username)).signIn;

// A confirmed user (email verified), made through the API.
async function newUser(target, _page, stem) {
  const username = unique(stem);
  const { clientId } = target.cognito;
  await target.cognito.call('SignUp', { ClientId: clientId, Username: username, Password: PASSWORD,
    UserAttributes: [{ Name: 'email', Value: `${username}@example.com` }, { Name: 'name', Value: 'Ada' }] });
  const { confirmation } = await target.cognito.codes(username);
  await target.cognito.call('ConfirmSignUp', { ClientId: clientId, Username: username, ConfirmationCode: confirmation });
  return username;
}

async function startWith(page, username) {
  await page.goto(`${app.url}/login`);
  await page.getByLabel('Username', { exact: true }).fill(username);
  assert.equal(await page.getByLabel('Password', { exact: true }).count(), 0, 'the username comes first');
  await page.getByRole('button', { name: 'Continue' }).click();
}

async function signOut(page) {
  await page.getByRole('button', { name: 'Sign out', exact: true }).click();
  await page.waitForURL(/\/login/);
}

test('a code by email: the ways offered, where the code went, a wrong code corrected, then next time at once', async () => {
  const { page, problems, calls } = await openPage(browser, app);
  const username = await newUser(app, page, 'otp');
  await startWith(page, username);
  await page.getByRole('heading', { name: 'How do you want to sign in?' }).waitFor();
  assert.deepEqual(await page.locator('.ways button').allTextContents(), ['With my password', 'With a code by email']);
  await page.getByRole('button', { name: 'With a code by email' }).click();
  await page.getByRole('heading', { name: 'Enter your code' }).waitFor();
  await page.getByText(`We sent a sign-in code by email to ${username[0]}***@e***.`).waitFor();
  const code = await signInCode(username);
  assert.match(code, /^\d{8}$/);
  await page.getByLabel('Sign-in code').fill('00000000');
  await page.getByRole('button', { name: 'Continue' }).click();
  await alertWith(page, 'That code is not right. Check the message and try again.').waitFor();
  assert.equal(await page.getByLabel('Sign-in code').inputValue(), '', 'the wrong code is cleared');
  await page.getByLabel('Sign-in code').fill(code);
  await page.getByRole('button', { name: 'Continue' }).click();
  await page.getByRole('heading', { name: 'Your profile' }).waitFor();
  assert.deepEqual(calls.filter((c) => /InitiateAuth|RespondToAuthChallenge/.test(c)),
    ['InitiateAuth:USER_AUTH', 'RespondToAuthChallenge', 'RespondToAuthChallenge', 'RespondToAuthChallenge']);

  // Next time on this browser: the code is sent as soon as the username is given.
  await signOut(page);
  await startWith(page, username);
  await page.getByRole('heading', { name: 'Enter your code' }).waitFor();
  assert.equal(await page.getByRole('heading', { name: 'How do you want to sign in?' }).count(), 0);
  await page.getByLabel('Sign-in code').fill(await signInCode(username));
  await page.getByRole('button', { name: 'Continue' }).click();
  await page.getByRole('heading', { name: 'Your profile' }).waitFor();
  assert.equal(countCalls(calls, 'InitiateAuth:USER_AUTH'), 2);
  assert.deepEqual(problems, []);
});

test('an expired code is replaced by a new one; another way can be picked instead', async () => {
  const { page, problems } = await openPage(browser, app);
  const username = await newUser(app, page, 'otpx');
  await startWith(page, username);
  await page.getByRole('button', { name: 'With a code by email' }).click();
  await page.getByRole('heading', { name: 'Enter your code' }).waitFor();
  const stale = await signInCode(username);
  await app.cognito.advanceClock(181); // the sign-in's session (and its code) lasts three minutes
  await page.getByLabel('Sign-in code').fill(stale);
  await page.getByRole('button', { name: 'Continue' }).click();
  await alertWith(page, 'Signing in took too long. Please try again.').waitFor();
  await page.getByRole('button', { name: 'Send a new code' }).click();
  let fresh;
  for (let i = 0; i < 50 && (!fresh || fresh === stale); i += 1) {
    fresh = await signInCode(username);
    if (!fresh || fresh === stale) await page.waitForTimeout(100);
  }
  assert.notEqual(fresh, stale);
  await page.getByLabel('Sign-in code').fill(fresh);
  await page.getByRole('button', { name: 'Continue' }).click();
  await page.getByRole('heading', { name: 'Your profile' }).waitFor();

  // "Sign in another way" from the code goes back to the choice.
  await signOut(page);
  await startWith(page, username);
  await page.getByRole('heading', { name: 'Enter your code' }).waitFor();
  await page.getByRole('button', { name: 'Sign in another way' }).click();
  await page.getByRole('heading', { name: 'How do you want to sign in?' }).waitFor();
  assert.deepEqual(problems, []);
});

test('the password, when picked, is proven with SRP; next time the password is asked at once', async () => {
  const { page, problems, calls } = await openPage(browser, app);
  const username = await newUser(app, page, 'pwway');
  await startWith(page, username);
  await page.getByRole('button', { name: 'With my password' }).click();
  assert.equal(await page.getByLabel('Username', { exact: true }).inputValue(), username, 'the username stays');
  await page.getByLabel('Password', { exact: true }).fill('Wrong-password-9');
  await page.getByRole('button', { name: 'Sign in', exact: true }).click();
  await alertWith(page, 'Incorrect username or password.').waitFor();
  await page.getByLabel('Password', { exact: true }).fill(PASSWORD);
  await page.getByRole('button', { name: 'Sign in', exact: true }).click();
  await page.getByRole('heading', { name: 'Your profile' }).waitFor();
  const requests = [];
  page.on('request', (r) => { if (r.postData()) requests.push(r.postData()); });
  await signOut(page);
  await startWith(page, username);
  // Remembered: no call yet, the password field at once, with another way on offer.
  await page.getByLabel('Password', { exact: true }).waitFor();
  assert.equal(countCalls(calls, 'InitiateAuth:USER_AUTH'), 3, 'the picker, then two password tries');
  await page.getByLabel('Password', { exact: true }).fill(PASSWORD);
  await page.getByRole('button', { name: 'Sign in', exact: true }).click();
  await page.getByRole('heading', { name: 'Your profile' }).waitFor();
  const started = requests.map((b) => JSON.parse(b)).find((b) => b.AuthFlow === 'USER_AUTH');
  assert.equal(started.AuthParameters.PREFERRED_CHALLENGE, 'PASSWORD_SRP');
  assert.match(started.AuthParameters.SRP_A, /^[0-9a-f]+$/);
  assert.ok(requests.every((b) => !b.includes(PASSWORD)), 'the password never leaves the page');
  assert.deepEqual(problems, []);
});

test('confirming the sign-up signs the new user in: no password or code asked again', async () => {
  const { page, problems, calls } = await openPage(browser, app);
  const username = unique('fresh');
  await register(app, page, username);
  await page.waitForURL(/\/confirm\?/);
  await page.getByLabel('Confirmation code').fill((await app.cognito.codes(username)).confirmation);
  await page.getByRole('button', { name: 'Confirm account' }).click();
  await page.getByRole('heading', { name: 'Your profile' }).waitFor();
  await page.getByTestId('username').filter({ hasText: username }).waitFor();
  assert.deepEqual(calls.filter((c) => /ConfirmSignUp|InitiateAuth|RespondToAuthChallenge/.test(c)),
    ['ConfirmSignUp', 'InitiateAuth:USER_AUTH']);
  assert.deepEqual(problems, []);
});

test('signing up without a password: codes by email instead, then signed in with no password ever asked', async () => {
  const { page, problems, calls } = await openPage(browser, app);
  const requests = [];
  page.on('request', (r) => { if (r.postData()) requests.push(r.postData()); });
  const username = unique('nopass');
  await page.goto(`${app.url}/register`);
  await page.getByRole('group', { name: 'How will you sign in?' }).waitFor();
  assert.equal(await page.getByLabel('With a password').isChecked(), true, 'a password unless chosen otherwise');
  await page.getByLabel('Username', { exact: true }).fill(username);
  await page.getByLabel('Name', { exact: true }).fill('Ada');
  await page.getByLabel('Email', { exact: true }).fill(`${username}@example.com`);
  await page.getByLabel('Password', { exact: true }).fill('short');
  await page.getByLabel('With a code sent to my email (no password)').check();
  assert.equal(await page.getByLabel('Password', { exact: true }).isHidden(), true, 'no password asked');
  assert.equal(await page.getByLabel('Repeat the password').isHidden(), true);
  await page.getByRole('button', { name: 'Create account' }).click();
  await page.waitForURL(/\/confirm\?/);
  const signUp = requests.map((b) => JSON.parse(b)).find((b) => b.Username === username && b.UserAttributes);
  assert.ok(signUp && !('Password' in signUp), 'SignUp carries no Password');
  await page.getByLabel('Confirmation code').fill((await app.cognito.codes(username)).confirmation);
  await page.getByRole('button', { name: 'Confirm account' }).click();
  await page.getByRole('heading', { name: 'Your profile' }).waitFor();

  // Next time: the code is the way (the only one this user has), sent as soon as the name is given.
  await signOut(page);
  await startWith(page, username);
  await page.getByRole('heading', { name: 'Enter your code' }).waitFor();
  await page.getByLabel('Sign-in code').fill(await signInCode(username));
  await page.getByRole('button', { name: 'Continue' }).click();
  await page.getByRole('heading', { name: 'Your profile' }).waitFor();
  // On another browser (nothing remembered), the ways this user has: the code alone, no password.
  const other = await openPage(browser, app);
  await startWith(other.page, username);
  await other.page.getByRole('heading', { name: 'How do you want to sign in?' }).waitFor();
  assert.deepEqual(await other.page.locator('.ways button').allTextContents(), ['With a code by email']);
  assert.equal(countCalls(calls, 'SignUp'), 1);
  assert.deepEqual(problems, []);
  assert.deepEqual(other.problems, []);
});

test('the new steps: no WCAG 2.1 AA violation (light and dark), and no text outside the catalogs', async () => {
  const { path, body } = pseudoCatalog();
  const pseudo = await startApp({ ...PASSWORDLESS, files: { [path]: { type: 'application/json', body } } });
  try {
    for (const [locale, target] of [['en-US', app], ['de-DE', pseudo]]) {
      const { page, problems } = await openPage(browser, target, { locale });
      const username = await newUser(target, page, 'otpa11y');
      await page.goto(`${target.url}/login`);
      const report = [];
      const check = async (where) => {
        for (const scheme of ['light', 'dark']) {
          await page.emulateMedia({ colorScheme: scheme });
          for (const v of await violations(page)) report.push(`${where} ${scheme}: ${v}`);
        }
        if (locale !== 'en-US') for (const t of await unmarked(page)) report.push(`${where}: ${t}`);
      };
      await page.locator('#username').fill(username);
      await check('username first');
      await page.locator('main button[type="submit"]').click();
      await page.locator('.ways button').first().waitFor();
      await check('the ways');
      await page.locator('.ways button').nth(1).click();
      await page.locator('#sign-in-code').waitFor();
      await page.locator('main button[type="submit"]').click();
      await page.locator('#sign-in-code-error:not(:empty)').waitFor();
      await check('the code');
      // Signed in by code: the profile offers a passkey.
      await page.locator('#sign-in-code').fill((await target.cognito.codes(username)).signIn);
      await page.locator('main button[type="submit"]').click();
      await page.getByTestId('passkey-offer').waitFor();
      await check('the passkey offer');
      await page.evaluate(() => localStorage.clear()); // signed out, for the sign-up page
      // Sign-up with the choice of a password or codes.
      await page.goto(`${target.url}/register`);
      await page.locator('fieldset.choice').waitFor();
      await check('sign-up with a choice');
      await page.locator('fieldset.choice input[value="email-code"]').check();
      await page.locator('main button[type="submit"]').click();
      await page.locator('#email-error:not(:empty)').waitFor();
      await check('sign-up without a password');
      assert.deepEqual(report, []);
      assert.deepEqual(problems, []);
    }
  } finally {
    await pseudo.close();
  }
});

test('passkeys: offered after a password sign-in, added, used from the autofill, picked, asked at once, refused plainly, deleted', async () => {
  const { page, problems, context, calls } = await openPage(browser, app);
  const requests = [];
  page.on('request', (r) => { if (r.postData()) requests.push(r.postData()); });
  // Passkeys are bound to a domain: the app is opened as localhost (the pool's relying party).
  const site = app.url.replace('127.0.0.1', 'localhost');
  const cdp = await context.newCDPSession(page);
  await cdp.send('WebAuthn.enable');
  const { authenticatorId } = await cdp.send('WebAuthn.addVirtualAuthenticator', {
    options: { protocol: 'ctap2', transport: 'internal', hasResidentKey: true, hasUserVerification: true,
      isUserVerified: true, automaticPresenceSimulation: true },
  });
  const username = await newUser(app, page, 'pk');
  const start = async () => {
    await page.goto(`${site}/login`);
    await page.getByLabel('Username', { exact: true }).fill(username);
    await page.getByRole('button', { name: 'Continue' }).click();
  };
  await start();
  assert.deepEqual(await page.locator('.ways button').allTextContents(), ['With my password', 'With a code by email'],
    'no passkey yet: not offered');
  await page.getByRole('button', { name: 'With my password' }).click();
  await page.getByLabel('Password', { exact: true }).fill(PASSWORD);
  await page.getByRole('button', { name: 'Sign in', exact: true }).click();
  // Signed in with a password and no passkey yet: a passkey is offered at the top of the profile.
  const offer = page.getByTestId('passkey-offer');
  await offer.getByRole('heading', { name: 'Sign in faster next time' }).waitFor();
  await page.getByText('You have no passkeys yet.').waitFor();
  await offer.getByRole('button', { name: 'Add a passkey' }).click();
  await offer.getByText('Your passkey has been added.').waitFor();
  // The profile's list follows.
  await page.getByTestId('passkeys').waitFor();
  assert.match(await page.getByTestId('passkeys').textContent(), /Passkey 1 on this device added /);
  // The same authenticator again: the service's options exclude it, the browser refuses, we say why.
  await page.getByRole('region', { name: 'Passkeys' }).getByRole('button', { name: 'Add a passkey' }).click();
  await alertWith(page, 'This passkey is already added to your account.').waitFor();

  // Passkey autofill: the sign-in page offers this user's passkey in the username field's autofill at
  // once (whoever last used or added a passkey here); the virtual authenticator picks it as soon as it is
  // offered, as a person picking it from the field's suggestions would. No name typed.
  const before = calls.length;
  await signOut(page);
  await page.getByRole('heading', { name: 'Your profile' }).waitFor();
  assert.deepEqual(calls.slice(before).filter((c) => /InitiateAuth|RespondToAuthChallenge/.test(c)),
    ['InitiateAuth:USER_AUTH', 'RespondToAuthChallenge']);
  const preferred = requests.map((b) => JSON.parse(b)).filter((b) => b.AuthFlow === 'USER_AUTH').pop();
  assert.deepEqual(preferred.AuthParameters, { USERNAME: username, PREFERRED_CHALLENGE: 'WEB_AUTHN' });

  // Someone who types a name instead: the waiting autofill request is stopped, and the passkey (the way
  // of last time) is asked for at once. Presence is off while the offer waits, so it is not picked.
  const typed = async () => {
    await cdp.send('WebAuthn.setAutomaticPresenceSimulation', { authenticatorId, enabled: false });
    await signOut(page);
    await page.locator('form[data-passkey-autofill="waiting"]').waitFor();
    await cdp.send('WebAuthn.setAutomaticPresenceSimulation', { authenticatorId, enabled: true });
    await page.getByLabel('Username', { exact: true }).fill(username);
    await page.getByRole('button', { name: 'Continue' }).click();
  };
  await typed();
  await page.getByRole('heading', { name: 'Your profile' }).waitFor();
  // Nothing remembered of the way: the ways now include the passkey, picked.
  await page.evaluate((name) => localStorage.removeItem(`cognito-spa.way.${name}`), username);
  await typed();
  await page.getByRole('button', { name: 'With a passkey' }).click();
  await page.getByRole('heading', { name: 'Your profile' }).waitFor();

  // The authenticator does not verify the user: not used (the autofill's request fails quietly), the
  // typed name's request said plainly, tried again.
  await cdp.send('WebAuthn.setUserVerified', { authenticatorId, isUserVerified: false });
  await signOut(page);
  await start();
  await alertWith(page, 'The passkey was not used: it was cancelled or took too long.').waitFor();
  await cdp.send('WebAuthn.setUserVerified', { authenticatorId, isUserVerified: true });
  await page.getByRole('button', { name: 'Use my passkey' }).click();
  await page.getByRole('heading', { name: 'Your profile' }).waitFor();

  // Deleted after confirming: gone from the profile and from the ways to sign in.
  await page.getByRole('button', { name: 'Delete', exact: true }).first().click();
  await page.getByText('Delete this passkey?').waitFor();
  await page.getByTestId('passkeys').getByRole('button', { name: 'Delete', exact: true }).click();
  await page.getByText('The passkey has been deleted.').waitFor();
  await page.getByText('You have no passkeys yet.').waitFor();
  assert.deepEqual(problems, []);
});

test('the passkey offer after a sign-in by code: "Not now" is remembered, so it is not offered again', async () => {
  const { page, problems, context } = await openPage(browser, app);
  const site = app.url.replace('127.0.0.1', 'localhost');
  const cdp = await context.newCDPSession(page);
  await cdp.send('WebAuthn.enable');
  await cdp.send('WebAuthn.addVirtualAuthenticator', {
    options: { protocol: 'ctap2', transport: 'internal', hasResidentKey: true, hasUserVerification: true,
      isUserVerified: true, automaticPresenceSimulation: true },
  });
  const username = await newUser(app, page, 'offer');
  const signInByCode = async () => {
    await page.goto(`${site}/login`);
    await page.getByLabel('Username', { exact: true }).fill(username);
    await page.getByRole('button', { name: 'Continue' }).click();
    const picker = page.getByRole('button', { name: 'With a code by email' });
    const asked = page.getByLabel('Sign-in code');
    await picker.or(asked).waitFor();
    if (await picker.count()) await picker.click();
    await asked.waitFor(); // the code is sent once the way is picked
    await asked.fill(await signInCode(username));
    await page.getByRole('button', { name: 'Continue' }).click();
    await page.getByRole('heading', { name: 'Your profile' }).waitFor();
  };
  await signInByCode();
  const offer = page.getByTestId('passkey-offer');
  await offer.waitFor();
  assert.equal(await offer.getByRole('heading').textContent(), 'Sign in faster next time');
  await offer.getByRole('button', { name: 'Not now' }).click();
  await offer.waitFor({ state: 'detached' });
  // Not offered again on a later visit of the profile, nor after the next sign-in.
  await page.reload();
  await page.getByTestId('no-passkeys').waitFor();
  await signOut(page);
  await signInByCode();
  await page.getByTestId('no-passkeys').waitFor();
  assert.equal(await offer.count(), 0);
  assert.deepEqual(problems, []);
});
