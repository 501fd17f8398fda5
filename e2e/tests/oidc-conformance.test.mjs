// A third judge of cognito-local, for managed login: the unmodified openid-client (pinned in
// e2e/package.json; it is built on oauth4webapi, which checks every answer against the OAuth 2.0 and
// OpenID Connect specifications) finds the endpoints in the pool's discovery document and completes the
// authorization-code flow with PKCE and a nonce: the hosted page's sign-in, the code exchange with the
// ID token's checks, userinfo, a refresh, and revocation.
import assert from 'node:assert/strict';
import { after, before, test } from 'node:test';
import * as oidc from 'openid-client';
import { startLocalCognito } from '../lib/local-server.mjs';

const POOL = new URL('../pools/oauth.json', import.meta.url).pathname;
const CALLBACK = 'http://127.0.0.1:1/callback';
const PASSWORD = 'Oidc-Client-9';
let server;

before(async () => {
  server = await startLocalCognito(POOL);
  await server.call('UpdateUserPoolClient', {
    UserPoolId: server.poolId, ClientId: server.clientId,
    AllowedOAuthFlowsUserPoolClient: true, AllowedOAuthFlows: ['code'],
    AllowedOAuthScopes: ['openid', 'email', 'profile'], CallbackURLs: [CALLBACK],
    SupportedIdentityProviders: ['COGNITO'],
  });
  await server.call('SignUp', {
    ClientId: server.clientId, Username: 'oidcuser', Password: PASSWORD,
    UserAttributes: [{ Name: 'email', Value: 'oidc@example.com' }],
  });
  await server.call('AdminConfirmSignUp', { UserPoolId: server.poolId, Username: 'oidcuser' });
});
after(async () => {
  await server?.stop();
});

// The hosted page as a browser uses it: its form's hidden fields, then the username and password.
async function signInAtHostedPage(authorizationUrl) {
  const page = await fetch(authorizationUrl);
  assert.equal(page.status, 200);
  const html = await page.text();
  const fields = new URLSearchParams();
  for (const [, name, value] of html.matchAll(/<input type="hidden" name="([^"]+)" value="([^"]*)">/g)) {
    fields.set(name, value.replaceAll('&quot;', '"').replaceAll('&lt;', '<').replaceAll('&gt;', '>').replaceAll('&#39;', "'").replaceAll('&amp;', '&'));
  }
  fields.set('username', 'oidcuser');
  fields.set('password', PASSWORD);
  const answer = await fetch(new URL('/login', server.url), {
    method: 'POST', body: fields, redirect: 'manual',
    headers: { 'Content-Type': 'application/x-www-form-urlencoded' },
  });
  assert.equal(answer.status, 302);
  return new URL(answer.headers.get('location'));
}

test('openid-client completes the code flow with PKCE, then userinfo, refresh and revocation', async () => {
  const issuer = new URL(`${server.url}/${server.poolId}`);
  const config = await oidc.discovery(issuer, server.clientId, undefined, oidc.None(), {
    execute: [oidc.allowInsecureRequests], // cognito-local speaks http on loopback
  });
  const metadata = config.serverMetadata();
  assert.equal(metadata.issuer, issuer.href);
  assert.ok(metadata.code_challenge_methods_supported.includes('S256'));

  const verifier = oidc.randomPKCECodeVerifier();
  const state = oidc.randomState();
  const nonce = oidc.randomNonce();
  const authorizationUrl = oidc.buildAuthorizationUrl(config, {
    redirect_uri: CALLBACK, scope: 'openid email', state, nonce,
    code_challenge: await oidc.calculatePKCECodeChallenge(verifier), code_challenge_method: 'S256',
  });
  const callback = await signInAtHostedPage(authorizationUrl);
  assert.equal(callback.origin + callback.pathname, CALLBACK);

  const tokens = await oidc.authorizationCodeGrant(config, callback, {
    pkceCodeVerifier: verifier, expectedState: state, expectedNonce: nonce, idTokenExpected: true,
  });
  const claims = tokens.claims();
  assert.equal(claims.iss, issuer.href);
  assert.equal(claims.aud, server.clientId);
  assert.equal(claims.nonce, nonce);
  assert.equal(claims['cognito:username'], 'oidcuser');
  assert.equal(tokens.token_type.toLowerCase(), 'bearer');

  const info = await oidc.fetchUserInfo(config, tokens.access_token, claims.sub);
  assert.equal(info.email, 'oidc@example.com');

  const refreshed = await oidc.refreshTokenGrant(config, tokens.refresh_token);
  assert.notEqual(refreshed.access_token, tokens.access_token);
  assert.equal(refreshed.claims().sub, claims.sub);

  await oidc.tokenRevocation(config, tokens.refresh_token);
  await assert.rejects(oidc.refreshTokenGrant(config, tokens.refresh_token), (e) => e.error === 'invalid_grant');

  // The same flow with a wrong verifier: the library hears invalid_grant.
  const second = await signInAtHostedPage(oidc.buildAuthorizationUrl(config, {
    redirect_uri: CALLBACK, scope: 'openid', state,
    code_challenge: await oidc.calculatePKCECodeChallenge(verifier), code_challenge_method: 'S256',
  }));
  await assert.rejects(
    oidc.authorizationCodeGrant(config, second, { pkceCodeVerifier: oidc.randomPKCECodeVerifier(), expectedState: state }),
    (e) => e.error === 'invalid_grant',
  );
});
