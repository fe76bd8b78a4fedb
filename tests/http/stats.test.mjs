// stats.test.mjs - statistics and the periodic report through HTTP, on the
// demo data that `khuyencong init` loads (the figures of the five seed
// articles): the indicator catalogue, /api/v1/stats with its sources, old and
// new units, Vietnamese texts, errors, the statistics page, and the report as
// JSON, PDF, XLSX, text and HTML, with its scope.
import assert from 'node:assert/strict';
import { execFile } from 'node:child_process';
import { rm, writeFile } from 'node:fs/promises';
import path from 'node:path';
import { after, before, test } from 'node:test';
import { promisify } from 'node:util';

import { login, run, scratchDir, setup } from './lib.mjs';

const HY_PASSWORD = 'Mat-khau-Hung-Yen-2025';
const env = await setup(after, {
  prefix: 'stats',
  users: [{ name: 'sct-hungyen', role: 'province', province: '33', password: HY_PASSWORD }],
});

let api; /* administrator, bearer token */
let web; /* administrator, cookie (pages) */
let hy; /* Hưng Yên's department, bearer token */
before(async () => {
  api = await login(env.base, 'admin', env.adminPassword, 'bearer');
  web = await login(env.base, 'admin', env.adminPassword);
  hy = await login(env.base, 'sct-hungyen', HY_PASSWORD, 'bearer');
});

const qs = (params) => new URLSearchParams(params).toString();

async function get(url, client = api) {
  const r = await client.get(url);
  assert.equal(r.status, 200, `${url}: ${r.status} ${r.text.slice(0, 500)}`);
  return r;
}

async function stats(params) {
  return (await get(`/api/v1/stats?${qs(params)}`)).body;
}

/* The row of a stats answer whose label contains name. */
function rowNamed(body, name) {
  const rows = body.rows.filter((r) => r.label.includes(name));
  assert.equal(rows.length, 1, `one row labelled ${name}: ${JSON.stringify(body.rows)}`);
  return rows[0];
}

/* ---- the catalogue ---- */

test('GET /api/v1/indicators lists the catalogue with unique codes', async () => {
  const { body } = await get('/api/v1/indicators');
  assert.ok(Array.isArray(body.items) && body.items.length > 20, `${body.items?.length}`);
  const codes = body.items.map((i) => i.code);
  assert.equal(new Set(codes).size, codes.length, 'codes are unique');
  const ct = body.items.find((i) => i.code === 'training.craft_transfer.trainees');
  assert.ok(ct, 'training.craft_transfer.trainees is in the catalogue');
  assert.equal(ct.measure, 'lao động');
  assert.equal(ct.agg, 'sum');
  assert.equal(ct.computed_from, 'training-classes');
  const rate = body.items.find((i) => i.code === 'training.employment_rate');
  assert.equal(rate.agg, 'ratio');
  assert.equal(body.items.find((i) => i.code === 'villages.count').agg, 'stock');
  for (const i of body.items) {
    assert.ok(i.name && i.name_en && i.section, JSON.stringify(i));
    assert.ok(['sum', 'ratio', 'stock'].includes(i.agg), JSON.stringify(i));
  }
});

test('the catalogue needs a login', async () => {
  const r = await fetch(`${env.base}/api/v1/indicators`);
  assert.equal(r.status, 401);
});

/* ---- values with their sources ---- */

test('Hà Nội 2016–2020: 9.590 craft-transfer trainees, reported, with the figure behind it', async () => {
  const body = await stats({
    indicator: 'training.craft_transfer.trainees', from: '2016', to: '2020', province: '01',
  });
  assert.equal(body.indicator.code, 'training.craft_transfer.trainees');
  assert.equal(body.total.text, '9.590 lao động');
  assert.equal(body.total.value, 9590);
  assert.equal(body.total.qualifier, 'exact');
  assert.equal(body.total.source, 'reported');
  assert.equal(body.total.records, null, 'no detailed records behind it (the demo class is illustrative)');
  assert.ok(body.total.figures.length >= 1);
  assert.ok(body.rule.includes('minh họa'), 'the rule is stated');
  const fig = (await get(`/api/v1/figures/${body.total.figures[0].id}`)).body;
  assert.equal(fig.indicator, 'training.craft_transfer.trainees');
  assert.ok(fig.quote.includes('9.590'), fig.quote);
  assert.equal(fig.source_title, body.total.figures[0].source_title);
});

test('the illustrative demo class counts only when asked for', async () => {
  const base = { indicator: 'training.craft_transfer.trainees', from: '2019', to: '2019', province: '01' };
  const plain = await stats(base);
  assert.equal(plain.total.source, 'none');
  assert.equal(plain.total.value, null);
  const withDemo = await stats({ ...base, illustrative: '1' });
  assert.equal(withDemo.total.source, 'records');
  assert.ok(withDemo.total.value > 0);
  assert.match(withDemo.total.records, /^\/training-classes\?/);
});

test('villages.count by province: under old Nam Định with units=old, under Ninh Bình with units=new', async () => {
  const old = await stats({ indicator: 'villages.count', by: 'province', units: 'old' });
  const nd = rowNamed(old, 'Nam Định');
  assert.equal(nd.key, 'old:36');
  assert.equal(nd.text, '98 làng nghề');
  assert.equal(nd.source, 'reported');
  assert.ok(!old.rows.some((r) => r.label.includes('Ninh Bình')), JSON.stringify(old.rows));

  const now = await stats({ indicator: 'villages.count', by: 'province', units: 'new' });
  const nb = rowNamed(now, 'Ninh Bình');
  assert.equal(nb.key, 'new:37');
  assert.equal(nb.text, '98 làng nghề');
  assert.ok(!now.rows.some((r) => r.label.includes('Nam Định')), JSON.stringify(now.rows));

  // Default: today's units.
  const dflt = await stats({ indicator: 'villages.count', by: 'province' });
  assert.deepEqual(dflt.rows.map((r) => r.key), now.rows.map((r) => r.key));
  // old_province filters one province of the time.
  const only = await stats({ indicator: 'villages.count', old_province: '36' });
  assert.equal(only.total.text, '98 làng nghề');
});

test('Vietnamese texts: trên 80%, 5–7 triệu đồng/người/tháng, trên 20 triệu USD, 24,7 tỷ đồng', async () => {
  const rate = await stats({ indicator: 'training.employment_rate', province: '01', from: '2016', to: '2020' });
  assert.equal(rate.total.text, 'trên 80%');
  assert.equal(rate.total.qualifier, 'at_least');
  assert.equal(rate.total.value, 800);
  assert.equal(rate.total.scale, 1);

  const income = await stats({ indicator: 'demo_models.avg_income' });
  assert.equal(income.total.text, '5–7 triệu đồng/người/tháng');
  assert.equal(income.total.qualifier, 'range');
  assert.equal(income.total.value, 5000000);
  assert.equal(income.total.value_hi, 7000000);

  const usd = await stats({ indicator: 'fairs.contract_value_usd' });
  assert.equal(usd.total.text, 'trên 20 triệu USD');
  assert.equal(usd.total.value, 20000000);

  const money = await stats({ indicator: 'demo_models.counterpart', province: '79' });
  assert.equal(money.total.text, '24,7 tỷ đồng');
  assert.equal(money.total.value, 24700000000);
});

