// Languages: a German and an Arabic browser see their language (Arabic right to left, mirrored) on
// sign-in, register, the server's errors (wrong password, code mismatch) and the profile, with dates in
// their locale, and only their own catalog is fetched; switching language keeps what was typed and is
// remembered; and in a marked pseudo-language no text of any page is left outside the catalogs.
import assert from 'node:assert/strict';
import { readdirSync, readFileSync } from 'node:fs';
import { test } from 'node:test';
import { startApp, withBrowserAndApp } from '../lib/app.mjs';
import { ROOT } from '../lib/local-server.mjs';
import { openPage, PASSWORD, unique } from '../lib/flows.mjs';
import { pseudoCatalog, unmarked } from '../lib/pseudo.mjs';

let app;
let browser;
withBrowserAndApp((b, a) => {
  browser = b;
  app = a;
});

const catalog = (tag) => JSON.parse(readFileSync(`${ROOT}/locales/${tag}.json`, 'utf8'));
const EN = catalog('en');
const fill = (text, args = {}) => text.replace(/\{(\w+)\}/g, (_, name) => args[name] ?? `{${name}}`);

// Records which catalogs the page fetched.
function catalogRequests(page) {
  const seen = [];
  page.on('request', (req) => {
    const path = new URL(req.url()).pathname;
    if (path.startsWith('/locales/')) seen.push(path);
  });
  return seen;
}

// Sign-in, register, the server's errors and the profile, in the browser language `locale`, whose catalog
// is `tag`; every text is compared with the catalog and must differ from English.
async function speaks(locale, tag, dir) {
  const t = catalog(tag);
  const { page, problems } = await openPage(browser, app, { locale });
  const fetched = catalogRequests(page);
  const heading = (key) => page.getByRole('heading', { name: t[key], exact: true });
  const said = (key, args) => page.getByRole('alert').filter({ hasText: fill(t[key], args) });

  await page.goto(`${app.url}/login`);
  await heading('login.title').waitFor();
  assert.notEqual(t['login.title'], EN['login.title']);
  assert.equal(await page.locator('html').getAttribute('lang'), tag);
  assert.equal(await page.locator('html').getAttribute('dir'), dir);
  assert.equal(await page.title(), t['brand.default_name']);
  assert.equal(await page.locator('label[for="username"]').textContent(), t['sign_in_name.username']);
  // The form's own check, then the server's refusal (NotAuthorizedException), both in the language.
  await page.locator('button[type="submit"]').click();
  await page.locator('#username-error').filter({ hasText: t['sign_in_name.username_missing'] }).waitFor();
  await page.locator('#username').fill('nobody-here');
  await page.locator('#password').fill('Wrong-password-1');
  await page.locator('button[type="submit"]').click();
  await said('error.NotAuthorizedException.incorrect').waitFor();

  // Register: labels, the password rules with their plural, a validation message; then the code.
  const username = unique(`i18n${tag.replace('-', '')}`);
  await page.goto(`${app.url}/register`);
  await heading('register.title').waitFor();
  // "At least 8 characters" (the test pool's minimum) in the plural form and digits of the locale.
  const [category, eight] = await page.evaluate(([lang]) => [new Intl.PluralRules(lang).select(8), new Intl.NumberFormat(lang).format(8)], [tag]);
  const rule = fill(t['rule.min_length'][category] ?? t['rule.min_length'].other, { count: eight });
  assert.ok((await page.locator('#password-rules li').first().textContent()).includes(rule), rule);
  await page.locator('#email').fill('not-an-email');
  await page.locator('button[type="submit"]').click();
  await page.locator('#email-error').filter({ hasText: t['profile.email_invalid'] }).waitFor();
  await page.locator('#username').fill(username);
  await page.locator('#name').fill('Ada Lovelace');
  await page.locator('#email').fill(`${username}@example.com`);
  await page.locator('#password').fill(PASSWORD);
  await page.locator('#confirm-password').fill(PASSWORD);
  await page.locator('button[type="submit"]').click();
  await heading('confirm.title').waitFor();
  // CodeMismatchException, told by its code.
  await page.locator('#code').fill('000000');
  await page.locator('button[type="submit"]').first().click();
  await said('error.CodeMismatchException').waitFor();
  const { confirmation } = await app.cognito.codes(username);
  await page.locator('#code').fill(confirmation);
  await page.locator('button[type="submit"]').first().click();
  await page.waitForURL(/\/login/);
  await page.getByRole('status').filter({ hasText: t['confirm.done'] }).waitFor();

  // The profile, with the session's end as a date of the locale.
  await page.locator('#password').fill(PASSWORD);
  await page.locator('button[type="submit"]').click();
  await heading('profile.title').waitFor();
  await page.getByTestId('username').filter({ hasText: username }).waitFor();
  assert.equal(await page.getByTestId('email-verified').textContent(), t['profile.yes']);
  const shown = await page.getByTestId('expires').textContent();
  const [expected, american] = await page.evaluate(([lang]) => {
    const key = Object.keys(localStorage).find((k) => k.endsWith('.idToken'));
    const payload = JSON.parse(atob(localStorage.getItem(key).split('.')[1].replace(/-/g, '+').replace(/_/g, '/')));
    const when = new Date(payload.exp * 1000);
    return [when.toLocaleString(lang), when.toLocaleString('en-US')];
  }, [tag]);
  assert.equal(shown, expected, 'the date is written as the locale writes it');
  assert.notEqual(shown, american, 'not the English way');
  assert.equal(new Set(fetched).size, 1, `one catalog is loaded: ${fetched}`);
  assert.match(fetched[0], new RegExp(`^/locales/${tag}\\.[0-9a-f]{8}\\.json$`), 'the reader\'s own');
  assert.deepEqual(problems, []);
  return page;
}

