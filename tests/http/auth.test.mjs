// auth.test.mjs - logging in and out, the session cookie, session rotation,
// disabled accounts, failed-login throttling and its audit trail.
import assert from 'node:assert/strict';
import { after, test } from 'node:test';

import { Client, login, run, setup, startServer } from './lib.mjs';

const PW = 'correct-horse-1';
const env = await setup(after, {
  prefix: 'auth',
  users: [
    { name: 'alice', role: 'ministry', password: PW },
    { name: 'dora', role: 'viewer', password: PW },
    { name: 'thu', role: 'province', province: '33', password: PW },
    { name: 'ngoc', role: 'viewer', password: PW },
  ],
});
const ADMIN_PW = env.adminPassword;

/* The parts of one Set-Cookie header: {name, value, attrs: Set of lower-case attributes}. */
function parseSetCookie(sc) {
  const [pair, ...rest] = sc.split(';').map((s) => s.trim());
  const eq = pair.indexOf('=');
  return {
    name: pair.slice(0, eq),
    value: pair.slice(eq + 1),
    attrs: rest.map((a) => a.toLowerCase()),
  };
}

function sessionCookie(res) {
  const all = res.headers.getSetCookie().map(parseSetCookie);
  const found = all.filter((c) => c.name === 'kc_session');
  assert.equal(found.length, 1, `one kc_session cookie in ${res.headers.getSetCookie()}`);
  return found[0];
}

test('login: 201 with token, csrf and user; the cookie is HttpOnly, SameSite=Lax, not Secure', async () => {
  const c = new Client(env.base);
  const r = await c.login('admin', ADMIN_PW);
  assert.equal(r.status, 201);
  assert.match(r.body.token, /^[A-Za-z0-9_-]{32,}$/);
  assert.match(r.body.csrf, /^[A-Za-z0-9_-]{32,}$/);
  assert.notEqual(r.body.token, r.body.csrf);
  assert.equal(r.body.user.username, 'admin');
  assert.equal(r.body.user.role, 'admin');
  assert.equal(r.body.user.disabled, false);
  assert.equal('password_hash' in r.body.user, false);

  const ck = sessionCookie(r);
  assert.equal(ck.value, r.body.token);
  assert.ok(ck.attrs.includes('httponly'), ck.attrs.join(';'));
  assert.ok(ck.attrs.includes('samesite=lax'), ck.attrs.join(';'));
  assert.ok(ck.attrs.includes('path=/'), ck.attrs.join(';'));
  assert.ok(!ck.attrs.includes('secure'), 'no Secure without --secure-cookies');

  // The cookie alone authenticates.
  const me = await c.get('/api/v1/session');
  assert.equal(me.status, 200);
  assert.equal(me.body.user.username, 'admin');
  assert.equal(me.body.csrf, r.body.csrf);
});

test('login with --secure-cookies: the cookie is Secure', async (t) => {
  const srv = await startServer(env.db, { args: ['--secure-cookies'] });
  t.after(() => srv.stop());
  const c = new Client(srv.base);
  const r = await c.login('ngoc', PW);
  assert.equal(r.status, 201);
  const ck = sessionCookie(r);
  assert.ok(ck.attrs.includes('secure'), ck.attrs.join(';'));
  assert.ok(ck.attrs.includes('httponly'), ck.attrs.join(';'));
  assert.ok(ck.attrs.includes('samesite=lax'), ck.attrs.join(';'));
});

test('wrong password: 401 unauthorized on field password, no cookie', async () => {
  const c = new Client(env.base);
  const r = await c.login('alice', 'not-the-password');
  assert.equal(r.status, 401);
  assert.equal(r.body.error.code, 'unauthorized');
  assert.equal(r.body.error.field, 'password');
  assert.equal(typeof r.body.error.message, 'string');
  assert.deepEqual(r.headers.getSetCookie(), []);
  assert.equal(r.body.token, undefined);
});

