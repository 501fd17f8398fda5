// Sign-in through managed login (issue 21): the authorization-code flow with PKCE between the app and
// cognito-local's managed login, with its local stand-in for an external identity provider. The round
// trip through the provider (a linked `LocalIdP_…` user, the provider on the profile, no password
// change), the hosted page with a password, refresh of the session it made, sign-out ending the hosted
// session, and every way the flow must fail: a state that is not this tab's, a reused code, a wrong
// verifier, the provider's refusal and its words.
import assert from 'node:assert/strict';
import { test } from 'node:test';
import { acijKeys, jwtPayload, startApp, storageOf, withBrowserAndApp } from '../lib/app.mjs';
import { violations } from '../lib/axe.mjs';
import { screenshot } from '../lib/browser.mjs';
import { alertWith, openPage, PASSWORD } from '../lib/flows.mjs';
import { pseudoCatalog, unmarked } from '../lib/pseudo.mjs';

const POOL = new URL('../pools/oauth.json', import.meta.url).pathname;
const FLOW_KEY = 'cognito-spa.oauth-flow';

const OAUTH_CONFIG = (cognito) => ({
  oauth: {
    domain: cognito.url,
    providers: ['LocalIdP', { identifier: 'example.org', label: 'Example staff' }],
    hostedPage: true,
  },
});

let app;
let browser;
withBrowserAndApp((b, a) => {
  browser = b;
  app = a;
}, { poolFile: POOL, extraConfig: OAUTH_CONFIG });

// The client's callback and sign-out URLs are the test's site (its port is known only once it runs):
// set them as a deployer does, with UpdateUserPoolClient.
const registerSite = (site) => site.cognito.call('UpdateUserPoolClient', {
  UserPoolId: site.cognito.poolId, ClientId: site.cognito.clientId,
  AllowedOAuthFlowsUserPoolClient: true, AllowedOAuthFlows: ['code'],
  AllowedOAuthScopes: ['openid', 'email', 'profile', 'aws.cognito.signin.user.admin'],
  CallbackURLs: [`${site.url}/oauth/callback`], LogoutURLs: [`${site.url}/login`],
  SupportedIdentityProviders: ['COGNITO', 'LocalIdP'],
});
let registered = false;

async function start(options) {
  if (!registered) await registerSite(app);
  registered = true;
  return openPage(browser, app, options);
}

const providerButton = (page, name) => page.getByRole('button', { name: `Continue with ${name}` });

// At the provider's page (cognito-local's stand-in): who to sign in as.
async function answerAtProvider(page, email, name = 'Nia Okafor', site = app) {
  await page.waitForURL((url) => url.href.startsWith(site.cognito.url));
  await page.getByLabel('Email').fill(email);
  await page.getByLabel('Name').fill(name);
  await page.getByRole('button', { name: 'Continue' }).click();
}

async function confirmedUser(username) {
  await app.cognito.call('SignUp', {
    ClientId: app.cognito.clientId, Username: username, Password: PASSWORD,
    UserAttributes: [{ Name: 'email', Value: `${username}@example.com` }],
  });
  await app.cognito.call('AdminConfirmSignUp', { UserPoolId: app.cognito.poolId, Username: username });
}

test('a provider signs in a linked user: back to the page asked for, the provider on the profile, no password change, tokens only in storage, refreshed like any session', async () => {
  const { page, problems } = await start();
  const visited = [];
  page.on('framenavigated', (frame) => { if (frame === page.mainFrame()) visited.push(frame.url()); });
  await page.goto(`${app.url}/profile`);
  await page.waitForURL(/\/login\?next=%2Fprofile/);
  assert.deepEqual(await violations(page), [], 'the sign-in page with provider buttons');
  await screenshot(page, 'oauth-login');
  await providerButton(page, 'LocalIdP').click();
  await page.waitForURL((url) => url.href.startsWith(app.cognito.url));
  const authorize = new URL(page.url());
  assert.equal(authorize.pathname, '/oauth2/authorize');
  const asked = Object.fromEntries(authorize.searchParams);
  assert.equal(asked.identity_provider, 'LocalIdP');
  assert.equal(asked.code_challenge_method, 'S256');
  assert.match(asked.code_challenge, /^[A-Za-z0-9_-]{43}$/);
  assert.equal(asked.redirect_uri, `${app.url}/oauth/callback`);
  assert.equal(asked.lang, 'en');
  assert.equal(asked.scope, 'openid email profile aws.cognito.signin.user.admin');
  assert.ok(!authorize.search.includes('verifier'), 'the verifier never leaves the tab');

  await answerAtProvider(page, 'nia@example.org');
  await page.getByRole('heading', { name: 'Your profile' }).waitFor();
  assert.equal(new URL(page.url()).pathname, '/profile', 'back to the page first asked for');
  assert.equal(await page.getByTestId('email').textContent(), 'nia@example.org');
  await page.getByTestId('provider').filter({ hasText: 'You signed in with LocalIdP.' }).waitFor();
  assert.equal(await page.getByRole('heading', { name: 'Change password' }).count(), 0, 'a federated user has no password here');
  const username = await page.getByTestId('username').textContent();
  assert.match(username, /^LocalIdP_\d+$/);

  // The session is the reference client's keys; the flow's secrets are gone; no code in any address.
  const storage = await storageOf(page);
  const keys = acijKeys(storage, app.cognito.clientId);
  assert.equal(keys.LastAuthUser, username);
  assert.equal(jwtPayload(keys[`${username}.idToken`]).identities[0].providerName, 'LocalIdP');
  assert.equal(await page.evaluate((k) => sessionStorage.getItem(k), FLOW_KEY), null);
  const callback = visited.find((u) => u.includes('/oauth/callback'));
  assert.ok(callback, `went through the callback: ${visited.join(' ')}`);
  for (const url of [page.url(), ...visited.filter((u) => u.startsWith(app.url))]) {
    const here = new URL(url);
    assert.ok(!here.searchParams.has('code') || url === callback, url);
  }
  assert.equal(await page.evaluate(() => location.search), '');
  const tokens = [keys[`${username}.accessToken`], keys[`${username}.refreshToken`]];
  for (const url of visited) for (const token of tokens) assert.ok(!url.includes(token), 'no token in an address');

  // Expired tokens refresh as any session's do (REFRESH_TOKEN_AUTH with the managed-login refresh token).
  await app.cognito.advanceClock(3700);
  await page.reload();
  await page.getByRole('heading', { name: 'Your profile' }).waitFor();
  await page.getByTestId('username').filter({ hasText: username }).waitFor();
  const after = acijKeys(await storageOf(page), app.cognito.clientId);
  assert.notEqual(after[`${username}.accessToken`], tokens[0], 'refreshed');
  assert.equal(jwtPayload(after[`${username}.accessToken`]).scope, 'openid email profile aws.cognito.signin.user.admin');
  assert.deepEqual(problems, []);
  await page.context().close();
});

