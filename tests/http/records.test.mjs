// records.test.mjs - the record API of every collection in entities.c:
// create (201, Location, ETag, canonical values), read (ETag "1"), list (search
// without diacritics, one declared filter), update with If-Match (200, then
// 412 when stale), field-named validation errors with a Vietnamese message,
// delete (409 while referenced, 204, then 404); province/viewer scope; the
// project lifecycle and an establishment's proposal turned into a project.
// One database and server for the whole file (init is slow under ASan).
import assert from 'node:assert/strict';
import { after, before, test } from 'node:test';

import { Client, login, run, setup } from './lib.mjs';

const PW = 'records-pass-0101';
const env = await setup(after, {
  prefix: 'records',
  users: [
    { name: 'hanoi', role: 'province', province: '01', password: PW },
    { name: 'xem', role: 'viewer', password: PW },
  ],
});

let admin;
let hn;
let viewer;
before(async () => {
  admin = await login(env.base, 'admin', env.adminPassword, 'bearer');
  hn = await login(env.base, 'hanoi', PW, 'bearer');
  viewer = await login(env.base, 'xem', PW, 'bearer');
});

/* Vietnamese letters with marks: a message written in Vietnamese has some. */
const VI = /[àáảãạăắằẳẵặâấầẩẫậđèéẻẽẹêếềểễệìíỉĩịòóỏõọôốồổỗộơớờởỡợùúủũụưứừửữựỳýỷỹỵ]/i;

const MESO = 'Xã Mễ Sở, Hưng Yên';
const MESO_CODE = '12049'; // Xã Mễ Sở (2025), Hưng Yên

/* A tax code with a right check digit (weights of the tax authority). */
function taxCode(nine) {
  const w = [31, 29, 23, 19, 17, 13, 7, 5, 3];
  for (let n = Number(nine); ; n++) {
    const d = String(n).padStart(9, '0');
    const sum = [...d].reduce((s, c, i) => s + Number(c) * w[i], 0);
    const check = 10 - (sum % 11);
    if (check < 10) return d + check;
  }
}

const path = (c, id) => (id === undefined ? `/api/v1/${c}` : `/api/v1/${c}/${id}`);
const list = (c, params) => `/api/v1/${c}?` + new URLSearchParams(params).toString();

/* Fails with the response text when the status is not the one expected. */
function status(res, want, what = '') {
  assert.equal(res.status, want, `${what} ${res.status} ${res.text}`);
}

/* A write to a history (project steps): 405, only GET allowed, a message
 * that points to the transition. */
function assertHistory(res) {
  status(res, 405);
  assert.equal(res.headers.get('allow'), 'GET');
  assert.equal(res.body.error.code, 'method_not_allowed');
  assert.match(res.body.error.message, /transitions/);
  assert.match(res.body.error.message, VI);
}

function assertInvalid(res, field) {
  status(res, 400, `field ${field}:`);
  assert.equal(res.body.error.code, 'invalid');
  assert.equal(res.body.error.field, field, res.text);
  assert.match(res.body.error.message, VI, 'the message is in Vietnamese');
}

/* Every field of want is in got with the same value (deep); a function
 * value is a predicate over the field. */
function assertHas(got, want, what) {
  for (const [k, v] of Object.entries(want)) {
    if (typeof v === 'function') assert.ok(v(got[k]), `${what}.${k}: ${JSON.stringify(got[k])}`);
    else assert.deepEqual(got[k], v, `${what}.${k}: ${JSON.stringify(got[k])}`);
  }
}

/* ids of the records the CRUD table creates, by collection. */
const ids = {};
/* The last version seen of each, for the deletes. */
const versions = {};

/* collection -> a minimal valid body (Vietnamese input forms where the field
 * accepts them), the canonical values expected back, a text search without
 * diacritics (null where the collection has no searchable text), one declared
 * filter, a field to update (and its canonical value), and an invalid body
 * with the field the 400 must name. Ordered so that references exist. */