test('by=year breaks reported figures down by their period', async () => {
  const body = await stats({ indicator: 'villages.workers', by: 'year' });
  const keys = body.rows.map((r) => r.key).sort();
  assert.deepEqual(keys, ['2015', '2021'], JSON.stringify(body.rows));
  assert.equal(body.rows.find((r) => r.key === '2015').text, 'trên 44.000 lao động');
  assert.equal(body.total.qualifier, 'at_least');
  assert.equal(body.total.value, 89000);
});

/* ---- errors and scope ---- */

test('bad parameters are 400 naming the field', async () => {
  for (const [params, field] of [
    [{ indicator: 'nope' }, 'indicator'],
    [{ indicator: 'villages.count', units: 'bad' }, 'units'],
    [{ indicator: 'training.trainees', from: '2021', to: '2020' }, 'to'],
    [{ indicator: 'training.trainees', by: 'nonsense' }, 'by'],
    [{ indicator: 'training.trainees', from: 'abc' }, 'from'],
  ]) {
    const r = await api.get(`/api/v1/stats?${qs(params)}`);
    assert.equal(r.status, 400, `${qs(params)}: ${r.status} ${r.text}`);
    assert.equal(r.body.error.field, field, `${qs(params)}: ${r.text}`);
  }
});

test('a province account sees its province only', async () => {
  const r = await hy.get(`/api/v1/stats?${qs({ indicator: 'villages.count', province: '01' })}`);
  assert.equal(r.status, 403, r.text);
  const mine = (await get(`/api/v1/stats?${qs({ indicator: 'villages.count', by: 'province' })}`, hy)).body;
  assert.equal(mine.query.province, '33');
  assert.ok(mine.rows.every((x) => x.key === 'new:33'), JSON.stringify(mine.rows));
  const all = await stats({ indicator: 'training.craft_transfer.trainees', from: '2016', to: '2020' });
  assert.equal(all.total.value, 9590);
  const hers = (await get(`/api/v1/stats?${qs({ indicator: 'training.craft_transfer.trainees', from: '2016', to: '2020' })}`, hy)).body;
  assert.equal(hers.total.source, 'none', 'Hà Nội\'s figure is not counted for Hưng Yên');
});

/* ---- the statistics page ---- */

test('the statistics page renders #stats with links to the figures', async () => {
  const r = await get(`/stats?${qs({ indicator: 'villages.count', by: 'province', units: 'old' })}`, web);
  assert.match(r.headers.get('content-type'), /^text\/html/);
  assert.match(r.text, /<table[^>]*id="stats"/);
  const m = /href="\/figures\/(\d+)"/.exec(r.text);
  assert.ok(m, 'a link to a reported figure');
  assert.ok(r.text.includes('Nam Định'));
  assert.ok(r.text.includes('98 làng nghề'));
  const fig = await get(`/figures/${m[1]}`, web);
  assert.ok(fig.text.includes('Nam Định'));

  const bad = await web.get(`/stats?${qs({ indicator: 'nope' })}`);
  assert.equal(bad.status, 400);
  assert.match(bad.text, /id="form-error"/);
});

/* ---- the periodic report ---- */

const HN = { province: '01', from: '2016', to: '2020' };

test('report JSON for Hà Nội 2016–2020: sections in order, the paragraph from the numbers, notes', async () => {
  const { body: doc } = await get(`/api/v1/reports/periodic?${qs({ ...HN, format: 'json' })}`);
  assert.ok(doc.title && doc.subtitle.includes('Hà Nội'), doc.subtitle);
  const titles = doc.sections.map((s) => s.title);
  assert.ok(titles.length >= 2, JSON.stringify(titles));
  titles.forEach((t, i) => assert.ok(t.startsWith(`${i + 1}. `), `numbered in order: ${JSON.stringify(titles)}`));
  const ORDER = ['Đào tạo', 'Mô hình trình diễn', 'máy móc', 'Sản phẩm', 'Hội chợ', 'Hỗ trợ tư vấn',
    'Làng nghề', 'Kinh phí', 'Chương trình, đề án', 'Mục tiêu'];
  const pos = titles.map((t) => ORDER.findIndex((w) => t.includes(w)));
  assert.ok(pos.every((p) => p >= 0), JSON.stringify(titles));
  assert.deepEqual(pos, [...pos].sort((a, b) => a - b), `the departments' order: ${JSON.stringify(titles)}`);
  assert.match(titles[0], /^1\. Đào tạo nghề/);
  const para = doc.sections[0].paragraphs[0];
  assert.ok(para.startsWith('Giai đoạn 2016 – 2020,'), para);
  assert.ok(para.includes('đã tổ chức 274 lớp truyền nghề cho 9.590 lao động nông thôn'), para);
  assert.ok(para.includes('trên 80% số lao động có việc làm sau đào tạo'), para);
  assert.ok(doc.notes.length >= 1);
  assert.match(doc.notes[0], /^\[1\] Hà Nội/);
  const cells = doc.sections[0].table.rows.map((r) => r[1]);
  assert.ok(cells.includes('274 lớp [1]'), JSON.stringify(cells));
});

test('report for old Nam Định 2015 has a villages section with 98 làng nghề', async () => {
  const { body: doc } = await get(
    `/api/v1/reports/periodic?${qs({ old_province: '36', from: '2015', to: '2015', format: 'json' })}`,
  );
  assert.ok(doc.subtitle.includes('Nam Định'), doc.subtitle);
  const sec = doc.sections.find((s) => s.title.includes('Làng nghề'));
  assert.ok(sec, JSON.stringify(doc.sections.map((s) => s.title)));
  assert.ok(sec.table.rows.some((r) => r[1].startsWith('98 làng nghề')), JSON.stringify(sec.table.rows));
  assert.ok(sec.paragraphs[0].startsWith('Năm 2015,'), sec.paragraphs[0]);
  assert.ok(sec.paragraphs[0].includes('98 làng nghề'), sec.paragraphs[0]);
});

test('report as PDF: pdftotext finds the paragraph', async () => {
  const r = await api.request('GET', `/api/v1/reports/periodic?${qs({ ...HN, format: 'pdf' })}`);
  assert.equal(r.status, 200);
  assert.equal(r.headers.get('content-type'), 'application/pdf');
  assert.match(r.headers.get('content-disposition') || '', /attachment; filename=".*\.pdf"/);
  // The client reads text; fetch again for the bytes.
  const res = await fetch(`${env.base}/api/v1/reports/periodic?${qs({ ...HN, format: 'pdf' })}`, {
    headers: { Authorization: `Bearer ${api.bearer}` },
  });
  const bytes = Buffer.from(await res.arrayBuffer());
  assert.equal(bytes.subarray(0, 4).toString('latin1'), '%PDF');
  const file = path.join(env.dir, 'report.pdf');
  await writeFile(file, bytes);
  const { stdout } = await promisify(execFile)('pdftotext', ['-enc', 'UTF-8', file, '-']);
  const text = stdout.replace(/\s+/g, ' ');
  assert.ok(text.includes('9.590 lao động nông thôn'), text.slice(0, 2000));
});

