// The deploy command against real local servers: moto's server (PyPI) for S3 and CloudFront, cognito-local
// for DescribeUserPool. Behind CloudFront: the distribution and the bucket's Origin Access Control policy are
// checked first, every object's Content-Type and Cache-Control, config.json, the upload order, the
// invalidation of index.html and config.json, stale-file removal on a second deploy of a changed build;
// as an S3 website: every file gzip-compressed with Content-Encoding and the HTTP warning; --dry-run, and
// refusals.
import assert from 'node:assert/strict';
import { spawn, spawnSync } from 'node:child_process';
import { cpSync, mkdtempSync, readdirSync, readFileSync, renameSync, rmSync, statSync, writeFileSync } from 'node:fs';
import { gunzipSync } from 'node:zlib';
import { createServer } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { after, before, test } from 'node:test';
import { ROOT, startLocalCognito } from '../lib/local-server.mjs';

const BIN = `${ROOT}/.tools/python/bin`;
const DIST = `${ROOT}/dist`;
const env = { ...process.env, AWS_ACCESS_KEY_ID: 'test', AWS_SECRET_ACCESS_KEY: 'test', AWS_DEFAULT_REGION: 'us-east-1', AWS_EC2_METADATA_DISABLED: 'true' };
let s3;
let moto;
let cognito;
const temps = [];

const freePort = () => new Promise((resolve) => {
  const srv = createServer().listen(0, '127.0.0.1', () => { const { port } = srv.address(); srv.close(() => resolve(port)); });
});

before(async () => {
  const port = await freePort();
  s3 = `http://127.0.0.1:${port}`;
  moto = spawn(`${BIN}/moto_server`, ['-H', '127.0.0.1', '-p', String(port)], { stdio: 'ignore', env });
  for (let i = 0; i < 100; i++) {
    try { await fetch(`${s3}/`); break; } catch { await new Promise((r) => setTimeout(r, 100)); }
  }
  cognito = await startLocalCognito();
});
after(async () => {
  moto?.kill();
  await cognito?.stop();
  for (const dir of temps) rmSync(dir, { recursive: true, force: true });
});

function aws(...args) {
  const r = spawnSync(`${BIN}/aws`, [...args, '--endpoint-url', s3, '--output', 'json'], { env, encoding: 'utf8' });
  assert.equal(r.status, 0, r.stderr);
  return r.stdout.trim() ? JSON.parse(r.stdout) : {};
}

function deploy(...args) {
  return spawnSync(`${BIN}/python`, ['deploy/deploy.py', ...args], { cwd: ROOT, env, encoding: 'utf8' });
}

const pool = () => ['--user-pool-id', cognito.poolId, '--client-id', cognito.clientId, '--s3-endpoint-url', s3,
  '--cognito-endpoint-url', cognito.url, '--cloudfront-endpoint-url', s3];
const distributions = {};
// A bucket behind a CloudFront distribution, as the template makes them: the distribution's origin is the
// bucket, and the bucket's policy lets that distribution read it (Origin Access Control). `policy: false`
// leaves the policy out.
function cloudFrontSite(bucket, { policy = true } = {}) {
  aws('s3api', 'create-bucket', '--bucket', bucket);
  const config = {
    CallerReference: bucket, Comment: bucket, Enabled: true, DefaultRootObject: 'index.html',
    Origins: { Quantity: 1, Items: [{ Id: 'site', DomainName: `${bucket}.s3.us-east-1.amazonaws.com`, S3OriginConfig: { OriginAccessIdentity: '' } }] },
    DefaultCacheBehavior: { TargetOriginId: 'site', ViewerProtocolPolicy: 'redirect-to-https', CachePolicyId: '658327ea-f89d-4fab-a63d-7e88639e58f6' },
  };
  const { Distribution: d } = aws('cloudfront', 'create-distribution', '--distribution-config', JSON.stringify(config));
  if (policy) {
    aws('s3api', 'put-bucket-policy', '--bucket', bucket, '--policy', JSON.stringify({
      Version: '2012-10-17',
      Statement: [{ Effect: 'Allow', Principal: { Service: 'cloudfront.amazonaws.com' }, Action: 's3:GetObject',
        Resource: `arn:aws:s3:::${bucket}/*`, Condition: { StringEquals: { 'AWS:SourceArn': d.ARN } } }],
    }));
  }
  distributions[bucket] = d;
  return d.Id;
}
const target = (bucket) => ['--bucket', bucket, '--distribution-id', distributions[bucket].Id, ...pool()];
const websiteTarget = (bucket) => ['--bucket', bucket, '--website', ...pool()];
const keysOf = (bucket) => (aws('s3api', 'list-objects-v2', '--bucket', bucket).Contents ?? []).map((o) => o.Key).sort();
// Every file of the build, as its key (`locales/de.<fingerprint>.json`).
const filesOf = (dir) => readdirSync(dir, { recursive: true }).filter((f) => !f.split('/').some((p) => p.startsWith('.')))
  .filter((f) => statSync(join(dir, f)).isFile()).sort();