const TABLE = [
  {
    c: 'villages',
    body: () => ({
      name: 'Làng nghề thử nghiệm Hồ Khẩu Xưa',
      commune_id: MESO,
      craft_group: 'Sinh vật cảnh', // a label: stored as its code
      traditional: 'có',
    }),
    expect: () => ({
      name: 'Làng nghề thử nghiệm Hồ Khẩu Xưa',
      craft_group: 'ornamental',
      traditional: true,
      recognised: null,
      province_code: '33',
      commune_id_name: (v) => /^Xã Mễ Sở(, Tỉnh Hưng Yên)?$/.test(v),
      commune_id_code: MESO_CODE,
    }),
    q: 'ho khau xua',
    filter: () => ['craft_group', 'ornamental'],
    update: { recognised: true, decision_date: '20/11/2025' },
    updated: { recognised: true, decision_date: '2025-11-20' },
    invalid: (b) => [{ ...b, craft_group: 'bogus' }, 'craft_group'],
  },
  {
    c: 'village-years',
    body: () => ({
      village_id: ids.villages,
      year: 2018,
      households: '1.200',
      workers: 350,
      production_value: '24,7 tỷ đồng',
      env_status: 'met',
    }),
    expect: () => ({
      village_id: ids.villages,
      village_id_title: 'Làng nghề thử nghiệm Hồ Khẩu Xưa',
      households: 1200,
      production_value: 24_700_000_000,
      province_code: '33',
    }),
    q: '2018',
    filter: () => ['village_id', String(ids.villages)],
    update: { workers: '9.590' },
    updated: { workers: 9590 },
    invalid: (b) => [{ ...b, year: 1800 }, 'year'],
  },
  {
    c: 'establishments',
    body: () => ({
      name: 'Cơ sở thử nghiệm Đồng Quỳnh Lưu',
      kind: 'household',
      tax_code: taxCode('010999000'),
      commune_id: MESO,
      village_id: ids.villages,
      workers: 20,
      workers_female: 12,
      revenue: { 2024: 1_500_000_000 },
      channels: 'https://example.com/shop/thu-nghiem https://example.com/social/thu-nghiem',
      owner_female: true,
    }),
    expect: () => ({
      name: 'Cơ sở thử nghiệm Đồng Quỳnh Lưu',
      kind: 'household',
      workers: 20,
      workers_female: 12,
      revenue: { 2024: 1_500_000_000 },
      channels: ['https://example.com/shop/thu-nghiem', 'https://example.com/social/thu-nghiem'],
      owner_female: true,
      province_code: '33',
      commune_id_code: MESO_CODE,
      village_id_title: 'Làng nghề thử nghiệm Hồ Khẩu Xưa',
    }),
    q: 'dong quynh luu',
    filter: () => ['village_id', String(ids.villages)],
    update: { workers: '1.250' },
    updated: { workers: 1250 },
    invalid: (b) => [{ ...b, tax_code: taxCode('010999100'), workers_female: 21 }, 'workers_female'],
  },
  {
    c: 'programmes',
    body: () => ({
      code: 'TN-CT-2026',
      name: 'Chương trình thử nghiệm Phong Nhã Kỳ',
      kind: 'other',
      level: 'national',
      period_from: 2026,
      period_to: 2030,
      budget: '4,34 tỷ đồng',
      decision_date: '23/09/2025',
    }),
    expect: () => ({
      kind: 'other',
      level: 'national',
      province: null,
      province_code: null,
      budget: 4_340_000_000,
      decision_date: '2025-09-23',
    }),
    q: 'phong nha ky',
    filter: () => ['kind', 'other'],
    update: { owner: 'Bộ Công Thương' },
    updated: { owner: 'Bộ Công Thương' },
    invalid: (b) => [{ ...b, code: 'TN-CT-X', level: 'local' }, 'province'],
  },
  {
    c: 'targets',
    body: () => ({
      programme_id: ids.programmes,
      indicator: 'test.thu_nghiem.models',
      description: 'Mô hình thử nghiệm Vạn Xuân',
      value: 'khoảng 15',
      measure: 'mô hình',
    }),
    expect: () => ({
      programme_id: ids.programmes,
      value: { value: 15, value_hi: 15, scale: 0, qualifier: 'about' },
      programme_id_title: 'Chương trình thử nghiệm Phong Nhã Kỳ',
    }),
    q: 'van xuan',
    filter: () => ['programme_id', String(ids.programmes)],
    update: { value: 'trên 80%', measure: '%' },
    updated: { value: { value: 800, value_hi: 800, scale: 1, qualifier: 'at_least' }, measure: '%' },
    invalid: (b) => [{ ...b, value: 'nhiều lắm' }, 'value'],
  },
  {
    c: 'plans',
    body: () => ({
      name: 'Kế hoạch thử nghiệm Tiên Lữ Mới',
      province: 'Hưng Yên', // a name: stored as the code
      year: 2026,
      programme_id: ids.programmes,
      budget_local: '821,5 triệu đồng',
    }),
    expect: () => ({ province: '33', province_code: '33', budget_local: 821_500_000 }),
    q: 'tien lu moi',
    filter: () => ['programme_id', String(ids.programmes)],
    update: { budget_national: '1,2 tỷ đồng' },
    updated: { budget_national: 1_200_000_000 },
    invalid: (b) => [{ ...b, province: '99' }, 'province'],
  },
  {
    c: 'projects',
    body: () => ({
      code: 'TN-DA-2026-01',
      title: 'Đề án thử nghiệm máy sấy Kim Động Xanh',
      year: 2026,
      province: '33',
      plan_id: ids.plans,
      programme_id: ids.programmes,
      content_type: 'machinery',
      kind: 'local',
      establishment_id: ids.establishments,
      cost_total: '360 triệu đồng',
      approved_local: 150_000_000,
    }),
    expect: () => ({
      status: 'draft',
      kind: 'local',
      cost_total: 360_000_000,
      approved_local: 150_000_000,
      province_code: '33',
      plan_id_title: 'Kế hoạch thử nghiệm Tiên Lữ Mới',
      establishment_id_title: 'Cơ sở thử nghiệm Đồng Quỳnh Lưu',
    }),
    q: 'kim dong xanh',
    filter: () => ['plan_id', String(ids.plans)],
    update: { disbursed_local: '150 triệu đồng' },
    updated: { disbursed_local: 150_000_000 },
    invalid: (b) => [{ ...b, code: 'TN-DA-X', approved_national: 1 }, 'approved_national'],
  },
  {
    /* A history: steps come from a project's transitions only (on a project
     * of its own, which keeps its steps and so is never deleted). */
    c: 'project-events',
    history: true,
    create: async () => {
      const p = await admin.post('/api/v1/projects', {
        json: { title: 'Đề án thử nghiệm có bước Hòa Phong', year: 2026, province: '33',
          content_type: 'demo_model', kind: 'local' },
      });
      status(p, 201);
      ids.stepProject = p.body.id;
      const r = await admin.post(`/api/v1/projects/${p.body.id}/transitions`, {
        json: { to: 'province_appraised', date: '15/03/2026',
          decision_no: '310/SCT-KC thử nghiệm Hòa Phong' },
      });
      status(r, 200);
      return (await admin.get(`/api/v1/projects/${p.body.id}/steps`)).body.steps[0].id;
    },
    body: () => ({
      project_id: ids.stepProject,
      status: 'province_appraised',
      event_date: '15/03/2026',
      decision_no: '310/SCT-KC thử nghiệm Hòa Phong',
    }),
    expect: () => ({ project_id: ids.stepProject, event_date: '2026-03-15', province_code: '33' }),
    q: 'hoa phong',
    filter: () => ['project_id', String(ids.stepProject)],
    update: { note: 'Ghi chú thử nghiệm' },
    updated: { note: 'Ghi chú thử nghiệm' },
    invalid: (b) => [{ ...b, event_date: '31/02/2026' }, 'event_date'],
  },
  {
    c: 'beneficiaries',
    body: () => ({
      project_id: ids.projects,
      establishment_id: ids.establishments,
      support_amount: '150 triệu đồng',
    }),
    expect: () => ({ support_amount: 150_000_000, province_code: '33' }),
    q: null,
    filter: () => ['establishment_id', String(ids.establishments)],
    update: { note: 'Thụ hưởng chính' },
    updated: { note: 'Thụ hưởng chính' },
    invalid: (b) => [{ ...b, establishment_id: 99_999_999 }, 'establishment_id'],
  },
  {
    c: 'training-classes',
    body: () => ({
      project_id: ids.projects,
      province: '33',
      kind: 'vocational',
      topic: 'May công nghiệp thử nghiệm Ân Thi Cũ',
      date_from: '06/09/2026',
      date_to: '30/11/2026',
      year: 2026,
      trainees: 35,
      completed: 33,
      employed: 30,
    }),
    expect: () => ({ date_from: '2026-09-06', date_to: '2026-11-30', trainees: 35, province_code: '33' }),
    q: 'an thi cu',
    filter: () => ['project_id', String(ids.projects)],
    update: { trainees_female: '31' },
    updated: { trainees_female: 31 },
    invalid: (b) => [{ ...b, completed: 40 }, 'completed'],
  },
  {
    c: 'demo-models',
    body: () => ({
      project_id: ids.projects,
      establishment_id: ids.establishments,
      technology: 'Dây chuyền thử nghiệm Khoái Châu Vàng',
      year: 2026,
      total_investment: '1,5 tỷ đồng',
      avg_income: '6,5 triệu đồng',
    }),
    expect: () => ({ total_investment: 1_500_000_000, avg_income: 6_500_000, province_code: '33' }),
    q: 'khoai chau vang',
    filter: () => ['establishment_id', String(ids.establishments)],
    update: { jobs_created: 12 },
    updated: { jobs_created: 12 },
    invalid: (b) => [{ ...b, support_amount: 'khoảng 300 triệu đồng' }, 'support_amount'],
  },
  {
    c: 'machinery',
    body: () => ({
      project_id: ids.projects,
      establishment_id: ids.establishments,
      equipment: 'Máy khắc laser thử nghiệm Phù Cừ Bạc',
      year: 2026,
      value: '360 triệu đồng',
      funding_source: 'KC địa phương', // a label
    }),
    expect: () => ({ value: 360_000_000, funding_source: 'local', province_code: '33' }),
    q: 'phu cu bac',
    filter: () => ['funding_source', 'local'],
    update: { support_amount: 150_000_000 },
    updated: { support_amount: 150_000_000 },
    invalid: (b) => [{ ...b, funding_source: 'grant' }, 'funding_source'],
  },
  {
    c: 'trade-fairs',
    body: () => ({
      province: '33',
      name: 'Hội chợ thử nghiệm Phố Hiến Xuân',
      place: 'Hưng Yên',
      abroad: false,
      date_from: '22/11/2026',
      date_to: '26/11/2026',
      year: 2026,
      booths: 320,
      contract_value: 350_000_000,
      contract_currency: 'VND',
    }),
    expect: () => ({ abroad: false, booths: 320, date_from: '2026-11-22', province_code: '33' }),
    q: 'pho hien xuan',
    filter: () => ['abroad', 'false'],
    update: { visitors: '12.000' },
    updated: { visitors: 12000 },
    invalid: (b) => [{ ...b, date_to: '20/11/2026' }, 'date_to'],
  },
  {
    c: 'awards',
    body: () => ({
      product_name: 'Bộ sản phẩm thử nghiệm Mật Ngọt Lành',
      establishment_id: ids.establishments,
      level: 'commune',
      product_group: 'food',
      year: 2026,
      score: 82,
      ocop_stars: 4,
    }),
    expect: () => ({ level: 'commune', score: 82, ocop_stars: 4, province_code: '33' }),
    q: 'mat ngot lanh',
    filter: () => ['ocop_stars', '4'],
    update: { level: 'province' },
    updated: { level: 'province' },
    invalid: (b) => [{ ...b, level: 'district' }, 'level'],
  },
  {
    c: 'other-support',
    body: () => ({
      establishment_id: ids.establishments,
      kind: 'energy_audit',
      year: 2026,
      amount: '30 triệu đồng',
      outcome: 'Kiểm toán năng lượng thử nghiệm Lạc Hồng Tươi',
      energy_saved: '7,5%',
    }),
    expect: () => ({ amount: 30_000_000, energy_saved: 75, province_code: '33' }),
    q: 'lac hong tuoi',
    filter: () => ['kind', 'energy_audit'],
    update: { energy_saved: '71,7%' },
    updated: { energy_saved: 717 },
    invalid: (b) => [{ ...b, energy_saved: '120%' }, 'energy_saved'],
  },
  {
    c: 'consultants',
    body: () => ({
      name: 'Trần Thị Thử Nghiệm Bích',
      expertise: 'Chế biến nông sản',
      province: '33',
      illustrative: false,
    }),
    expect: () => ({ province: '33', province_code: '33', illustrative: false }),
    q: 'tran thi thu nghiem bich',
    filter: () => ['illustrative', 'false'],
    update: { phone: '0221 3862 000' },
    updated: { phone: '0221 3862 000' },
    invalid: (b) => [{ ...b, name: undefined }, 'name'],
  },
  {
    c: 'consultant-assignments',
    body: () => ({ consultant_id: ids.consultants, project_id: ids.projects, role: 'survey' }),
    expect: () => ({
      role: 'survey',
      consultant_id_title: 'Trần Thị Thử Nghiệm Bích',
      province_code: '33',
    }),
    q: null,
    filter: () => ['consultant_id', String(ids.consultants)],
    update: { role: 'appraisal' },
    updated: { role: 'appraisal' },
    invalid: (b) => [{ ...b, role: 'boss' }, 'role'],
  },
  {
    c: 'proposals',
    body: () => ({
      establishment_id: ids.establishments,
      title: 'Đề xuất thử nghiệm máy chiết rót Văn Lâm',
      content_type: 'machinery',
      year: 2027,
      cost: '500 triệu đồng',
      counterpart: '350 triệu đồng',
    }),
    expect: () => ({ cost: 500_000_000, counterpart: 350_000_000, province_code: '33' }),
    q: 'chiet rot van lam',
    filter: () => ['establishment_id', String(ids.establishments)],
    update: { needs: 'Dây chuyền đóng nắp' },
    updated: { needs: 'Dây chuyền đóng nắp' },
    invalid: (b) => [{ ...b, status: 'accepted' }, 'status'],
  },
  {
    c: 'figures',
    body: () => ({
      indicator: 'budget.disbursed',
      subject: 'Giá trị thử nghiệm Đông Tảo Hồng',
      unit_era: 'old',
      unit_id: 'Nam Định',
      period_from: 2015,
      period_to: 2015,
      value: 'khoảng 4.100',
      measure: 'tỷ đồng',
      source_title: 'Bài thử nghiệm',
      source_date: '17/05/2016',
    }),
    expect: () => ({
      value: { value: 4100, value_hi: 4100, scale: 0, qualifier: 'about' },
      source_date: '2016-05-17',
      province_code: '37',
      old_province_code: '36',
      unit_id_code: '36',
    }),
    q: 'dong tao hong',
    filter: () => ['indicator', 'budget.disbursed'],
    update: { value: '5–7' },
    updated: { value: { value: 5, value_hi: 7, scale: 0, qualifier: 'range' } },
    invalid: (b) => [{ ...b, period_from: 2016 }, 'period_from'],
  },
];

