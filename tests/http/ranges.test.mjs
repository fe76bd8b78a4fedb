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

test('an amount written with its unit is put in the figure\'s measure, never multiplied by it again', async () => {
  const province = (await admin.get('/api/v1/units?level=province&era=new&q=Hưng Yên&per_page=1')).body.items[0];
  const fig = (indicator, value, measure, from) => ({ indicator, subject: 'Kinh phí thử nghiệm đơn vị',
    unit_era: 'new', unit_id: province.id, period_from: from, period_to: from, value, measure,
    source_title: 'Kiểm thử đơn vị' });
  // "15,75 tỷ đồng" in tỷ đồng is 15,75 tỷ: before, 15 750 000 000 tỷ (an overflow the report left out).
  const a = await admin.post('/api/v1/figures', { json: fig('budget.local', '15,75 tỷ đồng', 'tỷ đồng', 2011) });
  assert.equal(a.status, 201, a.text);
  assert.deepEqual(a.body.value, { value: 1575, value_hi: 1575, scale: 2, qualifier: 'exact' });
  const st = (await admin.get(`/api/v1/stats?indicator=budget.local&from=2011&to=2011&province=33`)).body.total;
  assert.equal(st.source, 'reported', JSON.stringify(st));
  assert.equal(BigInt(st.value) / 10n ** BigInt(st.scale), 15750000000n);
  // "trên 300 triệu đồng" in triệu đồng keeps its qualifier; 1 đồng cannot be written in tỷ.
  const b = await admin.post('/api/v1/figures', { json: fig('budget.national', 'trên 300 triệu đồng', 'triệu đồng', 2011) });
  assert.equal(b.status, 201, b.text);
  assert.deepEqual(b.body.value, { value: 300, value_hi: 300, scale: 0, qualifier: 'at_least' });
  invalid(await admin.post('/api/v1/figures', { json: fig('budget.local', '1.000.000.001 đồng', 'tỷ đồng', 2012) }), 'value');
  // An amount for an indicator that counts projects is an error, not 15 750 000 000 projects.
  const c = await admin.post('/api/v1/figures', { json: fig('projects.count', '15,75 tỷ đồng', 'đề án', 2012) });
  invalid(c, 'value');
  assert.match(c.body.error.message, /projects\.count/);
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
