// health.test.mjs - health check, 404/405 in JSON and HTML, static assets
// with ETag caching, and the access log.
import assert from 'node:assert/strict';
import { readdir, readlink } from 'node:fs/promises';
import { after, test } from 'node:test';

import { PG } from '../pg/pglib.mjs';
import { Client, run, setup, startServer } from './lib.mjs';

const env = await setup(after, { prefix: 'health' });
const c = new Client(env.base);
const JSON_ACCEPT = { Accept: 'application/json' };
const HTML_ACCEPT = { Accept: 'text/html' };

test('GET /healthz answers ok with the schema version', async () => {
  // `khuyencong version` prints "khuyencong VERSION (schema N)"; a fresh
  // database is at the latest schema (1 at first, more as migrations come).
  const v = await run(['version']);
  const m = /^khuyencong (\S+) \(schema (\d+)\)$/m.exec(v.stdout);
  assert.ok(m, v.stdout);
  const r = await c.get('/healthz');
  assert.equal(r.status, 200);
  assert.match(r.headers.get('content-type'), /^application\/json/);
  assert.equal(r.body.status, 'ok');
  assert.equal(r.body.schema, Number(m[2]));
  assert.ok(r.body.schema >= 1);
  assert.equal(r.body.version, m[1]);
  assert.match(r.headers.get('cache-control'), /no-store/);
  assert.equal(r.headers.get('x-content-type-options'), 'nosniff');
});

/* The connections the server process holds to the SQLite file db. */
async function dbFiles(pid, db) {
  let n = 0;
  for (const fd of await readdir(`/proc/${pid}/fd`)) {
    const to = await readlink(`/proc/${pid}/fd/${fd}`).catch(() => '');
    if (to === db) n++;
  }
  return n;
}

test('serve keeps the connection it migrated with for its first request thread', { skip: PG ? 'SQLite only' : false }, async () => {
  // Closing it and opening another was a schema read more before the
  // first answer (and, the last connection closed, a checkpoint).
  const srv = await startServer(env.db, { args: ['--workers', '0', '--threads', '1'] });
  try {
    assert.equal(await dbFiles(srv.proc.pid, env.db), 1);
    const r = await new Client(srv.base).get('/healthz');
    assert.equal(r.status, 200);
    assert.equal(await dbFiles(srv.proc.pid, env.db), 1);
  } finally {
    await srv.stop();
  }
});

test('unknown path: 404 JSON when JSON is accepted', async () => {
  const r = await c.get('/no/such/page', { headers: JSON_ACCEPT });
  assert.equal(r.status, 404);
  assert.match(r.headers.get('content-type'), /^application\/json/);
  assert.equal(r.body.error.code, 'not_found');
  assert.equal(typeof r.body.error.message, 'string');
  assert.ok(r.body.error.message.length > 0);
  assert.equal(r.body.error.field, null);
});

test('unknown path: 404 HTML page when HTML is accepted', async () => {
  const r = await c.get('/no/such/page', { headers: HTML_ACCEPT });
  assert.equal(r.status, 404);
  assert.match(r.headers.get('content-type'), /^text\/html/);
  assert.match(r.text, /^<!DOCTYPE html>/);
  assert.match(r.text, /Không tìm thấy trang/); // the Vietnamese half of the message
  assert.equal(r.headers.get('cache-control'), 'no-store');
});

test('unknown path under /api/ is JSON whatever the Accept header', async () => {
  const r = await c.get('/api/v1/nothing', { headers: HTML_ACCEPT });
  assert.equal(r.status, 404);
  assert.equal(r.body.error.code, 'not_found');
});

test('wrong method: 405 with Allow, JSON by Accept', async () => {
  const r = await c.post('/healthz', { headers: JSON_ACCEPT });
  assert.equal(r.status, 405);
  assert.equal(r.headers.get('allow'), 'GET');
  assert.equal(r.body.error.code, 'method_not_allowed');
});