test('the table covers every collection of entities.c', async () => {
  const r = await admin.get('/api/v1');
  status(r, 200);
  // The 19 record types of entities.c (src/model/entities.c, entities[]).
  const all = [
    'establishments', 'villages', 'village-years', 'programmes', 'targets', 'plans', 'projects',
    'project-events', 'beneficiaries', 'training-classes', 'demo-models', 'machinery',
    'trade-fairs', 'awards', 'other-support', 'consultants', 'consultant-assignments',
    'proposals', 'figures',
  ];
  assert.equal(all.length, 19);
  assert.deepEqual(TABLE.map((t) => t.c).sort(), [...all].sort());
  for (const c of all) status(await admin.get(list(c, { per_page: '1' })), 200, c);
});

for (const t of TABLE) {
  test(`${t.c}: POST creates (201, Location, ETag "1", canonical values)`, async () => {
    if (t.history) {
      ids[t.c] = await t.create();
      versions[t.c] = 1;
      assertHistory(await admin.post(path(t.c), { json: t.body() }));
      return;
    }
    const r = await admin.post(path(t.c), { json: t.body() });
    status(r, 201, t.c);
    const id = r.body.id;
    assert.ok(Number.isInteger(id) && id > 0);
    assert.equal(r.headers.get('location'), `/api/v1/${t.c}/${id}`);
    assert.equal(r.headers.get('etag'), '"1"');
    assert.equal(r.body.version, 1);
    assertHas(r.body, t.expect(), t.c);
    ids[t.c] = id;
    versions[t.c] = 1;
  });

  test(`${t.c}: GET one returns it with ETag "1"`, async () => {
    const r = await admin.get(path(t.c, ids[t.c]));
    status(r, 200);
    assert.equal(r.headers.get('etag'), '"1"');
    assert.equal(r.body.id, ids[t.c]);
    assert.equal(r.body.version, 1);
    assertHas(r.body, t.expect(), t.c);
  });

  test(`${t.c}: the list finds it${t.q ? ' by q without diacritics' : ''} and by a filter`, async () => {
    if (t.q) {
      const r = await admin.get(list(t.c, { q: t.q }));
      status(r, 200);
      assert.ok(r.body.items.some((x) => x.id === ids[t.c]), `q=${t.q}: ${r.text}`);
      assert.ok(r.body.total >= 1);
      const none = await admin.get(list(t.c, { q: `zzkhongco ${t.q}` }));
      status(none, 200);
      assert.equal(none.body.total, 0, 'every word must match');
    }
    const [name, value] = t.filter();
    const r = await admin.get(list(t.c, { [name]: value, per_page: '500' }));
    status(r, 200, `${name}=${value}`);
    assert.ok(r.body.items.some((x) => x.id === ids[t.c]), `${name}=${value}: ${r.text}`);
    assert.equal(r.body.total, r.body.items.length);
    assert.equal(r.body.total_exact, true, 'a short list is counted exactly');
    for (const x of r.body.items) {
      const got = x[name];
      assert.equal(typeof got === 'boolean' ? String(got) : String(got), value, `${name} of ${x.id}`);
    }
  });

  test(`${t.c}: PATCH with If-Match "1" is 200, version 2; again with "1" is 412`, async () => {
    if (t.history) {
      assertHistory(await admin.patch(path(t.c, ids[t.c]), {
        json: t.update, headers: { 'If-Match': '"1"' },
      }));
      assert.equal((await admin.get(path(t.c, ids[t.c]))).body.version, 1);
      return;
    }
    const r = await admin.patch(path(t.c, ids[t.c]), {
      json: t.update,
      headers: { 'If-Match': '"1"' },
    });
    status(r, 200, t.c);
    assert.equal(r.body.version, 2);
    assert.equal(r.headers.get('etag'), '"2"');
    assertHas(r.body, { ...t.expect(), ...t.updated }, t.c);
    versions[t.c] = 2;

    const stale = await admin.patch(path(t.c, ids[t.c]), {
      json: t.body(),
      headers: { 'If-Match': '"1"' },
    });
    status(stale, 412);
    assert.equal(stale.body.error.code, 'precondition_failed');
    const now = await admin.get(path(t.c, ids[t.c]));
    assert.equal(now.body.version, 2);
    assert.equal(now.headers.get('etag'), '"2"');
    assertHas(now.body, t.updated, t.c);
  });

  test(`${t.c}: an invalid body is 400 naming the field, in Vietnamese`, async () => {
    if (t.history) return; /* nothing is written through this API: 405 above */
    const [bad, field] = t.invalid(t.body());
    const before = await admin.get(list(t.c, { per_page: '1' }));
    const r = await admin.post(path(t.c), { json: bad });
    assertInvalid(r, field);
    const afterList = await admin.get(list(t.c, { per_page: '1' }));
    assert.equal(afterList.body.total, before.body.total, 'nothing was created');
    // The same change on the existing record is refused too, and changes nothing.
    const p = await admin.patch(path(t.c, ids[t.c]), {
      json: bad,
      headers: { 'If-Match': `"${versions[t.c]}"` },
    });
    if (field === 'name' && bad.name === undefined) {
      // Leaving a field out of a PATCH keeps it: nothing to refuse.
      status(p, 200);
      versions[t.c] = p.body.version;
      return;
    }
    assertInvalid(p, field);
    assert.equal((await admin.get(path(t.c, ids[t.c]))).body.version, versions[t.c]);
  });
}

