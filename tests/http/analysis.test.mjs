// analysis.test.mjs - the ministry analyst's day (issue 19, items 7-12) over
// HTTP on the demo data: bad filters are 400 naming the parameter and what
// it accepts, periods in order everywhere, every province listed with the
// coverage said, provinces compared and ranked, exports a ministry can use,
// and the national report's annex, targets and jobs.
import assert from 'node:assert/strict';
import { execFile } from 'node:child_process';
import { mkdtemp, writeFile } from 'node:fs/promises';
import path from 'node:path';
import { after, before, test } from 'node:test';
import { promisify } from 'node:util';

import { login, setup } from './lib.mjs';

const env = await setup(after, { prefix: 'analysis' });

let api; /* administrator, bearer token */
let web; /* administrator, cookie (pages) */
before(async () => {
  api = await login(env.base, 'admin', env.adminPassword, 'bearer');
  web = await login(env.base, 'admin', env.adminPassword);
});

const exec = promisify(execFile);
const qs = (params) => new URLSearchParams(params).toString();

async function ok(url, client = api) {
  const r = await client.get(url);
  assert.equal(r.status, 200, `${url}: ${r.status} ${r.text.slice(0, 500)}`);
  return r;
}

/* ---- (7) bad filters ---- */

test('(7) a province by name, a list where one is expected, an unknown code: 400 naming province and what it accepts', async () => {
  for (const url of [
    `/api/v1/stats?${qs({ indicator: 'villages.count', province: 'Hà Nội' })}`,
    `/api/v1/stats?${qs({ indicator: 'villages.count', province: '99' })}`,
    `/api/v1/stats?${qs({ indicator: 'villages.count', province: '01,99' })}`,
    `/api/v1/dashboard?${qs({ province: '01,33' })}`,
    `/api/v1/dashboard?${qs({ province: 'Hà Nội' })}`,
    `/api/v1/machinery?${qs({ province: '99' })}`,
    `/api/v1/establishments?${qs({ province: 'Hà Nội' })}`,
  ]) {
    const r = await api.get(url);
    assert.equal(r.status, 400, `${url}: ${r.status} ${r.text.slice(0, 300)}`);
    assert.equal(r.body.error.field, 'province', url);
    assert.match(r.body.error.message, /2 chữ số/, url);
  }
  const old = await api.get(`/api/v1/machinery?${qs({ old_province: '99' })}`);
  assert.equal(old.status, 400, old.text);
  assert.equal(old.body.error.field, 'old_province');
  assert.equal((await api.get(`/api/v1/machinery?${qs({ old_province: 'none' })}`)).status, 200);
});

test('(7) a filter that does not apply to the record type is 400 naming it', async () => {
  for (const [url, field] of [
    ['/api/v1/establishments?content_type=machinery', 'content_type'],
    ['/api/v1/villages?content_type=training', 'content_type'],
    [`/api/v1/stats?${qs({ indicator: 'villages.count', content_type: 'training' })}`, 'content_type'],
  ]) {
    const r = await api.get(url);
    assert.equal(r.status, 400, `${url}: ${r.status} ${r.text.slice(0, 300)}`);
    assert.equal(r.body.error.field, field, url);
  }
  // It still applies where the records say it.
  assert.equal((await api.get('/api/v1/machinery?content_type=machinery')).status, 200);
});

test('(7) the HTML pages say the same: 400 with the message, and the province picker is a multi-select by name', async () => {
  for (const url of [
    `/stats?${qs({ indicator: 'villages.count', province: 'Hà Nội' })}`,
    `/dashboard?${qs({ province: '99' })}`,
    `/establishments?${qs({ content_type: 'machinery' })}`,
    `/machinery?${qs({ province: '01,33' })}`,
  ]) {
    const r = await web.get(url);
    assert.equal(r.status, 400, `${url}: ${r.status}`);
    assert.match(r.text, /province|content_type/, url);
  }
  const page = await ok(`/stats?${qs({ indicator: 'villages.count' })}`, web);
  const picker = /<select name="province" id="province-picker" multiple[^>]*>([\s\S]*?)<\/select>/.exec(page.text);
  assert.ok(picker, 'a multi-select of provinces');
  assert.match(picker[1], /<option value="01"[^>]*>Hà Nội<\/option>/);
  assert.equal((picker[1].match(/<option /g) || []).length, 34);
  const dash = await ok('/dashboard', web);
  assert.match(dash.text, /<select name="province" id="province-picker">[\s\S]*?Hưng Yên/);
});

