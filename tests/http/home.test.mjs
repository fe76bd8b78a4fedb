// home.test.mjs - the home page says the province by its name and lists what waits for the
// user: projects waiting for their next step, reports due (from the reporting periods kept as
// data), imports left at the dry run, targets behind schedule; then the latest changes (the
// whole trail for an administrator, the user's own changes otherwise).
import assert from 'node:assert/strict';
import { after, before, test } from 'node:test';

import { login, setup } from './lib.mjs';

const PW = 'home-pass-12345';
const env = await setup(after, {
  prefix: 'home',
  users: [
    { name: 'p33', role: 'province', province: '33', password: PW },
    { name: 'viewer33', role: 'viewer', province: '33', password: PW },
    { name: 'bo1', role: 'ministry', password: PW },
  ],
});

let admin, p33, viewer, ministry;
before(async () => {
  admin = await login(env.base, 'admin', env.adminPassword);
  ministry = await login(env.base, 'bo1', PW);
  p33 = await login(env.base, 'p33', PW);
  viewer = await login(env.base, 'viewer33', PW);
});

const home = async (c) => {
  const r = await c.get('/');
  assert.equal(r.status, 200, r.text);
  return r.text;
};
const todo = (html) => /<ul class="todo" id="todo">([\s\S]*?)<\/ul>/.exec(html)?.[1] ?? '';
const recent = (html) => /<ul class="recent" id="recent-changes">([\s\S]*?)<\/ul>/.exec(html)?.[1] ?? '';

/* Today in Vietnam (UTC+7), "yyyy-mm-dd". */
const todayVn = () => new Date(Date.now() + 7 * 3600e3).toISOString().slice(0, 10);

test('the province is named, not numbered', async () => {
  const html = await home(p33);
  assert.match(html, /<span id="home-province">Tỉnh Hưng Yên<\/span>/);
  assert.doesNotMatch(html, /Tỉnh\/thành: 33/);
});