test(
  'trade-fairs: a fair abroad without its country is 400 on country',
  async (t) => {
    const body = {
      province: '33',
      name: 'Hội chợ thử nghiệm ở nước ngoài Osaka',
      year: 2026,
      abroad: true,
    };
    const r = await admin.post('/api/v1/trade-fairs', { json: body });
    if (r.status === 201)
      t.after(() => admin.delete(`/api/v1/trade-fairs/${r.body.id}`, { headers: { 'If-Match': '"1"' } }));
    assertInvalid(r, 'country');
  },
);

/* ---- deletes ---- */

test('deleting a referenced record is 409 conflict and keeps it', async () => {
  for (const c of ['establishments', 'projects', 'villages', 'programmes']) {
    const r = await admin.delete(path(c, ids[c]), { headers: { 'If-Match': `"${versions[c]}"` } });
    status(r, 409, c);
    assert.equal(r.body.error.code, 'conflict');
    assert.match(r.body.error.message, VI);
    status(await admin.get(path(c, ids[c])), 200, c);
  }
});

test('DELETE with a stale If-Match is 412 and keeps the record', async () => {
  const c = 'figures';
  const r = await admin.delete(path(c, ids[c]), { headers: { 'If-Match': '"1"' } });
  status(r, 412);
  assert.equal(r.body.error.code, 'precondition_failed');
  status(await admin.get(path(c, ids[c])), 200);
});

test('DELETE (If-Match of the current version) is 204, then GET is 404; in reverse order', async () => {
  for (const t of [...TABLE].reverse()) {
    const cur = await admin.get(path(t.c, ids[t.c]));
    status(cur, 200, t.c);
    const etag = cur.headers.get('etag');
    assert.equal(etag, `"${versions[t.c]}"`, t.c);
    if (t.history) {
      assertHistory(await admin.delete(path(t.c, ids[t.c]), { headers: { 'If-Match': etag } }));
      status(await admin.get(path(t.c, ids[t.c])), 200, t.c);
      continue;
    }
    const r = await admin.delete(path(t.c, ids[t.c]), { headers: { 'If-Match': etag } });
    status(r, 204, t.c);
    assert.equal(r.text, '');
    const gone = await admin.get(path(t.c, ids[t.c]));
    status(gone, 404, t.c);
    assert.equal(gone.body.error.code, 'not_found');
  }
});

/* ---- errors of the collection routes ---- */

test('an unknown collection is 404', async () => {
  const r = await admin.get('/api/v1/nonsense');
  status(r, 404);
  status(await admin.get('/api/v1/nonsense/1'), 404);
  status(await admin.post('/api/v1/nonsense', { json: { name: 'x' } }), 404);
});

test('an undeclared filter is 400 naming it', async () => {
  const r = await admin.get('/api/v1/projects?bogus=1');
  assertInvalid(r, 'bogus');
  // A field that exists but is not a filter is refused the same way.
  assertInvalid(await admin.get('/api/v1/projects?title=x'), 'title');
});

test('an unknown field in a body is 400 naming it', async () => {
  const r = await admin.post('/api/v1/consultants', { json: { name: 'Người lạ', colour: 'red' } });
  assertInvalid(r, 'colour');
});

test('a record that does not exist is 404; a malformed id is 404', async () => {
  const r = await admin.get('/api/v1/projects/99999999');
  status(r, 404);
  assert.equal(r.body.error.code, 'not_found');
  status(await admin.get('/api/v1/projects/abc'), 404);
});

test('list parameters: sort and order, a bad sort, a bad filter value, a bad per_page', async () => {
  const asc = await admin.get(list('projects', { sort: 'year', order: 'asc', per_page: '500' }));
  status(asc, 200);
  const years = asc.body.items.map((p) => p.year);
  assert.deepEqual(years, [...years].sort((a, b) => a - b));
  assertInvalid(await admin.get(list('projects', { sort: 'bogus' })), 'sort');
  assertInvalid(await admin.get(list('awards', { ocop_stars: 'nhiều' })), 'ocop_stars');
  assertInvalid(await admin.get(list('projects', { per_page: '0' })), 'per_page');
  assertInvalid(await admin.get(list('projects', { year_from: 'abc' })), 'year_from');
  const page2 = await admin.get(list('figures', { per_page: '5', page: '2' }));
  status(page2, 200);
  assert.equal(page2.body.page, 2);
  assert.equal(page2.body.items.length, 5);
});

test('list filters accept an enum label and search accepts diacritics', async () => {
  const coops = await admin.get(list('establishments', { kind: 'Hợp tác xã' }));
  status(coops, 200);
  assert.ok(coops.body.total >= 1);
  assert.ok(coops.body.items.every((e) => e.kind === 'cooperative'));
  const marked = await admin.get(list('establishments', { q: 'Phù Ủng' }));
  const plain = await admin.get(list('establishments', { q: 'phu ung' }));
  assert.equal(marked.body.total, 1);
  assert.deepEqual(marked.body.items.map((e) => e.id), plain.body.items.map((e) => e.id));
});

test('list filters of the statistics: a date range, ids, a set, a negation and filters through the establishment', async () => {
  const ids = [];
  for (const [date_from, year] of [['2024-03-10', 2024], ['20/12/2023', 2023], [null, 2024]]) {
    const json = { province: '12', kind: 'vocational', topic: 'Lớp thử ngày', year, trainees: 10 };
    if (date_from) json.date_from = date_from;
    const r = await admin.post('/api/v1/training-classes', { json });
    status(r, 201);
    ids.push(r.body.id);
  }
  const tc = (params) => admin.get(list('training-classes', { province: '12', ...params }));
  // Dated classes by their date; undated ones only within year_from..year_to.
  assert.equal((await tc({ date_from: '2023-12-15', date_to: '2024-12-14' })).body.total, 2);
  assert.equal((await tc({ date_from: '15/12/2023', date_to: '14/12/2024', year_from: '2024', year_to: '2024' })).body.total, 3);
  assert.equal((await tc({ date_from: '2024-01-01' })).body.total, 1);
  assert.equal((await tc({ date_from: '2023-12-15', year: '2023' })).body.total, 1, 'year= is a condition of its own');
  const byIds = await admin.get(list('training-classes', { ids: `${ids[0]},${ids[2]}` }));
  assert.deepEqual(byIds.body.items.map((c) => c.id).sort(), [ids[0], ids[2]].sort());
  assert.equal((await tc({ kind: 'vocational,craft_transfer' })).body.total, 3);
  assert.equal((await tc({ kind: 'craft_transfer,management' })).body.total, 0);
  assert.equal((await admin.get(`/api/v1/training-classes?province=12&kind!=vocational`)).body.total, 0);
  assert.equal((await admin.get(`/api/v1/training-classes?province=12&date_from!=none`)).body.total, 2);

  // Machinery through its establishment: kind, commune (today's), village.
  const unit = await admin.get('/api/v1/units?level=commune&era=new&province=12&per_page=1');
  status(unit, 200);
  const commune = unit.body.items[0];
  const est = await admin.post('/api/v1/establishments', {
    json: { name: 'HTX thử lọc', kind: 'cooperative', commune_id: commune.code, industry_code: '1311' },
  });
  status(est, 201);
  const m = await admin.post('/api/v1/machinery', { json: { establishment_id: est.body.id, equipment: 'Máy dệt thử', year: 2024 } });
  status(m, 201);
  const mach = (params) => admin.get(list('machinery', { province: '12', ...params }));
  assert.equal((await mach({ establishment_kind: 'cooperative' })).body.total, 1);
  assert.equal((await mach({ establishment_kind: 'household' })).body.total, 0);
  assert.equal((await mach({ establishment_kind: 'none' })).body.total, 0);
  assert.equal((await mach({ commune: `new:${commune.code}` })).body.total, 1);
  assert.equal((await mach({ commune: 'new:00004' })).body.total, 0);
  assert.equal((await mach({ industry: '2025:C' })).body.total, 1);
  assert.equal((await mach({ village: 'none' })).body.total, 1);
  assert.equal((await mach({ funding: 'none' })).body.total, 1);
  assert.equal((await mach({ content_type: 'machinery' })).body.total, 1, 'what machinery stands for');
  // Bad values name the parameter.
  assertInvalid(await mach({ establishment_kind: 'nonsense' }), 'establishment_kind');
  assertInvalid(await mach({ commune: commune.code }), 'commune');
  assertInvalid(await tc({ establishment_kind: 'household' }), 'establishment_kind');
  assertInvalid(await tc({ date_from: '31/02/2024' }), 'date_from');
  assertInvalid(await mach({ date_to: '2024-12-31' }), 'date_to');
  assertInvalid(await admin.get(list('figures', { ids: '1,,2' })), 'ids');
  // The OpenAPI document declares them where they apply.
  const doc = (await admin.get('/api/v1/openapi.json')).body;
  const names = (p) => doc.paths[p].get.parameters.map((x) => x.name ?? x.$ref?.split('/').pop());
  for (const n of ['date_from', 'date_to', 'ids']) assert.ok(names('/api/v1/training-classes').includes(n), n);
  for (const n of ['establishment_kind', 'commune', 'industry', 'village', 'village_group', 'funding', 'content_type', 'units', 'ids'])
    assert.ok(names('/api/v1/machinery').includes(n), n);
  assert.ok(!names('/api/v1/machinery').includes('date_from'), 'machinery has no date');
  assert.ok(!names('/api/v1/training-classes').includes('establishment_kind'), 'a class has no establishment');
});