test('the hosted page signs in with a password; sign-out ends the hosted session too', async () => {
  const { page, problems } = await start();
  const username = `hosted${Date.now().toString(36)}`;
  await confirmedUser(username);
  await page.goto(`${app.url}/login`);
  await page.getByLabel('Username', { exact: true }).fill(username);
  await page.getByRole('button', { name: 'Sign in with the hosted page' }).click();
  await page.waitForURL((url) => url.href.startsWith(app.cognito.url));
  assert.equal(new URL(page.url()).searchParams.get('login_hint'), username);
  assert.equal(await page.getByLabel('Username').inputValue(), username, 'the hint fills the hosted page');
  await page.getByLabel('Password').fill(PASSWORD);
  await page.getByRole('button', { name: 'Sign in' }).click();
  await page.getByRole('heading', { name: 'Your profile' }).waitFor();
  assert.equal(await page.getByTestId('username').textContent(), username);
  assert.equal(await page.getByTestId('provider').count(), 0, "the pool's own user");
  await page.getByRole('heading', { name: 'Change password' }).waitFor();

  // While the hosted session lasts, the hosted page signs in at once…
  await page.evaluate((k) => localStorage.clear(), FLOW_KEY);
  await page.goto(`${app.url}/login`);
  await page.getByRole('button', { name: 'Sign in with the hosted page' }).click();
  await page.getByRole('heading', { name: 'Your profile' }).waitFor();
  // …so signing out goes through managed login's /logout, back to /login, and the next visit asks again.
  await page.getByRole('button', { name: 'Sign out', exact: true }).click();
  await page.waitForURL((url) => url.href.startsWith(`${app.cognito.url}/logout`) || url.pathname === '/login');
  await page.waitForURL(`${app.url}/login`);
  await page.getByRole('button', { name: 'Sign in with the hosted page' }).waitFor();
  assert.equal(acijKeys(await storageOf(page), app.cognito.clientId).LastAuthUser, undefined);
  await page.getByRole('button', { name: 'Sign in with the hosted page' }).click();
  await page.waitForURL((url) => url.href.startsWith(app.cognito.url));
  await page.getByLabel('Password').waitFor();
  assert.deepEqual(problems, []);
  await page.context().close();
});

test('an answer with a state this tab did not start is not used, and says so; a flow left unfinished is forgotten', async () => {
  const { page } = await start();
  await page.goto(`${app.url}/login`);
  await providerButton(page, 'LocalIdP').click();
  await page.waitForURL((url) => url.href.startsWith(app.cognito.url));
  // Back on the sign-in page instead of finishing: the flow's secrets go.
  await page.goto(`${app.url}/login`);
  await providerButton(page, 'LocalIdP').waitFor();
  assert.equal(await page.evaluate((k) => sessionStorage.getItem(k), FLOW_KEY), null, 'an abandoned flow is forgotten');
  await providerButton(page, 'LocalIdP').click();
  await page.waitForURL((url) => url.href.startsWith(app.cognito.url));
  // A forged answer (a code from elsewhere, someone else's state) arrives instead of the provider's.
  await page.goto(`${app.url}/oauth/callback?code=forged-code&state=someone-elses`);
  await alertWith(page, 'does not belong to a sign-in started in this tab').waitFor();
  assert.equal(await page.evaluate(() => location.search), '', 'the query left the address bar');
  assert.equal(await page.evaluate((k) => sessionStorage.getItem(k), FLOW_KEY), null, 'the flow is over');
  assert.equal(acijKeys(await storageOf(page), app.cognito.clientId).LastAuthUser, undefined);
  assert.deepEqual(await violations(page), [], 'the callback page with its error');
  await page.getByRole('link', { name: 'Back to sign in' }).click();
  await page.waitForURL(/\/login$/);
  await page.context().close();
});