test('report as XLSX and as text', async () => {
  const res = await fetch(`${env.base}/api/v1/reports/periodic?${qs({ ...HN, format: 'xlsx' })}`, {
    headers: { Authorization: `Bearer ${api.bearer}` },
  });
  assert.equal(res.status, 200);
  assert.match(res.headers.get('content-type'), /spreadsheetml/);
  const bytes = Buffer.from(await res.arrayBuffer());
  assert.equal(bytes.subarray(0, 2).toString('latin1'), 'PK');

  const txt = await get(`/api/v1/reports/periodic?${qs({ ...HN, format: 'txt' })}`);
  assert.match(txt.headers.get('content-type'), /^text\/plain/);
  assert.ok(txt.text.includes('| Lớp truyền nghề | 274 lớp [1] |'), txt.text.slice(0, 2000));
  assert.ok(txt.text.includes('9.590 lao động nông thôn'));

  const bad = await api.get(`/api/v1/reports/periodic?${qs({ ...HN, format: 'doc' })}`);
  assert.equal(bad.status, 400);
  assert.equal(bad.body.error.field, 'format');
  const noPeriod = await api.get(`/api/v1/reports/periodic?${qs({ province: '01' })}`);
  assert.equal(noPeriod.status, 400, noPeriod.text);
});

test('the /reports page shows the report and its download links', async () => {
  const r = await get(`/reports?${qs(HN)}`, web);
  assert.match(r.headers.get('content-type'), /^text\/html/);
  assert.match(r.text, /id="report"/);
  for (const f of ['pdf', 'xlsx', 'txt']) {
    const m = new RegExp(`<a href="([^"]+)" id="download-${f}"`).exec(r.text);
    assert.ok(m, `download link ${f}`);
    const href = m[1].replaceAll('&amp;', '&');
    assert.ok(href.includes(`format=${f}`) && href.includes('province=01'), href);
  }
  assert.ok(r.text.includes('9.590 lao động nông thôn'));
  const pdfHref = /<a href="([^"]+)" id="download-pdf"/.exec(r.text)[1].replaceAll('&amp;', '&');
  const pdf = await fetch(env.base + pdfHref, { headers: { Cookie: web.cookieHeader() } });
  assert.equal(pdf.status, 200);
  assert.equal(Buffer.from(await pdf.arrayBuffer()).subarray(0, 4).toString('latin1'), '%PDF');
});

test('a province account of 33 cannot have the report of province 01', async () => {
  const r = await hy.get(`/api/v1/reports/periodic?${qs({ ...HN, format: 'json' })}`);
  assert.equal(r.status, 403, `${r.status} ${r.text.slice(0, 300)}`);
});

test('a province account has the report of its own province', async () => {
  const { body: doc } = await get(`/api/v1/reports/periodic?${qs({ province: '33', from: '2014', to: '2020' })}`, hy);
  assert.ok(doc.subtitle.includes('Hưng Yên'), doc.subtitle);
  const text = JSON.stringify(doc);
  assert.ok(!text.includes('9.590'), 'nothing of Hà Nội');
  assert.ok(doc.sections.length >= 1, JSON.stringify(doc.sections.map((s) => s.title)));
});

/* ---- reporting periods, breakdowns and filters ---- */

test('GET /api/v1/reporting-periods: 15/12–14/12 and the first half 15/12–14/06, due 20/12 and 20/06', async () => {
  const { body } = await get('/api/v1/reporting-periods');
  const year = body.items.find((i) => i.kind === 'year');
  const half = body.items.find((i) => i.kind === 'half_year');
  assert.deepEqual([year.start_month, year.start_day, year.end_month, year.end_day, year.due_month, year.due_day],
    [12, 15, 12, 14, 12, 20]);
  assert.deepEqual([half.start_month, half.start_day, half.end_month, half.end_day, half.due_month, half.due_day],
    [12, 15, 6, 14, 6, 20]);
  const ry = await stats({ indicator: 'training.trainees', period: 'reporting_year', from: '2024', to: '2024' });
  assert.deepEqual([ry.query.period.date_from, ry.query.period.date_to], ['2023-12-15', '2024-12-14']);
  assert.match(ry.placement, /theo ngày/);
  const h2 = await stats({ indicator: 'training.trainees', period: 'half_year', from: '2024', half: '2' });
  assert.deepEqual([h2.query.period.date_from, h2.query.period.date_to], ['2024-06-15', '2024-12-14']);
  assert.equal(h2.query.period.year_only_counted, false);
});

test('a class of 15/12/2024 is in reporting year 2025, not 2024; changing the rule moves it, audited', async () => {
  const cls = await api.post('/api/v1/training-classes', {
    json: { province: '04', kind: 'craft_transfer', topic: 'Lớp thử kỳ báo cáo', year: 2024, date_from: '15/12/2024', trainees: 17 },
  });
  assert.equal(cls.status, 201, cls.text);
  const q = { indicator: 'training.craft_transfer.trainees', province: '04', period: 'reporting_year' };
  assert.equal((await stats({ ...q, from: '2025', to: '2025' })).total.value, 17);
  assert.equal((await stats({ ...q, from: '2024', to: '2024' })).total.source, 'none');
  assert.equal((await stats({ ...q, period: 'calendar', from: '2024', to: '2024' })).total.value, 17);

  // Only an administrator changes the rule; a bad rule is 400 naming the field.
  const denied = await hy.patch('/api/v1/reporting-periods/year', { json: { start_month: 1, start_day: 1, end_month: 12, end_day: 31 } });
  assert.equal(denied.status, 403, denied.text);
  const gap = await api.patch('/api/v1/reporting-periods/year', { json: { start_month: 1, start_day: 1, end_month: 12, end_day: 30 } });
  assert.equal(gap.status, 400, gap.text);
  assert.equal(gap.body.error.field, 'start_day');
  const unknown = await api.patch('/api/v1/reporting-periods/quarter', { json: { end_day: 1 } });
  assert.equal(unknown.status, 404, unknown.text);

  const ok = await api.patch('/api/v1/reporting-periods/year', { json: { start_month: 1, start_day: 1, end_month: 12, end_day: 31 } });
  assert.equal(ok.status, 200, ok.text);
  try {
    assert.equal((await stats({ ...q, from: '2024', to: '2024' })).total.value, 17);
    assert.equal((await stats({ ...q, from: '2025', to: '2025' })).total.source, 'none');
    const audit = await get(`/api/v1/audit?${qs({ entity: 'reporting_periods', entity_id: 'year' })}`);
    assert.ok(audit.body.items.length >= 1, audit.text);
  } finally {
    const back = await api.patch('/api/v1/reporting-periods/year', { json: { start_month: 12, start_day: 15, end_month: 12, end_day: 14 } });
    assert.equal(back.status, 200, back.text);
  }
  assert.equal((await stats({ ...q, from: '2025', to: '2025' })).total.value, 17);
});