test('year filters: figures by the year their period starts', async () => {
  const r = await admin.get(list('figures', { year: '2015', old_province: '36' }));
  status(r, 200);
  assert.ok(r.body.total > 0);
  assert.ok(r.body.items.every((f) => f.period_from === 2015));
  const span = await admin.get(list('figures', { year_from: '2014', year_to: '2016' }));
  assert.ok(span.body.items.every((f) => f.period_from >= 2014 && f.period_from <= 2016));
});

test(
  'a year filter on a collection without a year is refused or ignored, not "nothing"',
  async () => {
    for (const c of ['programmes', 'consultants']) {
      const all = await admin.get(list(c, { per_page: '500' }));
      const r = await admin.get(list(c, { year: '2021', per_page: '500' }));
      if (r.status === 400) assert.equal(r.body.error.field, 'year');
      else {
        status(r, 200);
        assert.equal(r.body.total, all.body.total, `${c}?year=2021`);
      }
    }
  },
);

/* ---- scope ---- */

/* The demo's Hưng Yên projects (province 33). */
async function hungYenProject() {
  const r = await admin.get(list('projects', { province: '33' }));
  status(r, 200);
  assert.ok(r.body.items.length > 0, 'the demo data has Hưng Yên projects');
  return r.body.items[0];
}

const hnProject = {
  title: 'Đề án thử nghiệm gốm Bát Tràng Hà Nội',
  year: 2026,
  province: '01',
  content_type: 'training',
  kind: 'local',
};

test('a province account of 01 cannot create a project of Hưng Yên (403), can create one of 01', async () => {
  const before = (await admin.get(list('projects', { province: '33' }))).body.total;
  const r = await hn.post('/api/v1/projects', {
    json: { ...hnProject, title: 'Đề án lạc tỉnh Hưng Yên', province: '33' },
  });
  status(r, 403);
  assert.equal(r.body.error.code, 'forbidden');
  assert.equal((await admin.get(list('projects', { province: '33' }))).body.total, before);
  const ok = await hn.post('/api/v1/projects', { json: hnProject });
  status(ok, 201);
  assert.equal(ok.body.province_code, '01');
});

test('a province account of 01 lists only the projects of 01', async () => {
  const mine = await hn.get('/api/v1/projects?per_page=500');
  status(mine, 200);
  const of01 = await admin.get(list('projects', { province: '01', per_page: '500' }));
  const all = await admin.get(list('projects', { per_page: '500' }));
  assert.ok(mine.body.total >= 1);
  assert.equal(mine.body.total, of01.body.total);
  assert.ok(all.body.total > mine.body.total, 'there are projects of other provinces');
  assert.ok(mine.body.items.every((p) => p.province_code === '01'), mine.text);
  // Asking for Hưng Yên explicitly gives nothing either.
  const hy = await hn.get('/api/v1/projects?province=33');
  status(hy, 200);
  assert.equal(hy.body.total, 0);
});

test('a province account of 01 cannot read, change or delete a Hưng Yên project', async () => {
  const p = await hungYenProject();
  const r = await hn.get(`/api/v1/projects/${p.id}`);
  assert.ok([403, 404].includes(r.status), `${r.status} ${r.text}`);
  const u = await hn.patch(`/api/v1/projects/${p.id}`, { json: { note: 'x' } });
  assert.ok([403, 404].includes(u.status), `${u.status} ${u.text}`);
  const d = await hn.delete(`/api/v1/projects/${p.id}`);
  assert.ok([403, 404].includes(d.status), `${d.status} ${d.text}`);
  const same = await admin.get(`/api/v1/projects/${p.id}`);
  assert.equal(same.body.version, p.version);
});

test(
  'a province account lists the national records it may read',
  async () => {
    const nat = await admin.get(list('programmes', { level: 'national' }));
    assert.ok(nat.body.total >= 1);
    const one = nat.body.items[0];
    status(await hn.get(`/api/v1/programmes/${one.id}`), 200);
    const mine = await hn.get(list('programmes', { level: 'national' }));
    status(mine, 200);
    assert.ok(mine.body.items.some((p) => p.id === one.id), mine.text);
  },
);

test('a viewer gets 403 on POST, PATCH and DELETE, and can read', async () => {
  const r = await viewer.post('/api/v1/projects', { json: hnProject });
  status(r, 403);
  assert.equal(r.body.error.code, 'forbidden');
  const p = await hungYenProject();
  status(await viewer.patch(`/api/v1/projects/${p.id}`, { json: { note: 'x' } }), 403);
  status(await viewer.delete(`/api/v1/projects/${p.id}`), 403);
  status(await viewer.get(`/api/v1/projects/${p.id}`), 200);
});

test('without login the record API is 401', async () => {
  const anon = new Client(env.base);
  status(await anon.get('/api/v1/projects'), 401);
  status(await anon.post('/api/v1/projects', { json: hnProject }), 401);
});

/* ---- project lifecycle ---- */

let lifecycle;
test('project lifecycle: steps list the next statuses of a draft', async () => {
  const c = await admin.post('/api/v1/projects', {
    json: {
      title: 'Đề án vòng đời thử nghiệm Yên Mỹ',
      year: 2026,
      province: '33',
      content_type: 'demo_model',
      kind: 'local',
    },
  });
  status(c, 201);
  lifecycle = c.body.id;
  const r = await admin.get(`/api/v1/projects/${lifecycle}/steps`);
  status(r, 200);
  assert.equal(r.body.status, 'draft');
  assert.deepEqual([...r.body.next].sort(), ['cancelled', 'province_appraised']);
  assert.deepEqual(r.body.steps, []);
});

test('project lifecycle: a legal move is 200 and records a dated step', async () => {
  const r = await admin.post(`/api/v1/projects/${lifecycle}/transitions`, {
    json: { to: 'province_appraised', date: '15/03/2026', decision_no: '310/SCT-KC' },
  });
  status(r, 200);
  assert.equal(r.body.status, 'province_appraised');
  assert.equal(r.body.id, lifecycle);
  const s = await admin.get(`/api/v1/projects/${lifecycle}/steps`);
  assert.equal(s.body.status, 'province_appraised');
  // A local project goes to approval by the province, not to the ministry.
  assert.ok(s.body.next.includes('approved'), s.text);
  assert.ok(!s.body.next.includes('ministry_appraised'), s.text);
  assert.equal(s.body.steps.length, 1);
  assertHas(s.body.steps[0], {
    project_id: lifecycle,
    status: 'province_appraised',
    from_status: 'draft',
    event_date: '2026-03-15',
    decision_no: '310/SCT-KC',
  }, 'step');
});

test('project lifecycle: an illegal move is 409 and changes nothing', async () => {
  for (const to of ['settled', 'ministry_appraised', 'draft']) {
    const r = await admin.post(`/api/v1/projects/${lifecycle}/transitions`, {
      json: { to, date: '20/03/2026' },
    });
    status(r, 409, to);
    assert.equal(r.body.error.code, 'conflict');
    assert.match(r.body.error.message, VI);
  }
  const s = await admin.get(`/api/v1/projects/${lifecycle}/steps`);
  assert.equal(s.body.status, 'province_appraised');
  assert.equal(s.body.steps.length, 1);
});

