// Starts the project's local Cognito server (target/debug/cognito-local, built by scripts/test.sh) on a
// free loopback port with a pool file, and offers the local-only helpers tests need.
import { spawn } from 'node:child_process';
import { readFileSync } from 'node:fs';
import { fileURLToPath } from 'node:url';

export const ROOT = fileURLToPath(new URL('../..', import.meta.url));
const BINARY = process.env.COGNITO_LOCAL_BIN || `${ROOT}/target/debug/cognito-local`;

export async function startLocalCognito(poolFile = `${ROOT}/e2e/pools/test.json`) {
  const pool = JSON.parse(readFileSync(poolFile, 'utf8'));
  const child = spawn(BINARY, ['--port', '0', '--pool', poolFile], { stdio: ['ignore', 'pipe', 'pipe'] });
  let log = '';
  const url = await new Promise((resolve, reject) => {
    const timer = setTimeout(() => reject(new Error(`cognito-local did not start:\n${log}`)), 15000);
    const onData = (chunk) => {
      log += chunk;
      const m = log.match(/listening on (http:\/\/\S+)/);
      if (m) { clearTimeout(timer); resolve(m[1]); }
    };
    child.stdout.on('data', onData);
    child.stderr.on('data', onData);
    child.on('exit', (code) => { clearTimeout(timer); reject(new Error(`cognito-local exited ${code}:\n${log}`)); });
  });
  child.removeAllListeners('exit');

  async function call(operation, body) {
    const res = await fetch(url, {
      method: 'POST',
      headers: { 'Content-Type': 'application/x-amz-json-1.1', 'X-Amz-Target': `AWSCognitoIdentityProviderService.${operation}` },
      body: JSON.stringify(body),
    });
    const json = await res.json();
    if (!res.ok) throw Object.assign(new Error(json.message), { code: json.__type });
    return json;
  }

  return {
    url,
    poolId: pool.poolId,
    clientId: pool.clients[0].clientId,
    call,
    // The codes the server "emailed" to a user.
    codes: async (username) => (await fetch(`${url}/_local/codes/${pool.poolId}/${encodeURIComponent(username)}`)).json(),
    advanceClock: async (seconds) =>
      (await fetch(`${url}/_local/clock`, { method: 'POST', body: JSON.stringify({ advanceSeconds: seconds }) })).json(),
    // The next `count` calls of `operation` wait `delayMs`, then fail with `error` (InternalErrorException,
    // ServiceUnavailable, TooManyRequestsException), or succeed when it is null; clearFaults() undoes
    // every plan.
    fault: (operation, count, error = 'InternalErrorException', delayMs = 0) =>
      fetch(`${url}/_local/faults`, { method: 'POST', body: JSON.stringify({ operation, count, error, delayMs }) }),
    clearFaults: () => fetch(`${url}/_local/faults`, { method: 'DELETE' }),
    stop: () => new Promise((resolve) => { child.once('exit', resolve); child.kill('SIGTERM'); }),
  };
}
