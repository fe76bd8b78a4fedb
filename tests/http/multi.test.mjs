// multi.test.mjs - several servers, one database: a session opened on one
// server works on the other (cookie with CSRF token, and bearer token), logout
// and login throttling are shared, two concurrent edits of one record through
// different servers give exactly one 200 and one 412, a background job
// queued on one server is watched and its file downloaded on the other, and
// nginx with the
// sample configuration (deploy/nginx.conf) spreads one user's requests over
// both servers. Runs on SQLite (two processes on one file) and, as
// http-pg/multi.test.mjs, on PostgreSQL.
import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import { rm } from 'node:fs/promises';
import { after, test } from 'node:test';

import { jobOf, waitJob } from './jobs-lib.mjs';
import { Client, addUser, login, makeDb, startServer } from './lib.mjs';
import { startNginx } from './nginx-lib.mjs';
const PW = 'correct-horse-1';

const env = await makeDb('multi');
await addUser(env.db, 'lan', { role: 'ministry', password: PW });
await addUser(env.db, 'minh', { role: 'viewer', password: PW });
const A = await startServer(env.db);
const B = await startServer(env.db);
after(async () => {
  await A.stop();
  await B.stop();
  if (!process.env.KC_KEEP_TMP) {
    await rm(env.dir, { recursive: true, force: true });
    await env.drop();
  }
});

/* The same client (cookie jar, csrf) talking to another server. */
function via(c, base) {
  const d = new Client(base);
  d.jar = c.jar;
  d.csrf = c.csrf;
  d.bearer = c.bearer;
  return d;
}

test('a cookie session opened on server A works on server B, CSRF token included', async () => {
  const a = await login(A.base, 'lan', PW);
  const b = via(a, B.base);
  const me = await b.get('/api/v1/session');
  assert.equal(me.status, 200, me.text);
  assert.equal(me.body.user.username, 'lan');

  const created = await b.post('/api/v1/consultants', { json: { name: 'Tư vấn viên liên máy' } });
  assert.equal(created.status, 201, created.text);
  const noCsrf = await b.post('/api/v1/consultants', { json: { name: 'x' }, csrf: false });
  assert.equal(noCsrf.status, 403, noCsrf.text);
  const back = await a.get(`/api/v1/consultants/${created.body.id}`);
  assert.equal(back.status, 200);
  assert.equal(back.body.name, 'Tư vấn viên liên máy');
});

test('a bearer token from server B works on server A; logout on A ends it on B', async () => {
  const b = await login(B.base, 'minh', PW, 'bearer');
  const a = via(b, A.base);
  assert.equal((await a.get('/api/v1/session')).status, 200);
  const out = await a.delete('/api/v1/session');
  assert.ok(out.status === 200 || out.status === 204, `${out.status} ${out.text}`);
  assert.equal((await b.get('/api/v1/session')).status, 401);
});

test('login throttling counts failures on both servers', async () => {
  await addUser(env.db, 'thu', { role: 'viewer', password: PW });
  for (let i = 0; i < 5; i++) {
    const r = await new Client(i % 2 ? A.base : B.base).login('thu', `wrong-${i}`);
    assert.equal(r.status, 401, `attempt ${i + 1}`);
  }
  for (const base of [A.base, B.base]) {
    const r = await new Client(base).login('thu', PW);
    assert.equal(r.status, 429, `${base}: ${r.text}`);
  }
});

test('two concurrent PATCHes with one If-Match through two servers: one 200, one 412', async () => {
  const a = await login(A.base, 'lan', PW);
  const b = via(a, B.base);
  for (let round = 0; round < 5; round++) {
    const created = await a.post('/api/v1/consultants', { json: { name: `Vòng ${round}` } });
    assert.equal(created.status, 201, created.text);
    const url = `/api/v1/consultants/${created.body.id}`;
    const etag = created.headers.get('etag');
    const [ra, rb] = await Promise.all([
      a.patch(url, { json: { name: `A ${round}` }, headers: { 'If-Match': etag } }),
      b.patch(url, { json: { name: `B ${round}` }, headers: { 'If-Match': etag } }),
    ]);
    const statuses = [ra.status, rb.status].sort();
    assert.deepEqual(statuses, [200, 412], `round ${round}: ${ra.text} | ${rb.text}`);
    const winner = ra.status === 200 ? 'A' : 'B';
    const now = await b.get(url);
    assert.equal(now.body.version, 2);
    assert.equal(now.body.name, `${winner} ${round}`);
    const loser = ra.status === 412 ? ra : rb;
    assert.equal(loser.body.error.code, 'precondition_failed');
  }
});

