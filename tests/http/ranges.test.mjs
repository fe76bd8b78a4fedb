// ranges.test.mjs - one absurd number cannot break the statistics (issue 11,
// defect 8). Every numeric field has a plausible range checked at write time
// (a 400 naming the field); a number already stored that overflows a sum (put
// there with SQL) is reported as an error of that cell, never a 500 for the
// page, and the dashboard shows it rather than dropping the figure.
import assert from 'node:assert/strict';
import { after, before, test } from 'node:test';

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
