// pickers.test.mjs - reference fields as people fill them (issue 12, item 1):
// a plan, project or establishment given by its code, tax code or exact name
// (marks optional) instead of a record number, within what the user may see,
// ambiguity and misses told with candidates; the suggest API the pickers ask
// (communes also by an old name merged into them); forms with a select among
// few records, a text box otherwise, and "add" links that pre-fill the parent.
import assert from 'node:assert/strict';
import { after, before, test } from 'node:test';

import { Client, login, setup } from './lib.mjs';

const PW = 'pickers-pass-0101';
const env = await setup(after, {
  prefix: 'pickers',
  users: [
    { name: 'hanoi', role: 'province', province: '01', password: PW },
    { name: 'hungyen', role: 'province', province: '33', password: PW },
  ],
});

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

const TAX = taxCode('010777000');
let admin, hn, hy, web;
const ids = {};

function status(res, want, what = '') {
  assert.equal(res.status, want, `${what} ${res.status} ${res.text}`);
}

async function make(c, body, who = admin) {
  const r = await who.post(`/api/v1/${c}`, { json: body });
  status(r, 201, `${c}:`);
  return r.body.id;
}

const form = (o) => ({
  body: new URLSearchParams(o).toString(),
  headers: { 'Content-Type': 'application/x-www-form-urlencoded' },
});

before(async () => {
  admin = await login(env.base, 'admin', env.adminPassword, 'bearer');
  hn = await login(env.base, 'hanoi', PW, 'bearer');
  hy = await login(env.base, 'hungyen', PW, 'bearer');
  web = await login(env.base, 'hungyen', PW);
  ids.est = await make('establishments', {
    name: 'Cơ sở mây tre Đông Quỳnh Lộc',
    kind: 'household',
    tax_code: TAX,
    commune_id: 'Xã Mễ Sở, Hưng Yên',
  });
  ids.prog = await make('programmes', {
    code: 'CTKC-HY-2026',
    name: 'Chương trình khuyến công Hưng Yên',
    kind: 'khuyen_cong',
    level: 'local',
    province: '33',
    period_from: 2026,
    period_to: 2030,
  });
  ids.plan = await make('plans', {
    name: 'Kế hoạch khuyến công Hưng Yên năm 2026',
    province: '33',
    year: 2026,
    programme_id: ids.prog,
  });
  /* Two programmes of one name: a name alone cannot choose. */
  for (const code of ['TRUNG-1', 'TRUNG-2'])
    await make('programmes', {
      code,
      name: 'Chương trình trùng tên',
      kind: 'other',
      level: 'national',
      period_from: 2026,
      period_to: 2030,
    });
});

test('a project takes its plan by exact name without marks, its establishment by tax code', async () => {
  const r = await admin.post('/api/v1/projects', {
    json: {
      title: 'Đề án máy đan mây',
      year: 2026,
      province: '33',
      plan_id: 'ke hoach khuyen cong hung yen nam 2026',
      programme_id: 'CTKC-HY-2026',
      establishment_id: TAX,
      content_type: 'machinery',
      kind: 'local',
    },
  });
  status(r, 201);
  assert.equal(r.body.plan_id, ids.plan);
  assert.equal(r.body.programme_id, ids.prog);
  assert.equal(r.body.establishment_id, ids.est);
  ids.project = r.body.id;
});