test('project lifecycle: a date before the previous step is 400 on date', async () => {
  const r = await admin.post(`/api/v1/projects/${lifecycle}/transitions`, {
    json: { to: 'approved', date: '01/03/2026' },
  });
  assertInvalid(r, 'date');
  const bad = await admin.post(`/api/v1/projects/${lifecycle}/transitions`, {
    json: { to: 'approved', date: '31/02/2026' },
  });
  assertInvalid(bad, 'date');
  const s = await admin.get(`/api/v1/projects/${lifecycle}/steps`);
  assert.equal(s.body.status, 'province_appraised');
  assert.equal(s.body.steps.length, 1);
  // The same day as the previous step is fine.
  const ok = await admin.post(`/api/v1/projects/${lifecycle}/transitions`, {
    json: { to: 'approved', date: '15/03/2026' },
  });
  status(ok, 200);
  assert.equal(ok.body.status, 'approved');
});

test('project lifecycle: status is set by transitions only', async () => {
  const cur = await admin.get(`/api/v1/projects/${lifecycle}`);
  const r = await admin.patch(`/api/v1/projects/${lifecycle}`, {
    json: { status: 'settled' },
    headers: { 'If-Match': cur.headers.get('etag') },
  });
  assertInvalid(r, 'status');
});

test('project lifecycle: a viewer cannot move a project; hn cannot move a Hưng Yên one', async () => {
  const v = await viewer.post(`/api/v1/projects/${lifecycle}/transitions`, {
    json: { to: 'contracted', date: '20/03/2026' },
  });
  status(v, 403);
  const h = await hn.post(`/api/v1/projects/${lifecycle}/transitions`, {
    json: { to: 'contracted', date: '20/03/2026' },
  });
  assert.ok([403, 404].includes(h.status), `${h.status} ${h.text}`);
  assert.equal((await admin.get(`/api/v1/projects/${lifecycle}`)).body.status, 'approved');
});

/* ---- proposals: an establishment's request becomes a project ---- */

const EST_PW = 'establishment-pass-1';
let estOwn;
let estOther;
let estClient;
let proposal;

async function newEstablishment(name, nine) {
  const r = await admin.post('/api/v1/establishments', {
    json: { name, kind: 'cooperative', tax_code: taxCode(nine), commune_id: MESO },
  });
  status(r, 201, name);
  return r.body.id;
}

test('proposal flow: an establishment account is made for its establishment', async () => {
  estOwn = await newEstablishment('Hợp tác xã thử nghiệm Nghĩa Trụ', '010888000');
  estOther = await newEstablishment('Hợp tác xã thử nghiệm Lạc Đạo', '010777000');
  const r = await run(
    ['user', 'add', 'coso', '--role', 'establishment', '--establishment', String(estOwn), '--db', env.db],
    { input: `${EST_PW}\n` },
  );
  assert.equal(r.code, 0, r.stderr);
  estClient = await login(env.base, 'coso', EST_PW, 'bearer');
  assert.equal(estClient.user.role, 'establishment');
});

const proposalBody = (establishment_id) => ({
  establishment_id,
  title: 'Đề xuất thử nghiệm máy đóng gói Nghĩa Trụ',
  content_type: 'machinery',
  year: 2027,
  needs: 'Máy đóng gói tự động',
  cost: '500 triệu đồng',
  counterpart: '350 triệu đồng',
});

test('proposal flow: the establishment proposes for itself (201)', async () => {
  const r = await estClient.post('/api/v1/proposals', { json: proposalBody(estOwn) });
  status(r, 201);
  proposal = r.body.id;
  assert.equal(r.body.establishment_id, estOwn);
  assert.equal(r.body.province_code, '33');
  assert.ok(r.body.status === null || r.body.status === 'draft', r.text);
  // It sees its own proposal and establishment.
  status(await estClient.get(`/api/v1/proposals/${proposal}`), 200);
  status(await estClient.get(`/api/v1/establishments/${estOwn}`), 200);
  const mine = await estClient.get('/api/v1/proposals');
  status(mine, 200);
  assert.deepEqual(mine.body.items.map((p) => p.id), [proposal]);
});

test('proposal flow: a proposal for another establishment is refused and not created', async () => {
  const before = (await admin.get(list('proposals', { establishment_id: String(estOther) }))).body.total;
  const r = await estClient.post('/api/v1/proposals', { json: proposalBody(estOther) });
  assert.ok([400, 403].includes(r.status), `${r.status} ${r.text}`);
  if (r.status === 400) assert.equal(r.body.error.field, 'establishment_id');
  const afterN = (await admin.get(list('proposals', { establishment_id: String(estOther) }))).body.total;
  assert.equal(afterN, before);
  const other = await estClient.get(`/api/v1/establishments/${estOther}`);
  assert.ok([403, 404].includes(other.status), `${other.status}`);
});

/* A proposal naming another establishment is refused as if that establishment did not
 * exist (400 on establishment_id): records outside an account's scope are not revealed. */

test('proposal flow: the establishment cannot accept its own proposal, but submits it', async () => {
  const early = await estClient.post(`/api/v1/proposals/${proposal}/transitions`, {
    json: { to: 'accepted' },
  });
  status(early, 409);
  const r = await estClient.post(`/api/v1/proposals/${proposal}/transitions`, {
    json: { to: 'submitted' },
  });
  status(r, 200);
  assert.equal(r.body.status, 'submitted');
  const self = await estClient.post(`/api/v1/proposals/${proposal}/transitions`, {
    json: { to: 'accepted' },
  });
  status(self, 409);
  const conv = await estClient.post(`/api/v1/proposals/${proposal}/transitions`, {
    json: { to: 'converted' },
  });
  status(conv, 403);
});

test('proposal flow: converting before acceptance is 409', async () => {
  const r = await admin.post(`/api/v1/proposals/${proposal}/transitions`, { json: { to: 'converted' } });
  status(r, 409);
  assert.equal((await admin.get(`/api/v1/proposals/${proposal}`)).body.status, 'submitted');
});

test('proposal flow: the admin accepts it, then converts it into a local project', async () => {
  const a = await admin.post(`/api/v1/proposals/${proposal}/transitions`, {
    json: { to: 'accepted', note: 'Đồng ý đưa vào kế hoạch' },
  });
  status(a, 200);
  assert.equal(a.body.status, 'accepted');
  assert.equal(a.body.review_note, 'Đồng ý đưa vào kế hoạch');
  const c = await admin.post(`/api/v1/proposals/${proposal}/transitions`, { json: { to: 'converted' } });
  status(c, 200);
  assert.equal(c.body.status, 'converted');
  assert.ok(Number.isInteger(c.body.project_id), c.text);
  const p = await admin.get(`/api/v1/projects/${c.body.project_id}`);
  status(p, 200);
  assertHas(p.body, {
    kind: 'local',
    status: 'draft',
    title: 'Đề xuất thử nghiệm máy đóng gói Nghĩa Trụ',
    content_type: 'machinery',
    year: 2027,
    province: '33',
    establishment_id: estOwn,
    cost_total: 500_000_000,
    approved_counterpart: 350_000_000,
  }, 'project');
  // Converting twice is refused.
  const again = await admin.post(`/api/v1/proposals/${proposal}/transitions`, { json: { to: 'converted' } });
  status(again, 409);
  // The establishment sees the project made for it, and only that one.
  const seen = await estClient.get('/api/v1/projects');
  status(seen, 200);
  assert.deepEqual(seen.body.items.map((x) => x.id), [c.body.project_id]);
});

test('proposal flow: the establishment account edits its own establishment, deletes nothing', async () => {
  const cur = await estClient.get(`/api/v1/establishments/${estOwn}`);
  status(cur, 200);
  const r = await estClient.patch(`/api/v1/establishments/${estOwn}`, {
    json: { phone: '0221 3000 000' },
    headers: { 'If-Match': cur.headers.get('etag') },
  });
  status(r, 200);
  assert.equal(r.body.phone, '0221 3000 000');
  const other = await estClient.patch(`/api/v1/establishments/${estOther}`, { json: { phone: '1' } });
  assert.ok([403, 404].includes(other.status), `${other.status}`);
  const d = await estClient.delete(`/api/v1/proposals/${proposal}`);
  status(d, 403);
  const p = await estClient.post('/api/v1/projects', { json: { ...hnProject, province: '33' } });
  status(p, 403);
});

