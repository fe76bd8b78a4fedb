// limits.test.mjs - what one client cannot do to the server (issue 11): hold
// every connection (a per-address limit, a short idle timeout), smuggle a NUL
// into a path (/static/app.css%00.x served app.css), or send two differing
// Content-Length headers.
import assert from 'node:assert/strict';
import net from 'node:net';
import { after, test } from 'node:test';

import { connect, readResponse, setup, startServer } from './lib.mjs';

const env = await setup(after, { prefix: 'limits' });
/* Tests connect from 127.0.0.1, so the limit is set low here; another
 * loopback address (127.0.0.2) stands for another client. */
const S = await startServer(env.db, { args: ['--per-address', '6', '--idle-timeout', '2'] });
after(() => S.stop());

function connectFrom(localAddress) {
  return new Promise((resolve, reject) => {
    const s = net.connect({ port: S.port, host: '127.0.0.1', localAddress });
    s.once('connect', () => resolve(s));
    s.once('error', reject);
  });
}

function get(sock, path) {
  sock.write(`GET ${path} HTTP/1.1\r\nHost: 127.0.0.1\r\nConnection: close\r\n\r\n`);
  return readResponse(sock);
}

/* Resolves when the server ends the connection (close or reset). */
function ended(sock) {
  return new Promise((resolve) => {
    if (sock.destroyed) return resolve();
    sock.once('close', resolve);
    sock.on('error', () => {});
  });
}

test('idle connections from one address cannot lock others out; the server closes them when idle', async () => {
  /* Each of the six is answered once and kept open, idle: a connection the
   * kernel has queued may not yet be the server's, and a seventh taken
   * before it would be served in its place (a loaded run saw that). */
  const idle = [];
  for (let i = 0; i < 6; i++) {
    const sock = await connect(S.port);
    sock.write('GET /healthz HTTP/1.1\r\nHost: 127.0.0.1\r\n\r\n');
    assert.equal((await readResponse(sock)).status, 200);
    idle.push(sock);
  }
  /* The seventh from the same address is closed at once, without an answer. */
  const extra = await connect(S.port);
  await assert.rejects(get(extra, '/healthz'), (err) => !/^HTTP\/1\.1 200/.test(err.raw ?? ''));
  /* Another client is served meanwhile. */
  const other = await connectFrom('127.0.0.2');
  const res = await get(other, '/healthz');
  assert.equal(res.status, 200);
  /* The idle ones are closed by the server after the idle timeout. */
  await Promise.all(idle.map(ended));
  const again = await connect(S.port);
  assert.equal((await get(again, '/healthz')).status, 200);
});

test('a NUL in the path or an argument is a 400, never a shorter path', async () => {
  for (const p of ['/static/app.css%00.x', '/healthz%00', '/login?next=%00/x', '/api/v1/units?q%00=1']) {
    const res = await get(await connectFrom('127.0.0.3'), p);
    assert.equal(res.status, 400, p);
    assert.match(res.body, /NUL/);
  }
  assert.equal((await get(await connectFrom('127.0.0.3'), '/static/app.css')).status, 200);
});

test('two differing Content-Length headers are a 400', async () => {
  const sock = await connectFrom('127.0.0.4');
  sock.write(
    'POST /api/v1/session HTTP/1.1\r\nHost: 127.0.0.1\r\nContent-Type: application/json\r\n' +
      'Content-Length: 2\r\nContent-Length: 40\r\n\r\n{}',
  );
  const res = await readResponse(sock);
  assert.equal(res.status, 400);
  assert.match(res.body, /Content-Length/);
});

test('more than 64 headers is a 431 and more than 64 query arguments a 400, never dropped', async () => {
  const headers = Array.from({ length: 65 }, (_, i) => `X-H${i}: ${i}\r\n`).join('');
  const sock = await connectFrom('127.0.0.5');
  sock.write(`GET /healthz HTTP/1.1\r\nHost: 127.0.0.1\r\nConnection: close\r\n${headers}\r\n`);
  const res = await readResponse(sock);
  assert.equal(res.status, 431);
  assert.match(res.body, /Quá nhiều tiêu đề/);
  const query = Array.from({ length: 65 }, (_, i) => `a${i}=${i}`).join('&');
  const q = await get(await connectFrom('127.0.0.5'), `/api/v1/units?${query}`);
  assert.equal(q.status, 400);
  assert.match(q.body, /too many query parameters|Quá nhiều tham số/);
  /* 64 arguments still reach the router (which names the undeclared one). */
  const ok = Array.from({ length: 64 }, (_, i) => `a${i}=${i}`).join('&');
  const r64 = await get(await connectFrom('127.0.0.5'), `/api/v1/units?${ok}`);
  assert.equal(r64.status, 400);
  assert.match(r64.body, /a0/);
  /* A request of 64 headers, 62 of them of 500 bytes (31 KB), still fits a connection's
   * memory (MHD_OPTION_CONNECTION_MEMORY_LIMIT, zeroed for each request). */
  const wide = Array.from({ length: 62 }, (_, i) => `X-H${i}: ${'v'.repeat(500)}\r\n`).join('');
  const big = await connectFrom('127.0.0.5');
  big.write(`GET /healthz HTTP/1.1\r\nHost: 127.0.0.1\r\nConnection: close\r\n${wide}\r\n`);
  assert.equal((await readResponse(big)).status, 200);
});
