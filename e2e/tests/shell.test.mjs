// The release build mounts in Chromium: start page, deep link to an unknown path, client-side navigation.
import assert from 'node:assert/strict';
import { existsSync } from 'node:fs';
import { after, before, test } from 'node:test';
import { fileURLToPath } from 'node:url';
import { launchBrowser, newWatchedPage, screenshot } from '../lib/browser.mjs';
import { serveDist } from '../lib/static-server.mjs';

const DIST = fileURLToPath(new URL('../../dist', import.meta.url));
let site;
let browser;

before(async () => {
  assert.ok(existsSync(`${DIST}/index.html`), 'dist/ is built (trunk build --release)');
  site = await serveDist(DIST);
  browser = await launchBrowser();
});

after(async () => {
  await browser?.close();
  await site?.close();
});

test('the app mounts and shows the start page', async () => {
  const { page, problems } = await newWatchedPage(browser);
  const wasm = page.waitForResponse((r) => r.url().endsWith('.wasm'));
  await page.goto(site.url);
  assert.equal((await wasm).headers()['content-type'], 'application/wasm');
  await page.getByRole('heading', { name: 'Welcome' }).waitFor();
  assert.equal(await page.title(), 'Sign in');
  assert.equal(await page.getByRole('link', { name: 'Cognito sign-in' }).count(), 1);
  await screenshot(page, 'shell-home');
  assert.deepEqual(problems, []);
});

test('an unknown deep link shows the not-found page and links back', async () => {
  const { page, problems } = await newWatchedPage(browser);
  await page.goto(`${site.url}/no/such/page`);
  await page.getByRole('heading', { name: 'Page not found' }).waitFor();
  await screenshot(page, 'shell-not-found');
  await page.getByRole('link', { name: 'Go to the start page' }).click();
  await page.getByRole('heading', { name: 'Welcome' }).waitFor();
  assert.equal(new URL(page.url()).pathname, '/');
  assert.deepEqual(problems, []);
});