test('the delete form says "Đã xóa." on the list it returns to, not "Đã lưu."', async () => {
  const web = await login(env.base, 'admin', env.adminPassword);
  const made = await admin.post(path('consultants'), { json: { name: 'Tư vấn để xóa', province: '01' } });
  status(made, 201, made.text);
  const r = await web.post(`/consultants/${made.body.id}/delete`, {
    body: new URLSearchParams({ _version: String(made.body.version), confirm: '1' }).toString(),
    headers: { 'Content-Type': 'application/x-www-form-urlencoded' },
  });
  status(r, 303, r.text);
  assert.equal(r.headers.get('location'), '/consultants?done=deleted');
  const list = await web.get(r.headers.get('location'));
  assert.match(list.text, /id="form-done"[^>]*>Đã xóa\./);
  assert.doesNotMatch(list.text, /Đã lưu/);
});

/* ---- whole-form validation (issue 12, item 2) ---- */

test('a form reports every error at once: a summary linking to each field, aria on fields, input kept', async () => {
  const web = await login(env.base, 'admin', env.adminPassword);
  const r = await web.post('/plans/new', {
    body: new URLSearchParams({ name: '', budget_national: 'nhiều tiền', decision_date: '32/13/2020' }).toString(),
    headers: { 'Content-Type': 'application/x-www-form-urlencoded' },
  });
  status(r, 400, r.text);
  const summary = r.text.match(/<div class="error-summary"[^>]*id="form-error"[^>]*>([\s\S]*?)<\/div>/);
  assert.ok(summary, 'an error summary at the top');
  const links = [...summary[1].matchAll(/<a href="#in-([a-z_]+)">/g)].map((m) => m[1]);
  // Every error, in the order of the form's fields.
  assert.deepEqual(links, ['name', 'province', 'year', 'budget_national', 'decision_date']);
  // Each line reads on its own: a value that does not convert is named by its field.
  assert.match(summary[1], /<a href="#in-budget_national">Kinh phí khuyến công quốc gia: &quot;nhiều tiền&quot;/);
  assert.match(summary[1], /<a href="#in-decision_date">Ngày quyết định: Ngày 32\/13\/2020 không có trong lịch<\/a>/);
  for (const f of links) {
    assert.match(r.text, new RegExp(`id="in-${f}"[^>]*aria-invalid="true" aria-describedby="error-${f}"`), f);
    assert.match(r.text, new RegExp(`<p class="field-error" id="error-${f}">[^<]+</p>`), f);
  }
  assert.doesNotMatch(r.text, /id="in-budget_local"[^>]*aria-invalid/);
  assert.match(r.text, /id="in-budget_national" value="nhiều tiền"/, 'what was typed is kept');
  assert.match(r.text, /<title>Lỗi: /);
});

test('the API answers the first error in error and all of them in errors', async () => {
  const r = await admin.post(path('plans'), { json: { budget_national: 'nhiều tiền', year: 1800 } });
  assertInvalid(r, 'name');
  assert.deepEqual(r.body.errors.map((x) => x.field), ['name', 'province', 'year', 'budget_national']);
  for (const x of r.body.errors) {
    assert.equal(x.code, 'invalid');
    assert.match(x.message, VI);
  }
  assert.deepEqual(r.body.errors[0], r.body.error);
});

/* A local project of Hưng Yên moved through the given steps (dd/mm/2026). */
async function projectAt(title, fields, steps) {
  const c = await admin.post(path('projects'), {
    json: { title, year: 2026, province: '33', content_type: 'machinery', kind: 'local', ...fields },
  });
  status(c, 201, c.text);
  for (const [to, date] of steps) {
    const r = await admin.post(`/api/v1/projects/${c.body.id}/transitions`, { json: { to, date } });
    status(r, 200, `${to}: ${r.text}`);
  }
  return c.body.id;
}

test('a refused step stays on the project page: the error beside its input, dates as dd/mm/yyyy, input kept', async () => {
  const id = await projectAt('Đề án bước sai ngày', {}, [['province_appraised', '15/03/2026']]);
  const web = await login(env.base, 'admin', env.adminPassword);
  const r = await web.post(`/projects/${id}/transition`, {
    body: new URLSearchParams({ to: 'approved', date: '01/03/2026', decision_no: '720/QĐ-UBND', note: 'ghi chú giữ lại' }).toString(),
    headers: { 'Content-Type': 'application/x-www-form-urlencoded' },
  });
  status(r, 400, r.text);
  assert.match(r.text, /<h1>Đề án bước sai ngày<\/h1>/, 'the project page, not a bare error page');
  assert.match(r.text, /id="form-error"[\s\S]*<a href="#in-date">Ngày 01\/03\/2026 trước ngày của bước trước \(15\/03\/2026\)<\/a>/);
  assert.doesNotMatch(r.text, /2026-03-01|2026-03-15/, 'no ISO dates in the messages');
  assert.match(r.text, /id="in-date" value="01\/03\/2026"[^>]*aria-invalid="true" aria-describedby="error-date"/);
  assert.match(r.text, /<p class="field-error" id="error-date">/);
  assert.match(r.text, /id="in-decision_no" value="720\/QĐ-UBND"/);
  assert.match(r.text, /id="in-note" value="ghi chú giữ lại"/);
  assert.match(r.text, /<option value="approved" selected>/);
  const s = await admin.get(`/api/v1/projects/${id}/steps`);
  assert.equal(s.body.status, 'province_appraised');
});

test('steps that move money ask for the amounts: no acceptance with nothing advanced or disbursed', async () => {
  const id = await projectAt('Đề án nghiệm thu không tiền', { approved_local: '150 triệu' }, [
    ['province_appraised', '01/03/2026'], ['approved', '02/03/2026'], ['contracted', '03/03/2026'],
  ]);
  const url = `/api/v1/projects/${id}/transitions`;
  // An advance needs its amount.
  let r = await admin.post(url, { json: { to: 'advanced', date: '04/03/2026' } });
  assertInvalid(r, 'advanced_local');
  r = await admin.post(url, { json: { to: 'in_progress', date: '04/03/2026' } });
  status(r, 200, r.text);
  r = await admin.post(url, { json: { to: 'accepted', date: '01/10/2026' } });
  assertInvalid(r, 'disbursed_local');
  // More than approved is refused, with the bad date, all at once.
  r = await admin.post(url, { json: { to: 'accepted', date: '01/01/2026', disbursed_local: '200 triệu' } });
  status(r, 400, r.text);
  assert.deepEqual(r.body.errors.map((x) => x.field).sort(), ['date', 'disbursed_local']);
  let p = await admin.get(path('projects', id));
  assert.equal(p.body.status, 'in_progress');
  assert.equal(p.body.disbursed_local, null, 'nothing of a refused step is kept');
  r = await admin.post(url, { json: { to: 'accepted', date: '01/10/2026', disbursed_local: '150 triệu' } });
  status(r, 200, r.text);
  assert.equal(r.body.status, 'accepted');
  assert.equal(r.body.disbursed_local, 150000000);
  // The project page offers the amounts with the next step (settlement).
  const web = await login(env.base, 'admin', env.adminPassword);
  const page = await web.get(`/projects/${id}`);
  assert.match(page.text, /<fieldset id="step-amounts">[\s\S]*id="in-disbursed_local" value="150000000"/);
});

/* ---- money that adds up (issue 12 item 3, issue 19 item 4) ---- */

let moneyEst;
async function moneyEstablishment() {
  if (moneyEst) return moneyEst;
  const r = await admin.post(path('establishments'), {
    json: { name: 'Cơ sở kiểm tra tiền Mễ Sở', kind: 'cooperative', commune_id: MESO, tax_code: taxCode('017777000') },
  });
  status(r, 201, r.text);
  moneyEst = r.body.id;
  return moneyEst;
}