const headers = (bucket, key) => {
  const h = aws('s3api', 'head-object', '--bucket', bucket, '--key', key);
  return { type: h.ContentType, cache: h.CacheControl, encoding: h.ContentEncoding };
};
const objectBytes = (bucket, key) => spawnSync(`${BIN}/aws`, ['s3', 'cp', `s3://${bucket}/${key}`, '-', '--endpoint-url', s3], { env }).stdout;
const TYPES = { '.wasm': 'application/wasm', '.js': 'text/javascript; charset=utf-8', '.css': 'text/css; charset=utf-8', '.svg': 'image/svg+xml', '.html': 'text/html; charset=utf-8', '.json': 'application/json' };
const typeOf = (key) => TYPES[key.slice(key.lastIndexOf('.'))];

test('behind CloudFront: every file with the right Content-Type and Cache-Control, index.html last, then the invalidation', () => {
  cloudFrontSite('site-a');
  const run = deploy(...target('site-a'), '--dist', DIST);
  assert.equal(run.status, 0, run.stderr);
  const expected = [...new Set([...filesOf(DIST), 'config.json'])].sort();
  assert.deepEqual(keysOf('site-a'), expected);
  const report = [];
  for (const key of expected) {
    const h = headers('site-a', key);
    report.push(`${key}  ${h.type}  ${h.cache}`);
    assert.equal(h.type, typeOf(key), key);
    assert.equal(h.encoding, undefined, `${key}: CloudFront compresses, the bucket keeps the file as built`);
    assert.equal(h.cache, ['index.html', 'config.json'].includes(key) ? 'no-cache' : 'public,max-age=31536000,immutable', key);
  }
  console.log(`objects after one deploy:\n${report.join('\n')}`);
  const uploads = run.stdout.split('\n').filter((l) => l.startsWith('upload')).map((l) => l.split(/\s+/)[1]);
  assert.deepEqual(uploads.slice(-2), ['config.json', 'index.html'], 'index.html is uploaded last');
  assert.match(run.stdout, new RegExp(`site: https://${distributions['site-a'].DomainName}`));
  assert.doesNotMatch(run.stderr, /plain HTTP/);
  // The invalidation: index.html and config.json, after the upload, waited for.
  const { InvalidationList: list } = aws('cloudfront', 'list-invalidations', '--distribution-id', distributions['site-a'].Id);
  assert.equal(list.Items.length, 1);
  const { Invalidation: inv } = aws('cloudfront', 'get-invalidation', '--distribution-id', distributions['site-a'].Id, '--id', list.Items[0].Id);
  assert.deepEqual(inv.InvalidationBatch.Paths.Items.sort(), ['/config.json', '/index.html']);
  assert.ok(run.stdout.indexOf('invalidating') > run.stdout.indexOf('deployed'), 'invalidated after the upload');
  assert.match(run.stdout, /invalidation done/);

  const config = JSON.parse(spawnSync(`${BIN}/aws`, ['s3', 'cp', 's3://site-a/config.json', '-', '--endpoint-url', s3], { env, encoding: 'utf8' }).stdout);
  assert.deepEqual(config, {
    region: 'us-east-1',
    userPoolId: cognito.poolId,
    clientId: cognito.clientId,
    passwordPolicy: { minimumLength: 8, requireUppercase: true, requireLowercase: true, requireNumbers: true, requireSymbols: true },
    mfaConfiguration: 'OPTIONAL',
    mfaKinds: ['SOFTWARE_TOKEN_MFA'],
    allowedFirstAuthFactors: ['PASSWORD'],
  });
  const wasm = expected.find((k) => k.endsWith('.wasm'));
  const body = spawnSync(`${BIN}/aws`, ['s3', 'cp', `s3://site-a/${wasm}`, '-', '--endpoint-url', s3], { env });
  assert.deepEqual(body.stdout, readFileSync(join(DIST, wasm)), 'bytes arrive unchanged');

  // index.html: the build's policy, with connect-src narrowed from the local server to the pool's region.
  const csp = (html) => html.match(/http-equiv="Content-Security-Policy" content="([^"]*)"/)[1];
  const built = csp(readFileSync(join(DIST, 'index.html'), 'utf8'));
  const deployed = csp(spawnSync(`${BIN}/aws`, ['s3', 'cp', 's3://site-a/index.html', '-', '--endpoint-url', s3], { env, encoding: 'utf8' }).stdout);
  assert.match(built, /connect-src 'self' http:\/\/127\.0\.0\.1:\*/);
  assert.equal(deployed, built.replace(/connect-src [^;]*/, "connect-src 'self' https://cognito-idp.us-east-1.amazonaws.com"));
});