test('unknown account: 401 like a wrong password', async () => {
  const r = await new Client(env.base).login('nobody-here', 'whatever-123');
  assert.equal(r.status, 401);
  assert.equal(r.body.error.code, 'unauthorized');
  assert.equal(r.body.error.field, 'password');
});

test('GET /api/v1/session without a session: 401 JSON', async () => {
  const r = await new Client(env.base).get('/api/v1/session');
  assert.equal(r.status, 401);
  assert.match(r.headers.get('content-type'), /^application\/json/);
  assert.equal(r.body.error.code, 'unauthorized');
});

test('GET /api/v1/session with a bogus bearer token: 401', async () => {
  const r = await new Client(env.base).get('/api/v1/session', { bearer: 'A'.repeat(43) });
  assert.equal(r.status, 401);
  assert.equal(r.body.error.code, 'unauthorized');
});

test('GET /api/v1/session with the bearer token: 200 and the user', async () => {
  const c = await login(env.base, 'alice', PW, 'bearer');
  const r = await c.get('/api/v1/session');
  assert.equal(r.status, 200);
  assert.equal(r.body.user.username, 'alice');
  assert.equal(r.body.user.role, 'ministry');
  assert.equal(typeof r.body.csrf, 'string');
});

test('GET / without a session redirects to the login page', async () => {
  const r = await new Client(env.base).get('/');
  assert.equal(r.status, 303);
  assert.equal(r.headers.get('location'), '/login?next=%2F');
});

test('a page asked for as JSON without a session is 401, not a redirect', async () => {
  const r = await new Client(env.base).get('/', { headers: { Accept: 'application/json' } });
  assert.equal(r.status, 401);
  assert.equal(r.body.error.code, 'unauthorized');
});

test('the login page renders a form', async () => {
  const r = await new Client(env.base).get('/login?next=%2Fstats');
  assert.equal(r.status, 200);
  assert.match(r.headers.get('content-type'), /^text\/html/);
  assert.match(r.text, /<form method="post" action="\/login"/);
  assert.match(r.text, /<input name="username"/);
  assert.match(r.text, /<input name="password" type="password"/);
  assert.match(r.text, /<input type="hidden" name="next" value="\/stats">/);
});

test('GET / with the session cookie renders the home page', async () => {
  const c = await login(env.base, 'alice', PW);
  const r = await c.get('/');
  assert.equal(r.status, 200);
  assert.match(r.headers.get('content-type'), /^text\/html/);
  assert.match(r.text, /id="welcome"/);
  assert.match(r.text, />alice</);
});

test('session rotation: a new login with the old cookie ends the old session', async () => {
  const c = await login(env.base, 'alice', PW);
  const oldToken = c.token;
  assert.equal(c.jar.get('kc_session'), oldToken);

  // Log in again from the same client: the old cookie (and, as for every
  // cookie-authenticated POST, its CSRF token) go along.
  const r = await c.login('alice', PW);
  assert.equal(r.status, 201);
  const newToken = r.body.token;
  assert.notEqual(newToken, oldToken);
  assert.equal(c.jar.get('kc_session'), newToken);

  const old = await c.get('/api/v1/session', { bearer: oldToken, cookies: false });
  assert.equal(old.status, 401);
  const fresh = await c.get('/api/v1/session', { bearer: newToken, cookies: false });
  assert.equal(fresh.status, 200);
  assert.equal(fresh.body.user.username, 'alice');
  assert.equal(fresh.body.csrf, r.body.csrf);
});

test('a second login without the old cookie leaves the first session alive', async () => {
  const a = await login(env.base, 'alice', PW, 'bearer');
  const b = await login(env.base, 'alice', PW, 'bearer');
  assert.notEqual(a.token, b.token);
  assert.equal((await a.get('/api/v1/session')).status, 200);
  assert.equal((await b.get('/api/v1/session')).status, 200);
});

