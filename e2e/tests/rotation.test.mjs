// Refresh-token rotation (config.json "refreshTokenRotation": true, an app client with
// RefreshTokenRotation ENABLED and no grace period): the app refreshes with GetTokensFromRefreshToken,
// stores each new refresh token under the same key, and two tabs never send the same refresh token twice
// (the refresh Web Lock and the re-read of storage under it), which on such a client would end the session.
import assert from 'node:assert/strict';
import { test } from 'node:test';
import { acijKeys, jwtPayload, storageOf, withBrowserAndApp } from '../lib/app.mjs';
import { expectProfile, openPage, ROTATING_POOL, signedInUser } from '../lib/flows.mjs';

let app;
let browser;
withBrowserAndApp((b, a) => {
  browser = b;
  app = a;
}, { poolFile: ROTATING_POOL, extraConfig: () => ({ refreshTokenRotation: true }) });

test('rotation: every refresh stores the new refresh token, and two tabs never burn one', async () => {
  const { page, context, problems } = await openPage(browser, app);
  const username = await signedInUser(app, page, 'rotor');
  const second = await context.newPage();
  second.on('pageerror', (err) => problems.push(err.message));
  // The refresh token of every refresh the service answered, in order. (A request the page's navigation
  // cancelled before it left is not one: Playwright reports it as a request all the same.)
  const sent = [];
  const answers = [];
  for (const p of [page, second]) {
    p.on('request', (req) => {
      assert.ok(!/REFRESH_TOKEN_AUTH/.test(req.postData() || ''), 'no REFRESH_TOKEN_AUTH with rotation');
    });
    p.on('response', async (res) => {
      if ((res.request().headers()['x-amz-target'] ?? '').endsWith('.GetTokensFromRefreshToken')) {
        sent.push(JSON.parse(res.request().postData()).RefreshToken);
        answers.push(res.status() === 200 ? 'ok' : res.headers()['x-amzn-errortype']);
      }
    });
  }
  const stored = async () => acijKeys(await storageOf(page), app.cognito.clientId);
  const first = await stored();
  const tokensSeen = [first[`${username}.refreshToken`]];

  // Twice: both tabs away while the 4-second tokens expire, then both open the profile at once.
  for (let round = 0; round < 2; round++) {
    await Promise.all([page.goto('about:blank'), second.goto('about:blank')]);
    await new Promise((r) => setTimeout(r, 5000));
    await Promise.all([page.goto(`${app.url}/profile`), second.goto(`${app.url}/profile`)]);
    await expectProfile(page, username);
    await expectProfile(second, username);
    const now = await stored();
    assert.ok(!tokensSeen.includes(now[`${username}.refreshToken`]), `round ${round}: a new refresh token is stored`);
    tokensSeen.push(now[`${username}.refreshToken`]);
    assert.equal(now.LastAuthUser, username);
    assert.equal(jwtPayload(now[`${username}.accessToken`]).origin_jti, jwtPayload(first[`${username}.accessToken`]).origin_jti);
  }
  // Open pages may have refreshed again meanwhile (keep-fresh); none of it may have reused a token.
  assert.ok(sent.length >= 2, `refreshes: ${sent.length}`);
  assert.equal(new Set(sent).size, sent.length, 'no refresh token was sent twice');
  assert.ok(answers.every((a) => a === 'ok'), `answers: ${answers.join(', ')}`);

  // The service refuses a rotated-out token: the app's stored one is the live one, the first is dead.
  const reused = await app.cognito.call('GetTokensFromRefreshToken', {
    ClientId: app.cognito.clientId, RefreshToken: first[`${username}.refreshToken`],
  }).then(() => 'accepted', (e) => e.code);
  assert.equal(reused, 'RefreshTokenReuseException');
  assert.deepEqual(problems, []);
});
