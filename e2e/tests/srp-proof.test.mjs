// The command-line probe `cargo run -p cognito-core --example srp_proof` answers like
// amazon-cognito-identity-js (the committed reference vectors) and fails cleanly on bad input.
import assert from 'node:assert/strict';
import { execFileSync, spawnSync } from 'node:child_process';
import { readFileSync } from 'node:fs';
import { before, test } from 'node:test';
import { fileURLToPath } from 'node:url';

const ROOT = fileURLToPath(new URL('../..', import.meta.url));
const vectors = JSON.parse(readFileSync(`${ROOT}/crates/cognito-core/tests/vectors/srp.json`, 'utf8'));

before(() => {
  execFileSync('cargo', ['build', '-q', '--locked', '-p', 'cognito-core', '--example', 'srp_proof'], { cwd: ROOT, stdio: 'inherit' });
});

function probe(input) {
  return spawnSync('cargo', ['run', '-q', '--locked', '-p', 'cognito-core', '--example', 'srp_proof'], {
    cwd: ROOT,
    input: typeof input === 'string' ? input : JSON.stringify(input),
    encoding: 'utf8',
  });
}

test('the probe reproduces the reference client on every sixth vector', () => {
  for (const v of vectors.srp.filter((_, i) => i % 6 === 0)) {
    const out = probe({
      poolId: v.poolId,
      userIdForSrp: v.userIdForSrp,
      password: v.password,
      aHex: v.aHex,
      saltHex: v.saltHex,
      srpBHex: v.srpBHex,
      secretBlock: v.secretBlock,
      timestamp: v.expected.timestamp,
    });
    assert.equal(out.status, 0, out.stderr);
    assert.deepEqual(JSON.parse(out.stdout), { srpA: v.expected.srpA, signature: v.expected.signature }, v.name);
  }
});

test('the probe rejects bad input with a message and exit code 1', () => {
  const v = vectors.srp[0];
  const good = {
    poolId: v.poolId, userIdForSrp: v.userIdForSrp, password: v.password, aHex: v.aHex,
    saltHex: v.saltHex, srpBHex: v.srpBHex, secretBlock: v.secretBlock, timestamp: v.expected.timestamp,
  };
  const cases = [
    ['not json', /bad input JSON/],
    [{ ...good, srpBHex: '0' }, /B mod N is 0/],
    [{ ...good, saltHex: 'xyz' }, /SALT is not a valid hex number/],
    [{ ...good, secretBlock: '***' }, /SECRET_BLOCK is not valid base64/],
    [{ ...good, poolId: 'nounderscore' }, /not a user pool id/],
  ];
  for (const [input, message] of cases) {
    const out = probe(input);
    assert.equal(out.status, 1, `${JSON.stringify(input).slice(0, 60)}: ${out.stderr}`);
    assert.match(out.stderr, message);
    assert.equal(out.stdout, '');
  }
});
