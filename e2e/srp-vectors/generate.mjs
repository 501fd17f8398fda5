// Generates SRP test vectors with amazon-cognito-identity-js, the reference browser client, unmodified.
//
// Each vector runs the library's real login path, CognitoUser.authenticateUser (USER_SRP_AUTH), with three
// things held fixed so the result is reproducible: the private ephemeral `a` (the helper's random source),
// the clock (for TIMESTAMP), and the transport (a stub that answers InitiateAuth with our SALT/SRP_B/
// SECRET_BLOCK and records the RespondToAuthChallenge answer). Every input comes from a seeded SHA-256
// stream, so the output file is the same on every run; the test command regenerates it and compares.
//
// Usage: node srp-vectors/generate.mjs OUTPUT.json
import { createHash } from 'node:crypto';
import { writeFileSync } from 'node:fs';
import { createRequire } from 'node:module';

const require = createRequire(import.meta.url);
const acij = require('amazon-cognito-identity-js');
const { AuthenticationHelper, CognitoUser, CognitoUserPool, AuthenticationDetails } = acij;
const libraryVersion = require('amazon-cognito-identity-js/package.json').version;

const BigInteger = new AuthenticationHelper('probe').N.constructor;
const N = new AuthenticationHelper('probe').N;

// ---- deterministic input stream ----
let counter = 0;
function bytes(n) {
  const out = [];
  while (out.length < n) {
    out.push(...createHash('sha256').update(`cognito-spa srp vectors ${counter++}`).digest());
  }
  return Buffer.from(out.slice(0, n));
}
const pick = (list) => list[bytes(1)[0] % list.length];
const hex = (buf) => buf.toString('hex');

const POOLS = ['us-east-1_AbCdEf123', 'eu-west-1_Z9y8X7w6V', 'ap-southeast-2_q1W2e3R4t', 'us-gov-west-1_A1'];
const USERS = [
  'alice',
  '6f1e2d3c-4b5a-4978-8a6b-5c4d3e2f1a0b',
  'Bob.Smith+test@example.com',
  'Ünïcødé_üser',
  '用户名',
  'x',
];
const PASSWORDS = [
  'Passw0rd!',
  'pässwörd-Ä1',
  '密码测试Ab1!',
  '🔐emoji🔑Pw1',
  '  spaces around  ',
  'quote"back\\slash',
  'a'.repeat(256),
  '',
];

// Dates: many single-digit days, both sides of a year change, leap day.
function timestampMs(i) {
  const specials = [
    Date.UTC(2026, 0, 5, 9, 3, 7),
    Date.UTC(2024, 1, 29, 23, 59, 59),
    Date.UTC(2025, 11, 31, 23, 59, 59),
    Date.UTC(2027, 0, 1, 0, 0, 0),
    Date.UTC(2026, 10, 9, 12, 0, 5),
  ];
  if (i < specials.length) return specials[i];
  const r = bytes(4).readUInt32BE(0);
  const day = i % 3 === 0 ? 1 + (r % 9) : 1 + (r % 28); // at least a third single-digit
  return Date.UTC(2020 + (r % 11), (r >>> 4) % 12, day, (r >>> 8) % 24, (r >>> 13) % 60, (r >>> 19) % 60);
}

function smallA(i) {
  const a = bytes(128);
  if (i % 4 === 1) a[0] |= 0x80; // top bit set
  if (i % 4 === 2) a[0] = 0; // leading zero byte
  if (i % 7 === 3) { a[0] = 0; a[1] = 0; a[2] &= 0x0f; } // odd-length hex
  return a;
}

function saltHex(i) {
  const s = bytes(16);
  switch (i % 5) {
    case 0: s[0] |= 0x80; return hex(s); // top bit set: padHex prepends 00
    case 1: s[0] &= 0x7f; return hex(s);
    case 2: s[0] = 0x0a; return hex(s).slice(1); // odd length
    case 3: s[0] = 0; s[1] |= 0x80; return hex(s); // leading zeros as sent
    default: return hex(s.subarray(0, 4)).toUpperCase(); // short, upper case
  }
}