test('a second deploy of a changed build leaves no stale hashed files', () => {
  const changed = mkdtempSync(join(tmpdir(), 'changed-dist-'));
  temps.push(changed);
  cpSync(DIST, changed, { recursive: true });
  const css = filesOf(changed).find((f) => f.endsWith('.css'));
  const renamed = 'main-0123456789abcdef.css';
  renameSync(join(changed, css), join(changed, renamed));
  writeFileSync(join(changed, 'index.html'), readFileSync(join(changed, 'index.html'), 'utf8').replaceAll(css, renamed));
  const before_ = keysOf('site-a');
  assert.ok(before_.includes(css));

  const run = deploy(...target('site-a'), '--dist', changed);
  assert.equal(run.status, 0, run.stderr);
  assert.match(run.stdout, new RegExp(`delete  ${css}`));
  assert.deepEqual(keysOf('site-a'), [...new Set([...filesOf(changed), 'config.json'])].sort());
  assert.ok(!keysOf('site-a').includes(css), 'the old stylesheet is gone');
  assert.deepEqual(headers('site-a', renamed), { type: 'text/css; charset=utf-8', cache: 'public,max-age=31536000,immutable', encoding: undefined });
});

test('--stack reads the bucket, the distribution, the pool and the client from the stack outputs', () => {
  const id = cloudFrontSite('site-s');
  const stack = {
    Resources: { Handle: { Type: 'AWS::CloudFormation::WaitConditionHandle' } },
    Outputs: {
      SiteBucket: { Value: 'site-s' }, UserPoolId: { Value: cognito.poolId }, UserPoolClientId: { Value: cognito.clientId },
      Hosting: { Value: 'CloudFront' }, DistributionId: { Value: id }, SiteURL: { Value: 'https://signin.example.com' },
    },
  };
  aws('cloudformation', 'create-stack', '--stack-name', 'my-signin', '--template-body', JSON.stringify(stack));
  const args = ['--stack', 'my-signin', '--region', 'us-east-1', '--cloudformation-endpoint-url', s3, '--s3-endpoint-url', s3,
    '--cognito-endpoint-url', cognito.url, '--cloudfront-endpoint-url', s3, '--dist', DIST];
  const run = deploy(...args);
  assert.equal(run.status, 0, run.stderr);
  assert.match(run.stdout, new RegExp(`to s3://site-s \\(us-east-1, CloudFront ${id}\\) for pool ${cognito.poolId}, client ${cognito.clientId}`));
  assert.match(run.stdout, /site: https:\/\/signin\.example\.com/);
  assert.deepEqual(keysOf('site-s'), [...new Set([...filesOf(DIST), 'config.json'])].sort());
  assert.equal(aws('cloudfront', 'list-invalidations', '--distribution-id', id).InvalidationList.Items.length, 1);
  const website = deploy(...args, '--website');
  assert.equal(website.status, 2);
  assert.match(website.stderr, /serves the app through CloudFront from a private bucket: deploy without --website/);
});