test('breakdowns by establishment kind and industry: the reported 113 of Bà Rịa – Vũng Tàu under "Khác / chưa phân loại"', async () => {
  const body = await stats({ indicator: 'machinery.establishments', by: 'establishment_kind', illustrative: '1' });
  const unknown = body.rows.find((r) => r.key === '');
  assert.ok(unknown, JSON.stringify(body.rows));
  assert.equal(unknown.label, 'Khác / chưa phân loại', 'a figure that names no kind of establishment');
  assert.equal(unknown.value, 113);
  assert.equal(unknown.source, 'reported');
  // The illustrative machinery support of Hưng Yên: a cooperative, VSIC 32110 (section C).
  const coop = body.rows.find((r) => r.key === 'cooperative');
  assert.equal(coop.value, 1);
  assert.equal(coop.source, 'records');
  assert.equal(body.total.value, 114);
  const ind = await stats({ indicator: 'machinery.establishments', by: 'industry', illustrative: '1' });
  const c = ind.rows.find((r) => r.key === '2025:C');
  assert.ok(c, JSON.stringify(ind.rows));
  assert.equal(c.value, 1);
  assert.match(c.label, /^C – CÔNG NGHIỆP CHẾ BIẾN, CHẾ TẠO/);
  const com = await stats({ indicator: 'machinery.establishments', by: 'commune', illustrative: '1' });
  const place = com.rows.filter((r) => r.key !== '');
  assert.equal(place.length, 1, JSON.stringify(com.rows));
  assert.match(place[0].key, /^(new|old):\d{5}$/);
  assert.match(place[0].label, /Hưng Yên/);
  assert.equal(place[0].value, 1);
  assert.equal(com.rows.find((r) => r.key === '').value, 113);
  const fund = await stats({ indicator: 'machinery.support_times', by: 'funding', illustrative: '1', province: '33' });
  assert.deepEqual(fund.rows.map((r) => [r.key, r.value]), [['local', 1]]);
});

test('a breakdown or filter that does not apply is 400 naming it', async () => {
  for (const [params, field] of [
    [{ indicator: 'training.trainees', by: 'establishment_kind' }, 'by'],
    [{ indicator: 'training.trainees', by: 'commune' }, 'by'],
    [{ indicator: 'fairs.count', by: 'industry' }, 'by'],
    [{ indicator: 'villages.count', by: 'funding' }, 'by'],
    [{ indicator: 'villages.count', funding: 'local' }, 'funding'],
    [{ indicator: 'projects.count', funding: 'private' }, 'funding'],
    [{ indicator: 'projects.count', content_type: 'nonsense' }, 'content_type'],
    [{ indicator: 'training.trainees', period: 'quarterly' }, 'period'],
    [{ indicator: 'training.trainees', period: 'half_year', from: '2024', half: '3' }, 'half'],
    [{ indicator: 'training.trainees', period: 'half_year' }, 'from'],
    [{ indicator: 'training.trainees', period: 'dates', date_from: '31/02/2024' }, 'date_from'],
    [{ indicator: 'training.trainees', period: 'dates', date_from: '2024-05-01', date_to: '2024-04-30' }, 'date_to'],
  ]) {
    const r = await api.get(`/api/v1/stats?${qs(params)}`);
    assert.equal(r.status, 400, `${qs(params)}: ${r.status} ${r.text}`);
    assert.equal(r.body.error.field, field, `${qs(params)}: ${r.text}`);
    if (field === 'by') assert.match(r.body.error.message, /không áp dụng|does not apply/i, r.text);
  }
  const r = await api.get(`/api/v1/stats?${qs({ indicator: 'training.trainees', period: 'programme', programme_id: '999999' })}`);
  assert.equal(r.status, 404, r.text);
  assert.equal(r.body.error.field, 'programme_id');
});

test('content type and funding filters: the records behind, and the dashboard JSON carries them', async () => {
  const demo = await stats({ indicator: 'projects.count', content_type: 'demo_model', illustrative: '1' });
  assert.equal(demo.total.value, 1);
  assert.match(demo.total.records, /^\/projects\?.*content_type=demo_model/);
  const list = await get(demo.total.records, web);
  assert.ok(list.text.includes('HY-2021-QG-01'), 'the demonstration-model project is listed');
  assert.ok(!list.text.includes('HY-2021-DP-01'), 'the machinery project is not');
  assert.equal((await stats({ indicator: 'projects.count', content_type: 'fairs', illustrative: '1' })).total.source, 'none');
  const local = await stats({ indicator: 'machinery.support_times', funding: 'local', illustrative: '1' });
  assert.equal(local.total.value, 1);
  assert.equal(local.total.source, 'records', 'the reported 64 of Hà Nội says no funding source');

  const { body: dash } = await get(`/api/v1/dashboard?${qs({ content_type: 'demo_model', illustrative: '1', period: 'reporting_year', from: '2014', to: '2021' })}`);
  assert.equal(dash.filters.content_type, 'demo_model');
  assert.match(dash.filters.period.label, /năm báo cáo 2014 – 2021/);
  const codes = dash.headline.map((h) => h.indicator);
  assert.ok(codes.includes('demo_models.count'), codes.join());
  // Training is another content type: its card stays, saying it has no value (issue 19, 9).
  assert.equal(dash.headline.find((h) => h.indicator === 'training.trainees').source, 'none');
  for (const h of dash.headline) {
    const p = new URL(h.link, env.base).searchParams;
    assert.deepEqual([p.get('content_type'), p.get('period'), p.get('from'), p.get('to')],
      ['demo_model', 'reporting_year', '2014', '2021'], h.link);
  }
  const seen = dash.headline.find((h) => h.indicator === 'demo_models.count');
  assert.equal(seen.text, '7 mô hình'); // 6 reported in Bà Rịa – Vũng Tàu + the illustrative one of Hưng Yên
  const odd = await api.get(`/api/v1/dashboard?${qs({ funding: 'other' })}`);
  assert.equal(odd.status, 200, 'an inapplicable filter leaves figures out, it is not an error');
  assert.ok(odd.body.headline.every((h) => h.source === 'none'), JSON.stringify(odd.body.headline));
  // A funding source that is none of the codes is refused, as by /api/v1/stats (params.c).
  const bad = await api.get(`/api/v1/dashboard?${qs({ funding: 'private' })}`);
  assert.equal(bad.status, 400);
  assert.equal(bad.body.error.field, 'funding');
  const page = await web.get(`/dashboard?${qs({ content_type: 'nope' })}`);
  assert.equal(page.status, 400);
  const view = await web.get(`/stats?${qs({ indicator: 'projects.count', view: 'globe' })}`,
    { headers: { Accept: 'application/json' } });
  assert.equal(view.status, 400);
  assert.equal(view.body.error.field, 'view');
});

