// nav.test.mjs - the menu of every role: a skip link first, at most 7 top-level
// entries whose groups are <details> (no JavaScript), the current page marked
// and named in its group's summary, and every item a role sees leads to a page
// it may use (200, never "Ngoài phạm vi").
import assert from 'node:assert/strict';
import { after, before, test } from 'node:test';

import { login, setup } from './lib.mjs';

const PW = 'nav-pass-12345';
const env = await setup(after, {
  prefix: 'nav',
  users: [
    { name: 'ministry', role: 'ministry', password: PW },
    { name: 'p33', role: 'province', province: '33', password: PW },
    { name: 'viewer33', role: 'viewer', province: '33', password: PW },
  ],
});

const clients = {};
before(async () => {
  clients.admin = await login(env.base, 'admin', env.adminPassword);
  const est = (await clients.admin.get('/api/v1/establishments?province=33&per_page=1&sort=id')).body.items[0];
  const r = await clients.admin.post('/api/v1/users', {
    json: { username: 'est1', display_name: 'Cơ sở 1', role: 'establishment', establishment_id: est.id, password: PW },
  });
  assert.equal(r.status, 201, r.text);
  for (const n of ['ministry', 'p33', 'viewer33', 'est1']) clients[n] = await login(env.base, n, PW);
});

const navOf = (html) => {
  const m = /<nav class="nav"[^>]*>([\s\S]*?)<\/nav>/.exec(html);
  assert.ok(m, 'the page has a menu');
  return m[1];
};
const hrefs = (nav) => [...nav.matchAll(/<a href="([^"]+)"/g)].map((m) => m[1].replaceAll('&amp;', '&'));
/* The top-level entries: the <li>s of ul.nav-top, nested lists left out. */
const topLevel = (nav) => {
  const inner = nav.replace(/<details[\s\S]*?<\/details>/g, '<details/>');
  return [...inner.matchAll(/<li[ >]/g)].length;
};

test('a skip link to #main comes first, and #main exists', async () => {
  const r = await clients.p33.get('/projects');
  assert.equal(r.status, 200);
  const body = r.text.slice(r.text.indexOf('<body>'));
  assert.match(body, /^<body><a class="skip" href="#main">Bỏ qua, đến nội dung chính<\/a>/);
  assert.match(r.text, /<main id="main"/);
});

for (const role of ['admin', 'ministry', 'p33', 'viewer33', 'est1']) {
  test(`${role}: at most 7 entries, groups are <details>, every item usable`, async () => {
    const home = await clients[role].get('/');
    assert.equal(home.status, 200);
    const nav = navOf(home.text);
    const n = topLevel(nav);
    assert.ok(n >= 2 && n <= 7, `${role} sees ${n} top-level entries`);
    assert.match(nav, /<details name="nav"><summary>Hồ sơ/);
    const links = hrefs(nav);
    assert.ok(links.includes('/projects'));
    for (const href of links) {
      const r = await clients[role].get(href);
      assert.equal(r.status, 200, `${role} GET ${href}: ${r.status}`);
      assert.doesNotMatch(r.text, /Ngoài phạm vi|outside your scope/, `${role} GET ${href}`);
    }
    if (role === 'est1') {
      for (const no of ['/programmes', '/plans', '/stats', '/reports', '/dashboard', '/villages', '/training-classes', '/admin/users'])
        assert.ok(!links.includes(no), `an establishment is not offered ${no}`);
    }
    if (role !== 'admin') assert.ok(!links.includes('/admin/audit'));
    if (role === 'viewer33') assert.ok(!links.includes('/import'), 'a viewer imports nothing');
  });
}

test('the current item is marked, and named in its closed group', async () => {
  const r = await clients.p33.get('/reports/settings');
  const nav = navOf(r.text);
  assert.match(nav, /<a href="\/reports\/settings" aria-current="page">/);
  assert.equal([...nav.matchAll(/aria-current/g)].length, 1, 'one current item (not /reports too)');
  assert.match(nav, /<li class="nav-group here"><details name="nav"><summary>Quản trị<span class="nav-here">: Thể thức văn bản báo cáo<\/span>/);
  const p = navOf((await clients.p33.get('/projects/1')).text);
  assert.match(p, /<summary>Hồ sơ<span class="nav-here">: Đề án<\/span>/);
});

test('the menu is the reader\'s language and page, one after the other', async () => {
  // Each menu is written once and kept (page_nav.c): kept by language, role
  // and page, never one for another.
  const c = clients.p33;
  const vi = navOf((await c.get('/projects')).text);
  const lang = async (l) => assert.equal((await c.patch('/api/v1/users/p33', { json: { lang: l } })).status, 200);
  await lang('en');
  const en = navOf((await c.get('/projects')).text);
  await lang('vi');
  assert.match(vi, /<summary>Hồ sơ<span class="nav-here">: Đề án</);
  assert.match(en, /<summary>Records<span class="nav-here">/);
  assert.equal(navOf((await c.get('/projects')).text), vi);
  const villages = navOf((await c.get('/villages')).text);
  assert.match(villages, /<a href="\/villages" aria-current="page">/);
  assert.doesNotMatch(villages, /<a href="\/projects" aria-current/);
});
