// caps.test.mjs - support caps as data a province keeps (issue 19, item 4): the
// levels of a province's local khuyến công funds (its People's Council's
// resolution) entered by its own officer (audited; another province's officer
// and a viewer may not; a national cap only by the admin or the ministry), with
// their validity and legal basis; used to refuse machinery support, projects,
// demonstration models and proposals over them (400 naming the field), and shown
// with the limit for the cost typed while the form is filled in. National caps
// keep applying to national funds. A proposal's counterpart above its cost is
// refused on every path (create, change, the establishment's own form).
import assert from 'node:assert/strict';
import { after, before, test } from 'node:test';

import { writeFile } from 'node:fs/promises';
import path from 'node:path';

import { login, run, scratchDir, setup } from './lib.mjs';

const PW = 'caps-pass-0101';
const env = await setup(after, {
  prefix: 'caps',
  users: [
    { name: 'hungyen', role: 'province', province: '33', password: PW },
    { name: 'hanoi', role: 'province', province: '01', password: PW },
    { name: 'xem', role: 'viewer', password: PW },
  ],
});

const BASIS = 'Nghị quyết 99/2025/NQ-HĐND tỉnh Hưng Yên (thử nghiệm)';
const LEVEL = {
  content_type: 'machinery', source: 'local', province: '33', max_share_permille: '30%',
  max_amount: '200 triệu', per_what: 'establishment', legal_basis: BASIS, valid_from: '01/01/2026',
};

let admin, hy, hn, viewer, estWeb, hyWeb, estId, levelId;

function status(res, want, what = '') {
  assert.equal(res.status, want, `${what} ${res.status} ${res.text.slice(0, 600)}`);
}

function assertRefused(res, field, re, code = 400) {
  status(res, code, field);
  assert.equal(res.body.error.field, field, res.text);
  if (re) assert.match(res.body.error.message, re);
}

function postForm(client, url, fields) {
  return client.post(url, {
    body: new URLSearchParams({ _csrf: client.csrf, ...fields }),
    headers: { 'Content-Type': 'application/x-www-form-urlencoded' },
    csrf: false,
  });
}

before(async () => {
  admin = await login(env.base, 'admin', env.adminPassword, 'bearer');
  hy = await login(env.base, 'hungyen', PW, 'bearer');
  hn = await login(env.base, 'hanoi', PW, 'bearer');
  viewer = await login(env.base, 'xem', PW, 'bearer');
  hyWeb = await login(env.base, 'hungyen', PW);
  const e = await admin.post('/api/v1/establishments', {
    json: { name: 'HTX cơ khí kiểm tra mức hỗ trợ', kind: 'cooperative', commune_id: 'Xã Mễ Sở, Hưng Yên' },
  });
  status(e, 201, 'establishment');
  estId = e.body.id;
  const u = await run(['user', 'add', 'htxcaps', '--role', 'establishment', '--establishment', String(estId),
    '--db', env.db], { input: `${PW}\n` });
  assert.equal(u.code, 0, u.stderr);
  estWeb = await login(env.base, 'htxcaps', PW);
});

test('counterpart above the cost is refused on create, on change and from the establishment\'s form', async () => {
  const body = { establishment_id: estId, title: 'Máy cán kiểm tra', content_type: 'machinery', year: 2027,
    cost: '1,2 tỷ', counterpart: '1,5 tỷ' };
  assertRefused(await admin.post('/api/v1/proposals', { json: body }), 'counterpart',
    /Vốn đối ứng của cơ sở \(1,5 tỷ đồng\) vượt Tổng kinh phí dự kiến \(1,2 tỷ đồng\)/);
  const ok = await admin.post('/api/v1/proposals', { json: { ...body, counterpart: '1 tỷ' } });
  status(ok, 201);
  const url = `/api/v1/proposals/${ok.body.id}`;
  assertRefused(await admin.patch(url, { json: { counterpart: '1,5 tỷ' }, headers: { 'If-Match': '"1"' } }),
    'counterpart');
  assertRefused(await admin.patch(url, { json: { cost: '900 triệu' }, headers: { 'If-Match': '"1"' } }),
    'counterpart', /vượt Tổng kinh phí dự kiến \(900 triệu đồng\)/);
  assert.equal((await admin.get(url)).body.counterpart, 1_000_000_000, 'nothing of a refused change is kept');
  const form = await postForm(estWeb, '/proposals/new', {
    title: 'Máy cán kiểm tra', content_type: 'machinery', year: '2027', cost: '1,2 tỷ', counterpart: '1,5 tỷ',
  });
  status(form, 400);
  assert.match(form.text, /<a href="#in-counterpart">Vốn đối ứng của cơ sở \(1,5 tỷ đồng\) vượt/);
});