test('a German browser sees German: sign-in, register, server errors, profile, dates', async () => {
  const page = await speaks('de-DE', 'de', 'ltr');
  const expires = await page.getByTestId('expires').textContent();
  assert.match(expires, /^\d{1,2}\.\d{1,2}\.\d{4}, \d{2}:\d{2}:\d{2}$/, `a German date: ${expires}`);
});

test('an Arabic browser sees Arabic, right to left, with the layout mirrored', async () => {
  const page = await speaks('ar-EG', 'ar', 'rtl');
  // Mirrored: the brand (first in the header) is at the right edge, the account links to its left.
  const brand = await page.locator('header .brand').boundingBox();
  const links = await page.locator('header nav').boundingBox();
  assert.ok(brand.x > links.x, `the brand is right of the links (${brand.x} vs ${links.x})`);
  const labelX = await page.locator('label[for="edit-name"]').boundingBox();
  const inputX = await page.locator('#edit-name').boundingBox();
  assert.ok(Math.abs(labelX.x + labelX.width - (inputX.x + inputX.width)) < 2, 'labels start at the right edge of their field');
  assert.equal(await page.evaluate(() => getComputedStyle(document.body).direction), 'rtl');
});

test('switching language keeps what was typed, follows on every text, and is remembered', async () => {
  const fr = catalog('fr');
  const { page, problems } = await openPage(browser, app);
  await page.goto(`${app.url}/register`);
  await page.getByRole('heading', { name: EN['register.title'] }).waitFor();
  await page.locator('#username').fill('typed-name');
  await page.locator('#email').fill('typed@example.com');
  await page.locator('#password').fill('Typed-secret-1');
  await page.locator('button[type="submit"]').click();
  await page.locator('#name-error').filter({ hasText: EN['profile.name_missing'] }).waitFor();

  await page.getByTestId('language').selectOption('fr');
  await page.getByRole('heading', { name: fr['register.title'] }).waitFor();
  assert.equal(await page.locator('#username').inputValue(), 'typed-name');
  assert.equal(await page.locator('#email').inputValue(), 'typed@example.com');
  assert.equal(await page.locator('#password').inputValue(), 'Typed-secret-1');
  // Messages already shown change language too (they are kept as keys, not words).
  await page.locator('#name-error').filter({ hasText: fr['profile.name_missing'] }).waitFor();
  assert.equal(await page.locator('label[for="email"]').textContent(), fr['attribute.email']);
  assert.equal(await page.locator('html').getAttribute('lang'), 'fr');

  await page.reload();
  await page.getByRole('heading', { name: fr['register.title'] }).waitFor();
  assert.equal(await page.getByTestId('language').inputValue(), 'fr');
  await page.getByTestId('language').selectOption('en');
  await page.getByRole('heading', { name: EN['register.title'] }).waitFor();

  // A catalog that cannot be fetched: the page keeps its language (and what was typed), says so, and the
  // menu shows the language the page still speaks.
  await page.locator('#username').fill('typed-name');
  await page.route('**/locales/nl.*.json', (route) => route.abort('connectionrefused'));
  await page.getByTestId('language').selectOption('nl');
  await page.getByRole('alert').filter({ hasText: EN['language.not_loaded'] }).waitFor();
  await page.waitForFunction(() => document.querySelector('[data-testid="language"]').value === 'en');
  assert.equal(await page.locator('html').getAttribute('lang'), 'en');
  assert.equal(await page.locator('#username').inputValue(), 'typed-name');
  assert.deepEqual(problems.filter((p) => !/locales\/nl/.test(p) && !/ERR_CONNECTION_REFUSED|Failed to fetch/.test(p)), []);
});