test('an import and a report file queued on server A are watched and fetched on server B', async () => {
  const a = await login(A.base, 'lan', PW);
  const b = via(a, B.base);
  const form = new FormData();
  form.set('kind', 'consultants');
  form.set('file', new Blob(['\uFEFFHọ tên\r\nTư vấn viên nhập nền 1\r\nTư vấn viên nhập nền 2\r\n'],
    { type: 'text/csv' }), 'tu-van.csv');
  const dry = await a.post('/import', { body: form });
  assert.equal(dry.status, 200, dry.text);
  const token = /name="token" value="([A-Za-z0-9_-]{43})"/.exec(dry.text)?.[1];
  assert.ok(token, dry.text.slice(0, 3000));
  /* Committed on A; whichever server's worker takes it, B reports it. */
  const id = jobOf(await a.post('/import/commit', { body: new URLSearchParams({ token }) }));
  const { job } = await waitJob(b, id);
  assert.equal(job.status, 'done', JSON.stringify(job));
  assert.equal(job.summary.created, 2);
  assert.equal(job.progress.done, job.progress.total);
  const page = await b.get(`/jobs/${id}`);
  assert.match(page.text, /id="count-created">2</);
  const found = await b.get(`/api/v1/consultants?q=${encodeURIComponent('nhập nền')}`);
  assert.equal(found.body.total, 2);

  const rid = jobOf(await a.post('/reports/jobs?format=pdf&from=2016&to=2020', { body: new URLSearchParams() }));
  const rep = await waitJob(b, rid);
  assert.equal(rep.job.status, 'done', JSON.stringify(rep.job));
  const pdf = await b.get(`/jobs/${rid}/result`);
  assert.equal(pdf.status, 200);
  assert.match(pdf.headers.get('content-type'), /^application\/pdf/);
  assert.ok(pdf.text.startsWith('%PDF'));
  /* Another account sees neither, on either server. */
  const minh = await login(B.base, 'minh', PW);
  assert.equal((await minh.get(`/api/v1/jobs/${rid}`)).status, 404);
  assert.equal((await via(minh, A.base).get(`/jobs/${rid}/result`)).status, 404);
});

/* ---- nginx ------------------------------------------------------------- */

test('nginx with deploy/nginx.conf: one login, requests served by both servers', async (t) => {
  const ng = await startNginx(t, [A.port, B.port]);
  if (!ng) return;
  const { base, proc } = ng;
  /* nginx itself runs unprivileged */
  const status = readFileSync(`/proc/${proc.pid}/status`, 'utf8');
  assert.doesNotMatch(status, /^Uid:\s+0\s/m);

  const before = { a: A.stderr.length, b: B.stderr.length };
  const c = await login(base, 'lan', PW);
  for (let i = 0; i < 12; i++) {
    const r = await c.get('/api/v1/session');
    assert.equal(r.status, 200, r.text);
    assert.equal(r.body.user.username, 'lan');
  }
  const made = await c.post('/api/v1/consultants', { json: { name: 'Qua nginx' } });
  assert.equal(made.status, 201, made.text);
  const page = await c.get(`/consultants/${made.body.id}`, { headers: { Accept: 'text/html' } });
  assert.equal(page.status, 200);
  assert.match(page.text, /Qua nginx/);

  const hits = (s, from) => s.slice(from).split('\n').filter((l) => / \/api\/v1\/session /.test(l)).length;
  const ha = hits(A.stderr, before.a);
  const hb = hits(B.stderr, before.b);
  assert.equal(ha + hb, 13, `13 session requests in all (A ${ha}, B ${hb})`);
  assert.ok(ha > 0 && hb > 0, `both servers answered (A ${ha}, B ${hb})`);
});
