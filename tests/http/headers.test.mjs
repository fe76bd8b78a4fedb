// headers.test.mjs - the security headers on every kind of response: pages,
// JSON, static files, errors, the early 413 answered before the body is read;
// HSTS only when the server runs behind HTTPS (--secure-cookies).
// tests/http/matrix.test.mjs checks the same headers on every route x role.
import assert from 'node:assert/strict';
import { after, test } from 'node:test';

import { Client, connect, readResponse, setup } from './lib.mjs';
import { checkSecurityHeaders as checkHeaders } from './security-lib.mjs';

const plain = await setup(after, { prefix: 'headers' });
const secure = await setup(after, { prefix: 'headers-s', args: ['--secure-cookies'] });

const requests = [
  ['GET', '/healthz', 200],
  ['GET', '/login', 200],
  ['GET', '/', 303],
  ['GET', '/static/app.css', 200],
  ['GET', '/api/v1/openapi.json', 200],
  ['GET', '/api/v1/establishments', 401],
  ['GET', '/no/such/page', 404],
  ['POST', '/api/v1/session', 400],
  ['HEAD', '/login', 200],
];

for (const [name, env, hsts] of [
  ['plain HTTP', plain, false],
  ['--secure-cookies', secure, true],
]) {
  test(`${name}: pages, JSON, static files and errors carry the security headers`, async () => {
    const c = new Client(env.base);
    for (const [method, path, status] of requests) {
      const r = await c.request(method, path, method === 'POST' ? { json: '{' } : {});
      assert.equal(r.status, status, `${method} ${path}`);
      checkHeaders(r.headers, `${method} ${path}`, { hsts });
    }
  });

  test(`${name}: the early 413 (before the body is read) carries them too`, async () => {
    const sock = await connect(env.server.port);
    sock.write('POST /login HTTP/1.1\r\nHost: x\r\nContent-Length: 999999999\r\n\r\n');
    const r = await readResponse(sock);
    sock.destroy();
    assert.equal(r.status, 413);
    checkHeaders(r.headers, 'early 413', { hsts });
  });
}

test('HTML pages keep their full content security policy', async () => {
  const r = await new Client(plain.base).get('/login');
  assert.match(r.headers.get('content-security-policy'), /^default-src 'self'/);
  assert.equal(r.headers.get('cache-control'), 'no-store');
});