/* ---- (8) periods in order ---- */

test('(8) years inserted out of order (2021, 2022, 2023, 2025, 2024) come out in order: table, pivot and chart', async () => {
  // Ninh Bình (37) has 2021, 2022, 2023 and 2025; Hồ Chí Minh (79) adds 2024
  // last: grouped by province, the years meet as 2021, 2022, 2023, 2025, 2024.
  const places = { 37: 'Phường Phủ Lý, Ninh Bình', 79: 'Phường Thủ Dầu Một, Hồ Chí Minh' };
  const ests = {};
  for (const [code, commune] of Object.entries(places)) {
    const est = await api.post('/api/v1/establishments', {
      json: { name: `Cơ sở thử thứ tự năm ${code}`, kind: 'household', commune_id: commune },
    });
    assert.equal(est.status, 201, est.text);
    ests[code] = est.body.id;
  }
  for (const [code, year] of [[37, 2021], [37, 2022], [37, 2023], [37, 2025], [79, 2024]]) {
    const m = await api.post('/api/v1/machinery', {
      json: { establishment_id: ests[code], equipment: `Máy năm ${year}`, year },
    });
    assert.equal(m.status, 201, m.text);
  }
  const years = ['2021', '2022', '2023', '2024', '2025'];
  const q = { indicator: 'machinery.support_times', from: '2021', to: '2025' };
  const byYear = (await ok(`/api/v1/stats?${qs({ ...q, by: 'year' })}`)).body;
  assert.deepEqual(byYear.rows.map((r) => r.key), years);

  const page = await ok(`/stats?${qs({ ...q, by: 'year' })}`, web);
  const shown = [...page.text.matchAll(/<tr><td>(20\d\d)<\/td>/g)].map((m) => m[1]);
  assert.deepEqual(shown, years);

  const dash = (await ok(`/api/v1/dashboard?${qs({ from: '2021', to: '2025', indicator: q.indicator, rows: 'province', cols: 'year' })}`)).body;
  assert.deepEqual(dash.pivot.columns, years, JSON.stringify(dash.pivot));
  const rowsYear = (await ok(`/api/v1/dashboard?${qs({ from: '2021', to: '2025', indicator: q.indicator, rows: 'year', cols: 'province' })}`)).body;
  assert.deepEqual(rowsYear.pivot.rows.filter((y) => /^20/.test(y)), years);
  // The charts by year read left to right in time.
  for (const c of dash.charts.filter((x) => x.labels.every((l) => /^\d{4}/.test(l)))) {
    assert.deepEqual([...c.labels].sort(), c.labels, c.title);
  }
});

/* ---- (9) every province, coverage, comparison ---- */

test('(9) by province nationally: all 34 provinces listed, "không có số liệu" where none, the coverage said, ranks', async () => {
  const body = (await ok(`/api/v1/stats?${qs({ indicator: 'villages.count', by: 'province' })}`)).body;
  assert.equal(body.rows.length, 34);
  const hn = body.rows.find((r) => r.key === 'new:01');
  assert.equal(hn.source, 'none');
  assert.equal(hn.text, 'không có số liệu');
  const nb = body.rows.find((r) => r.key === 'new:37');
  assert.equal(nb.value, 98);
  assert.equal(nb.rank, 1);
  assert.equal(body.coverage.of, 34);
  assert.equal(body.coverage.with_data, 1);
  assert.equal(body.coverage.text, 'Số liệu của 1/34 tỉnh, thành phố');
  assert.doesNotMatch(body.total.label, /Toàn quốc/);
  assert.match(body.total.label, /1\/34/);

  // Without a breakdown the nation's total says what it covers too.
  const total = (await ok(`/api/v1/stats?${qs({ indicator: 'villages.count' })}`)).body;
  assert.equal(total.coverage.with_data, 1);

  const page = await ok(`/stats?${qs({ indicator: 'villages.count', by: 'province' })}`, web);
  assert.match(page.text, /id="coverage">Số liệu của 1\/34 tỉnh, thành phố</);
  assert.equal((page.text.match(/<tr class="no-data">/g) || []).length, 33);
  assert.match(page.text, /<th>Hạng<\/th>/);
  assert.match(page.text, /không tính theo đầu người/);
});