test('before the province enters its levels, a proposal asking more than the national caps is not refused', async () => {
  const r = await admin.post('/api/v1/proposals', {
    json: { establishment_id: estId, title: 'Đề xuất trước khi có mức tỉnh', content_type: 'machinery', year: 2027,
      cost: '1 tỷ', counterpart: '500 triệu' },
  });
  status(r, 201, r.text);
  const form = await estWeb.get('/proposals/new');
  assert.match(form.text, /tỉnh chưa nhập mức hỗ trợ cho nội dung này/);
});

test('a province officer enters the levels of its local funds: audited, its own province only', async () => {
  // Not for another province, nor a viewer, nor a national cap.
  status(await hn.post('/api/v1/support-caps', { json: LEVEL }), 403, 'another province');
  status(await viewer.post('/api/v1/support-caps', { json: LEVEL }), 403, 'viewer');
  status(await hy.post('/api/v1/support-caps', {
    json: { ...LEVEL, content_type: 'training', source: 'national', province: undefined, legal_basis: 'Thông tư giả' },
  }), 403, 'a national cap');
  // The rules of a level, every one naming its field.
  assertRefused(await hy.post('/api/v1/support-caps', { json: { ...LEVEL, province: undefined } }), 'province',
    /cần tỉnh\/thành ban hành/);
  assertRefused(await hy.post('/api/v1/support-caps', {
    json: { ...LEVEL, max_share_permille: undefined, max_amount: undefined },
  }), 'max_share_permille');
  assertRefused(await hy.post('/api/v1/support-caps', { json: { ...LEVEL, max_share_permille: '120%' } }),
    'max_share_permille');
  assertRefused(await hy.post('/api/v1/support-caps', { json: { ...LEVEL, valid_to: '31/12/2025' } }), 'valid_to');
  const r = await hy.post('/api/v1/support-caps', { json: LEVEL });
  status(r, 201, r.text);
  levelId = r.body.id;
  assert.equal(r.body.max_share_permille, 300);
  assert.equal(r.body.max_amount, 200_000_000);
  assert.equal(r.body.province_code, '33');
  // A second level of the same content in force at the same time is a conflict.
  assertRefused(await hy.post('/api/v1/support-caps', { json: { ...LEVEL, valid_from: '01/07/2027' } }),
    'valid_from', /Trùng thời gian hiệu lực với mức số \d+/, 409);
  // Hà Nội neither sees nor changes it; the admin reads the change in the audit trail.
  status(await hn.get(`/api/v1/support-caps/${levelId}`), 403);
  status(await hn.patch(`/api/v1/support-caps/${levelId}`, { json: { max_amount: '1 tỷ' }, headers: { 'If-Match': '"1"' } }), 403);
  const audit = await admin.get(`/api/v1/audit?entity=support-caps&entity_id=${levelId}`);
  status(audit, 200);
  assert.equal(audit.body.items[0].username, 'hungyen');
  assert.equal(audit.body.items[0].after.legal_basis, BASIS);
  // The list page offers it to the province's officers.
  const page = await hyWeb.get('/support-caps');
  status(page, 200);
  assert.match(page.text, /Nghị quyết 99\/2025\/NQ-HĐND tỉnh Hưng Yên/);
  assert.match(page.text, /href="\/support-caps"/, 'in the menu');
  // The form: a level entered as officers write it, errors beside the field.
  const blank = await hyWeb.get('/support-caps/new');
  status(blank, 200);
  assert.match(blank.text, /name="legal_basis"/);
  const bad = await postForm(hyWeb, '/support-caps/new', {
    content_type: 'training', source: 'local', province: '33', per_what: 'establishment',
    legal_basis: BASIS, valid_from: '01/01/2026',
  });
  status(bad, 400);
  assert.match(bad.text, /<a href="#in-max_share_permille">Nhập tỷ lệ tối đa của chi phí/);
  const made = await postForm(hyWeb, '/support-caps/new', {
    content_type: 'training', source: 'local', province: '33', per_what: 'establishment', max_share_permille: '70%',
    max_amount: '30 triệu đồng', legal_basis: BASIS, valid_from: '01/01/2026',
  });
  status(made, 303, 'form');
});

