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
      assert.deepEqual(report, []);
      assert.deepEqual(problems, []);
    }
  } finally {
    await pseudo.close();
  }
});

test('passkeys: added on the profile, used to sign in (picked, then at once), refused plainly, deleted', async () => {
  const { page, problems, context } = await openPage(browser, app);
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
  await page.getByRole('heading', { name: 'Passkeys' }).waitFor();
  await page.getByText('You have no passkeys yet.').waitFor();
  await page.getByRole('button', { name: 'Add a passkey' }).click();
  await page.getByText('Your passkey has been added.').waitFor();
  assert.match(await page.getByTestId('passkeys').textContent(), /Passkey 1 on this device added /);
  // The same authenticator again: the service's options exclude it, the browser refuses, we say why.
  await page.getByRole('button', { name: 'Add a passkey' }).click();
  await alertWith(page, 'This passkey is already added to your account.').waitFor();

  // Next sign-in: the password was the way of last time; another way offers the passkey now.
  await signOut(page);
  await start();
  await page.getByRole('button', { name: 'Sign in another way' }).click();
  await page.getByRole('button', { name: 'With a passkey' }).click();
  await page.getByRole('heading', { name: 'Your profile' }).waitFor();
  // And now the passkey is the way of last time: asked for at once.
  await signOut(page);
  await start();
  await page.getByRole('heading', { name: 'Your profile' }).waitFor();

  // The authenticator does not verify the user: not used, said plainly, tried again.
  await signOut(page);
  await cdp.send('WebAuthn.setUserVerified', { authenticatorId, isUserVerified: false });
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