test('(9) chosen provinces side by side, with values per 100 establishments', async () => {
  const body = (await ok(`/api/v1/stats?${qs({ indicator: 'machinery.support_times', province: '37,04' })}`)).body;
  assert.deepEqual(body.compare, ['37', '04']);
  assert.deepEqual(body.rows.map((r) => r.key), ['new:37', 'new:04']);
  assert.equal(body.total, undefined, 'no nation total for a comparison');
  assert.equal(body.rows[1].text, 'không có số liệu');
  const cb = body.rows[0];
  assert.ok(cb.value >= 4, JSON.stringify(cb));
  assert.ok(cb.establishments >= 1, JSON.stringify(cb));
  assert.ok(cb.per_100_establishments, JSON.stringify(cb));
  // The multi-select sends the key repeated: the same comparison.
  const page = await ok(`/stats?indicator=machinery.support_times&province=04&province=37`, web);
  assert.match(page.text, /id="compare"/);
  assert.match(page.text, /<option value="04" selected>/);
  assert.match(page.text, /<option value="37" selected>/);
});

test('(9) dashboard cards without data stay, saying so, with the coverage', async () => {
  const body = (await ok(`/api/v1/dashboard?${qs({ from: '2030', to: '2030' })}`)).body;
  const codes = body.headline.map((h) => h.indicator);
  for (const c of ['training.trainees', 'villages.count', 'projects.count'])
    assert.ok(codes.includes(c), `${c} in ${codes}`);
  const none = body.headline.find((h) => h.indicator === 'training.trainees');
  assert.equal(none.text, 'không có số liệu');
  assert.equal(none.coverage.with_data, 0);
  const page = await ok(`/dashboard?${qs({ from: '2030', to: '2030' })}`, web);
  assert.match(page.text, /class="card no-data"/);
  assert.match(page.text, /Số liệu của 0\/34 tỉnh/);
});

/* ---- (11) exports a ministry can use ---- */

/* RFC 4180 rows of a CSV text (BOM dropped). */
function parseCsv(text) {
  const rows = [];
  let row = [];
  let cell = '';
  let quoted = false;
  const t = text.replace(/^\uFEFF/, '');
  for (let i = 0; i < t.length; i++) {
    const ch = t[i];
    if (quoted) {
      if (ch === '"' && t[i + 1] === '"') { cell += '"'; i++; } else if (ch === '"') quoted = false;
      else cell += ch;
    } else if (ch === '"') quoted = true;
    else if (ch === ',') { row.push(cell); cell = ''; } else if (ch === '\n' || ch === '\r') {
      if (ch === '\r' && t[i + 1] === '\n') i++;
      row.push(cell);
      rows.push(row);
      row = [];
      cell = '';
    } else cell += ch;
  }
  if (cell || row.length) { row.push(cell); rows.push(row); }
  return rows;
}

async function download(url) {
  const res = await fetch(`${env.base}${url}`, { headers: { Authorization: `Bearer ${api.bearer}` } });
  assert.equal(res.status, 200, url);
  return Buffer.from(await res.arrayBuffer());
}

