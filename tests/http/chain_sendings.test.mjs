// chain_sendings.test.mjs - a submission sent twice keeps both sendings, and
// its page shows how the latest differs from the one before it
// (docs/reporting.md): the rows of the report that changed and the records
// added; a sending identical to the previous one says so.
import assert from 'node:assert/strict';
import { after, before, test } from 'node:test';

import { login, setup } from './lib.mjs';

const PW = 'chain-sendings-2025';
const env = await setup(after, {
  prefix: 'chainsend',
  users: [
    { name: 'hungyen', role: 'province', province: '33', password: PW },
    { name: 'hanoi', role: 'province', province: '01', password: PW },
    { name: 'cuc', role: 'ministry', password: PW },
  ],
});

let p33, p01, cuc, page;
before(async () => {
  p33 = await login(env.base, 'hungyen', PW, 'bearer');
  p01 = await login(env.base, 'hanoi', PW, 'bearer');
  cuc = await login(env.base, 'cuc', PW, 'bearer');
  page = await login(env.base, 'cuc', PW);
});

const YEAR = new Date().getUTCFullYear() + 1;

async function start(client, year = YEAR) {
  const r = await client.post('/api/v1/submissions', { json: { period_kind: 'year', year } });
  assert.equal(r.status, 201, r.text);
  return r.body.id;
}

async function move(client, id, to, note) {
  const r = await client.post(`/api/v1/submissions/${id}/transitions`, { json: { to, note } });
  assert.equal(r.status, 200, r.text);
  return r.body;
}

/* The section id="sendings" of the submission's page, or null. */
async function sendings(id) {
  const r = await page.get(`/submissions/${id}`);
  assert.equal(r.status, 200);
  return r.text.match(/<section[^>]*id="sendings"[\s\S]*?<\/section>/)?.[0] ?? null;
}

test('the second sending against the first: the rows and records that changed', async () => {
  const id = await start(p33);
  await move(p33, id, 'submitted');
  assert.equal(await sendings(id), null, 'one sending: nothing to compare');
  await move(cuc, id, 'returned', 'Thiếu lớp đào tạo nghề tháng 1');
  const cls = await p33.post('/api/v1/training-classes', {
    json: { province: '33', kind: 'vocational', topic: 'May công nghiệp', year: YEAR, trainees: 30, date_from: `10/01/${YEAR}` },
  });
  assert.equal(cls.status, 201, cls.text);
  const second = await move(p33, id, 'submitted');
  assert.equal(second.snapshot.seq, 2);
  const sec = await sendings(id);
  assert.ok(sec, 'the page compares the two sendings');
  assert.match(sec, /Lần gửi 1 → 2/);
  assert.match(sec, /<table id="sendings-figures">/);
  assert.ok(sec.includes(`href="/training-classes/${cls.body.id}"`), 'the record added is listed');
  // The first sending is kept as it was.
  const first = await cuc.get(`/api/v1/submissions/${id}/snapshots/1`);
  assert.equal(first.status, 200, first.text);
  assert.ok(!first.body.content.records.some((r) => r.collection === 'training-classes' && r.id === cls.body.id));
  // Any two sendings through the API, either way round.
  const cmp = await cuc.get(`/api/v1/submissions/${id}/compare?from=1&to=2`);
  assert.equal(cmp.status, 200, cmp.text);
  assert.equal(cmp.body.from, 1);
  assert.equal(cmp.body.to, 2);
  assert.equal(cmp.body.changed, true);
  assert.ok(cmp.body.figures.length >= 1);
  assert.ok(cmp.body.records.added.some((r) => r.collection === 'training-classes' && r.id === cls.body.id));
  const back = await p33.get(`/api/v1/submissions/${id}/compare?from=2&to=1`);
  assert.equal(back.status, 200, back.text);
  assert.ok(back.body.records.removed.some((r) => r.id === cls.body.id));
  const same = await cuc.get(`/api/v1/submissions/${id}/compare?from=2&to=2`);
  assert.equal(same.body.changed, false);
  const latest = await cuc.get(`/api/v1/submissions/${id}/compare`);
  assert.deepEqual([latest.body.from, latest.body.to], [1, 2], 'by default the latest against the one before');
  assert.deepEqual(latest.body.records, cmp.body.records);
  const bad = await cuc.get(`/api/v1/submissions/${id}/compare?from=0&to=2`);
  assert.equal(bad.status, 400);
  assert.equal(bad.body.error.field, 'from');
  const none = await cuc.get(`/api/v1/submissions/${id}/compare?from=1&to=9`);
  assert.equal(none.status, 404);
  assert.equal(none.body.error.field, 'seq');
  assert.equal((await p01.get(`/api/v1/submissions/${id}/compare?from=1&to=2`)).status, 403);
});

test('a sending identical to the previous one says so', async () => {
  const id = await start(p01);
  await move(p01, id, 'submitted');
  await move(cuc, id, 'returned', 'Kiểm tra lại');
  await move(p01, id, 'submitted');
  const sec = await sendings(id);
  assert.ok(sec, 'the page compares the two sendings');
  assert.match(sec, /id="sendings-same"/);
  assert.ok(!sec.includes('sendings-figures'));
});