test('no text of any page is left outside the catalogs (a marked pseudo-language)', async () => {
  const { path, body } = pseudoCatalog();
  const pseudo = await startApp({ files: { [path]: { type: 'application/json', body } } });
  try {
    const { page, problems } = await openPage(browser, pseudo, { locale: 'de-DE' });
    const report = [];
    const check = async (where) => {
      await page.locator('main h1').first().waitFor();
      await page.getByTestId('language').waitFor();
      for (const text of await unmarked(page)) report.push(`${where}: ${text}`);
    };
    const submit = () => page.locator('main button[type="submit"]').first().click();
    await page.goto(`${pseudo.url}/no/such/page`);
    await check('/no/such/page');
    for (const path of ['/login', '/register', '/confirm?username=someone', '/forgot-password']) {
      await page.goto(`${pseudo.url}${path}`);
      await check(path);
      await submit(); // the forms' own messages
      await page.locator('.field-error:not(:empty), .alert:not([hidden])').first().waitFor();
      await check(`${path} submitted`);
    }
    // The server's words: a wrong password.
    await page.goto(`${pseudo.url}/login`);
    await page.locator('#username').fill('nobody-here');
    await page.locator('#password').fill('Wrong-password-1');
    await submit();
    await page.locator('.alert-error:not([hidden])').waitFor();
    await check('/login refused');
    // Signed in: the profile with every section open, the admin page, sign-out.
    const username = unique('pseudo');
    await pseudo.cognito.call('AdminCreateUser', { UserPoolId: pseudo.cognito.poolId, Username: username, TemporaryPassword: PASSWORD, MessageAction: 'SUPPRESS',
      UserAttributes: [{ Name: 'email', Value: `${username}@example.com` }, { Name: 'name', Value: 'Ada' }] });
    await page.goto(`${pseudo.url}/login`);
    await page.locator('#username').fill(username);
    await page.locator('#password').fill(PASSWORD);
    await submit();
    await page.locator('#new-password').waitFor();
    await check('/login new password');
    await page.locator('#new-password').fill(`${PASSWORD}x`);
    await page.locator('#confirm-new-password').fill(`${PASSWORD}x`);
    await submit();
    await page.getByTestId('profile').waitFor();
    await page.locator('.danger').first().click();
    await page.locator('#mfa-title ~ button').first().click();
    await page.getByTestId('totp-secret').waitFor();
    await check('/profile');
    for (const path of ['/admin', '/logout']) {
      await page.goto(`${pseudo.url}${path}`);
      await check(path);
    }
    assert.deepEqual(report, []);
    // The check can fail: a word outside the catalogs is found.
    await page.evaluate(() => document.querySelector('main h1').append(' Sign in'));
    assert.ok((await unmarked(page)).some((text) => text.includes('Sign in')), 'an unmarked word is reported');
    assert.deepEqual(problems, []);
  } finally {
    await pseudo.close();
  }
});

test('every offered language is in the menu by its own name, with its tag', async () => {
  const { page } = await openPage(browser, app);
  await page.goto(`${app.url}/login`);
  await page.getByTestId('language').locator('option').first().waitFor({ state: 'attached' });
  const options = await page.getByTestId('language').locator('option').evaluateAll((els) => els.map((o) => [o.value, o.lang, o.textContent]));
  const files = readdirSync(`${ROOT}/locales`).filter((f) => f.endsWith('.json')).map((f) => f.slice(0, -5)).sort();
  assert.deepEqual(options.map(([value]) => value), files);
  for (const [value, lang, name] of options) {
    assert.equal(lang, value);
    assert.equal(name, catalog(value)['language.name']);
  }
});