test('(11) the machinery export carries province, commune (new and old), tax code, and amounts as numbers', async () => {
  const csv = parseCsv((await download('/machinery?format=csv&illustrative=1')).toString('utf8'));
  const head = csv[0];
  const col = (name) => { const i = head.indexOf(name); assert.ok(i >= 0, `${name} in ${head}`); return i; };
  const row = csv.find((r) => r[col('Máy móc, thiết bị')] === 'Máy cán bạc, máy đánh bóng và máy khắc laser');
  assert.ok(row, 'the demo machinery of Phù Ủng');
  assert.equal(row[col('Mã tỉnh (hiện nay)')], '33');
  assert.equal(row[col('Tỉnh, thành phố (hiện nay)')], 'Tỉnh Hưng Yên');
  assert.match(row[col('Xã, phường (hiện nay)')], /^Xã /);
  assert.equal(row[col('Huyện (trước 01/7/2025)')], 'Huyện Ân Thi');
  assert.equal(row[col('Mã số thuế')], '0900000034');
  assert.equal(row[col('Kinh phí hỗ trợ')], '150000000', 'plain digits');
  assert.equal(row[col('Kinh phí hỗ trợ (cách đọc)')], '150 triệu đồng');
  assert.equal(row[col('Năm')], '2021');

  const xlsx = await download('/machinery?format=xlsx&illustrative=1');
  const dir = await mkdtemp(path.join(env.dir, 'xlsx-'));
  const file = path.join(dir, 'm.xlsx');
  await writeFile(file, xlsx);
  const sheet = (await exec('unzip', ['-p', file, 'xl/worksheets/sheet1.xml'], { maxBuffer: 1 << 26 })).stdout;
  // Written row by row in constant memory: the strings are inline in the sheet.
  const strings = sheet;
  assert.match(sheet, /<c r="[A-Z]+\d+" s="\d+"><v>150000000<\/v><\/c>/, 'a numeric cell');
  for (const s of ['Mã số thuế', 'Tỉnh, thành phố (hiện nay)', 'Tỉnh Hưng Yên', '0900000034', 'Huyện Ân Thi'])
    assert.ok(strings.includes(s), s);
});

test('(11) the establishments export names the tax code once: their own field, not a place column again', async () => {
  const head = parseCsv((await download('/establishments?format=csv&illustrative=1')).toString('utf8'))[0];
  assert.equal(head.filter((h) => h === 'Mã số thuế').length, 1, head.join(' | '));
  assert.ok(head.includes('Tỉnh, thành phố (hiện nay)'), 'the place columns are still there');
  const dir = await mkdtemp(path.join(env.dir, 'xlsx-'));
  const file = path.join(dir, 'e.xlsx');
  await writeFile(file, await download('/establishments?format=xlsx&illustrative=1'));
  const sheet = (await exec('unzip', ['-p', file, 'xl/worksheets/sheet1.xml'], { maxBuffer: 1 << 26 })).stdout;
  const row1 = sheet.slice(sheet.indexOf('<row r="1"'), sheet.indexOf('</row>') + 6);
  assert.equal(row1.split('Mã số thuế').length - 1, 1, 'one tax code header in the XLSX');
});

/* ---- (12) the national report ---- */