function srpBHex(i) {
  const nHex = N.toString(16);
  switch (i % 6) {
    case 0: { // top bit set, below N
      const b = bytes(384); b[0] = 0xff; b[1] = 0xff; b[2] = 0xff; b[3] = 0xff; b[4] = 0x00;
      return hex(b);
    }
    case 1: { // top bit clear
      const b = bytes(384); b[0] &= 0x7f; return hex(b);
    }
    case 2: // short value
      return hex(bytes(20));
    case 3: // at or above N: the client must not reduce B before hashing
      return new BigInteger(nHex, 16).add(new BigInteger(hex(bytes(8)), 16)).toString(16);
    case 4: { // mid-size with top nibble 8
      const b = bytes(200); b[0] = 0x80 | (b[0] & 0x0f); return hex(b);
    }
    default: // random reduced mod N, upper case as some servers send
      return new BigInteger(hex(bytes(384)), 16).mod(N).toString(16).toUpperCase();
  }
}

// ---- driving the library ----
let fixedA = null;
let captured = null;
AuthenticationHelper.prototype.generateRandomSmallA = function fixedSmallA() {
  return fixedA === null ? new BigInteger('1', 16) : new BigInteger(fixedA, 16);
};
const originalKey = AuthenticationHelper.prototype.getPasswordAuthenticationKey;
AuthenticationHelper.prototype.getPasswordAuthenticationKey = function capture(user, pw, B, salt, cb) {
  return originalKey.call(this, user, pw, B, salt, (err, key) => {
    if (!err && captured) {
      captured.u = this.UValue.toString(16);
      captured.passwordKey = Buffer.from(key).toString('hex');
    }
    cb(err, key);
  });
};

const RealDate = Date;
function withClock(ms, fn) {
  class FixedDate extends RealDate {
    constructor(...args) { if (args.length === 0) super(ms); else super(...args); }
    static now() { return ms; }
  }
  globalThis.Date = FixedDate;
  try { return fn(); } finally { globalThis.Date = RealDate; }
}

function runLogin(input) {
  fixedA = input.aHex;
  captured = {};
  const pool = new CognitoUserPool({ UserPoolId: input.poolId, ClientId: 'vectorclient0000000000000' });
  const user = new CognitoUser({ Username: input.username, Pool: pool });
  user.client.request = (operation, params, callback) => {
    if (operation === 'InitiateAuth') {
      captured.srpA = params.AuthParameters.SRP_A;
      callback(null, {
        ChallengeName: 'PASSWORD_VERIFIER',
        Session: 'session-token',
        ChallengeParameters: {
          SALT: input.saltHex,
          SRP_B: input.srpBHex,
          SECRET_BLOCK: input.secretBlock,
          USER_ID_FOR_SRP: input.userIdForSrp,
          USERNAME: input.userIdForSrp,
        },
      });
    } else if (operation === 'RespondToAuthChallenge') {
      captured.responses = params.ChallengeResponses;
      callback({ code: 'VectorCaptured', message: 'stop here' }, null);
    } else {
      callback({ code: 'Unexpected', message: operation }, null);
    }
  };
  let failure = null;
  withClock(input.unixSeconds * 1000, () => {
    user.authenticateUser(new AuthenticationDetails({ Username: input.username, Password: input.password }), {
      onSuccess: () => { failure = 'unexpected success'; },
      onFailure: (err) => { if (err.code !== 'VectorCaptured') failure = `${err.code || ''} ${err.message || err}`; },
    });
  });
  if (failure || !captured.responses) throw new Error(`vector ${input.name}: ${failure || 'no answer captured'}`);
  const r = captured.responses;
  if (r.USERNAME !== input.userIdForSrp || r.PASSWORD_CLAIM_SECRET_BLOCK !== input.secretBlock) {
    throw new Error(`vector ${input.name}: unexpected USERNAME or secret block`);
  }
  return {
    srpA: captured.srpA,
    u: captured.u,
    passwordKey: captured.passwordKey,
    timestamp: r.TIMESTAMP,
    signature: r.PASSWORD_CLAIM_SIGNATURE,
  };
}

const srp = [];
for (let i = 0; i < 64; i++) {
  const userIdForSrp = pick(USERS);
  const input = {
    name: `vector-${String(i).padStart(2, '0')}`,
    poolId: pick(POOLS),
    // what the user typed; the library must sign with USER_ID_FOR_SRP instead (they differ for alias logins)
    username: i % 3 === 0 ? `typed-${userIdForSrp}` : userIdForSrp,
    userIdForSrp,
    password: PASSWORDS[i % PASSWORDS.length],
    aHex: hex(smallA(i)),
    saltHex: saltHex(i),
    srpBHex: srpBHex(i),
    secretBlock: bytes(48 + (bytes(1)[0] % 200)).toString('base64'),
    unixSeconds: Math.floor(timestampMs(i) / 1000),
  };
  srp.push({ ...input, expected: runLogin(input) });
}