test('the statistics page offers the periods, the filters and the new breakdowns, and prints the placement rule', async () => {
  const r = await get(`/stats?${qs({ indicator: 'machinery.establishments', by: 'establishment_kind', period: 'reporting_year', from: '2020', to: '2020' })}`, web);
  for (const name of ['period', 'half', 'date_from', 'date_to', 'programme_id', 'content_type', 'funding'])
    assert.match(r.text, new RegExp(`name="${name}"`), name);
  for (const v of ['commune', 'establishment_kind', 'industry', 'village', 'village_group', 'content_type', 'funding'])
    assert.match(r.text, new RegExp(`<option value="${v}"`), v);
  assert.match(r.text, /id="placement"/);
  assert.ok(r.text.includes('15/12/2019'), 'the period is printed with its dates');
  // The rule printed under the table is whole: it ended at "khác" when a " / " inside it was taken for the
  // line between its Vietnamese and English halves.
  const rule = /<p class="muted rule">([^<]*)<\/p>/.exec(r.text)?.[1] ?? '';
  assert.match(rule, /chưa phân loại.*Bản ghi minh họa không được tính\.$/, rule);
  const bad = await web.get(`/stats?${qs({ indicator: 'training.trainees', by: 'industry' })}`);
  assert.equal(bad.status, 400);
  assert.match(bad.text, /id="form-error"/);
});

test('/admin/reporting-periods: the administrator changes the first half-year from the form; errors name the field', async () => {
  const page = await get('/admin/reporting-periods', web);
  assert.match(page.text, /id="period-year"/);
  assert.match(page.text, /id="period-half_year"/);
  assert.match(page.text, /name="end_day" value="14"/);
  const statsPage = await get(`/stats?${qs({ indicator: 'villages.count' })}`, web);
  assert.match(statsPage.text, /id="reporting-periods-link"/);
  const denied = await hy.get('/admin/reporting-periods');
  assert.equal(denied.status, 403);

  const form = (fields) => ({
    body: new URLSearchParams(fields).toString(),
    headers: { 'Content-Type': 'application/x-www-form-urlencoded' },
  });
  // A first half to 14 Dec is the whole reporting year: refused, nothing changed.
  const bad = await web.post('/admin/reporting-periods/half_year', form({ end_day: '14', end_month: '12' }));
  // The page comes back at once with the error: no redirect carries its text.
  assert.equal(bad.status, 400, bad.text);
  assert.match(bad.text, /id="form-error"/);
  assert.match(bad.text, /id="period-half_year"/);
  const ok = await web.post('/admin/reporting-periods/half_year', form({ end_day: '30', end_month: '6' }));
  assert.equal(ok.status, 303, ok.text);
  assert.equal(ok.headers.get('location'), '/admin/reporting-periods?done=saved');
  try {
    const half = (await get('/api/v1/reporting-periods')).body.items.find((i) => i.kind === 'half_year');
    assert.deepEqual([half.start_day, half.start_month, half.end_day, half.end_month], [15, 12, 30, 6]);
    const h1 = await stats({ indicator: 'training.trainees', period: 'half_year', from: '2024', half: '1' });
    assert.equal(h1.query.period.date_to, '2024-06-30');
  } finally {
    const back = await api.patch('/api/v1/reporting-periods/half_year', { json: { end_day: 14, end_month: 6 } });
    assert.equal(back.status, 200, back.text);
  }
});

/* ---- every number links to the records or figures behind it ---- */

/* Follows every link of a stats answer through the record API: a records link
 * lists exactly records_count records (summing to the value in sumField, or
 * counting it, for a cell of records only); a figures link lists exactly the
 * figures used. Returns how many links it followed. */
async function followLinks(body, sumField) {
  let followed = 0;
  for (const c of [...body.rows, body.total]) {
    if (c.records_count > 0) {
      assert.ok(c.records, `row ${c.key} counts ${c.records_count} records and has a link`);
      const r = await get(`/api/v1${c.records}&per_page=500`);
      assert.equal(r.body.total, c.records_count, `${c.records}: ${r.body.total} listed, the cell counts ${c.records_count}`);
      if (c.source === 'records' && sumField !== null) {
        const sum = r.body.items.reduce((s, it) => s + (sumField ? it[sumField] ?? 0 : 1), 0);
        assert.equal(sum, c.value, `${c.records}: the listed records make ${sum}, the cell says ${c.value}`);
      }
      followed++;
    } else assert.equal(c.records, null, `row ${c.key}: no records, no link`);
    if (c.figures.length) {
      assert.ok(c.figures_link, `row ${c.key} uses figures and links to them`);
      const r = await get(`/api/v1${c.figures_link}`);
      assert.deepEqual(r.body.items.map((f) => f.id).sort(), c.figures.map((f) => f.id).sort(), c.figures_link);
      followed++;
    } else assert.equal(c.figures_link, null);
  }
  return followed;
}

test('(a) a reporting year, a half-year and a date range: the links list the classes by date, the undated ones by year', async () => {
  for (const [date_from, year, trainees] of [['20/12/2023', 2023, 7], ['01/03/2024', 2024, 5], ['20/12/2024', 2024, 11], [null, 2024, 13], [null, 2023, 17]]) {
    const json = { province: '08', kind: 'craft_transfer', topic: 'Lớp thử đường dẫn', year, trainees };
    if (date_from) json.date_from = date_from;
    const r = await api.post('/api/v1/training-classes', { json });
    assert.equal(r.status, 201, r.text);
  }
  const base = { indicator: 'training.craft_transfer.trainees', province: '08' };
  const ry = await stats({ ...base, period: 'reporting_year', from: '2024', to: '2024' });
  assert.equal(ry.total.value, 7 + 5 + 13);
  assert.match(ry.total.records, /date_from=2023-12-15&date_to=2024-12-14&year_from=2024&year_to=2024/);
  assert.ok((await followLinks(ry, 'trainees')) >= 1);
  const byYear = await stats({ ...base, period: 'reporting_year', from: '2024', to: '2024', by: 'year' });
  assert.deepEqual(byYear.rows.map((r) => [r.key, r.value]).sort(), [['2023', 7], ['2024', 18]]);
  assert.equal(await followLinks(byYear, 'trainees'), 3);
  const half = await stats({ ...base, period: 'half_year', from: '2024', half: '1' });
  assert.equal(half.total.value, 7 + 5, 'a half-year holds no class with a year only');
  await followLinks(half, 'trainees');
  const range = await stats({ ...base, period: 'dates', date_from: '01/06/2023', date_to: '31/12/2024' });
  assert.equal(range.total.value, 7 + 5 + 11 + 13);
  await followLinks(range, 'trainees');
  const classes = await stats({ indicator: 'training.classes', province: '08', period: 'reporting_year', from: '2024', to: '2024' });
  assert.equal(classes.total.value, 3);
  await followLinks(classes);
});

