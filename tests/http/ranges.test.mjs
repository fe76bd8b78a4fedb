// ranges.test.mjs - one absurd number cannot break the statistics (issue 11,
// defect 8). Every numeric field has a plausible range checked at write time
// (a 400 naming the field); a number already stored that overflows a sum (put
// there with SQL) is reported as an error of that cell, never a 500 for the
// page, and the dashboard shows it rather than dropping the figure.
import assert from 'node:assert/strict';
import { execFileSync } from 'node:child_process';
import { after, before, test } from 'node:test';

import { PG, psql } from '../pg/pglib.mjs';
import { login, setup } from './lib.mjs';

const env = await setup(after, { prefix: 'ranges' });
let admin;
before(async () => {
  admin = await login(env.base, 'admin', env.adminPassword, 'bearer');
});

const klass = (trainees) => ({
  province: '33', kind: 'vocational', topic: 'Lớp thử nghiệm giới hạn số', year: 2026, trainees,
});

function invalid(r, field) {
  assert.equal(r.status, 400, `${field}: ${r.status} ${r.text}`);
  assert.equal(r.body.error.code, 'invalid');
  assert.equal(r.body.error.field, field);
}

test('a count beyond its plausible range is a 400 naming the field; the largest is accepted', async () => {
  for (const v of [9223372036854775807n.toString(), '1000001', '1.000.001', -1])
    invalid(await admin.post('/api/v1/training-classes', { json: klass(v) }), 'trainees');
  const huge = await admin.post('/api/v1/training-classes', {
    json: '{"province":"33","kind":"vocational","topic":"x","year":2026,"trainees":9223372036854775807}',
  });
  invalid(huge, 'trainees');
  const ok = await admin.post('/api/v1/training-classes', { json: klass('1.000.000') });
  assert.equal(ok.status, 201, ok.text);
  const cur = await admin.get(`/api/v1/training-classes/${ok.body.id}`);
  invalid(await admin.patch(`/api/v1/training-classes/${ok.body.id}`, {
    json: { employed: 2000000 }, headers: { 'If-Match': cur.headers.get('etag') },
  }), 'employed');
});

test('money beyond 10^15 đồng is a 400 naming the field', async () => {
  const plan = (budget_national) => ({ name: 'Kế hoạch thử nghiệm giới hạn', province: '33', year: 2026,
    budget_national });
  invalid(await admin.post('/api/v1/plans', { json: plan('1.000.001 tỷ đồng') }), 'budget_national');
  invalid(await admin.post('/api/v1/plans', { json: plan(1e15 + 1) }), 'budget_national');
  const ok = await admin.post('/api/v1/plans', { json: plan('1.000.000 tỷ đồng') });
  assert.equal(ok.status, 201, ok.text);
  assert.equal(ok.body.budget_national, 1e15);
});

test('a reported figure beyond ±10^15 is a 400 on value', async () => {
  const province = (await admin.get('/api/v1/units?level=province&era=new&q=Hưng Yên&per_page=1')).body.items[0];
  const fig = (value) => ({ indicator: 'training.trainees', subject: 'Số liệu thử nghiệm giới hạn',
    unit_era: 'new', unit_id: province.id, period_from: 2024, period_to: 2024, value, measure: 'người',
    source_title: 'Kiểm thử' });
  invalid(await admin.post('/api/v1/figures', { json: fig('10.000.000.000.000.000') }), 'value');
  invalid(await admin.post('/api/v1/figures', { json: fig(9223372036854775807n.toString()) }), 'value');
});

/* ---- a number already stored (written with SQL) ---- */

async function sql(statement) {
  if (PG) return psql(statement, env.db);
  return execFileSync('sqlite3', ['-batch', env.db, statement]).toString();
}

test('a sum that overflows is an error of its cell; the page, the API and the dashboard still answer', async () => {
  const mk = async (province, trainees) => {
    const r = await admin.post('/api/v1/training-classes', {
      json: { ...klass(trainees), province, topic: `Lớp thử nghiệm tràn số ${province}`, year: 2025 },
    });
    assert.equal(r.status, 201, r.text);
    return r.body.id;
  };
  const huge = await mk('33', 1);
  await mk('33', 5);
  await mk('01', 7);
  await sql(`UPDATE training_classes SET trainees = 9223372036854775807 WHERE id = ${huge}`);
  const q = 'indicator=training.trainees&by=province&from=2025&to=2025';
  const r = await admin.get(`/api/v1/stats?${q}`);
  assert.equal(r.status, 200, r.text);
  const overflow = (cell) => cell.source === 'overflow' && cell.value === null &&
    /too large/.test(cell.error) && cell.text === cell.error;
  assert.ok(overflow(r.body.total), JSON.stringify(r.body.total));
  const row = (key) => r.body.rows.find((x) => x.key.endsWith(`:${key}`) || x.key === key);
  assert.ok(overflow(row('33')), JSON.stringify(r.body.rows));
  const hanoi = row('01');
  assert.ok(hanoi && hanoi.source !== 'overflow' && Number.isInteger(hanoi.value), JSON.stringify(hanoi));
  const web = await login(env.base, 'admin', env.adminPassword);
  const page = await web.get(`/stats?${q}`);
  assert.equal(page.status, 200);
  assert.match(page.text, /Tổng vượt quá số lớn nhất/);
  const dash = await admin.get('/api/v1/dashboard?from=2025&to=2025');
  assert.equal(dash.status, 200, dash.text);
  const card = dash.body.headline.find((h) => h.indicator === 'training.trainees');
  assert.ok(card, `the figure is on the dashboard: ${JSON.stringify(dash.body.headline)}`);
  assert.equal(card.source, 'overflow');
  assert.match(card.text, /too large/);
  const dpage = await web.get('/dashboard?from=2025&to=2025');
  assert.equal(dpage.status, 200);
  assert.match(dpage.text, /data-indicator="training.trainees"/);
});
