// The deployer's brand from config.json (no rebuild): product name in the header and the title, a logo,
// colors corrected to meet WCAG AA in both themes, the terms, privacy and support links; light and dark
// following the system, with a switch that is remembered; a bad branding block named on the setup page.
import assert from 'node:assert/strict';
import { test } from 'node:test';
import { startApp, withBrowserAndApp } from '../lib/app.mjs';
import { openPage } from '../lib/flows.mjs';

let app;
let browser;
withBrowserAndApp((b, a) => {
  browser = b;
  app = a;
});

const LOGO = `data:image/svg+xml;base64,${Buffer.from('<svg xmlns="http://www.w3.org/2000/svg" width="32" height="32"><circle cx="16" cy="16" r="14" fill="#c00"/></svg>').toString('base64')}`;

// WCAG 2.1 contrast of two CSS rgb() colors.
const rgb = (css) => css.match(/\d+(\.\d+)?/g).slice(0, 3).map(Number);
const luminance = (c) => {
  const [r, g, b] = rgb(c).map((v) => { const s = v / 255; return s <= 0.03928 ? s / 12.92 : ((s + 0.055) / 1.055) ** 2.4; });
  return 0.2126 * r + 0.7152 * g + 0.0722 * b;
};
const contrast = (a, b) => { const [x, y] = [luminance(a), luminance(b)].sort((p, q) => q - p); return (x + 0.05) / (y + 0.05); };
const styleOf = (locator) => locator.evaluate((el) => {
  const s = getComputedStyle(el);
  return { color: s.color, background: s.backgroundColor };
});
const pageBackground = (page) => page.evaluate(() => getComputedStyle(document.documentElement).backgroundColor);

test('without branding: a finished product\'s defaults, not "Cognito sign-in"', async () => {
  const { page, problems } = await openPage(browser, app);
  await page.goto(`${app.url}/login`);
  await page.getByRole('button', { name: 'Sign in' }).waitFor();
  assert.equal(await page.locator('header .brand').textContent(), 'Your account');
  assert.equal(await page.title(), 'Your account');
  assert.equal(await page.getByRole('link', { name: 'Terms' }).count(), 0, 'no link the deployer did not give');
  assert.deepEqual(problems, []);
});

test('a branded config: name, logo, links, and a yellow that fails AA corrected in both themes', async () => {
  const branded = await startApp({
    extraConfig: () => ({
      branding: {
        productName: 'Acme Cloud', logo: LOGO, primaryColor: '#ffdd00', accentColor: '#00ffff',
        termsUrl: 'https://acme.example/terms', privacyUrl: '/privacy.html', support: 'help@acme.example',
      },
    }),
  });
  try {
    const { page, problems } = await openPage(browser, branded);
    await page.emulateMedia({ colorScheme: 'light' });
    await page.goto(`${branded.url}/login`);
    const button = page.getByRole('button', { name: 'Sign in' });
    await button.waitFor();
    assert.equal(await page.title(), 'Acme Cloud');
    assert.equal(await page.locator('header .brand').textContent(), 'Acme Cloud');
    assert.equal(await page.locator('header .brand img').getAttribute('src'), LOGO);
    assert.ok(await page.locator('header .brand img').evaluate((img) => img.complete && img.naturalWidth === 32), 'the logo shows');
    assert.equal(await page.getByRole('link', { name: 'Terms' }).getAttribute('href'), 'https://acme.example/terms');
    assert.equal(await page.getByRole('link', { name: 'Privacy' }).getAttribute('href'), '/privacy.html');
    assert.equal(await page.getByRole('link', { name: 'Help and support' }).getAttribute('href'), 'mailto:help@acme.example');

    const light = await styleOf(button);
    assert.notEqual(light.background, 'rgb(255, 221, 0)', 'the yellow was corrected');
    assert.ok(contrast(light.color, light.background) >= 4.5, `button text ${JSON.stringify(light)}`);
    assert.ok(contrast(light.background, await pageBackground(page)) >= 4.5, 'the primary reads on the page');
    const hue = rgb(light.background);
    assert.ok(hue[0] > hue[2] && hue[1] > hue[2], `still a yellow-brown, not another color: ${light.background}`);

    await page.emulateMedia({ colorScheme: 'dark' });
    assert.equal(await pageBackground(page), 'rgb(13, 17, 23)', 'the system prefers dark');
    const dark = await styleOf(button);
    assert.ok(contrast(dark.color, dark.background) >= 4.5, `dark button text ${JSON.stringify(dark)}`);
    assert.ok(contrast(dark.background, 'rgb(22, 27, 34)') >= 4.5, 'the primary reads on dark cards');
    assert.deepEqual(problems, []);
  } finally {
    await branded.close();
  }
});

test('light or dark: follows the system, the switch overrides it and is remembered, typed text is kept', async () => {
  const { page, problems } = await openPage(browser, app);
  await page.emulateMedia({ colorScheme: 'dark' });
  await page.goto(`${app.url}/login`);
  await page.getByRole('button', { name: 'Sign in' }).waitFor();
  assert.equal(await pageBackground(page), 'rgb(13, 17, 23)');
  await page.getByLabel('Username', { exact: true }).fill('somebody');
  await page.getByLabel('Theme').selectOption({ label: 'Light' });
  assert.equal(await pageBackground(page), 'rgb(244, 246, 248)');
  assert.equal(await page.getByLabel('Username', { exact: true }).inputValue(), 'somebody', 'nothing typed is lost');
  await page.reload();
  await page.getByRole('button', { name: 'Sign in' }).waitFor();
  assert.equal(await pageBackground(page), 'rgb(244, 246, 248)', 'remembered');
  assert.equal(await page.getByLabel('Theme').inputValue(), 'light');
  await page.getByLabel('Theme').selectOption({ label: 'As the system' });
  assert.equal(await pageBackground(page), 'rgb(13, 17, 23)');
  await page.reload();
  await page.getByRole('button', { name: 'Sign in' }).waitFor();
  assert.equal(await pageBackground(page), 'rgb(13, 17, 23)');
  assert.deepEqual(problems, []);
});

test('a branding block that cannot be shown safely is named on the setup page', async () => {
  for (const [branding, field] of [[{ primaryColor: 'blue' }, 'primaryColor'], [{ logo: 'https://cdn.example/logo.png' }, 'logo']]) {
    const bad = await startApp({ extraConfig: () => ({ branding }) });
    try {
      const { page } = await openPage(browser, bad);
      await page.goto(`${bad.url}/login`);
      await page.getByText(`branding "${field}"`).waitFor();
      assert.equal(await page.getByRole('button', { name: 'Sign in' }).count(), 0);
    } finally {
      await bad.close();
    }
  }
});