test('logout: DELETE /api/v1/session with cookie and CSRF token, then the token is dead', async () => {
  const c = await login(env.base, 'alice', PW);
  const token = c.token;

  const noCsrf = await c.delete('/api/v1/session', { csrf: false });
  assert.equal(noCsrf.status, 403);
  assert.equal(noCsrf.body.error.code, 'csrf');
  assert.equal((await c.get('/api/v1/session')).status, 200, 'still logged in');

  const r = await c.delete('/api/v1/session');
  assert.equal(r.status, 204);
  assert.equal(r.text, '');
  const ck = sessionCookie(r);
  assert.equal(ck.value, '');
  assert.ok(ck.attrs.includes('max-age=0'), ck.attrs.join(';'));

  const byBearer = await new Client(env.base).get('/api/v1/session', { bearer: token });
  assert.equal(byBearer.status, 401);
  const byCookie = await new Client(env.base).get('/api/v1/session', {
    headers: { Cookie: `kc_session=${token}` },
  });
  assert.equal(byCookie.status, 401);
});

test('logout with the bearer token', async () => {
  const c = await login(env.base, 'alice', PW, 'bearer');
  assert.equal((await c.delete('/api/v1/session')).status, 204);
  assert.equal((await c.get('/api/v1/session')).status, 401);
  assert.equal((await c.delete('/api/v1/session')).status, 401);
});

test('a disabled account cannot log in and its open session ends', async () => {
  const admin = await login(env.base, 'admin', ADMIN_PW, 'bearer');
  const dora = await login(env.base, 'dora', PW, 'bearer');
  assert.equal((await dora.get('/api/v1/session')).status, 200);

  const r = await admin.patch('/api/v1/users/dora', { json: { disabled: true } });
  assert.equal(r.status, 200);
  assert.equal(r.body.username, 'dora');
  assert.equal(r.body.disabled, true);

  const s = await dora.get('/api/v1/session');
  assert.equal(s.status, 401);
  assert.equal(s.body.error.code, 'unauthorized');

  const again = await new Client(env.base).login('dora', PW);
  assert.equal(again.status, 401);
  assert.equal(again.body.error.code, 'unauthorized');

  // Enabled again, the same password works.
  const en = await admin.patch('/api/v1/users/dora', { json: { disabled: false } });
  assert.equal(en.status, 200);
  assert.equal(en.body.disabled, false);
  assert.equal((await new Client(env.base).login('dora', PW)).status, 201);
});

test('throttling: after 5 wrong passwords even the right one is refused with 429', async () => {
  const c = new Client(env.base);
  for (let i = 0; i < 5; i++) {
    const r = await c.login('thu', `wrong-password-${i}`);
    assert.equal(r.status, 401, `attempt ${i + 1}`);
  }
  const r = await c.login('thu', PW);
  assert.equal(r.status, 429);
  assert.equal(r.body.error.code, 'too_many_requests');
  const retry = r.headers.get('retry-after');
  assert.match(retry ?? '', /^\d+$/);
  assert.ok(Number(retry) > 0 && Number(retry) <= 900, `Retry-After ${retry}`);
  assert.deepEqual(r.headers.getSetCookie(), []);

  // Another account from the same address is not affected.
  const other = await new Client(env.base).login('ngoc', PW);
  assert.equal(other.status, 201);
});

test('failed logins are in the audit trail', async () => {
  const admin = await login(env.base, 'admin', ADMIN_PW, 'bearer');
  const r = await admin.get('/api/v1/audit?action=login_failed&per_page=500');
  assert.equal(r.status, 200);
  const rows = r.body.items;
  assert.ok(rows.length > 0);
  assert.equal(r.body.total, rows.length);
  for (const row of rows) {
    assert.equal(row.action, 'login_failed');
    assert.equal(row.entity, 'session');
  }
  const alice = rows.filter((x) => x.entity_id === 'alice');
  assert.equal(alice.length, 1, 'one failed login of alice');
  assert.equal(alice[0].username, 'alice');
  assert.equal(alice[0].addr, '127.0.0.1');
  assert.equal(alice[0].before, null);
  assert.ok(alice[0].after.reason.length > 0);

  const thu = rows.filter((x) => x.entity_id === 'thu');
  assert.equal(thu.length, 6, '5 wrong passwords and 1 throttled attempt');
  assert.equal(thu.filter((x) => x.after.reason === 'throttled').length, 1);

  assert.equal(rows.filter((x) => x.entity_id === 'nobody-here').length, 1);
  // Disabled dora's attempt is a failed login too.
  assert.equal(rows.filter((x) => x.entity_id === 'dora').length, 1);
});

