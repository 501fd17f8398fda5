// axe-core (npm) on every page of the app, signed out and signed in, in the light and the dark theme, at
// phone width, and in the right-to-left language (Arabic): no WCAG 2.1 A/AA violation.
import assert from 'node:assert/strict';
import { test } from 'node:test';
import { withBrowserAndApp } from '../lib/app.mjs';
import { violations } from '../lib/axe.mjs';
import { openPage, PASSWORD, signedInUser, unique } from '../lib/flows.mjs';

let app;
let browser;
withBrowserAndApp((b, a) => {
  browser = b;
  app = a;
});


const SIGNED_OUT = [['/login', 'Sign in'], ['/register', 'Create an account'], ['/confirm?username=someone', 'Confirm your account'],
  ['/forgot-password', 'Reset your password'], ['/no/such/page', 'Page not found']];
const SIGNED_IN = [['/profile', 'Your profile'], ['/admin', null], ['/', null], ['/logout', null]];

// A confirmed user made through the API, signed in through the form by its element ids (any language).
async function signInAnyLanguage(page) {
  const username = unique('a11yrtl');
  await app.cognito.call('SignUp', { ClientId: app.cognito.clientId, Username: username, Password: PASSWORD,
    UserAttributes: [{ Name: 'email', Value: `${username}@example.com` }, { Name: 'name', Value: 'Rania' }] });
  await app.cognito.call('AdminConfirmSignUp', { UserPoolId: app.cognito.poolId, Username: username });
  await page.goto(`${app.url}/login`);
  await page.locator('#username').fill(username);
  await page.locator('#password').fill(PASSWORD);
  await page.locator('main button[type="submit"]').click();
  await page.getByTestId('profile').waitFor();
}

const RUNS = [
  ...['light', 'dark'].flatMap((scheme) => [[1280, 800], [360, 740]].map(([w, h]) => ['en-US', scheme, w, h])),
  ['ar-EG', 'light', 1280, 800],
  ['ar-EG', 'dark', 360, 740],
];

for (const [locale, scheme, width, height] of RUNS) {
  const english = locale === 'en-US';
  test(`every page passes axe-core (WCAG 2.1 AA): ${locale}, ${scheme} theme, ${width}px wide`, async () => {
    const { page, problems } = await openPage(browser, app, { locale });
    await page.setViewportSize({ width, height });
    await page.emulateMedia({ colorScheme: scheme });
    const report = [];
    const check = async (path, heading) => {
      await page.goto(`${app.url}${path}`);
      if (heading && english) await page.getByRole('heading', { name: heading }).first().waitFor();
      else await page.locator('main h1').first().waitFor();
      for (const v of await violations(page)) report.push(`${path}: ${v}`);
    };
    for (const [path, heading] of SIGNED_OUT) await check(path, heading);
    if (english) {
      await signedInUser(app, page, 'a11y');
      await page.getByRole('heading', { name: 'Two-step verification' }).waitFor();
    } else {
      await signInAnyLanguage(page);
      assert.equal(await page.locator('html').getAttribute('dir'), 'rtl');
    }
    for (const [path, heading] of SIGNED_IN) await check(path, heading);
    // The check can fail: an input without a label added to the page is reported.
    await page.evaluate(() => document.querySelector('main').insertAdjacentHTML('beforeend', '<input id="no-label">'));
    assert.ok((await violations(page)).some((v) => v.startsWith('label')), 'axe reports an unlabelled input');
    assert.deepEqual(report, []);
    assert.deepEqual(problems, []);
  });
}