test('projects waiting for their next step, each count leading to its list', async () => {
  assert.doesNotMatch(todo(await home(p33)), /status=/, 'the demo\'s projects are settled');
  for (const title of ['Đề án thử 1', 'Đề án thử 2']) {
    const r = await p33.post('/api/v1/projects', {
      json: { title, year: 2026, province: '33', content_type: 'training', kind: 'local' },
    });
    assert.equal(r.status, 201, r.text);
  }
  const html = todo(await home(p33));
  assert.match(html, /<a href="\/projects\?status=draft">2 đề án<\/a> chờ bước tiếp theo, đang ở bước <strong>[^<]+<\/strong>/);
  const lines = [...html.matchAll(/<a href="\/projects\?status=([a-z_]+)">(\d+) đề án<\/a>/g)];
  assert.ok(lines.length > 0, `no project waits:\n${html}`);
  for (const [, status, n] of lines) {
    const list = await p33.get(`/projects?status=${status}`);
    assert.equal(list.status, 200);
    assert.equal(/id="total">(\d+)</.exec(list.text)[1], n, status);
  }
  assert.doesNotMatch(html, /status=(settled|cancelled|rejected)"/, 'ended projects wait for nothing');
  assert.doesNotMatch(todo(await home(viewer)), /status=/, 'a viewer takes no step');
});

test('reports due follow the reporting periods kept as data', async () => {
  const today = todayVn();
  const year = Number(today.slice(0, 4));
  const dueOf = (y, m, d) => `${y}-${String(m).padStart(2, '0')}-${String(d).padStart(2, '0')}`;
  const rules = (await admin.get('/api/v1/reporting-periods')).body;
  const yearRule = (rules.items ?? rules).find((x) => x.kind === 'year');
  /* Move the annual report's due date; the home page follows. */
  const dueDay = yearRule.due_day === 27 ? 26 : 27;
  const r = await admin.patch('/api/v1/reporting-periods/year', {
    json: { ...yearRule, due_day: dueDay, kind: undefined, version: undefined },
    headers: { 'If-Match': `"${yearRule.version}"` },
  });
  assert.ok(r.status === 200, `${r.status} ${r.text}`);
  let y = year - 1;
  const late = yearRule.due_month * 100 + dueDay < yearRule.end_month * 100 + yearRule.end_day;
  while (dueOf(y + late, yearRule.due_month, dueDay) < today) y++;
  const d = `${String(dueDay).padStart(2, '0')}/${String(yearRule.due_month).padStart(2, '0')}/${y + late}`;
  const html = todo(await home(ministry));
  assert.match(html, new RegExp(`<li class="todo-report"><a href="/reports">Báo cáo năm ${y}</a>: hạn nộp <strong>${d}</strong></li>`), html);
  assert.match(html, /Báo cáo 6 tháng đầu năm \d{4}<\/a>: hạn nộp <strong>\d\d\/\d\d\/\d{4}<\/strong>/);
  /* A province officer has each report once: the chain's line, with its status and the same due date. */
  const own = todo(await home(p33));
  assert.doesNotMatch(own, /todo-report/, own);
  assert.ok(own.includes(d), `the moved due date ${d} in ${own}`);
  assert.equal((own.match(/class="todo-chain/g) ?? []).length, new Set(own.match(/Báo cáo [^<]*<\/a>/g)).size, 'no report twice');
});

test('an import left at the dry run waits; a viewer has none', async () => {
  assert.doesNotMatch(todo(await home(p33)), /todo-import/);
  const form = new FormData();
  form.set('kind', 'establishments');
  form.set('encoding', 'auto');
  form.set('file', new Blob(['\uFEFFTên cơ sở,Loại hình,Xã/Phường\r\nCơ sở thử,Hộ kinh doanh,"Mễ Sở, Hưng Yên"\r\n'],
    { type: 'text/csv' }), 'co-so.csv');
  const r = await p33.post('/import', { body: form });
  assert.equal(r.status, 200, r.text);
  assert.match(todo(await home(p33)), /<li class="todo-import"><a href="\/import">1 tệp đã kiểm tra thử nhưng chưa nhập<\/a><\/li>/);
  assert.doesNotMatch(todo(await home(admin)), /todo-import/, 'the officer\'s, not the admin\'s');
});

test('a target behind schedule is listed with its programme', async () => {
  const year = Number(todayVn().slice(0, 4));
  const prog = await p33.post('/api/v1/programmes', {
    json: { name: 'Chương trình khuyến công Hưng Yên (thử)', kind: 'khuyen_cong', level: 'local', province: '33',
      period_from: year - 1, period_to: year + 1 },
  });
  assert.equal(prog.status, 201, prog.text);
  const t = await p33.post('/api/v1/targets', {
    json: { programme_id: prog.body.id, indicator: 'demo_models.count', description: 'Mô hình trình diễn mới',
      value: 100000, measure: 'mô hình' },
  });
  assert.equal(t.status, 201, t.text);
  const est = (await p33.get('/api/v1/establishments?per_page=1')).body.items[0];
  const m = await p33.post('/api/v1/demo-models', { json: { establishment_id: est.id, technology: 'Lò nung gốm', year } });
  assert.equal(m.status, 201, m.text);
  const html = todo(await home(p33));
  assert.match(html, new RegExp(`<li class="todo-target">Chậm tiến độ: <a href="/programmes/${prog.body.id}">Chương trình khuyến công Hưng Yên \\(thử\\)</a>: Mô hình trình diễn mới \\(mục tiêu 100\\.000 mô hình, đạt \\d+%\\)</li>`), html);
});

test('recent changes: the whole trail for an admin, one\'s own otherwise', async () => {
  const est = (await p33.get('/api/v1/establishments?per_page=1')).body.items[0];
  const r = await p33.patch(`/api/v1/establishments/${est.id}`, {
    json: { note: 'đã kiểm tra' }, headers: { 'If-Match': `"${est.version}"` },
  });
  assert.equal(r.status, 200, r.text);
  const own = recent(await home(p33));
  assert.match(own, new RegExp(`p33</span> Sửa: cơ sở CNNT <a href="/establishments/${est.id}">#${est.id}</a>`), own);
  assert.doesNotMatch(own, /· admin</, 'not the changes of others');
  const all = recent(await home(admin));
  assert.match(all, /· p33<\/span> Sửa: cơ sở CNNT/);
  assert.match(all, /· admin<\/span>/);
  assert.doesNotMatch(all, /Đăng nhập/, 'logins are not changes');
});
