// units.test.mjs - the administrative units through the JSON API: search
// with and without diacritics, one unit with its successors, predecessors and
// versions, and the parameter checks. Needs `khuyencong init` to load the
// units (unit_load_all).
import assert from 'node:assert/strict';
import { after, before, test } from 'node:test';

import { Client, login, setup } from './lib.mjs';

const env = await setup(after, { prefix: 'units' });

let api;
before(async () => {
  api = await login(env.base, 'admin', env.adminPassword, 'bearer');
});

const q = (params) => '/api/v1/units?' + new URLSearchParams(params).toString();

function find(items, era, level, code) {
  return items.find((u) => u.era === era && u.level === level && u.code === code);
}

test('"nam dinh" without diacritics finds the old province, today in Ninh Bình', async () => {
  const r = await api.get(q({ q: 'nam dinh' }));
  assert.equal(r.status, 200);
  const p = find(r.body.items, 'old', 'province', '36');
  assert.ok(p, JSON.stringify(r.body.items.map((u) => [u.era, u.level, u.code])));
  assert.equal(p.full_name, 'Tỉnh Nam Định');
  assert.deepEqual(p.today_province, { code: '37', name: 'Ninh Bình' });
  assert.deepEqual(p.successors.map((s) => [s.code, s.kind]), [['37', 'whole']]);
  assert.equal(r.body.page, 1);
  assert.ok(r.body.total >= r.body.items.length);
});

test('"xã Mễ Sở" finds the old commune of Văn Giang and the new one, both in Hưng Yên', async () => {
  const r = await api.get(q({ q: 'xã Mễ Sở' }));
  assert.equal(r.status, 200);
  const old = find(r.body.items, 'old', 'commune', '12049');
  const now = find(r.body.items, 'new', 'commune', '12049');
  assert.ok(old && now);
  assert.equal(old.district_name, 'Huyện Văn Giang');
  assert.equal(old.today_province.code, '33');
  assert.deepEqual(old.successors.map((s) => [s.code, s.kind]), [['12049', 'whole']]);
  assert.deepEqual(now.predecessors.map((s) => s.code).sort(), ['12046', '12049', '12211']);
  const plain = await api.get(q({ q: 'me so', era: 'old', level: 'commune' }));
  assert.ok(find(plain.body.items, 'old', 'commune', '12049'));
});

test('filters and paging', async () => {
  const r = await api.get(q({ era: 'new', level: 'province', per_page: '100' }));
  assert.equal(r.status, 200);
  assert.equal(r.body.total, 34);
  const hy = await api.get(q({ era: 'new', level: 'commune', province: '33', per_page: '10', page: '2' }));
  assert.equal(hy.status, 200);
  assert.equal(hy.body.items.length, 10);
  assert.ok(hy.body.items.every((u) => u.province_code === '33'));
});

test('one unit: successors, predecessors and versions', async () => {
  const brvt = await api.get('/api/v1/units/old/province/77');
  assert.equal(brvt.status, 200);
  assert.deepEqual(brvt.body.successors.map((s) => s.code), ['79']);
  const hy = await api.get('/api/v1/units/new/province/33');
  assert.deepEqual(hy.body.predecessors.map((s) => s.code).sort(), ['33', '34']);
  const dn = await api.get('/api/v1/units/new/province/75');
  assert.equal(dn.body.type_name, 'Thành phố');
  assert.deepEqual(dn.body.versions.map((v) => [v.type_name, v.valid_from, v.valid_to]), [
    ['Tỉnh', '2025-07-01', '2026-04-29'],
    ['Thành phố', '2026-04-30', null],
  ]);
  const bache = await api.get('/api/v1/units/new/commune/06970');
  assert.equal(bache.status, 200);
  assert.equal(bache.body.code, '06978');
});

test('bad parameters are 400 naming the field; unknown units 404; login required', async () => {
  let r = await api.get(q({ era: 'mid' }));
  assert.equal(r.status, 400);
  assert.equal(r.body.error.field, 'era');
  r = await api.get(q({ level: 'hamlet' }));
  assert.equal(r.body.error.field, 'level');
  r = await api.get(q({ per_page: '501' }));
  assert.equal(r.status, 400);
  r = await api.get(q({ color: 'red' }));
  assert.equal(r.status, 400);
  r = await api.get('/api/v1/units?q=%FF%FE');
  assert.equal(r.status, 400);
  assert.equal(r.body.error.field, 'q');
  r = await api.get('/api/v1/units/old/province/99');
  assert.equal(r.status, 404);
  r = await api.get('/api/v1/units/old/hamlet/01');
  assert.equal(r.status, 400);
  r = await new Client(env.base).get(q({ q: 'nam dinh' }));
  assert.equal(r.status, 401);
});