test('a name of several records is 400 on the field, listing them to choose by #number', async () => {
  const r = await admin.post('/api/v1/plans', {
    json: { name: 'KH', province: '33', year: 2027, programme_id: 'Chương trình trùng tên' },
  });
  status(r, 400);
  assert.equal(r.body.error.field, 'programme_id');
  assert.match(r.body.error.message, /nhiều bản ghi/);
  assert.match(r.body.error.message, /#\d+ Chương trình trùng tên \(TRUNG-1\)/);
  assert.match(r.body.error.message, /#\d+ Chương trình trùng tên \(TRUNG-2\)/);
  assert.doesNotMatch(r.body.error.message, /chữ đứng trước con số/);
});

test('a name that is not exact is 400 with the records it may mean', async () => {
  const r = await admin.post('/api/v1/machinery', {
    json: { establishment_id: 'Đông Quỳnh', equipment: 'Máy chẻ tre', year: 2026 },
  });
  status(r, 400);
  assert.equal(r.body.error.field, 'establishment_id');
  assert.match(r.body.error.message, /có thể là: #\d+ Cơ sở mây tre Đông Quỳnh Lộc/);
  const none = await admin.post('/api/v1/machinery', {
    json: { establishment_id: 'Không có cơ sở này', equipment: 'Máy', year: 2026 },
  });
  status(none, 400);
  assert.match(none.body.error.message, /không tìm thấy/);
});

test('a name resolves only within what the user may see', async () => {
  const r = await hn.post('/api/v1/projects', {
    json: {
      title: 'Đề án Hà Nội',
      year: 2026,
      province: '01',
      plan_id: 'Kế hoạch khuyến công Hưng Yên năm 2026',
      content_type: 'training',
      kind: 'local',
    },
  });
  status(r, 400);
  assert.equal(r.body.error.field, 'plan_id');
  assert.doesNotMatch(r.body.error.message, /Hưng Yên năm 2026 \(/, 'no record of 33 named');
});

test('suggest: establishments by tax code or name without marks, scoped', async () => {
  const byTax = await hy.get(`/api/v1/suggest/machinery/establishment_id?q=${TAX.slice(0, 6)}`);
  status(byTax, 200);
  assert.deepEqual(byTax.body.items.map((i) => i.value), [`#${ids.est} Cơ sở mây tre Đông Quỳnh Lộc (${TAX})`]);
  const byName = await hy.get('/api/v1/suggest/machinery/establishment_id?q=dong%20quynh');
  assert.equal(byName.body.items[0].value, `#${ids.est} Cơ sở mây tre Đông Quỳnh Lộc (${TAX})`);
  assert.match(byName.body.items[0].hint, /Mễ Sở/);
  const other = await hn.get('/api/v1/suggest/machinery/establishment_id?q=dong%20quynh');
  status(other, 200);
  assert.deepEqual(other.body.items, [], 'an officer of 01 is not offered a 33 establishment');
});

test('suggest: a commune of today by the name of an old commune merged into it', async () => {
  const r = await hy.get('/api/v1/suggest/establishments/commune_id?q=thang%20loi');
  status(r, 200);
  const meso = r.body.items.find((i) => i.label === 'Xã Mễ Sở, Hưng Yên');
  assert.ok(meso, JSON.stringify(r.body.items));
  assert.match(meso.hint, /^← Xã Thắng Lợi, Huyện /);
  assert.ok(r.body.items.every((i) => /, Hưng Yên$/.test(i.label)), 'only communes of 33');
  /* The value chosen is what the field takes. */
  const made = await hy.post('/api/v1/villages', {
    json: { name: 'Làng nghề chọn từ gợi ý', commune_id: meso.value, craft_group: 'handicraft' },
  });
  status(made, 201);
  assert.equal(made.body.commune_id_name.startsWith('Xã Mễ Sở'), true);
});

test('suggest: a field that is not a reference is 400, an unknown one 404', async () => {
  status(await hy.get('/api/v1/suggest/projects/title?q=a'), 400);
  status(await hy.get('/api/v1/suggest/projects/nope?q=a'), 404);
  status(await hy.get('/api/v1/suggest/projects/plan_id?q=a&limit=11'), 400);
});

test('the plan page has "Thêm đề án"; the project form it opens is filled from the plan', async () => {
  const page = await web.get(`/plans/${ids.plan}`);
  status(page, 200);
  assert.match(page.text, new RegExp(`<a href="/projects/new\\?plan_id=${ids.plan}"[^>]*>\\+ Thêm đề án</a>`));
  const f = await web.get(`/projects/new?plan_id=${ids.plan}`);
  status(f, 200);
  /* Few plans: a select, the plan chosen; province, year and programme taken from the plan. */
  assert.match(f.text, new RegExp(`<select name="plan_id"[^>]*>.*<option value="${ids.plan}" selected>Kế hoạch khuyến công Hưng Yên năm 2026</option>`));
  assert.match(f.text, /<select name="province"[^>]*>.*<option value="33" selected>/);
  assert.match(f.text, /name="year" id="in-year" value="2026"/);
  assert.match(f.text, new RegExp(`<option value="${ids.prog}" selected>`));
  assert.match(f.text, /<script src="\/static\/picker.js" defer><\/script>/);
  assert.doesNotMatch(f.text, /số hiệu bản ghi/);
});

test('a project page adds a machinery support with the project and its establishment filled', async () => {
  const page = await web.get(`/projects/${ids.project}`);
  assert.match(page.text, new RegExp(`href="/machinery/new\\?project_id=${ids.project}"`));
  assert.match(page.text, new RegExp(`href="/demo-models/new\\?project_id=${ids.project}"`));
  const f = await web.get(`/machinery/new?project_id=${ids.project}`);
  assert.match(f.text, new RegExp(`<option value="${ids.est}" selected>Cơ sở mây tre Đông Quỳnh Lộc \\(${TAX}\\)</option>`));
});

test('without JavaScript: a form takes a typed tax code; a miss keeps the text and lists candidates', async () => {
  const csrf = web.csrf;
  const ok = await web.post('/machinery/new', form({
    _csrf: csrf, establishment_id: TAX, equipment: 'Máy chẻ nan', year: '2026',
  }));
  status(ok, 303);
  const bad = await web.post('/machinery/new', form({
    _csrf: csrf, establishment_id: 'Đông Quỳnh', equipment: 'Máy chẻ nan', year: '2026',
  }));
  status(bad, 400);
  assert.match(bad.text, /có thể là: #\d+ Cơ sở mây tre Đông Quỳnh Lộc/);
  assert.match(bad.text, /name="establishment_id" id="in-establishment_id" value="Đông Quỳnh" class="picker"/);
});

test('many records: a text box picker, showing "#id name" for the stored one', async () => {
  for (let i = 0; i < 31; i++)
    await make('consultants', { name: `Tư vấn viên số ${i}`, province: '33' });
  const f = await web.get(`/consultant-assignments/new?project_id=${ids.project}`);
  assert.match(f.text, /<input name="consultant_id" id="in-consultant_id" value="" class="picker" data-suggest="\/api\/v1\/suggest\/consultant-assignments\/consultant_id"/);
  assert.match(f.text, /<input name="commune_id"|<select name="project_id"/);
});

test('every page links a favicon, served as SVG by the static route', async () => {
  const anon = new Client(env.base);
  for (const [who, url] of [[web, '/'], [anon, '/login'], [anon, '/san-pham']]) {
    const r = await who.get(url);
    assert.match(r.text, /<link rel="icon" href="\/static\/favicon.svg" type="image\/svg\+xml">/, url);
  }
  const icon = await web.get('/static/favicon.svg');
  status(icon, 200);
  assert.equal(icon.headers.get('content-type'), 'image/svg+xml');
  assert.match(icon.text, /^<svg xmlns="http:\/\/www.w3.org\/2000\/svg"/);
});

test('words: the pivot columns are a select with Vietnamese labels, not a free-text "year" box', async () => {
  const r = await web.get('/dashboard?indicator=training.classes&cols=content_type');
  status(r, 200);
  assert.doesNotMatch(r.text, /year, province hoặc trường/);
  assert.match(r.text, /<select name="cols">.*<option value="year">Năm<\/option>/);
  assert.match(r.text, /<select name="cols">.*<option value="content_type" selected>/);
});

test('words: the statistics page says its rules in the reader\'s language only', async () => {
  const r = await web.get('/stats?indicator=training.classes&from=2026');
  status(r, 200);
  assert.match(r.text, /Với mỗi ô \(địa bàn/);
  assert.doesNotMatch(r.text, /For each cell|Records with a date/);
});

test('words: the import page says the natural key in field names, not codes', async () => {
  const r = await web.get('/import?kind=training-classes');
  status(r, 200);
  assert.match(r.text, /id="natural-key">Đề án \+ Nghề\/chủ đề \+ Năm \+ Từ ngày \(có thể trống\); nếu không có: Tỉnh\/thành/);
  assert.doesNotMatch(r.text, /project_id \+ topic/);
});

test('words: an officer is offered their own province, chosen, and no "Dữ liệu minh họa"', async () => {
  const f = await web.get('/projects/new');
  assert.doesNotMatch(f.text, /name="illustrative"|Dữ liệu minh họa/);
  const options = [...f.text.matchAll(/<select name="province"[^>]*>(.*?)<\/select>/g)][0][1];
  assert.deepEqual([...options.matchAll(/<option value="(\d+)"( selected)?/g)].map((m) => m[1] + (m[2] || '')), ['33 selected']);
  const adminWeb = await login(env.base, 'admin', env.adminPassword);
  assert.match((await adminWeb.get('/projects/new')).text, /name="illustrative"/);
});

test('words: shorthand money "500tr" and "1,2 tỷ" is taken', async () => {
  const r = await hy.post('/api/v1/machinery', {
    json: { establishment_id: TAX, equipment: 'Máy dệt', year: 2026, value: '1,2 tỷ', support_amount: '500tr' },
  });
  status(r, 201);
  assert.equal(r.body.value, 1_200_000_000);
  assert.equal(r.body.support_amount, 500_000_000);
});

test('a lot\'s inputs are rows (name, origin, supplier, quantity), not JSON to type', async () => {
  const prod = await make('products', { establishment_id: ids.est, name: 'Giỏ mây đan', category: 'handicraft' }, hy);
  const page = await web.get(`/products/${prod}`);
  assert.match(page.text, new RegExp(`href="/lots/new\\?product_id=${prod}"`));
  const f = await web.get(`/lots/new?product_id=${prod}`);
  assert.match(f.text, /<table class="rows" id="inputs-rows">/);
  assert.match(f.text, /<input name="inputs_origin" value="" aria-label="Nguồn gốc \(xã\/phường, tỉnh\) 1" class="picker" data-plain="1"/);
  assert.doesNotMatch(f.text, /<textarea name="inputs"/);
  const base = { _csrf: web.csrf, product_id: String(prod), lot_code: 'L-2026-01', production_date: '02/03/2026' };
  const rows = new URLSearchParams(base);
  for (const [n, o, s, q] of [['Mây', 'Xã Mễ Sở, Hưng Yên', 'HTX Mây tre', '200 kg'], ['Tre', 'Xã Thắng Lợi', '', ''], ['', '', '', '']]) {
    rows.append('inputs_name', n); rows.append('inputs_origin', o);
    rows.append('inputs_supplier', s); rows.append('inputs_quantity', q);
  }
  const ok = await web.post('/lots/new', { body: rows.toString(), headers: { 'Content-Type': 'application/x-www-form-urlencoded' } });
  status(ok, 303);
  const id = ok.headers.get('location').match(/\/lots\/(\d+)/)[1];
  const lot = await hy.get(`/api/v1/lots/${id}`);
  assert.deepEqual(lot.body.inputs, {
    Mây: { origin: 'Xã Mễ Sở, Hưng Yên', supplier: 'HTX Mây tre', quantity: '200 kg' },
    Tre: { origin: 'Xã Thắng Lợi' },
  });
  const edit = await web.get(`/lots/${id}/edit`);
  assert.match(edit.text, /<input name="inputs_name" id="in-inputs" value="Mây"/);
  assert.match(edit.text, /<input name="inputs_supplier" value="HTX Mây tre"/);
  /* A row without its name is refused on the field, the rows kept. */
  const bad = new URLSearchParams({ ...base, lot_code: 'L-2026-02' });
  for (const [k, v] of [['inputs_name', ''], ['inputs_origin', 'Xã Mễ Sở'], ['inputs_supplier', ''], ['inputs_quantity', '']])
    bad.append(k, v);
  const no = await web.post('/lots/new', { body: bad.toString(), headers: { 'Content-Type': 'application/x-www-form-urlencoded' } });
  status(no, 400);
  assert.match(no.text, /Nguyên liệu: tên và nguồn gốc là chuỗi ký tự không rỗng/);
  assert.match(no.text, /name="inputs_origin" value="Xã Mễ Sở"/);
});
