// shutdown.test.mjs - SIGTERM finishes the requests in flight, then exits 0.
import assert from 'node:assert/strict';
import net from 'node:net';
import { test } from 'node:test';

import { connect, parseRawResponse, setup } from './lib.mjs';

const BODY = JSON.stringify({ username: 'nobody', password: 'wrong-password-1' });
const HEAD =
  'POST /api/v1/session HTTP/1.1\r\n' +
  'Host: 127.0.0.1\r\n' +
  'Content-Type: application/json\r\n' +
  `Content-Length: ${Buffer.byteLength(BODY)}\r\n` +
  'Expect: 100-continue\r\n' +
  'Connection: close\r\n\r\n';
const HALF = Math.floor(BODY.length / 2);
const CONTINUE = /^HTTP\/1\.1 100 Continue\r\n\r\n/;

/* Collects everything the server sends until it closes; resolves
 * {data, error} (error is the socket error, if any, e.g. ECONNRESET).
 * got100 resolves when the interim 100 Continue has arrived. */
function collect(sock) {
  let seen100;
  const got100 = new Promise((resolve) => (seen100 = resolve));
  const done = new Promise((resolve) => {
    const parts = [];
    let error = null;
    sock.on('data', (d) => {
      parts.push(d);
      if (CONTINUE.test(Buffer.concat(parts).toString('latin1'))) seen100();
    });
    sock.on('error', (e) => (error = e));
    sock.on('close', () => resolve({ data: Buffer.concat(parts), error }));
  });
  return { got100, done };
}

/* Resolves as p does, or to 'timeout' after ms (the timer does not keep
 * the test process alive). */
function within(p, ms) {
  let timer;
  const t = new Promise((resolve) => (timer = setTimeout(() => resolve('timeout'), ms)));
  return Promise.race([p, t]).finally(() => clearTimeout(timer));
}

/* Starts a server, sends the head and half the body of a login. The head
 * asks for 100 Continue, which the server sends only after its handler has
 * taken the request in: from then on the request is surely in flight. */
async function halfSentRequest(t) {
  const env = await setup((fn) => t.after(fn), { prefix: 'shutdown' });
  const sock = await connect(env.server.port);
  t.after(() => sock.destroy());
  const { got100, done } = collect(sock);
  sock.write(HEAD);
  const ok = await within(got100, 5000);
  assert.notEqual(ok, 'timeout', 'the server answers 100 Continue');
  sock.write(BODY.slice(0, HALF));
  return { env, sock, done };
}

test('SIGTERM: a request in flight gets its whole response, then the server exits 0', async (t) => {
  const { env, sock, done } = await halfSentRequest(t);
  const srv = env.server;
  srv.proc.kill('SIGTERM');
  /* The server says when it has stopped accepting: then it waits. */
  await srv.waitForLog(/no new connections; [1-9]\d* requests in flight/, 10000);
  assert.equal(srv.exitCode, undefined, 'the server waits for the request in flight');
  sock.write(BODY.slice(HALF));

  const { data, error } = await done;
  assert.equal(error, null, `no socket error (${error?.code})`);
  const raw = data.toString('latin1');
  assert.match(raw, CONTINUE);
  const res = parseRawResponse(Buffer.from(raw.replace(CONTINUE, ''), 'latin1'));
  assert.ok(res, `a complete response in ${JSON.stringify(data.toString('latin1'))}`);
  assert.ok([400, 401].includes(res.status), `status ${res.status}`);
  assert.equal(Buffer.byteLength(res.body), Number(res.headers['content-length']));
  const json = JSON.parse(res.body);
  assert.equal(json.error.code, 'unauthorized');

  const exit = await within(srv.exited, 5000);
  assert.notEqual(exit, 'timeout', 'the server exits within 5 s');
  assert.equal(exit.code, 0, `exit code; stderr:\n${srv.stderr}`);
  assert.equal(exit.signal, null);
  assert.match(srv.stderr, /signal 15, finishing requests in flight/);
  assert.match(srv.stderr, /khuyencong: stopped/);
  assert.match(srv.stderr, /^\S+Z POST \/api\/v1\/session 401 \d+ \d+us$/m);

  // Gone: nothing listens any more.
  await assert.rejects(connect(srv.port), { code: 'ECONNREFUSED' });
});

/* After SIGTERM the listening socket is quiesced and shut down: new
 * connections are refused while the request in flight finishes. */
test(
  'SIGTERM: new connections are refused while requests finish',
  async (t) => {
    const { env, sock, done } = await halfSentRequest(t);
    const srv = env.server;
    srv.proc.kill('SIGTERM');
    await srv.waitForLog(/no new connections/, 10000);
    const late = await connect(srv.port).catch((err) => err);
    if (late instanceof net.Socket) late.destroy();
    sock.write(BODY.slice(HALF));
    await done;
    await srv.stop();
    assert.equal(srv.exitCode, 0);
    assert.equal(late?.code, 'ECONNREFUSED', 'a connection opened after SIGTERM is refused');
    assert.doesNotMatch(srv.stderr, /quiesce/i);
  },
);

test('SIGTERM on an idle server exits 0 at once', async (t) => {
  const env = await setup((fn) => t.after(fn), { prefix: 'shutdown-idle' });
  const started = Date.now();
  const { code, signal } = await env.server.stop();
  assert.equal(code, 0);
  assert.equal(signal, null);
  assert.ok(Date.now() - started < 3000, 'stopped within 3 s');
  assert.match(env.server.stderr, /khuyencong: stopped/);
});
