// redirect.test.mjs - after login the browser goes only to a path of this site:
// every hostile `next` (another host, a scheme, a control character a
// browser drops, a backslash it reads as a slash) ends at "/".
import assert from 'node:assert/strict';
import { after, test } from 'node:test';

import { Client, login, setup } from './lib.mjs';

const PW = 'correct-horse-1';
const env = await setup(after, {
  prefix: 'redirect',
  users: [{ name: 'alice', role: 'ministry', password: PW }],
});

/* Raw values of `next` (before URL encoding). */
const HOSTILE = [
  '/\t/evil.example',
  '/\n/evil.example',
  '/\r/evil.example',
  '/\r\n/evil.example',
  '/\x0b/evil.example',
  '/\x0c/evil.example',
  '/\x01/evil.example',
  '/\x1f/evil.example',
  '/\x7f/evil.example',
  '/ /evil.example',
  '//evil.example',
  '///evil.example',
  '/\\evil.example',
  '/\\/evil.example',
  '\\\\evil.example',
  '\\/evil.example',
  'https://evil.example',
  'HTTPS://evil.example/x',
  '//evil.example/%2F..',
  'javascript:alert(1)',
  '/javascript:alert(1)',
  'evil.example',
  ' /x',
  '\t/x',
  '',
];

const SAFE = ['/', '/stats', '/records/establishments?page=2&sort=name', '/%2F/evil.example'];

const enc = (v) => encodeURIComponent(v);

test('the login page keeps only a local path in its hidden next field', async () => {
  const anon = new Client(env.base);
  for (const v of HOSTILE) {
    const r = await anon.get(`/login?next=${enc(v)}`);
    assert.equal(r.status, 200, JSON.stringify(v));
    assert.match(r.text, /<input type="hidden" name="next" value="\/">/, JSON.stringify(v));
  }
});

test('a logged-in visit to /login?next=… redirects only to a local path', async () => {
  const c = await login(env.base, 'alice', PW);
  for (const v of HOSTILE) {
    const r = await c.get(`/login?next=${enc(v)}`);
    assert.equal(r.status, 303, JSON.stringify(v));
    assert.equal(r.headers.get('location'), '/', JSON.stringify(v));
  }
  for (const v of SAFE) {
    const r = await c.get(`/login?next=${enc(v)}`);
    assert.equal(r.headers.get('location'), v, JSON.stringify(v));
  }
});

test('the login form sends the browser only to a local path', async () => {
  for (const v of [...HOSTILE, ...SAFE]) {
    const body = new URLSearchParams({ username: 'alice', password: PW, next: v }).toString();
    const r = await new Client(env.base).post('/login', {
      body,
      headers: { 'Content-Type': 'application/x-www-form-urlencoded' },
    });
    assert.equal(r.status, 303, JSON.stringify(v));
    assert.equal(r.headers.get('location'), SAFE.includes(v) ? v : '/', JSON.stringify(v));
  }
});

test('a failed login keeps the sanitised next in its retry link', async () => {
  const body = new URLSearchParams({ username: 'alice', password: 'wrong', next: '/\t/evil.example' });
  const r = await new Client(env.base).post('/login', {
    body: body.toString(),
    headers: { 'Content-Type': 'application/x-www-form-urlencoded' },
  });
  assert.equal(r.headers.get('location'), '/login?failed=1&next=%2F');
});