test('machinery support: at most the equipment value, the caps of national funds, the project\'s approved funds', async () => {
  const est = await moneyEstablishment();
  const project = await admin.post(path('projects'), {
    json: { title: 'Đề án máy móc 360 triệu', year: 2026, province: '33', content_type: 'machinery', kind: 'local', cost_total: '1,2 tỷ', approved_local: '360 triệu' },
  });
  status(project, 201, project.text);
  const base = { project_id: project.body.id, establishment_id: est, equipment: 'Máy sấy kiểm tra', year: 2026 };
  // What the user met: 1,5 tỷ of support for equipment worth 1,2 tỷ in a project approved for 360 triệu.
  let r = await admin.post(path('machinery'), { json: { ...base, value: '1,2 tỷ', support_amount: '1,5 tỷ' } });
  assertInvalid(r, 'support_amount');
  assert.match(r.body.error.message, /Kinh phí hỗ trợ \(1,5 tỷ đồng\) vượt Giá trị thiết bị \(1,2 tỷ đồng\)/);
  // Within the value, but over the project's approved khuyến công funds.
  r = await admin.post(path('machinery'), { json: { ...base, value: '1,2 tỷ', support_amount: '400 triệu' } });
  assertInvalid(r, 'support_amount');
  assert.match(r.body.error.message, /vượt kinh phí khuyến công được duyệt 360 triệu đồng/);
  // National funds: at most 300 triệu per establishment (Circular 28/2018/TT-BTC) and 50% of the value.
  const nat = { ...base, project_id: undefined, funding_source: 'national' };
  r = await admin.post(path('machinery'), { json: { ...nat, value: '1,2 tỷ', support_amount: '350 triệu' } });
  assertInvalid(r, 'support_amount');
  assert.match(r.body.error.message, /300 triệu đồng\/cơ sở \(Thông tư 28\/2018\/TT-BTC\)/);
  r = await admin.post(path('machinery'), { json: { ...nat, value: '500 triệu', support_amount: '260 triệu' } });
  assertInvalid(r, 'support_amount');
  assert.match(r.body.error.message, /vượt mức 50% của 500 triệu đồng \(tối đa 250 triệu đồng/);
  r = await admin.post(path('machinery'), { json: { ...nat, value: '1,2 tỷ', support_amount: '300 triệu' } });
  status(r, 201, r.text);
  r = await admin.post(path('machinery'), { json: { ...base, value: '1,2 tỷ', support_amount: '360 triệu' } });
  status(r, 201, r.text);
});

test('project: the approved sources add up to at most the total cost; one place over a national cap is refused', async () => {
  let r = await admin.post(path('projects'), {
    json: { title: 'Đề án nguồn vượt tổng', year: 2026, province: '33', content_type: 'machinery', kind: 'local', cost_total: '1,2 tỷ', approved_local: '360 triệu', approved_counterpart: '2 tỷ' },
  });
  assertInvalid(r, 'cost_total');
  assert.match(r.body.error.message, /cộng lại 2,36 tỷ đồng, vượt tổng kinh phí 1,2 tỷ đồng/);
  r = await admin.post(path('projects'), {
    json: { title: 'Máy móc quốc gia vượt mức', year: 2026, province: '33', content_type: 'machinery', kind: 'national_point', cost_total: '1 tỷ', approved_national: '400 triệu' },
  });
  assertInvalid(r, 'approved_national');
  assert.match(r.body.error.message, /300 triệu đồng\/cơ sở/);
});

test('proposal: counterpart at most the cost; the form shows the caps in force and the limit for the cost typed', async () => {
  const est = await moneyEstablishment();
  const r = await admin.post(path('proposals'), {
    json: { establishment_id: est, title: 'Đề xuất máy móc vượt', content_type: 'machinery', year: 2026, cost: '1,2 tỷ', counterpart: '1,5 tỷ' },
  });
  assertInvalid(r, 'counterpart');
  assert.match(r.body.error.message, /Vốn đối ứng của cơ sở \(1,5 tỷ đồng\) vượt Tổng kinh phí dự kiến \(1,2 tỷ đồng\)/);
  const web = await login(env.base, 'admin', env.adminPassword);
  const blank = await web.get('/proposals/new');
  status(blank, 200);
  assert.match(blank.text, /id="caps-hint"[\s\S]*data-content-type="machinery"><strong>Ứng dụng máy móc thiết bị[^<]*<\/strong> \(kinh phí khuyến công quốc gia\): tối đa 50% chi phí và 300 triệu đồng\/cơ sở \(Thông tư 28\/2018\/TT-BTC\)/);
  assert.match(blank.text, /data-content-type="demo_model">[\s\S]*tối đa 30% chi phí và 1 tỷ đồng\/mô hình/);
  assert.match(blank.text, /Kinh phí khuyến công địa phương: theo mức hỗ trợ do Hội đồng nhân dân tỉnh quy định/);
  const bad = await web.post('/proposals/new', {
    body: new URLSearchParams({ establishment_id: String(est), title: 'Đề xuất máy móc vượt', content_type: 'machinery', year: '2026', cost: '1,2 tỷ', counterpart: '1,5 tỷ' }).toString(),
    headers: { 'Content-Type': 'application/x-www-form-urlencoded' },
  });
  status(bad, 400, bad.text);
  assert.match(bad.text, /<a href="#in-counterpart">/);
  // The limit computed for the cost typed: min(50% of 1,2 tỷ, 300 triệu).
  assert.match(bad.text, /Với chi phí 1,2 tỷ đồng: hỗ trợ tối đa <strong>300 triệu đồng<\/strong>/);
  assert.doesNotMatch(bad.text, /data-content-type="demo_model"/, 'only the caps of the chosen content type');
});

test('a group project over the amount per establishment needs a reason: a visible warning, the reason audited', async () => {
  const body = { title: 'Nhóm máy móc nhiều cơ sở', year: 2026, province: '33', content_type: 'machinery', kind: 'national_group', cost_total: '2 tỷ', approved_national: '600 triệu' };
  let r = await admin.post(path('projects'), { json: body });
  assertInvalid(r, 'cap_reason');
  assert.match(r.body.error.message, /600 triệu đồng vượt mức 300 triệu đồng cho mỗi cơ sở hoặc mô hình \(Thông tư 28\/2018\/TT-BTC\): ghi lý do/);
  r = await admin.post(path('projects'), { json: { ...body, cap_reason: 'Hai cơ sở thụ hưởng, mỗi cơ sở 300 triệu' } });
  status(r, 201, r.text);
  const web = await login(env.base, 'admin', env.adminPassword);
  const page = await web.get(`/projects/${r.body.id}`);
  assert.match(page.text, /class="error cap-flag" role="alert">⚠ Kinh phí KC quốc gia vượt mức tối đa 300 triệu/);
  assert.match(page.text, /id="cap-reason"><strong>Lý do vượt mức:<\/strong> Hai cơ sở thụ hưởng, mỗi cơ sở 300 triệu/);
  const audit = await admin.get(`/api/v1/audit?entity=projects&entity_id=${r.body.id}`);
  status(audit, 200, audit.text);
  assert.equal(audit.body.items[0].after.cap_reason, 'Hai cơ sở thụ hưởng, mỗi cơ sở 300 triệu');  // Each beneficiary of the group gets at most the amount per establishment.
  const est = await moneyEstablishment();
  let b = await admin.post(path('beneficiaries'), { json: { project_id: r.body.id, establishment_id: est, support_amount: '350 triệu' } });
  assertInvalid(b, 'support_amount');
  assert.match(b.body.error.message, /350 triệu đồng vượt mức tối đa 300 triệu đồng\/cơ sở/);
  b = await admin.post(path('beneficiaries'), { json: { project_id: r.body.id, establishment_id: est, support_amount: '300 triệu' } });
  status(b, 201, b.text);
});

test('a demonstration model under a national project stays within 30% of its investment and 1 tỷ', async () => {
  const est = await moneyEstablishment();
  const p = await admin.post(path('projects'), {
    json: { title: 'Mô hình quốc gia kiểm tra', year: 2026, province: '33', content_type: 'demo_model', kind: 'national_point', cost_total: '3 tỷ', approved_national: '900 triệu' },
  });
  status(p, 201, p.text);
  const body = { project_id: p.body.id, establishment_id: est, technology: 'Dây chuyền kiểm tra', year: 2026, total_investment: '1 tỷ' };
  let r = await admin.post(path('demo-models'), { json: { ...body, support_amount: '1,2 tỷ' } });
  assertInvalid(r, 'support_amount');
  assert.match(r.body.error.message, /vượt Tổng vốn đầu tư/);
  r = await admin.post(path('demo-models'), { json: { ...body, support_amount: '400 triệu' } });
  assertInvalid(r, 'support_amount');
  assert.match(r.body.error.message, /vượt mức 30% của 1 tỷ đồng \(tối đa 300 triệu đồng/);
  r = await admin.post(path('demo-models'), { json: { ...body, support_amount: '300 triệu' } });
  status(r, 201, r.text);
});