// padHex on its own, including the negative (two's complement) branch the login path never takes.
const padHexCases = ['0', '1', '7f', '80', '81', 'ff', '100', '7fff', '8000', '8001', 'ffff', '10000', '800000'];
for (let i = 0; i < 12; i++) {
  const b = bytes(1 + (i % 9));
  if (i % 2) b[0] |= 0x80; else b[0] &= 0x7f;
  padHexCases.push(hex(b).replace(/^0+(?=.)/, ''));
}
const helper = new AuthenticationHelper('probe');
const padHex = [];
for (const magnitude of padHexCases) {
  for (const sign of magnitude === '0' ? [''] : ['', '-']) {
    const value = new BigInteger(magnitude, 16);
    padHex.push({ value: `${sign}${magnitude}`, padHex: helper.padHex(sign ? value.negate() : value).toLowerCase() });
  }
}

// ---- remembered devices ----
// The library's random source (WordArray.random: the device password and the salt) is fed from the seeded
// stream; its clock and `a` are fixed as above. Two runs per vector, both the library's own code paths:
// 1. a sign-in whose answer carries NewDeviceMetadata: authenticateUser makes the device's password, salt
//    and verifier (generateHashDevice) and sends ConfirmDevice, which is captured;
// 2. a sign-in on that device: the answer to PASSWORD_VERIFIER is DEVICE_SRP_AUTH, and the library answers
//    it (getDeviceResponse: SRP_A, then DEVICE_PASSWORD_VERIFIER over the device group, key and password).
const WordArray = require('amazon-cognito-identity-js/lib/utils/WordArray').default;
WordArray.prototype.random = function seeded(nBytes) {
  const b = bytes(nBytes + ((4 - (nBytes % 4)) % 4));
  const words = [];
  for (let i = 0; i < b.length; i += 4) words.push(b.readInt32BE(i));
  return new WordArray(words, nBytes);
};
const fakeJwt = (claims) => `e30.${Buffer.from(JSON.stringify(claims)).toString('base64url')}.c2ln`;
function memoryStorage() {
  const items = {};
  return { setItem: (k, v) => { items[k] = String(v); }, getItem: (k) => (k in items ? items[k] : null),
    removeItem: (k) => { delete items[k]; }, clear: () => { for (const k of Object.keys(items)) delete items[k]; }, items };
}