test('each sending keeps the PDF and Excel generated when it was sent, as downloads', async () => {
  const id = await start(p33, YEAR + 1);
  await move(p33, id, 'submitted');
  const snap = await cuc.get(`/api/v1/submissions/${id}/snapshots/1`);
  assert.equal(snap.status, 200, snap.text);
  assert.deepEqual(snap.body.files.map((f) => f.format), ['pdf', 'xlsx']);
  for (const f of snap.body.files) {
    const r = await cuc.get(`/api/v1/submissions/${id}/snapshots/1/${f.format}`);
    assert.equal(r.status, 200, r.text);
    assert.equal(r.headers.get('content-type'), f.content_type);
    assert.equal(r.headers.get('content-disposition'), `attachment; filename="${f.name}"`);
    assert.ok(r.text.startsWith(f.format === 'pdf' ? '%PDF-' : 'PK'));
  }
  const csv = await cuc.get(`/api/v1/submissions/${id}/snapshots/1/csv`);
  assert.equal(csv.status, 404);
  assert.equal(csv.body.error.field, 'format');
  const html = (await page.get(`/submissions/${id}`)).text;
  assert.ok(html.includes(`href="/api/v1/submissions/${id}/snapshots/1/pdf"`), 'the page links the PDF sent');
  assert.ok(html.includes(`href="/api/v1/submissions/${id}/snapshots/1/xlsx"`), 'and the Excel');
});

test('the national report consolidated from accepted submissions, as page, PDF and Excel', async () => {
  const year = YEAR + 3;
  const a = await start(p33, year);
  const b = await start(p01, year);
  const cls = await p33.post('/api/v1/training-classes', {
    json: { province: '33', kind: 'vocational', topic: 'Mây tre đan', year, trainees: 21, date_from: `10/02/${year}` },
  });
  assert.equal(cls.status, 201, cls.text);
  await move(p33, a, 'submitted');
  await move(p01, b, 'submitted');
  await move(cuc, a, 'accepted');
  const api = await cuc.get(`/api/v1/reports/consolidated?period_kind=year&year=${year}`);
  assert.equal(api.status, 200, api.text);
  const cov = api.body.coverage;
  assert.equal(cov.included, 1);
  assert.equal(cov.expected, 34);
  const in33 = cov.provinces.find((p) => p.province === '33');
  assert.equal(in33.included, true);
  assert.equal(in33.submission_id, a);
  assert.equal(in33.seq, 1);
  const in01 = cov.provinces.find((p) => p.province === '01');
  assert.equal(in01.included, false, 'submitted, not accepted: not in the report');
  assert.equal(in01.status, 'submitted');
  const annex = api.body.sections.at(-1);
  assert.match(annex.title, /Phụ lục/);
  assert.ok(annex.table.rows.every((r) => r[3].startsWith(`BC-33-${year}-1`)), 'each figure names its submission');
  // The page, its downloads; the report is the ministry's.
  const html = await page.get(`/reports/consolidated?period_kind=year&year=${year}`);
  assert.equal(html.status, 200, html.text);
  assert.match(html.text, /<strong id="included">1<\/strong>\/<span id="expected">34<\/span>/);
  assert.ok(html.text.includes(`BC-33-${year}-1`));
  for (const [format, magic] of [['pdf', '%PDF-'], ['xlsx', 'PK']]) {
    const r = await cuc.get(`/api/v1/reports/consolidated?period_kind=year&year=${year}&format=${format}`);
    assert.equal(r.status, 200, r.text);
    assert.equal(r.headers.get('content-disposition'), `attachment; filename="bao-cao-tong-hop_toan-quoc_${year}.${format}"`);
    assert.ok(r.text.startsWith(magic));
    const p = await page.get(`/reports/consolidated?period_kind=year&year=${year}&format=${format}`);
    assert.equal(p.status, 200);
  }
  assert.equal((await p33.get(`/api/v1/reports/consolidated?period_kind=year&year=${year}`)).status, 403);
  const bad = await cuc.get('/api/v1/reports/consolidated?period_kind=year');
  assert.equal(bad.status, 400);
  const csv = await cuc.get(`/api/v1/reports/consolidated?period_kind=year&year=${year}&format=csv`);
  assert.equal(csv.status, 400);
  assert.equal(csv.body.error.field, 'format');
  // The page's file is PDF or Excel; the chain's year is 2000..2100 (params.c).
  const json = { headers: { Accept: 'application/json' } };
  const pcsv = await page.get(`/reports/consolidated?period_kind=year&year=${year}&format=csv`, json);
  assert.equal(pcsv.status, 400);
  assert.equal(pcsv.body.error.field, 'format');
  const old = await cuc.get('/api/v1/reports/consolidated?period_kind=year&year=1999');
  assert.equal(old.status, 400);
  assert.equal(old.body.error.field, 'year');
  const half = await cuc.get(`/api/v1/submissions?period_kind=half&year=${year}`);
  assert.equal(half.status, 400);
  assert.equal(half.body.error.field, 'period_kind');
  const status = await page.get(`/reporting-status?period_kind=year&year=${year}`);
  assert.ok(status.text.includes(`href="/reports/consolidated?period_kind=year&amp;year=${year}"`));
});