test('throttling per address: after 20 failures any account is refused', async (t) => {
  const own = await setup((fn) => t.after(fn), {
    prefix: 'auth-addr',
    users: [{ name: 'lan', role: 'viewer', password: PW }],
  });
  const names = Array.from({ length: 20 }, (_, i) => `ghost${i}`);
  // Four at a time: the server has four worker threads.
  for (let i = 0; i < names.length; i += 4) {
    const batch = names.slice(i, i + 4);
    const res = await Promise.all(batch.map((n) => new Client(own.base).login(n, 'nope-nope-1')));
    for (const r of res) assert.equal(r.status, 401);
  }
  const r = await new Client(own.base).login('lan', PW);
  assert.equal(r.status, 429);
  assert.equal(r.body.error.code, 'too_many_requests');
  assert.ok(Number(r.headers.get('retry-after')) > 0);
});

/* A username over 64 characters is refused at the door (4xx), by the API
 * and the login form, and leaves no trace; a 1 MB one is refused too. Before,
 * every failed login stored the username, however long, twice. */
test('an over-long username is a 4xx and is not stored', async () => {
  const admin = await login(env.base, 'admin', ADMIN_PW, 'bearer');
  const audits = async () => (await admin.get('/api/v1/audit?action=login_failed&per_page=1')).body.total;
  const before = await audits();
  const long = 'u'.repeat(65);
  const r = await new Client(env.base).login(long, 'whatever-pw-1');
  assert.ok(r.status >= 400 && r.status < 500 && r.status !== 401, `status ${r.status}`);
  assert.equal(r.body.error.field, 'username');
  const f = await new Client(env.base).post('/login', {
    body: new URLSearchParams({ username: long, password: 'whatever-pw-1' }),
    csrf: false,
  });
  assert.ok(f.status >= 400 && f.status < 500, `form status ${f.status}`);
  const huge = await new Client(env.base).login('u'.repeat(1 << 20), 'whatever-pw-1');
  assert.ok(huge.status >= 400 && huge.status < 500, `1 MB: ${huge.status}`);
  assert.equal(await audits(), before, 'nothing audited');
});

/* 1000 failed logins with 64-character usernames from one address: the
 * failures are kept as a few counted rows, and the audit trail grows by a
 * bounded number of rows. */
test('1000 failed logins with long usernames leave a bounded trace', async (t) => {
  const own = await setup((fn) => t.after(fn), { prefix: 'auth-flood' });
  const admin = await login(own.base, 'admin', own.adminPassword, 'bearer');
  const audits = async () => (await admin.get('/api/v1/audit?per_page=1')).body.total;
  const before = await audits();
  for (let i = 0; i < 1000; i += 8) {
    const batch = Array.from({ length: 8 }, (_, k) => `${String(i + k).padStart(4, '0')}${'n'.repeat(60)}`);
    const res = await Promise.all(batch.map((n) => new Client(own.base).login(n, 'nope-nope-1')));
    for (const r of res) assert.ok([401, 429].includes(r.status), `${r.status}`);
  }
  const grown = (await audits()) - before;
  assert.ok(grown <= 40, `${grown} audit rows for 1000 failures`);
  if (!own.db.includes('://')) {
    const { execFileSync } = await import('node:child_process');
    const rows = Number(execFileSync('sqlite3', [own.db, 'SELECT COUNT(*) FROM login_failures']).toString());
    assert.ok(rows <= 30, `${rows} rows in login_failures`);
  }
});

/* Trivial and common passwords are refused wherever a password is set: the
 * API, the form and the command line. */