test('wrong method: 405 with Allow, HTML by Accept', async () => {
  const r = await c.post('/healthz', { headers: HTML_ACCEPT });
  assert.equal(r.status, 405);
  assert.equal(r.headers.get('allow'), 'GET');
  assert.match(r.headers.get('content-type'), /^text\/html/);
  assert.match(r.text, /Phương thức không được hỗ trợ/);
});

test('Allow lists every method of a path', async () => {
  const r = await c.request('PUT', '/api/v1/session');
  assert.equal(r.status, 405);
  assert.deepEqual(r.headers.get('allow').split(/,\s*/).sort(), ['DELETE', 'GET', 'POST']);
});

test('static stylesheet: text/css, ETag, max-age, then 304 on If-None-Match', async () => {
  const r = await c.get('/static/app.css');
  assert.equal(r.status, 200);
  assert.match(r.headers.get('content-type'), /^text\/css/);
  assert.ok(r.text.length > 100, 'the stylesheet has content');
  const etag = r.headers.get('etag');
  assert.match(etag, /^"[0-9a-f]{32}"$/);
  assert.match(r.headers.get('cache-control'), /max-age=\d+/);

  const again = await c.get('/static/app.css', { headers: { 'If-None-Match': etag } });
  assert.equal(again.status, 304);
  assert.equal(again.text, '');
  assert.equal(again.headers.get('etag'), etag);

  const stale = await c.get('/static/app.css', { headers: { 'If-None-Match': '"0000"' } });
  assert.equal(stale.status, 200);
  assert.equal(stale.text, r.text);
});

test('unknown static file is 404', async () => {
  const r = await c.get('/static/nothing.css', { headers: JSON_ACCEPT });
  assert.equal(r.status, 404);
  assert.equal(r.body.error.code, 'not_found');
});

test('access log: one line per request with time, method, path, status, bytes, microseconds', async () => {
  const h = await c.get('/healthz');
  assert.equal(h.status, 200);
  const bytes = Buffer.byteLength(h.text);
  const line = await env.server.waitForLog(/^\S+Z GET \/healthz 200 \d+ \d+us$/);
  const m = /^(\d{4}-\d\d-\d\dT\d\d:\d\d:\d\dZ) GET \/healthz 200 (\d+) (\d+)us$/.exec(line);
  assert.ok(m, `line has an ISO time: ${line}`);
  assert.equal(Number(m[2]), bytes);
  assert.ok(Math.abs(Date.parse(m[1]) - Date.now()) < 120000, 'the time is now');

  await c.get('/no/such/page', { headers: JSON_ACCEPT });
  await env.server.waitForLog(/^\S+Z GET \/no\/such\/page 404 \d+ \d+us$/);
  await c.post('/healthz', { headers: JSON_ACCEPT });
  await env.server.waitForLog(/^\S+Z POST \/healthz 405 \d+ \d+us$/);
  await c.get('/static/app.css', { headers: { 'If-None-Match': '"x"' } });
  await env.server.waitForLog(/^\S+Z GET \/static\/app\.css 200 \d+ \d+us$/);

  // Every request so far left exactly one line.
  const lines = env.server.stderr.split('\n').filter((l) => /^\S+Z [A-Z]+ \S+ \d{3} \d+ \d+us$/.test(l));
  const healthz = lines.filter((l) => / GET \/healthz 200 /.test(l));
  assert.equal(healthz.length, 2, lines.join('\n'));
});

/* RFC 9110 §8.6: a HEAD response carries the Content-Length a GET would
 * have, or none. */
test(
  'HEAD: same status and headers as GET, no body',
  async () => {
    const get = await c.get('/static/app.css');
    const head = await c.request('HEAD', '/static/app.css');
    assert.equal(head.status, 200);
    assert.equal(head.text, '');
    assert.equal(head.headers.get('etag'), get.headers.get('etag'));
    const len = head.headers.get('content-length');
    assert.ok(len === null || Number(len) === Buffer.byteLength(get.text), `Content-Length ${len}`);
    assert.equal(head.headers.get('content-type'), get.headers.get('content-type'));
  },
);