test('the page compares any two sendings the officer picks', async () => {
  const year = YEAR + 4;
  const id = await start(p33, year);
  await move(p33, id, 'submitted');
  await move(cuc, id, 'returned', 'Bổ sung lớp');
  const cls = await p33.post('/api/v1/training-classes', {
    json: { province: '33', kind: 'vocational', topic: 'Gốm', year, trainees: 14, date_from: `10/03/${year}` },
  });
  assert.equal(cls.status, 201, cls.text);
  await move(p33, id, 'submitted');
  await move(cuc, id, 'returned', 'Kiểm tra lại');
  await move(p33, id, 'submitted');
  // By default the latest against the one before: the same.
  let sec = await sendings(id);
  assert.match(sec, /id="sendings-pair">Lần gửi 2 → 3</);
  assert.match(sec, /id="sendings-same"/);
  assert.match(sec, /<select name="from" id="in-from"><option value="1">1<\/option><option value="2" selected>2<\/option><option value="3">3<\/option><\/select>/);
  // The first against the third: the class added between them.
  const r = await page.get(`/submissions/${id}?from=1&to=3`);
  assert.equal(r.status, 200);
  sec = r.text.match(/<section[^>]*id="sendings"[\s\S]*?<\/section>/)[0];
  assert.match(sec, /Lần gửi 1 → 3/);
  assert.match(sec, /<option value="3" selected>3<\/option><\/select><\/label><button/);
  assert.ok(sec.includes(`href="/training-classes/${cls.body.id}"`));
  // The other way round: the class was removed.
  const back = await page.get(`/submissions/${id}?from=3&to=1`);
  assert.match(back.text, /Lần gửi 3 → 1/);
  assert.match(back.text, /<th>Lần gửi 3<\/th><th>Lần gửi 1<\/th>/);
  assert.match(back.text, /Bản ghi đã xóa hoặc ra khỏi kỳ/);
  const none = await page.get(`/submissions/${id}?from=1&to=9`);
  assert.equal(none.status, 404);
  const bad = await page.get(`/submissions/${id}?from=x`);
  assert.equal(bad.status, 400);
});

test('a return carries comments per section, kept with the step and shown in the timeline', async () => {
  const year = YEAR + 5;
  const id = await start(p33, year);
  const cls = await p33.post('/api/v1/training-classes', {
    json: { province: '33', kind: 'vocational', topic: 'Thêu', year, trainees: 9, date_from: `10/03/${year}` },
  });
  assert.equal(cls.status, 201, cls.text);
  const sent = await move(p33, id, 'submitted');
  const title = sent.snapshot.content.report.sections[0].title;
  // Through the API: a section the report does not have is refused.
  const wrong = await cuc.post(`/api/v1/submissions/${id}/transitions`, {
    json: { to: 'returned', note: 'Bổ sung', sections: [{ section: '9. Không có', note: 'x' }] },
  });
  assert.equal(wrong.status, 400, wrong.text);
  assert.equal(wrong.body.error.field, 'sections[0]');
  // The form: one comment box per section of the report sent.
  const html = (await page.get(`/submissions/${id}`)).text;
  const form = html.match(/<form[^>]*id="move-returned"[\s\S]*?<\/form>/)[0];
  assert.ok(form.includes(`<input type="hidden" name="section" value="${title}">`));
  assert.match(form, /name="section_note"/);
  const post = await page.post(`/submissions/${id}/transition`, {
    body: new URLSearchParams({ to: 'returned', note: 'Bổ sung số liệu', section: title, section_note: 'Thiếu lớp thêu tháng 3' }).toString(),
    headers: { 'Content-Type': 'application/x-www-form-urlencoded' },
  });
  assert.equal(post.status, 303, post.text);
  const sub = await p33.get(`/api/v1/submissions/${id}`);
  const ret = sub.body.timeline.find((ev) => ev.to === 'returned');
  assert.deepEqual(ret.sections, [{ section: title, note: 'Thiếu lớp thêu tháng 3' }]);
  const tl = (await page.get(`/submissions/${id}`)).text.match(/<ol class="timeline"[\s\S]*?<\/ol>/)[0];
  assert.ok(tl.includes(`<li><strong>${title}</strong>: Thiếu lớp thêu tháng 3</li>`));
  // Only a return carries them.
  await move(p33, id, 'submitted');
  const acc = await cuc.post(`/api/v1/submissions/${id}/transitions`, {
    json: { to: 'accepted', sections: [{ section: title, note: 'x' }] },
  });
  assert.equal(acc.status, 400);
  assert.equal(acc.body.error.field, 'sections');
});