test('--dry-run prints the plan and changes nothing', () => {
  cloudFrontSite('site-b');
  aws('s3api', 'put-object', '--bucket', 'site-b', '--key', 'old-asset-1234.js', '--body', `${DIST}/index.html`);
  const run = deploy(...target('site-b'), '--dist', DIST, '--dry-run');
  assert.equal(run.status, 0, run.stderr);
  assert.match(run.stdout, /upload  index\.html/);
  assert.match(run.stdout, /delete  old-asset-1234\.js/);
  assert.match(run.stdout, /then invalidate \/index\.html \/config\.json/);
  assert.match(run.stdout, /dry run: nothing was uploaded or deleted/);
  assert.deepEqual(aws('cloudfront', 'list-invalidations', '--distribution-id', distributions['site-b'].Id).InvalidationList?.Items ?? [], []);
  assert.deepEqual(keysOf('site-b'), ['old-asset-1234.js']);
});

test('bad or missing arguments give a clear message and upload nothing', () => {
  cloudFrontSite('site-c');
  cloudFrontSite('site-open', { policy: false });
  cloudFrontSite('site-public', { policy: false });
  aws('s3api', 'put-bucket-policy', '--bucket', 'site-public', '--policy', JSON.stringify({ Version: '2012-10-17', Statement: [
    { Effect: 'Allow', Principal: { Service: 'cloudfront.amazonaws.com' }, Action: 's3:GetObject', Resource: 'arn:aws:s3:::site-public/*',
      Condition: { StringEquals: { 'AWS:SourceArn': distributions['site-public'].ARN } } },
    { Effect: 'Allow', Principal: '*', Action: 's3:GetObject', Resource: 'arn:aws:s3:::site-public/*' }] }));
  const noWasm = mkdtempSync(join(tmpdir(), 'not-a-build-'));
  temps.push(noWasm);
  writeFileSync(join(noWasm, 'index.html'), '<!doctype html>');
  const cases = [
    [['--bucket', 'site-c', '--user-pool-id', cognito.poolId, '--dist', DIST], /missing --client-id/],
    [['--bucket', 'site-c', ...pool(), '--dist', DIST], /--distribution-id ID \(CloudFront, HTTPS\) or --website/],
    [['--bucket', 'site-c', '--website', '--distribution-id', distributions['site-c'].Id, ...pool(), '--dist', DIST], /--distribution-id ID \(CloudFront, HTTPS\) or --website/],
    [['--bucket', 'site-c', '--distribution-id', distributions['site-open'].Id, ...pool(), '--dist', DIST], /does not serve bucket site-c/],
    [[...target('site-open'), '--dist', DIST], /has no policy letting CloudFront read it/],
    [[...target('site-public'), '--dist', DIST], /readable by everyone/],
    [['--bucket', 'site-c', '--website', '--user-pool-id', 'not-a-pool', '--client-id', 'abc', '--dist', DIST], /'not-a-pool' is not a user pool id/],
    [['--bucket', 'Bad_Bucket', '--website', '--user-pool-id', cognito.poolId, '--client-id', 'abc', '--dist', DIST], /not a valid bucket name/],
    [['--stack', 'my-stack', '--bucket', 'site-c'], /either --stack or/],
    [[...target('site-c'), '--dist', noWasm], /has no \.wasm file/],
    [[...target('site-c'), '--dist', `${ROOT}/no/such/dir`], /is not a folder/],
    [[...websiteTarget('no-such-bucket'), '--dist', DIST], /list-objects-v2 failed/],
  ];
  for (const [args, message] of cases) {
    const run = deploy(...args);
    assert.equal(run.status, 2, `${args.join(' ')}\n${run.stdout}${run.stderr}`);
    assert.match(run.stderr, message);
    assert.match(run.stderr, /nothing was uploaded/);
  }
  for (const bucket of ['site-c', 'site-open', 'site-public']) assert.deepEqual(keysOf(bucket), [], bucket);
  for (const bucket of ['site-c', 'site-open', 'site-public']) {
    assert.deepEqual(aws('cloudfront', 'list-invalidations', '--distribution-id', distributions[bucket].Id).InvalidationList?.Items ?? [], []);
  }
});