test('common and trivial passwords are refused by the API, the form and the command line', async () => {
  const admin = await login(env.base, 'admin', ADMIN_PW, 'bearer');
  for (const pw of ['          ', '1234567890', 'password12']) {
    const r = await admin.patch('/api/v1/users/ngoc', { json: { password: pw } });
    assert.equal(r.status, 400, `${JSON.stringify(pw)}: ${r.text}`);
    assert.equal(r.body.error.field, 'password');
  }
  const c = await login(env.base, 'ngoc', PW);
  const api = await c.patch('/api/v1/users/ngoc', { json: { password: 'password12', current_password: PW } });
  assert.equal(api.status, 400, api.text);
  assert.equal(api.body.error.field, 'password');
  const f = await c.post('/account', { body: new URLSearchParams({ password: 'password12', current_password: PW }) });
  assert.equal(f.status, 400);
  assert.match(f.text, /quá phổ biến hoặc dễ đoán/);
  assert.equal((await new Client(env.base).login('ngoc', PW)).status, 201, 'unchanged');
  const out = await run(['user', 'passwd', 'ngoc', '--db', env.db], { input: '1234567890\n' });
  assert.equal(out.code, 1);
  assert.match(out.stderr, /too common or easy to guess/);
});

const form = (fields) => ({
  body: new URLSearchParams(fields).toString(),
  headers: { 'Content-Type': 'application/x-www-form-urlencoded' },
});

test('changing one\'s own password asks for the current one (API and form)', async () => {
  const c = await login(env.base, 'ngoc', PW);
  const none = await c.patch('/api/v1/users/ngoc', { json: { password: 'ngoc-new-pass-1' } });
  assert.equal(none.status, 400, none.text);
  assert.equal(none.body.error.field, 'current_password');
  const wrong = await c.patch('/api/v1/users/ngoc', {
    json: { password: 'ngoc-new-pass-1', current_password: 'not-my-password' },
  });
  assert.equal(wrong.status, 400, wrong.text);
  assert.equal(wrong.body.error.field, 'current_password');
  assert.equal((await new Client(env.base).login('ngoc', 'ngoc-new-pass-1')).status, 401);

  // The form: the page comes back with the error and no redirect.
  const page = await c.get('/account');
  assert.match(page.text, /name="current_password"/);
  const bad = await c.post('/account', form({ password: 'ngoc-new-pass-1', current_password: 'nope' }));
  assert.equal(bad.status, 400);
  assert.match(bad.text, /id="form-error"[^>]*>[^<]*mật khẩu hiện tại không đúng/i);
  const ok = await c.post('/account', form({ password: 'ngoc-new-pass-1', current_password: PW }));
  assert.equal(ok.status, 303, ok.text);
  assert.equal(ok.headers.get('location'), '/account?done=saved');
  assert.equal((await new Client(env.base).login('ngoc', 'ngoc-new-pass-1')).status, 201);
  // Back, through the API this time.
  const c2 = await login(env.base, 'ngoc', 'ngoc-new-pass-1');
  const back = await c2.patch('/api/v1/users/ngoc', {
    json: { password: PW, current_password: 'ngoc-new-pass-1' },
  });
  assert.equal(back.status, 200, back.text);
});

test('an alert cannot be put on a page through its URL', async () => {
  const admin = await login(env.base, 'admin', ADMIN_PW);
  const evil = encodeURIComponent('Hệ thống bị lỗi, hãy gọi 0900 000 000');
  for (const p of ['/account', '/admin/users', '/admin/reporting-periods']) {
    const r = await admin.get(`${p}?error=${evil}`);
    assert.equal(r.status, 400, `${p}: error= is not a parameter of the page`);
    assert.doesNotMatch(r.text, /0900 000 000/);
    const done = await admin.get(`${p}?done=${evil}`);
    assert.equal(done.status, 200);
    assert.doesNotMatch(done.text, /0900 000 000/);
    assert.doesNotMatch(done.text, /role="alert"/);
    const saved = await admin.get(`${p}?done=saved`);
    assert.match(saved.text, /id="form-done"[^>]*>Đã lưu\./);
  }
});