test('(12) the national report: an annex per indicator by province, an old-units annex before 2025, national targets only, coverage said', async () => {
  const doc = (await ok(`/api/v1/reports/periodic?${qs({ from: '2014', to: '2021', format: 'json' })}`)).body;
  const annex = doc.sections.filter((s) => /^Phụ lục \d+\. .* theo tỉnh, thành phố$/.test(s.title));
  assert.ok(annex.length >= 10, doc.sections.map((s) => s.title).join('\n'));
  const villages = annex.find((s) => s.title.endsWith('. Làng nghề theo tỉnh, thành phố'));
  assert.ok(villages, 'the craft villages by province');
  assert.equal(villages.table.rows.length, 34, 'every province of today');
  const nb = villages.table.rows.findIndex((r) => r[0] === 'Tỉnh Ninh Bình');
  assert.equal(villages.table.rows[nb][1], '98 làng nghề');
  assert.equal(villages.table.values[nb][1].value, 98);
  assert.equal(villages.table.rows.find((r) => r[0] === 'Thành phố Hà Nội')[1], 'không có số liệu');
  assert.match(villages.paragraphs[0], /Số liệu của 1\/34 tỉnh, thành phố/);

  const old = doc.sections.find((s) => / Số liệu theo tỉnh trước 01\/7\/2025/.test(s.title));
  assert.ok(old, 'the annex by the provinces of the time');
  assert.ok(old.table.rows.some((r) => r[0] === 'Tỉnh Nam Định (cũ)' && r[1] === 'Làng nghề' && r[2] === '98 làng nghề'),
    JSON.stringify(old.table.rows.slice(0, 5)));

  const targets = doc.sections.find((s) => /Mục tiêu chương trình/.test(s.title));
  assert.ok(targets, 'the national programme targets');
  assert.ok(targets.table.rows.every((r) => /quốc gia/.test(r[0])), JSON.stringify(targets.table.rows));
  assert.match(doc.subtitle, /^Toàn quốc \(số liệu của \d+\/34 tỉnh, thành phố\)/);

  // A period after the reform has no old-units annex; a province's report has no annex.
  const late = (await ok(`/api/v1/reports/periodic?${qs({ from: '2025', to: '2026', format: 'json' })}`)).body;
  assert.ok(!late.sections.some((s) => /trước 01\/7\/2025/.test(s.title)));
  const hn = (await ok(`/api/v1/reports/periodic?${qs({ province: '01', from: '2016', to: '2025', format: 'json' })}`)).body;
  assert.ok(!hn.sections.some((s) => /^Phụ lục/.test(s.title)));
  const hnTargets = hn.sections.find((s) => /Mục tiêu chương trình/.test(s.title));
  assert.ok(hnTargets.table.rows.some((r) => /Hà Nội/.test(r[0])), 'a province report keeps its own targets');
});

/* ---- (10) a programme's targets ---- */

test('(10) the targets page of a programme: each target in words, progress, expected by now, status, by province', async () => {
  const progs = (await ok(`/api/v1/programmes?${qs({ q: 'quốc gia giai đoạn 2021' })}`)).body.items;
  const nat = progs.find((p) => /quốc gia giai đoạn 2021–2025/.test(p.name));
  assert.ok(nat, JSON.stringify(progs.map((p) => p.name)));
  const record = await ok(`/programmes/${nat.id}`, web);
  assert.match(record.text, new RegExp(`href="/programmes/${nat.id}/targets" id="targets-link"`));
  assert.doesNotMatch(record.text, /DOMAIN\.md/);

  const page = await ok(`/programmes/${nat.id}/targets`, web);
  const table = /<table class="report" id="targets">([\s\S]*?)<\/table>/.exec(page.text)[1];
  for (const head of ['Mục tiêu', 'Chỉ tiêu', 'Đã thực hiện', 'Tiến độ', 'Cần đạt đến nay', 'Đánh giá'])
    assert.ok(table.includes(`<th>${head}</th>`), head);
  assert.equal((table.match(/<tr class="status-/g) || []).length, 7, 'the seven targets of Decision 1881');
  assert.ok(table.includes('Xây dựng mô hình trình diễn kỹ thuật'));
  assert.ok(table.includes('340 mô hình'));
  const words = table.replace(/<[^>]+>/g, ' ');
  assert.doesNotMatch(words, /demo_models|training\.trainees|\w+\.\w+_\w+|DOMAIN/, 'no indicator codes, no developer notes');
  assert.match(table, /Chưa có số liệu|Chậm tiến độ|Đúng tiến độ|Đã đạt/);
  assert.match(table, /class="by-province" href="\/stats\?indicator=[^"]+&amp;by=province"/);
  // One province's part of a national programme.
  const hy = await ok(`/programmes/${nat.id}/targets?province=33`, web);
  assert.match(hy.text, /phần thực hiện tại tỉnh đã chọn/);
  assert.match(hy.text, /<option value="33" selected>/);
  assert.equal((await web.get(`/programmes/${nat.id}/targets?province=Hưng Yên`)).status, 400);
  assert.equal((await web.get('/programmes/999999/targets')).status, 404);
  // The dashboard of its years leads to it.
  const dash = await ok('/dashboard?preset=cal-2021-2025', web);
  assert.match(dash.text, new RegExp(`<ul id="targets-links">.*href="/programmes/${nat.id}/targets"`));
});