test('(b) breakdowns and filters through the establishment, village or project: each row lists what it counts', async () => {
  for (const by of ['establishment_kind', 'industry', 'commune', 'village', 'village_group', 'funding', 'content_type', 'province', 'year']) {
    for (const units of ['new', 'old']) {
      const body = await stats({ indicator: 'machinery.support_times', by, units, illustrative: '1' });
      await followLinks(body);
      const est = await stats({ indicator: 'machinery.establishments', by, units, illustrative: '1' });
      await followLinks(est);
    }
  }
  const kind = await stats({ indicator: 'machinery.support_times', by: 'establishment_kind', illustrative: '1' });
  const coop = kind.rows.find((r) => r.key === 'cooperative');
  assert.match(coop.records, /establishment_kind=cooperative/);
  const listed = await get(`/api/v1${coop.records}`);
  assert.equal(listed.body.total, 1, 'the illustrative machinery support of a Hưng Yên cooperative');
  // Filters through the project, on the page too.
  const local = await stats({ indicator: 'machinery.support_times', funding: 'local', illustrative: '1', by: 'commune' });
  assert.match(local.total.records, /funding=local/);
  assert.equal(await followLinks(local), 2);
  const page = await get(local.total.records, web);
  assert.match(page.text, /<input type="hidden" name="funding" value="local">/, 'filtering again keeps the condition');
  assert.match(page.text, /id="list-conditions"[^]*<code>funding = local<\/code>/, 'the list says its condition');
  assert.match(page.text, /<strong id="total">1<\/strong>/);
  const projects = await stats({ indicator: 'projects.count', by: 'funding', illustrative: '1', province: '33' });
  await followLinks(projects);
});

test('(c) reported figures and the "Khác / chưa phân loại" row link to the figures used', async () => {
  const body = await stats({ indicator: 'machinery.establishments', by: 'establishment_kind', illustrative: '1' });
  const unknown = body.rows.find((r) => r.key === '');
  assert.equal(unknown.value, 113);
  assert.match(unknown.figures_link, /^\/figures\?indicator=machinery\.establishments&ids=\d+$/);
  const figs = await get(`/api/v1${unknown.figures_link}`);
  assert.equal(figs.body.total, 1);
  assert.equal(figs.body.items[0].value.value, 113);
  await followLinks(body);
  assert.ok(body.total.records && body.total.figures_link, 'a mixed total links to both');
  const ht = await stats({ indicator: 'training.craft_transfer.trainees', from: '2016', to: '2020', by: 'province' });
  const hanoi = ht.rows.find((r) => r.key === 'new:01');
  assert.equal(hanoi.value, 9590);
  assert.equal(hanoi.records, null);
  await followLinks(ht);
  // The statistics page shows the figures link beside the records link.
  const r = await get(`/stats?${qs({ indicator: 'machinery.establishments', by: 'establishment_kind', illustrative: '1' })}`, web);
  assert.match(r.text, /class="figures-link"[^>]*>số liệu báo cáo đã dùng \(1\)/);
  assert.match(r.text, /class="records-link"/);
});

test('the new list filters: bad input is 400 naming the parameter', async () => {
  for (const [url, field] of [
    ['/api/v1/machinery?establishment_kind=nonsense', 'establishment_kind'],
    ['/api/v1/training-classes?establishment_kind=household', 'establishment_kind'],
    ['/api/v1/machinery?industry=C', 'industry'],
    ['/api/v1/machinery?commune=00004', 'commune'],
    ['/api/v1/machinery?village=abc', 'village'],
    ['/api/v1/machinery?funding=private', 'funding'],
    ['/api/v1/villages?funding=local', 'funding'],
    ['/api/v1/machinery?date_from=2024-01-01', 'date_from'],
    ['/api/v1/training-classes?date_to=31/02/2024', 'date_to'],
    ['/api/v1/figures?ids=1,x', 'ids'],
    ['/api/v1/figures?ids=1,', 'ids'],
    ['/api/v1/machinery?units=later', 'units'],
    ['/api/v1/projects?content_type=demo_model,nonsense', 'content_type'],
    ['/api/v1/training-classes?trainees!=5', 'trainees!'],
    ['/api/v1/training-classes?nothing!=none', 'nothing!'],
  ]) {
    const r = await api.get(url);
    assert.equal(r.status, 400, `${url}: ${r.status} ${r.text}`);
    assert.equal(r.body.error.field, field, `${url}: ${r.text}`);
  }
});

test('indicators with a condition of their own: the links say it (status!=cancelled, employed!=none, a set of content types)', async () => {
  // A cancelled project of Hưng Yên is not counted, and not listed.
  const p = await api.post('/api/v1/projects', {
    json: { title: 'Đề án thử bị hủy', year: 2021, province: '33', content_type: 'machinery', kind: 'local' },
  });
  assert.equal(p.status, 201, p.text);
  const cancel = await api.post(`/api/v1/projects/${p.body.id}/transitions`, { json: { to: 'cancelled', date: '2021-06-01' } });
  assert.equal(cancel.status, 200, cancel.text);
  for (const indicator of ['projects.count', 'projects.count.demo_model_machinery']) {
    const body = await stats({ indicator, province: '33', illustrative: '1', from: '2021', to: '2021', by: 'year' });
    assert.match(body.total.records, /status!=cancelled/);
    await followLinks(body);
    const all = await get(`/api/v1/projects?${qs({ province: '33', year: '2021', per_page: '500' })}`);
    assert.ok(all.body.total > body.total.records_count, 'the list without the condition is longer');
  }
  // Classes whose employment is not known are not in the rate, nor in its list.
  const r = await api.post('/api/v1/training-classes', {
    json: { province: '08', kind: 'craft_transfer', topic: 'Lớp thử không rõ việc làm', year: 2022, trainees: 40 },
  });
  assert.equal(r.status, 201, r.text);
  const k = await api.post('/api/v1/training-classes', {
    json: { province: '08', kind: 'craft_transfer', topic: 'Lớp thử có việc làm', year: 2022, trainees: 20, completed: 20, employed: 15 },
  });
  assert.equal(k.status, 201, k.text);
  const rate = await stats({ indicator: 'training.employment_rate', province: '08', from: '2022', to: '2022' });
  assert.equal(rate.total.value, 750);
  assert.equal(rate.total.records_count, 1);
  await followLinks(rate, null);
});

/* ---- issue 16: figures with their breakdowns, one rule per finest cell ---- */