test('machinery support from local funds stays within the province\'s level; national funds keep the national caps', async () => {
  const base = { establishment_id: estId, equipment: 'Máy hàn kiểm tra', year: 2027, value: '1 tỷ' };
  assertRefused(await hy.post('/api/v1/machinery', { json: { ...base, funding_source: 'local', support_amount: '250 triệu' } }),
    'support_amount', /vượt mức tối đa 200 triệu đồng\/cơ sở \(Nghị quyết 99\/2025\/NQ-HĐND/);
  assertRefused(await hy.post('/api/v1/machinery', {
    json: { ...base, value: '500 triệu', funding_source: 'local', support_amount: '160 triệu' },
  }), 'support_amount', /vượt mức 30% của 500 triệu đồng \(tối đa 150 triệu đồng; Nghị quyết 99/);
  status(await hy.post('/api/v1/machinery', { json: { ...base, funding_source: 'local', support_amount: '200 triệu' } }), 201);
  // 250 triệu of national funds: within 300 triệu and 50% (the local level does not apply).
  status(await hy.post('/api/v1/machinery', { json: { ...base, funding_source: 'national', support_amount: '250 triệu' } }), 201);
  // Before the level is in force (2025) nothing local binds.
  status(await hy.post('/api/v1/machinery', { json: { ...base, year: 2025, funding_source: 'local', support_amount: '250 triệu' } }), 201);
});

test('a local project, its demonstration model and beneficiaries stay within the province\'s levels', async () => {
  const p = { title: 'Đề án địa phương kiểm tra mức', year: 2027, province: '33', content_type: 'machinery', kind: 'local', cost_total: '1 tỷ' };
  assertRefused(await hy.post('/api/v1/projects', { json: { ...p, cost_total: '500 triệu', approved_local: '180 triệu' } }),
    'approved_local', /vượt mức 30% của 500 triệu đồng/);
  assertRefused(await hy.post('/api/v1/projects', { json: { ...p, approved_local: '260 triệu' } }), 'cap_reason',
    /Kinh phí KC địa phương 260 triệu đồng vượt mức 200 triệu đồng cho mỗi cơ sở hoặc mô hình \(Nghị quyết 99/);
  const ok = await hy.post('/api/v1/projects', { json: { ...p, approved_local: '260 triệu', cap_reason: 'Hai cơ sở' } });
  status(ok, 201, ok.text);
  const page = await hyWeb.get(`/projects/${ok.body.id}`);
  assert.match(page.text, /class="error cap-flag" role="alert">⚠ Kinh phí KC địa phương vượt mức tối đa 200 triệu đồng\/cơ sở \(Nghị quyết 99\/2025\/NQ-HĐND/);
  assertRefused(await hy.post('/api/v1/beneficiaries', { json: { project_id: ok.body.id, establishment_id: estId, support_amount: '210 triệu' } }),
    'support_amount', /210 triệu đồng vượt mức tối đa 200 triệu đồng\/cơ sở/);
  status(await hy.post('/api/v1/beneficiaries', { json: { project_id: ok.body.id, establishment_id: estId, support_amount: '130 triệu' } }), 201);
  // A level of demonstration models (per model) binds the models of a local project.
  status(await hy.post('/api/v1/support-caps', {
    json: { ...LEVEL, content_type: 'demo_model', per_what: 'model', max_share_permille: '20%', max_amount: '500 triệu' },
  }), 201);
  const dp = await hy.post('/api/v1/projects', { json: { ...p, content_type: 'demo_model', cost_total: '3 tỷ', approved_local: '500 triệu' } });
  status(dp, 201, dp.text);
  const model = { project_id: dp.body.id, establishment_id: estId, technology: 'Dây chuyền kiểm tra mức', year: 2027, total_investment: '2 tỷ' };
  assertRefused(await hy.post('/api/v1/demo-models', { json: { ...model, support_amount: '450 triệu' } }), 'support_amount',
    /vượt mức 20% của 2 tỷ đồng \(tối đa 400 triệu đồng; Nghị quyết 99/);
  status(await hy.post('/api/v1/demo-models', { json: { ...model, support_amount: '400 triệu' } }), 201);
});

test('a proposal asking more than either source may give is refused, naming the counterpart needed', async () => {
  const body = { establishment_id: estId, title: 'Đề xuất vượt cả hai mức', content_type: 'machinery', year: 2027, cost: '1 tỷ' };
  // Asks 500 triệu: national funds give at most 300 triệu, the province's 200 triệu.
  assertRefused(await admin.post('/api/v1/proposals', { json: { ...body, counterpart: '500 triệu' } }), 'counterpart',
    /Kinh phí đề nghị hỗ trợ 500 triệu đồng .* vượt mức hỗ trợ tối đa: 300 triệu đồng từ kinh phí quốc gia \(Thông tư 28\/2018\/TT-BTC\), 200 triệu đồng từ kinh phí địa phương \(Nghị quyết 99.*Vốn đối ứng của cơ sở cần ít nhất 700 triệu đồng/);
  status(await admin.post('/api/v1/proposals', { json: { ...body, counterpart: '700 triệu' } }), 201);
  // The establishment's form shows both rules and the limits for the cost typed.
  const form = await postForm(estWeb, '/proposals/new', {
    title: 'Đề xuất vượt cả hai mức', content_type: 'machinery', year: '2027', cost: '1 tỷ', counterpart: '500 triệu',
  });
  status(form, 400);
  assert.match(form.text, /<a href="#in-counterpart">Kinh phí đề nghị hỗ trợ 500 triệu đồng/);
  assert.match(form.text, /data-content-type="machinery"><strong>[^<]*<\/strong> \(kinh phí khuyến công quốc gia\)[^]*?Với chi phí 1 tỷ đồng: hỗ trợ tối đa <strong>300 triệu đồng<\/strong>/);
  assert.match(form.text, /data-source="local" data-content-type="machinery"><strong>[^<]*<\/strong> \(kinh phí khuyến công địa phương của tỉnh\): tối đa 30% chi phí và 200 triệu đồng\/cơ sở \(Nghị quyết 99\/2025\/NQ-HĐND tỉnh Hưng Yên \(thử nghiệm\)\)<br><span class="cap-limit">Với chi phí 1 tỷ đồng: hỗ trợ tối đa <strong>200 triệu đồng<\/strong>/);
  // A project form of the province shows its level too.
  const pform = await postForm(hyWeb, '/projects/new', {
    title: 'Đề án thiếu loại', year: '2027', province: '33', content_type: 'machinery', cost_total: '400 triệu',
  });
  status(pform, 400);
  assert.match(pform.text, /data-source="local" data-content-type="machinery">[^]*?Với chi phí 400 triệu đồng: hỗ trợ tối đa <strong>120 triệu đồng<\/strong>/);
});

test('a new resolution replaces the old level: the old one gets its end date, the new one applies from then', async () => {
  const url = `/api/v1/support-caps/${levelId}`;
  const cur = await hy.get(url);
  const end = await hy.patch(url, { json: { valid_to: '31/12/2027' }, headers: { 'If-Match': cur.headers.get('etag') } });
  status(end, 200, end.text);
  const next = await hy.post('/api/v1/support-caps', {
    json: { ...LEVEL, max_amount: '250 triệu', valid_from: '01/01/2028', legal_basis: 'Nghị quyết 100/2027/NQ-HĐND (thử nghiệm)' },
  });
  status(next, 201, next.text);
  const base = { establishment_id: estId, equipment: 'Máy tiện kiểm tra', value: '1 tỷ', funding_source: 'local', support_amount: '240 triệu' };
  assertRefused(await hy.post('/api/v1/machinery', { json: { ...base, year: 2027 } }), 'support_amount', /200 triệu đồng\/cơ sở/);
  status(await hy.post('/api/v1/machinery', { json: { ...base, year: 2028 } }), 201);
});

test('levels come in from a spreadsheet too: the resolution\'s table, with Vietnamese headers', async () => {
  const dir = await scratchDir('caps-import');
  const file = path.join(dir, 'muc-ho-tro.csv');
  await writeFile(file, '\ufeffNội dung khuyến công,Nguồn kinh phí,Tỉnh,Tỷ lệ tối đa của chi phí (%),Mức tối đa,'
    + 'Mức tối đa tính cho mỗi,Nghị quyết,Hiệu lực từ ngày\r\n'
    + '"Đào tạo nghề, truyền nghề",KC địa phương,Hà Nội,,5 triệu đồng,Cơ sở,Nghị quyết 98/2025/NQ-HĐND (thử nghiệm),01/01/2026\r\n');
  const r = await run(['import', '--kind', 'support-caps', file, '--db', env.db]);
  assert.equal(r.code, 0, r.stdout + r.stderr);
  const got = await hn.get('/api/v1/support-caps?province=01');
  status(got, 200);
  assert.equal(got.body.items.length, 1, got.text);
  assert.equal(got.body.items[0].max_amount, 5_000_000);
  assert.equal(got.body.items[0].content_type, 'training');
});
