// access.test.mjs - CSRF, roles, input validation (fields, JSON, query,
// body size) and the audit rows of account changes.
import assert from 'node:assert/strict';
import { after, before, test } from 'node:test';

import { Client, connect, login, readResponse, setup } from './lib.mjs';

const PW = 'province-pass-33';
const env = await setup(after, {
  prefix: 'access',
  users: [
    { name: 'tinh33', role: 'province', province: '33', password: PW },
    { name: 'xem', role: 'viewer', password: PW },
  ],
});

let adminCookie; // cookie + CSRF token
let adminBearer; // bearer token only
let province;
let viewer;
before(async () => {
  adminCookie = await login(env.base, 'admin', env.adminPassword);
  adminBearer = await login(env.base, 'admin', env.adminPassword, 'bearer');
  province = await login(env.base, 'tinh33', PW, 'bearer');
  viewer = await login(env.base, 'xem', PW, 'bearer');
});

const NEW_PW = 'a-good-password-1';
function newUser(username, extra = {}) {
  return { username, display_name: 'Người thử', role: 'ministry', password: NEW_PW, ...extra };
}

async function userNames() {
  const r = await adminBearer.get('/api/v1/users');
  assert.equal(r.status, 200);
  return r.body.items.map((u) => u.username);
}

/* ---- CSRF ---- */

test('cookie auth: PATCH without X-CSRF-Token is 403 csrf and changes nothing', async () => {
  const r = await adminCookie.patch('/api/v1/users/admin', { json: { lang: 'en' }, csrf: false });
  assert.equal(r.status, 403);
  assert.equal(r.body.error.code, 'csrf');
  const me = await adminCookie.get('/api/v1/session');
  assert.equal(me.body.user.lang, 'vi');
});

test('cookie auth: PATCH with a wrong X-CSRF-Token is 403 csrf', async () => {
  const r = await adminCookie.patch('/api/v1/users/admin', {
    json: { lang: 'en' },
    csrf: adminCookie.csrf.slice(0, -2) + 'xx',
  });
  assert.equal(r.status, 403);
  assert.equal(r.body.error.code, 'csrf');
});

test('cookie auth: another session\'s CSRF token is refused', async () => {
  const other = await login(env.base, 'tinh33', PW);
  const r = await adminCookie.patch('/api/v1/users/admin', { json: { lang: 'en' }, csrf: other.csrf });
  assert.equal(r.status, 403);
  assert.equal(r.body.error.code, 'csrf');
});

test('cookie auth: PATCH with the right X-CSRF-Token succeeds', async () => {
  const r = await adminCookie.patch('/api/v1/users/admin', { json: { lang: 'en' } });
  assert.equal(r.status, 200);
  assert.equal(r.body.lang, 'en');
  const back = await adminCookie.patch('/api/v1/users/admin', { json: { lang: 'vi' } });
  assert.equal(back.status, 200);
  assert.equal(back.body.lang, 'vi');
});

test('cookie auth: POST /api/v1/users without the token is 403 and creates nothing', async () => {
  const r = await adminCookie.post('/api/v1/users', { json: newUser('csrf.victim'), csrf: false });
  assert.equal(r.status, 403);
  assert.equal(r.body.error.code, 'csrf');
  assert.ok(!(await userNames()).includes('csrf.victim'));

  const ok = await adminCookie.post('/api/v1/users', { json: newUser('csrf.ok') });
  assert.equal(ok.status, 201);
  assert.equal(ok.body.username, 'csrf.ok');
});

test('bearer auth needs no CSRF token', async () => {
  assert.equal(adminBearer.jar.size, 0);
  const r = await adminBearer.patch('/api/v1/users/admin', { json: { lang: 'en' } });
  assert.equal(r.status, 200);
  assert.equal(r.body.lang, 'en');
  const back = await adminBearer.patch('/api/v1/users/admin', { json: { lang: 'vi' } });
  assert.equal(back.body.lang, 'vi');
});

/* ---- roles ---- */

const ADMIN_ONLY = [
  ['GET', '/api/v1/users', undefined],
  ['GET', '/api/v1/audit', undefined],
  ['POST', '/api/v1/users', newUser('not.allowed')],
];

for (const [method, path, json] of ADMIN_ONLY) {
  test(`${method} ${path}: 401 without login`, async () => {
    const r = await new Client(env.base).request(method, path, { json });
    assert.equal(r.status, 401);
    assert.equal(r.body.error.code, 'unauthorized');
  });
  test(`${method} ${path}: 403 for province and viewer accounts`, async () => {
    for (const c of [province, viewer]) {
      const r = await c.request(method, path, { json });
      assert.equal(r.status, 403, c.user.username);
      assert.equal(r.body.error.code, 'forbidden');
    }
  });
}