function runDevice(input) {
  const storage = memoryStorage();
  const pool = new CognitoUserPool({ UserPoolId: input.poolId, ClientId: 'vectorclient0000000000000', Storage: storage });
  const tokens = { IdToken: fakeJwt({ sub: 's', exp: 4102444800 }), AccessToken: fakeJwt({ exp: 4102444800, username: input.username }),
    RefreshToken: 'refresh' };
  const verifierChallenge = {
    ChallengeName: 'PASSWORD_VERIFIER', Session: 'session-1',
    ChallengeParameters: { SALT: 'ab', SRP_B: 'cd', SECRET_BLOCK: 'AAAA', USER_ID_FOR_SRP: input.username, USERNAME: input.username },
  };
  const captured = {};
  let failure = null;
  const callbacks = {
    onSuccess: () => {},
    onFailure: (err) => { if (err.code !== 'VectorCaptured') failure = `${err.code || ''} ${err.message || err}`; },
  };
  // 1. NewDeviceMetadata → ConfirmDevice.
  let user = new CognitoUser({ Username: input.username, Pool: pool, Storage: storage });
  user.client.request = (operation, params, callback) => {
    if (operation === 'InitiateAuth') return callback(null, verifierChallenge);
    if (operation === 'RespondToAuthChallenge') {
      return callback(null, { AuthenticationResult: { ...tokens,
        NewDeviceMetadata: { DeviceKey: input.deviceKey, DeviceGroupKey: input.deviceGroupKey } } });
    }
    if (operation === 'ConfirmDevice') {
      captured.confirmDevice = { DeviceKey: params.DeviceKey, Salt: params.DeviceSecretVerifierConfig.Salt,
        PasswordVerifier: params.DeviceSecretVerifierConfig.PasswordVerifier };
      return callback(null, { UserConfirmationNecessary: false });
    }
    return callback({ code: 'Unexpected', message: operation }, null);
  };
  fixedA = input.aHex; // the password step's a (its proof is not checked by the stub)
  withClock(input.unixSeconds * 1000, () => {
    user.authenticateUser(new AuthenticationDetails({ Username: input.username, Password: 'Passw0rd!' }), callbacks);
  });
  const prefix = `CognitoIdentityServiceProvider.vectorclient0000000000000.${input.username}`;
  captured.randomPassword = storage.getItem(`${prefix}.randomPasswordKey`);
  if (failure || !captured.confirmDevice || !captured.randomPassword) {
    throw new Error(`device vector ${input.name}: ${failure || 'no ConfirmDevice captured'}`);
  }
  // 2. A sign-in on the remembered device: DEVICE_SRP_AUTH, then DEVICE_PASSWORD_VERIFIER.
  user = new CognitoUser({ Username: input.username, Pool: pool, Storage: storage });
  user.client.request = (operation, params, callback) => {
    if (operation === 'InitiateAuth') return callback(null, verifierChallenge);
    if (operation === 'RespondToAuthChallenge' && params.ChallengeName === 'PASSWORD_VERIFIER') {
      // The device is named with the password's proof (not with InitiateAuth, for a new CognitoUser).
      captured.passwordVerifierDeviceKey = params.ChallengeResponses.DEVICE_KEY;
      fixedA = input.deviceAHex;
      return callback(null, { ChallengeName: 'DEVICE_SRP_AUTH', Session: 'session-2', ChallengeParameters: {} });
    }
    if (operation === 'RespondToAuthChallenge' && params.ChallengeName === 'DEVICE_SRP_AUTH') {
      captured.deviceSrpAuth = params.ChallengeResponses;
      return callback(null, { ChallengeName: 'DEVICE_PASSWORD_VERIFIER', Session: 'session-3',
        ChallengeParameters: { SALT: input.serverSaltHex, SRP_B: input.srpBHex, SECRET_BLOCK: input.secretBlock } });
    }
    if (operation === 'RespondToAuthChallenge' && params.ChallengeName === 'DEVICE_PASSWORD_VERIFIER') {
      captured.devicePasswordVerifier = params.ChallengeResponses;
      return callback({ code: 'VectorCaptured', message: 'stop here' }, null);
    }
    return callback({ code: 'Unexpected', message: `${operation} ${params.ChallengeName || ''}` }, null);
  };
  fixedA = input.aHex;
  withClock(input.unixSeconds * 1000, () => {
    user.authenticateUser(new AuthenticationDetails({ Username: input.username, Password: 'Passw0rd!' }), callbacks);
  });
  if (failure || !captured.devicePasswordVerifier) {
    throw new Error(`device vector ${input.name}: ${failure || 'no DEVICE_PASSWORD_VERIFIER captured'}`);
  }
  return {
    confirmDevice: captured.confirmDevice,
    randomPassword: captured.randomPassword,
    passwordVerifierDeviceKey: captured.passwordVerifierDeviceKey,
    deviceSrpAuth: captured.deviceSrpAuth,
    devicePasswordVerifier: captured.devicePasswordVerifier,
  };
}

const devices = [];
for (let i = 0; i < 16; i++) {
  const username = pick(USERS);
  const region = pick(POOLS).split('_')[0];
  const input = {
    name: `device-${String(i).padStart(2, '0')}`,
    poolId: pick(POOLS),
    username,
    deviceKey: `${region}_${hex(bytes(16)).replace(/^(.{8})(.{4})(.{4})(.{4})(.{12})$/, '$1-$2-$3-$4-$5')}`,
    deviceGroupKey: `-${bytes(9).toString('base64url')}`,
    aHex: hex(smallA(i)),
    deviceAHex: hex(smallA(i + 1)),
    serverSaltHex: saltHex(i),
    srpBHex: srpBHex(i),
    secretBlock: bytes(48 + (bytes(1)[0] % 200)).toString('base64'),
    unixSeconds: Math.floor(timestampMs(i) / 1000),
  };
  devices.push({ ...input, expected: runDevice(input) });
}

const out = {
  generator: `amazon-cognito-identity-js@${libraryVersion} via e2e/srp-vectors/generate.mjs`,
  k: helper.k.toString(16),
  srp,
  padHex,
  devices,
};
const path = process.argv[2];
if (!path) { console.error('usage: node srp-vectors/generate.mjs OUTPUT.json'); process.exit(2); }
writeFileSync(path, `${JSON.stringify(out, null, 1)}\n`);
console.log(`wrote ${srp.length} SRP vectors, ${padHex.length} padHex cases and ${devices.length} device vectors to ${path}`);
