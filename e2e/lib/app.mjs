// The app as a deployment runs it: the release build in dist/, served with a config.json that points at a
// local Cognito server started for the test. Also serves /acij.html, a page of the same origin that loads
// the official amazon-cognito-identity-js (its browser bundle from npm) for the compatibility tests.
import { readFileSync } from 'node:fs';
import { after, before } from 'node:test';
import { launchBrowser } from './browser.mjs';
import { ROOT, startLocalCognito } from './local-server.mjs';
import { serveDist } from './static-server.mjs';

const ACIJ_BUNDLE = `${ROOT}/e2e/node_modules/amazon-cognito-identity-js/dist/amazon-cognito-identity.min.js`;

const ACIJ_PAGE = `<!DOCTYPE html><html><head><meta charset="utf-8"><title>acij</title>
<script src="/acij.js"></script>
<script>
  const I = window.AmazonCognitoIdentity;
  window.readSession = (poolId, clientId, endpoint) => new Promise((resolve) => {
    const pool = new I.CognitoUserPool({ UserPoolId: poolId, ClientId: clientId, endpoint });
    const user = pool.getCurrentUser();
    if (!user) return resolve(null);
    user.getSession((err, s) => resolve(err ? { error: err.message } : {
      username: user.getUsername(), valid: s.isValid(),
      accessToken: s.getAccessToken().getJwtToken(), idPayload: s.getIdToken().payload,
    }));
  });
  window.libraryLogin = (poolId, clientId, endpoint, username, password) => new Promise((resolve, reject) => {
    const pool = new I.CognitoUserPool({ UserPoolId: poolId, ClientId: clientId, endpoint });
    const user = new I.CognitoUser({ Username: username, Pool: pool });
    user.authenticateUser(new I.AuthenticationDetails({ Username: username, Password: password }), {
      onSuccess: (s) => resolve({ username: user.getUsername(), accessToken: s.getAccessToken().getJwtToken() }),
      onFailure: (e) => reject(new Error(e.code + ': ' + e.message)),
    });
  });
</script></head><body><p>amazon-cognito-identity-js test page</p></body></html>`;

// `config` replaces the generated config.json; `extraConfig(cognito)` adds to it; `files` serves more (or
// other) files, `{path: {type, body}}`; `website: true` serves as the S3 website mode does instead of
// CloudFront (see static-server.mjs).
export async function startApp({ poolFile, config, extraConfig, files = {}, website = false } = {}) {
  const cognito = await startLocalCognito(poolFile);
  const appConfig = config ?? {
    ...(extraConfig ? extraConfig(cognito) : {}),
    region: cognito.poolId.split('_')[0],
    userPoolId: cognito.poolId,
    clientId: cognito.clientId,
    endpoint: `${cognito.url}/`,
    passwordPolicy: { minimumLength: 8, requireSymbols: true },
  };
  const site = await serveDist(`${ROOT}/dist`, {
    '/config.json': { type: 'application/json', body: JSON.stringify(appConfig) },
    '/acij.js': { type: 'text/javascript', body: readFileSync(ACIJ_BUNDLE), testPage: true },
    '/acij.html': { type: 'text/html; charset=utf-8', body: ACIJ_PAGE, testPage: true },
    ...files,
  }, { website });
  return {
    cognito,
    site,
    url: site.url,
    close: async () => { await site.close(); await cognito.stop(); },
  };
}

// Every localStorage entry of the page.
export const storageOf = (page) => page.evaluate(() => Object.fromEntries(Object.entries(localStorage)));

// The ACIJ keys of a client, as {suffix: value} with the prefix cut off.
export function acijKeys(storage, clientId) {
  const prefix = `CognitoIdentityServiceProvider.${clientId}.`;
  return Object.fromEntries(Object.entries(storage).filter(([k]) => k.startsWith(prefix)).map(([k, v]) => [k.slice(prefix.length), v]));
}

export const jwtPayload = (token) => JSON.parse(Buffer.from(token.split('.')[1], 'base64url').toString('utf8'));

// For a test file: before its tests, launches Chromium and starts the app (release dist and its own
// cognito-local, with startApp's `options`: a pool file, extra config); after them, closes both.
// `use(browser, app)` receives them once started.
export function withBrowserAndApp(use, options = {}) {
  let browser;
  let app;
  before(async () => {
    browser = await launchBrowser();
    app = await startApp(options);
    use(browser, app);
  });
  after(async () => {
    // The browser first: its pages hold connections to the app's servers.
    await browser?.close();
    await app?.close();
  });
}