test('nobody but the admin created not.allowed', async () => {
  assert.ok(!(await userNames()).includes('not.allowed'));
});

test("a province account cannot change another account's password", async () => {
  const r = await province.patch('/api/v1/users/admin', { json: { password: 'stolen-password-1' } });
  assert.equal(r.status, 403);
  assert.equal(r.body.error.code, 'forbidden');
  // The admin's password is unchanged.
  const c = new Client(env.base);
  assert.equal((await c.login('admin', env.adminPassword)).status, 201);
  assert.equal((await c.login('admin', 'stolen-password-1')).status, 401);
});

test('a province account cannot disable an account, nor change its language', async () => {
  const d = await province.patch('/api/v1/users/xem', { json: { disabled: true } });
  assert.equal(d.status, 403);
  assert.equal(d.body.error.code, 'forbidden');
  const l = await province.patch('/api/v1/users/xem', { json: { lang: 'en' } });
  assert.equal(l.status, 403);
  assert.equal((await viewer.get('/api/v1/session')).status, 200, 'xem is still enabled');
});

test('a province account may change its own language', async () => {
  const r = await province.patch('/api/v1/users/tinh33', { json: { lang: 'en' } });
  assert.equal(r.status, 200);
  assert.equal(r.body.lang, 'en');
  assert.equal(r.body.province, '33');
});

/* ---- validation ---- */

const BAD_FIELDS = [
  ['username too short', newUser('x'), 'username'],
  ['username with capitals', newUser('Hoa'), 'username'],
  ['unknown role', newUser('role.bad', { role: 'boss' }), 'role'],
  ['short password', newUser('pw.bad', { password: 'short' }), 'password'],
  ['province role without province', newUser('prov.none', { role: 'province' }), 'province'],
  ['malformed province code', newUser('prov.bad', { role: 'province', province: '3' }), 'province'],
  ['province on a ministry account', newUser('prov.min', { province: '33' }), 'province'],
  ['role of the wrong type', newUser('role.num', { role: 3 }), 'role'],
  ['establishment_id of the wrong type', newUser('est.str', { establishment_id: 'x' }), 'establishment_id'],
];

for (const [what, body, field] of BAD_FIELDS) {
  test(`create account: ${what} is 400 on field ${field}`, async () => {
    const r = await adminBearer.post('/api/v1/users', { json: body });
    assert.equal(r.status, 400);
    assert.equal(r.body.error.code, 'invalid');
    assert.equal(r.body.error.field, field);
    assert.ok(r.body.error.message.length > 0);
  });
}

test('none of the invalid accounts exists', async () => {
  const names = await userNames();
  for (const [, body] of BAD_FIELDS) assert.ok(!names.includes(body.username), body.username);
});

test('create account: a duplicate username is 409 on field username', async () => {
  const first = await adminBearer.post('/api/v1/users', { json: newUser('dup.user') });
  assert.equal(first.status, 201);
  const r = await adminBearer.post('/api/v1/users', { json: newUser('dup.user', { role: 'viewer' }) });
  assert.equal(r.status, 409);
  assert.equal(r.body.error.code, 'conflict');
  assert.equal(r.body.error.field, 'username');
  assert.equal((await userNames()).filter((n) => n === 'dup.user').length, 1);
});

test('an undeclared JSON field is 400 naming it', async () => {
  const r = await adminBearer.post('/api/v1/users', { json: newUser('extra.field', { colour: 'red' }) });
  assert.equal(r.status, 400);
  assert.equal(r.body.error.code, 'invalid');
  assert.equal(r.body.error.field, 'colour');
  assert.ok(!(await userNames()).includes('extra.field'));
});

test('a JSON body that is not an object is 400 invalid_json on body', async () => {
  const r = await adminBearer.post('/api/v1/users', { json: '[1]' });
  assert.equal(r.status, 400);
  assert.equal(r.body.error.code, 'invalid_json');
  assert.equal(r.body.error.field, 'body');
});

test('a malformed JSON body is 400 invalid_json on body', async () => {
  const r = await adminBearer.post('/api/v1/users', { json: '{bad' });
  assert.equal(r.status, 400);
  assert.equal(r.body.error.code, 'invalid_json');
  assert.equal(r.body.error.field, 'body');
  const s = await new Client(env.base).post('/api/v1/session', { json: '{bad' });
  assert.equal(s.status, 400);
  assert.equal(s.body.error.code, 'invalid_json');
});

