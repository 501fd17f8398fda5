// The test harness itself: its servers close even while a browser still holds a connection to them
// (a connection with a request half sent stands in for one, deterministically). A CI run once hung for
// good in a test file's after hook, on a server that waited for such a connection.
import assert from 'node:assert/strict';
import { connect } from 'node:net';
import { test } from 'node:test';
import { fileURLToPath } from 'node:url';
import { serveDist } from '../lib/static-server.mjs';

const DIST = fileURLToPath(new URL('../../dist', import.meta.url));

test('the static server closes while a connection is still open on it', async () => {
  const site = await serveDist(DIST);
  const { port } = new URL(site.url);
  const socket = connect(Number(port), '127.0.0.1');
  await new Promise((ok) => socket.once('connect', ok));
  socket.write('GET / HTTP/1.1\r\nHost: 127.0.0.1\r\n'); // the headers never end
  await new Promise((ok) => setTimeout(ok, 100));
  const closed = await Promise.race([
    site.close().then(() => 'closed'),
    new Promise((ok) => setTimeout(() => ok('still open after 3 s'), 3000)),
  ]);
  socket.destroy();
  assert.equal(closed, 'closed');
});