test('(16.1) imported figures keep their funding and content type apart; filters apply to them; a wrong code is refused', async () => {
  const dir = await scratchDir('stats-figures');
  after(async () => { if (!process.env.KC_KEEP_TMP) await rm(dir, { recursive: true, force: true }); });
  const file = path.join(dir, 'figures-laocai.csv');
  const head = 'Mã chỉ tiêu,Nội dung,Đơn vị hành chính theo,Địa bàn,Từ năm,Đến năm,Giá trị,Đơn vị tính,' +
    'Nguồn kinh phí,Nội dung khuyến công,Loại hình cơ sở,Nguồn';
  const rows = [
    'projects.count,Đề án địa phương,new,Lào Cai,2024,2024,15,đề án,KC địa phương,,,Báo cáo thử Lào Cai',
    'projects.count,Đề án quốc gia,new,Lào Cai,2024,2024,2,đề án,national,,,Báo cáo thử Lào Cai',
    'budget.total,Kinh phí mô hình,new,Lào Cai,2024,2024,"3,1",tỷ đồng,,Mô hình trình diễn kỹ thuật,,Báo cáo thử Lào Cai',
    'budget.total,Kinh phí truyền thông,new,Lào Cai,2024,2024,"1,2",tỷ đồng,,communication,,Báo cáo thử Lào Cai',
    'establishments.supported,Hợp tác xã được hỗ trợ,new,Lào Cai,2024,2024,7,lượt cơ sở,,,Hợp tác xã,Báo cáo thử Lào Cai',
  ];
  await writeFile(file, '\uFEFF' + [head, ...rows].join('\r\n') + '\r\n');
  let r = await run(['import', '--db', env.db, '--kind', 'figures', file]);
  assert.equal(r.code, 0, r.stdout + r.stderr);
  assert.match(r.stdout, /created 5/);
  r = await run(['import', '--db', env.db, '--kind', 'figures', file]);
  assert.match(r.stdout, /created 0, updated 0, unchanged 5/, 'each figure is its own cell');
  const base = { indicator: 'projects.count', province: '15', from: '2024', to: '2024' };
  assert.equal((await stats(base)).total.value, 17);
  assert.equal((await stats({ ...base, funding: 'local' })).total.value, 15);
  const byFunding = await stats({ ...base, by: 'funding' });
  assert.equal(byFunding.rows.find((x) => x.key === 'national').value, 2);
  const budget = { indicator: 'budget.total', province: '15', from: '2024', to: '2024' };
  assert.equal((await stats(budget)).total.value, 4300000000);
  assert.equal((await stats({ ...budget, content_type: 'communication' })).total.value, 1200000000);
  const kinds = await stats({ indicator: 'establishments.supported', province: '15', by: 'establishment_kind' });
  assert.equal(kinds.rows.find((x) => x.key === 'cooperative').value, 7);
  const coops = await stats({ indicator: 'establishments.supported', province: '15', establishment_kind: 'cooperative' });
  assert.equal(coops.total.value, 7);
  const form = await get(`/stats?${qs({ indicator: 'establishments.supported', establishment_kind: 'cooperative' })}`, web);
  assert.match(form.text, /<select name="establishment_kind">[^]*<option value="cooperative" selected>/);
  assert.match(form.text, /<select name="funding">[^]*<option value="counterpart">/);

  // The indicator must be a code of the catalogue: its name is refused, naming the code.
  const bad = path.join(dir, 'figures-bad.csv');
  await writeFile(bad, '\uFEFF' + [head,
    'Đề án khuyến công,Đề án,new,Lào Cai,2023,2023,3,đề án,,,,Báo cáo thử Lào Cai'].join('\r\n') + '\r\n');
  r = await run(['import', '--db', env.db, '--kind', 'figures', bad, '--dry-run']);
  assert.equal(r.code, 1, r.stdout + r.stderr);
  assert.match(r.stdout, /row 2, "Mã chỉ tiêu"[^\n]*projects\.count \(Đề án khuyến công\)/);
  const api400 = await api.post('/api/v1/figures', { json: {
    indicator: 'project.count', subject: 'Thử', unit_era: 'new', unit_id: '15', period_from: 2023,
    period_to: 2023, value: '3', measure: 'đề án', source_title: 'Thử' } });
  assert.equal(api400.status, 400, api400.text);
  assert.equal(api400.body.error.field, 'indicator');
  assert.match(api400.body.error.message, /projects\.count/);
  // The template offers the catalogue's codes.
  const tpl = await get('/import/template?kind=figures', web);
  assert.equal(tpl.status, 200);
});

test('(16.A) the typical-product selection by product group: imported with its column, filtered and broken down, a bad group 400', async () => {
  const dir = await scratchDir('stats-groups');
  after(async () => { if (!process.env.KC_KEEP_TMP) await rm(dir, { recursive: true, force: true }); });
  const file = path.join(dir, 'figures-groups.csv');
  const head = 'Mã chỉ tiêu,Nội dung,Đơn vị hành chính theo,Địa bàn,Từ năm,Đến năm,Giá trị,Đơn vị tính,' +
    'Nhóm sản phẩm,Phạm vi số liệu,Nguồn';
  const row = (group, value, scope = '') =>
    `awards.entries.province,Sản phẩm tham gia bình chọn,new,Lào Cai,2021,2021,${value},sản phẩm,${group},${scope},Báo cáo thử Lào Cai`;
  await writeFile(file, '\uFEFF' + [head, row('', 26, 'Tổng'), row('Thủ công mỹ nghệ', 5),
    row('"Chế biến nông, lâm, thủy sản và thực phẩm"', 20), row('other', 1)].join('\r\n') + '\r\n');
  const r = await run(['import', '--db', env.db, '--kind', 'figures', file]);
  assert.equal(r.code, 0, r.stdout + r.stderr);
  assert.match(r.stdout, /created 4/);
  const base = { indicator: 'awards.entries.province', province: '15', from: '2021', to: '2021' };
  assert.equal((await stats(base)).total.value, 26);
  const food = await stats({ ...base, product_group: 'food' });
  assert.equal(food.total.value, 20);
  assert.equal(food.query.product_group, 'food');
  const groups = await stats({ ...base, by: 'product_group' });
  assert.deepEqual(groups.rows.filter((x) => x.key).map((x) => [x.key, x.value]).sort(),
    [['food', 20], ['handicraft', 5], ['other', 1]]);
  assert.equal(rowNamed(groups, 'Thủ công mỹ nghệ').value, 5);
  for (const [params, field] of [
    [{ ...base, product_group: 'pottery' }, 'product_group'],
    [{ indicator: 'training.trainees', product_group: 'food' }, 'product_group'],
  ]) {
    const bad = await api.get(`/api/v1/stats?${qs(params)}`);
    assert.equal(bad.status, 400, bad.text);
    assert.equal(bad.body.error.field, field, bad.text);
  }
  const form = await get(`/stats?${qs({ ...base, product_group: 'handicraft' })}`, web);
  assert.match(form.text, /<select name="product_group">[^]*<option value="handicraft" selected>/);
});

test('(16.2) a reported figure and the records it covers: both shown with their difference, in the API, the page and the report', async () => {
  const project = (title, year, kind) => api.post('/api/v1/projects', { json: {
    title, year, province: '15', content_type: 'machinery', kind } });
  // 2024: "15 local projects" reported, 1 national project entered in detail: they add up.
  let r = await project('Đề án quốc gia Lào Cai 2024', 2024, 'national_point');
  assert.equal(r.status, 201, r.text);
  const y24 = await stats({ indicator: 'projects.count', province: '15', from: '2024', to: '2024', funding: 'national' });
  assert.equal(y24.total.value, 2, 'the reported 2 national projects cover the one entered');
  assert.equal(y24.total.itemised.value, 1);
  // 2023: a total reported for the whole cell, 2 projects entered in detail.
  const fig = await api.post('/api/v1/figures', { json: {
    indicator: 'projects.count', subject: 'Đề án 2023', unit_era: 'new', unit_id: '15', period_from: 2023,
    period_to: 2023, value: '15', measure: 'đề án', source_title: 'Báo cáo thử Lào Cai 2023' } });
  assert.equal(fig.status, 201, fig.text);
  for (const t of ['Đề án A 2023', 'Đề án B 2023']) assert.equal((await project(t, 2023, 'local')).status, 201);
  const q = { indicator: 'projects.count', province: '15', from: '2023', to: '2023' };
  const body = await stats(q);
  assert.equal(body.total.value, 15);
  assert.equal(body.total.source, 'reported');
  assert.equal(body.total.itemised.value, 2);
  assert.equal(body.total.difference, 13);
  assert.equal(body.total.note, 'báo cáo: 15 đề án; đã nhập chi tiết: 2 đề án');
  assert.match(body.rule, /có số liệu báo cáo thì lấy số liệu báo cáo/);
  const page = await get(`/stats?${qs(q)}`, web);
  assert.match(page.text, /class="muted cell-note">báo cáo: 15 đề án; đã nhập chi tiết: 2 đề án</);
  const rep = await get(`/api/v1/reports/periodic?${qs({ province: '15', from: '2023', to: '2023', format: 'json' })}`);
  const rowsOf = (s) => s.table?.rows ?? [];
  const row = rep.body.sections.flatMap(rowsOf).find((x) => x[0] === 'Đề án khuyến công');
  assert.ok(row, JSON.stringify(rep.body.sections.map((s) => s.title)));
  assert.equal(row[2], 'số liệu báo cáo (báo cáo: 15 đề án; đã nhập chi tiết: 2 đề án)');
});