test('a body that is not JSON is 415', async () => {
  const r = await adminBearer.post('/api/v1/users', {
    body: 'username=x',
    headers: { 'Content-Type': 'application/x-www-form-urlencoded' },
  });
  assert.equal(r.status, 415);
  assert.equal(r.body.error.code, 'unsupported_media_type');
});

test('an undeclared query parameter is 400 naming it', async () => {
  const r = await new Client(env.base).get('/healthz?x=1', { headers: { Accept: 'application/json' } });
  assert.equal(r.status, 400);
  assert.equal(r.body.error.code, 'invalid');
  assert.equal(r.body.error.field, 'x');
  const a = await adminBearer.get('/api/v1/audit?entity=user&colour=red');
  assert.equal(a.status, 400);
  assert.equal(a.body.error.field, 'colour');
});

test('a bad value of a declared query parameter is 400 naming it', async () => {
  const r = await adminBearer.get('/api/v1/audit?per_page=0');
  assert.equal(r.status, 400);
  assert.equal(r.body.error.field, 'per_page');
  // A page says it too, in the reader's language: which parameter, which value.
  const vi = await adminCookie.get('/stats?view=pie');
  assert.equal(vi.status, 400);
  assert.match(vi.text, /tham số view[^<]*pie/, 'the Vietnamese page names the parameter and the value');
  const en = await adminBearer.get('/api/v1/audit?per_page=x');
  assert.match(en.body.error.message, /tham số per_page: «x» \/ invalid value for per_page: an integer/);
});

/* A login whose body is 1.5 MB (the limit is 1 MiB). */
const BIG = JSON.stringify({ username: 'admin', password: 'p'.repeat(1_500_000) });
const bigHead = (extra = '') =>
  'POST /api/v1/session HTTP/1.1\r\nHost: 127.0.0.1\r\nContent-Type: application/json\r\n' +
  `Content-Length: ${BIG.length}\r\n${extra}\r\n`;

async function assertTooLarge(res) {
  assert.equal(res.status, 413, res.statusLine);
  assert.match(res.headers['content-type'], /^application\/json/);
  const body = JSON.parse(res.body);
  assert.equal(body.error.code, 'too_large');
  assert.equal(body.error.field, 'body');
  const h = await new Client(env.base).get('/healthz');
  assert.equal(h.status, 200, 'the server is still up');
  assert.equal(h.body.status, 'ok');
}

/* The server answers a declared Content-Length over the limit at once,
 * before the body; the client stops sending when the answer arrives (a
 * client that keeps writing may meet EPIPE once the server closes). */
test('a body over 1 MiB (Content-Length) is 413 too_large and the server stays up', async (t) => {
  const sock = await connect(env.server.port);
  t.after(() => sock.destroy());
  const answer = readResponse(sock);
  sock.write(bigHead() + BIG.slice(0, 64 * 1024));
  const res = await answer;
  assert.equal(res.headers.connection, 'close');
  await assertTooLarge(res);
});

/* Before the fix the early 413 page was built before the request had a language:
 * one unauthenticated request stopped the server. */
for (const accept of ['text/html', 'application/json']) {
  test(`a GET / with Content-Length over the limit is 413 (${accept}), the server stays up`, async (t) => {
    const sock = await connect(env.server.port);
    t.after(() => sock.destroy());
    const answer = readResponse(sock);
    sock.write(`GET / HTTP/1.1\r\nHost: 127.0.0.1\r\nAccept: ${accept}\r\nContent-Length: 1048577\r\n\r\n`);
    const res = await answer;
    assert.equal(res.status, 413, res.statusLine);
    if (accept === 'text/html') {
      assert.match(res.headers['content-type'], /^text\/html/);
      assert.match(res.body, /quá lớn/);
    }
    const h = await new Client(env.base).get('/healthz');
    assert.equal(h.status, 200, 'the server is still up');
  });
}

test('a body over 1 MiB announced with Expect: 100-continue is refused before it is sent', async (t) => {
  const sock = await connect(env.server.port);
  t.after(() => sock.destroy());
  const answer = readResponse(sock);
  sock.write(bigHead('Expect: 100-continue\r\n'));
  const res = await answer;
  assert.doesNotMatch(res.raw, /100 Continue/);
  await assertTooLarge(res);
});