test('as an S3 website: every file stored gzip-compressed (Content-Encoding: gzip), and a warning that it is HTTP only', () => {
  aws('s3api', 'create-bucket', '--bucket', 'site-w');
  const run = deploy(...websiteTarget('site-w'), '--dist', DIST);
  assert.equal(run.status, 0, run.stderr);
  const expected = [...new Set([...filesOf(DIST), 'config.json'])].sort();
  assert.deepEqual(keysOf('site-w'), expected);
  let stored = 0;
  let original = 0;
  for (const key of expected) {
    const h = headers('site-w', key);
    assert.equal(h.type, typeOf(key), key);
    assert.equal(h.encoding, 'gzip', key);
    assert.equal(h.cache, ['index.html', 'config.json'].includes(key) ? 'no-cache' : 'public,max-age=31536000,immutable', key);
    const body = gunzipSync(objectBytes('site-w', key));
    if (!['index.html', 'config.json'].includes(key)) assert.deepEqual(body, readFileSync(join(DIST, key)), `${key} unchanged once decompressed`);
    stored += objectBytes('site-w', key).length;
    original += body.length;
  }
  console.log(`website mode: ${original} bytes stored as ${stored} (gzip)`);
  assert.ok(stored < original / 2, 'compressed');
  assert.match(run.stdout, /upload  \S+\.wasm\s+application\/wasm\s+public,max-age=31536000,immutable  gzip/);
  assert.match(run.stdout, /site: http:\/\/site-w\.s3-website-us-east-1\.amazonaws\.com/);
  assert.match(run.stderr, /warning: an S3 website is plain HTTP/);
  assert.doesNotMatch(run.stdout, /invalidat/);
});

test('with a managed-login domain and an app client allowing the code flow: config.json gains "oauth", and the page may fetch the token endpoint', async () => {
  await cognito.call('CreateIdentityProvider', { UserPoolId: cognito.poolId, ProviderName: 'Google', ProviderType: 'Google', ProviderDetails: {} });
  const { UserPoolClient: client } = await cognito.call('CreateUserPoolClient', {
    UserPoolId: cognito.poolId, ClientName: 'hosted', AllowedOAuthFlowsUserPoolClient: true, AllowedOAuthFlows: ['code'],
    AllowedOAuthScopes: ['openid', 'email', 'aws.cognito.signin.user.admin'], CallbackURLs: ['https://signin.example.com/oauth/callback'],
    SupportedIdentityProviders: ['COGNITO', 'Google'],
  });
  cloudFrontSite('site-m');
  const args = ['--bucket', 'site-m', '--distribution-id', distributions['site-m'].Id, '--user-pool-id', cognito.poolId,
    '--client-id', client.ClientId, '--s3-endpoint-url', s3, '--cognito-endpoint-url', cognito.url, '--cloudfront-endpoint-url', s3, '--dist', DIST];
  // No domain yet: nothing about managed login.
  let run = deploy(...args);
  assert.equal(run.status, 0, run.stderr);
  const configOf = () => JSON.parse(objectBytes('site-m', 'config.json').toString('utf8'));
  assert.equal(configOf().oauth, undefined);
  await cognito.call('CreateUserPoolDomain', { UserPoolId: cognito.poolId, Domain: 'acme-signin', ManagedLoginVersion: 2 });
  run = deploy(...args);
  assert.equal(run.status, 0, run.stderr);
  const domain = 'https://acme-signin.auth.us-east-1.amazoncognito.com';
  assert.deepEqual(configOf().oauth, {
    domain, scopes: ['openid', 'email', 'aws.cognito.signin.user.admin'], providers: ['Google'], hostedPage: false,
  });
  const csp = objectBytes('site-m', 'index.html').toString('utf8').match(/http-equiv="Content-Security-Policy" content="([^"]*)"/)[1];
  assert.match(csp, new RegExp(`connect-src 'self' https://cognito-idp\\.us-east-1\\.amazonaws\\.com ${domain.replaceAll('.', '\\.')};`));
});