/* ---- places: old provinces, districts, the nation, records of the time (issue 16 C) ---- */

async function postFigure(json) {
  return api.post('/api/v1/figures', {
    json: { subject: 'Số liệu thử', measure: 'làng nghề', source_title: 'Thử địa bàn', ...json },
  });
}

test('two old provinces now one both count; a district and the nation are places; an empty place is refused', async () => {
  const ind = 'villages.count';
  const y = { period_from: 2023, period_to: 2023 };
  for (const [unit, value] of [['Nam Định', '10'], ['Hà Nam', '4']]) {
    const r = await postFigure({ indicator: ind, unit_era: 'old', unit_id: unit, value, ...y });
    assert.equal(r.status, 201, r.text);
  }
  const q = { indicator: ind, from: '2023', to: '2023' };
  assert.equal((await stats({ ...q, province: '37' })).total.value, 14, 'Nam Định and Hà Nam under Ninh Bình');

  const d = await postFigure({ indicator: ind, unit_era: 'old', unit_id: 'Huyện Yên Sơn, Tuyên Quang', value: '3', ...y });
  assert.equal(d.status, 201, d.text);
  assert.equal((await stats({ ...q, old_province: '08' })).total.value, 3);
  assert.equal((await stats({ ...q, province: '08' })).total.value, 3);

  const n = await postFigure({ indicator: ind, unit_era: 'new', unit_id: 'Toàn quốc', value: 'khoảng 5.400', ...y });
  assert.equal(n.status, 201, n.text);
  assert.equal(n.body.place_code, 'VN');
  const nation = await stats({ ...q, by: 'province' });
  assert.equal(nation.total.value, 5400, JSON.stringify(nation.total));
  assert.equal(nation.total.qualifier, 'about');
  assert.equal(nation.total.provinces_total.value, 17, 'the provinces are shown beside the nation');
  assert.equal(rowNamed(nation, 'Toàn quốc').value, 5400);
  assert.equal((await stats({ ...q, province: '37' })).total.value, 14, 'no province holds the nation');

  const empty = await postFigure({ indicator: ind, unit_era: 'new', unit_id: '', value: '1', ...y });
  assert.equal(empty.status, 400, empty.text);
  assert.equal(empty.body.error.field, 'unit_id');
  assert.match(empty.body.error.message, /Toàn quốc/);
});

test('a machinery support of 2022 counts under the old province of its establishment\'s commune', async () => {
  const est = await api.post('/api/v1/establishments', {
    json: { name: 'Cơ sở thử Phủ Lý', kind: 'household', commune_id: 'Phường Phủ Lý, Ninh Bình' },
  });
  assert.equal(est.status, 201, est.text);
  for (const year of [2022, 2026]) {
    const m = await api.post('/api/v1/machinery', { json: { establishment_id: est.body.id, equipment: 'Máy thử', year } });
    assert.equal(m.status, 201, m.text);
  }
  const q = { indicator: 'machinery.support_times', from: '2022', to: '2022' };
  const old = await stats({ ...q, units: 'old', by: 'province' });
  assert.equal(old.rows.find((r) => r.key === 'old:35')?.value, 1, JSON.stringify(old.rows));
  assert.equal((await stats({ ...q, old_province: '35' })).total.value, 1);
  assert.equal((await stats({ ...q, province: '37' })).total.value, 1);
});

test('records of the time: old district and commune, a split said on the page and in the statistics, an old unit given', async () => {
  const est = await api.post('/api/v1/establishments', {
    json: { name: 'Cơ sở thử Châu Sơn', kind: 'household', commune_id: 'Phường Châu Sơn, Ninh Bình' },
  });
  assert.equal(est.status, 201, est.text);
  const m = await api.post('/api/v1/machinery', { json: { establishment_id: est.body.id, equipment: 'Máy thử', year: 2021 } });
  assert.equal(m.status, 201, m.text);
  assert.equal(m.body.old_province_code, '35');
  assert.equal(m.body.old_commune_code, null);
  assert.equal(m.body.old_split, 'commune');
  const page = await get(`/machinery/${m.body.id}`, web);
  assert.match(page.text, /id="old-split"[^>]*>[^<]*3 xã cũ/);
  const s = await stats({ indicator: 'machinery.support_times', units: 'old', by: 'province', from: '2021', to: '2021' });
  assert.ok(s.old_units.commune_unknown >= 1, JSON.stringify(s.old_units));
  assert.match(s.old_units.note, /không xác định được xã cũ/);
  const sp = await get(`/stats?${qs({ indicator: 'machinery.support_times', units: 'old', from: '2021', to: '2021' })}`, web);
  assert.match(sp.text, /id="old-units"/);

  const c = await api.post('/api/v1/training-classes', {
    json: { province: '37', kind: 'vocational', topic: 'Lớp thử Ý Yên', year: 2019, trainees: 12, old_unit_id: 'Huyện Ý Yên, Nam Định' },
  });
  assert.equal(c.status, 201, c.text);
  assert.equal(c.body.old_province_code, '36');
  assert.match(c.body.old_district_code, /^\d{3}$/);
  const late = await api.post('/api/v1/training-classes', {
    json: { province: '37', kind: 'vocational', topic: 'Lớp thử sai', year: 2026, trainees: 1, old_unit_id: 'old:36' },
  });
  assert.equal(late.status, 400, late.text);
  assert.equal(late.body.error.field, 'old_unit_id');
});

test('a ratio over nothing is "—", never a number (counterpart with no khuyến công funds)', async () => {
  const p = await api.post('/api/v1/projects', {
    json: { title: 'Đề án chỉ có vốn đối ứng', year: 2027, province: '12', content_type: 'machinery', kind: 'local', approved_counterpart: '500 triệu' },
  });
  assert.equal(p.status, 201, p.text);
  const lev = await stats({ indicator: 'budget.leverage', province: '12', from: '2027', to: '2027' });
  assert.equal(lev.total.source, 'records');
  assert.equal(lev.total.value, null);
  assert.equal(lev.total.text, '—');
  // The counterpart itself is counted.
  const cp = await stats({ indicator: 'budget.counterpart', province: '12', from: '2027', to: '2027' });
  assert.equal(cp.total.value, 500000000);
});