test('a chunked body over 1 MiB is 413 too_large and the server stays up', async () => {
  const chunks = [];
  for (let i = 0; i < BIG.length; i += 100_000) chunks.push(BIG.slice(i, i + 100_000));
  const stream = new ReadableStream({
    pull(ctrl) {
      if (chunks.length) ctrl.enqueue(new TextEncoder().encode(chunks.shift()));
      else ctrl.close();
    },
  });
  const r = await fetch(`${env.base}/api/v1/session`, {
    method: 'POST',
    headers: { 'Content-Type': 'application/json' },
    body: stream,
    duplex: 'half',
  });
  const text = await r.text();
  await assertTooLarge({
    status: r.status,
    statusLine: String(r.status),
    headers: { 'content-type': r.headers.get('content-type') },
    body: text,
  });
});

test('a body of exactly 1 MiB is accepted for parsing', async () => {
  const filler = 'p'.repeat(1024 * 1024 - JSON.stringify({ username: 'nobody', password: '' }).length);
  const body = JSON.stringify({ username: 'nobody', password: filler });
  assert.equal(body.length, 1024 * 1024);
  const r = await new Client(env.base).post('/api/v1/session', { json: body });
  assert.equal(r.status, 401);
});

/* ---- audit rows ---- */

test('creating an account through the API leaves an audit row', async () => {
  const c = await adminBearer.post('/api/v1/users', {
    json: newUser('audit.new', { role: 'viewer', province: '01' }),
  });
  assert.equal(c.status, 201);
  const id = c.body.id;
  assert.ok(Number.isInteger(id));

  const r = await adminBearer.get('/api/v1/audit?entity=user&action=create');
  assert.equal(r.status, 200);
  const rows = r.body.items.filter((x) => x.entity_id === String(id));
  assert.equal(rows.length, 1);
  const row = rows[0];
  assert.equal(row.username, 'admin');
  assert.equal(row.user_id, adminBearer.user.id);
  assert.equal(row.entity, 'user');
  assert.equal(row.action, 'create');
  assert.equal(row.addr, '127.0.0.1');
  assert.equal(row.before, null);
  assert.equal(row.after.username, 'audit.new');
  assert.equal(row.after.role, 'viewer');
  assert.equal(row.after.province, '01');
  assert.equal(row.after.id, id);
  assert.ok(!JSON.stringify(row).includes(NEW_PW), 'no password in the trail');
  assert.ok(!JSON.stringify(row).includes('argon2'), 'no password hash in the trail');
  assert.match(row.at, /^\d{4}-\d\d-\d\dT\d\d:\d\d:\d\dZ$/);

  // Filtering by entity_id finds the same row.
  const one = await adminBearer.get(`/api/v1/audit?entity=user&entity_id=${id}`);
  assert.deepEqual(one.body.items.map((x) => x.id), [row.id]);
});

test('disabling an account leaves a "disable" row holding only the changed fields', async () => {
  const before = (await adminBearer.get('/api/v1/users')).body.items.find(
    (u) => u.username === 'audit.new',
  );
  const p = await adminBearer.patch('/api/v1/users/audit.new', { json: { disabled: true } });
  assert.equal(p.status, 200);
  assert.equal(p.body.disabled, true);
  assert.equal(p.body.version, before.version + 1);

  const r = await adminBearer.get(`/api/v1/audit?entity=user&entity_id=${before.id}&action=disable`);
  assert.equal(r.status, 200);
  assert.equal(r.body.items.length, 1);
  const row = r.body.items[0];
  assert.equal(row.username, 'admin');
  assert.equal(row.before.disabled, false);
  assert.equal(row.after.disabled, true);
  assert.equal(row.before.version, before.version);
  assert.equal(row.after.version, before.version + 1);
  // updated_at is listed only when the second changed.
  const allowed = ['disabled', 'updated_at', 'version'];
  for (const k of Object.keys(row.before)) assert.ok(allowed.includes(k), `before.${k}`);
  for (const k of Object.keys(row.after)) assert.ok(allowed.includes(k), `after.${k}`);
  assert.deepEqual(Object.keys(row.before).sort(), Object.keys(row.after).sort());
  if ('updated_at' in row.after) assert.notEqual(row.after.updated_at, row.before.updated_at);
});

test('a refused change leaves no audit row', async () => {
  const before = await adminBearer.get('/api/v1/audit');
  await province.patch('/api/v1/users/admin', { json: { password: 'stolen-password-2' } });
  await adminCookie.patch('/api/v1/users/admin', { json: { lang: 'en' }, csrf: false });
  const afterRows = await adminBearer.get('/api/v1/audit');
  assert.equal(afterRows.body.total, before.body.total);
});