test('a code works once and only with its verifier: a reused code and a wrong verifier are refused plainly', async () => {
  const { page } = await start();
  // Record what the app sends to the token endpoint (to replay it), and on the second flow change the
  // verifier on its way.
  const sent = [];
  let tamper = false;
  await page.route(`${app.cognito.url}/oauth2/token`, async (route) => {
    const body = new URLSearchParams(route.request().postData());
    sent.push(Object.fromEntries(body));
    if (tamper) body.set('code_verifier', 'x'.repeat(43));
    await route.continue({ postData: body.toString() });
  });
  await page.goto(`${app.url}/login`);
  await providerButton(page, 'Example staff').click(); // by idp_identifier
  await page.waitForURL((url) => url.href.startsWith(app.cognito.url));
  assert.equal(new URL(page.url()).searchParams.get('idp_identifier'), 'example.org');
  await answerAtProvider(page, 'reuse@example.org');
  await page.getByRole('heading', { name: 'Your profile' }).waitFor();
  assert.equal(sent.length, 1);
  assert.equal(sent[0].grant_type, 'authorization_code');
  assert.match(sent[0].code_verifier, /^[A-Za-z0-9_-]{43}$/);

  // The same code again, as if the callback were opened twice with its flow: refused.
  await page.evaluate(() => localStorage.clear());
  const state = 'replayed-state';
  const started = Math.floor(Date.now() / 1000);
  await page.evaluate(([k, v]) => sessionStorage.setItem(k, v), [FLOW_KEY, `${state}\n${sent[0].code_verifier}\n${started}\n/profile`]);
  await page.goto(`${app.url}/oauth/callback?code=${encodeURIComponent(sent[0].code)}&state=${state}`);
  await alertWith(page, 'expired or was already used').waitFor();
  assert.equal(acijKeys(await storageOf(page), app.cognito.clientId).LastAuthUser, undefined);

  // A new flow whose verifier is changed on the way: refused, and nothing stored.
  tamper = true;
  await page.goto(`${app.url}/login`);
  await providerButton(page, 'LocalIdP').click();
  await answerAtProvider(page, 'reuse@example.org');
  await alertWith(page, 'expired or was already used').waitFor();
  assert.equal(sent.length, 3);
  assert.equal(acijKeys(await storageOf(page), app.cognito.clientId).LastAuthUser, undefined);
  await page.context().close();
});

test("the provider's refusal is shown plainly: Cancel, and an error with its own words", async () => {
  const { page } = await start();
  await page.goto(`${app.url}/login`);
  await providerButton(page, 'LocalIdP').click();
  await page.waitForURL((url) => url.href.startsWith(app.cognito.url));
  await page.getByRole('button', { name: 'Cancel' }).click();
  await alertWith(page, 'The sign-in was cancelled.').waitFor();
  assert.equal(new URL(page.url()).pathname, '/oauth/callback');
  assert.equal(await page.evaluate(() => location.search), '');
  await page.goto(`${app.url}/oauth/callback?error=invalid_request&error_description=${encodeURIComponent('Invalid SAML response')}`);
  await alertWith(page, 'The sign-in did not complete: Invalid SAML response').waitFor();
  await page.goto(`${app.url}/oauth/callback?error=unauthorized_client`);
  await alertWith(page, "This site's sign-in settings do not match the user pool's (unauthorized_client).").waitFor();
  await page.context().close();
});

test('no text outside the catalogs: the provider buttons, the callback page and a federated profile in the marked pseudo-language', async () => {
  const { path, body } = pseudoCatalog();
  const pseudo = await startApp({ poolFile: POOL, extraConfig: OAUTH_CONFIG, files: { [path]: { type: 'application/json', body } } });
  try {
    await registerSite(pseudo);
    const { page } = await openPage(browser, pseudo, { locale: 'de-DE' });
    const report = [];
    const check = async (where) => { for (const t of await unmarked(page)) report.push(`${where}: ${t}`); };
    await page.goto(`${pseudo.url}/login`);
    await page.locator('[data-provider="hosted"]').waitFor();
    await check('login');
    await page.goto(`${pseudo.url}/oauth/callback?error=access_denied`);
    await page.getByRole('alert').waitFor();
    await check('callback');
    await page.goto(`${pseudo.url}/login`);
    await page.locator('[data-provider="LocalIdP"]').click();
    await answerAtProvider(page, 'marked@example.org', 'Mark', pseudo);
    await page.getByTestId('provider').waitFor();
    await check('profile');
    assert.deepEqual(report, []);
    await page.context().close();
  } finally {
    await pseudo.close();
  }
});
