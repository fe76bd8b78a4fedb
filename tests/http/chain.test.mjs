// chain.test.mjs - the reporting chain over HTTP (docs/reporting.md): two
// provinces send their reports for a period, one accepted at once, one
// returned with a comment, sent again and accepted; who has reported shows
// the statuses and rates; an accepted period refuses writes on every path
// (API create, change and delete, HTML form, a web import run as a background
// job, the command line's import) with a message
// naming the submission, until the ministry reopens it with a reason; the
// submission's page shows its timeline and what was frozen.
import assert from 'node:assert/strict';
import { writeFile } from 'node:fs/promises';
import path from 'node:path';
import { after, before, test } from 'node:test';

import { postAndWait } from './jobs-lib.mjs';
import { login, run, setup } from './lib.mjs';

const PW = 'chain-pass-2025';
const env = await setup(after, {
  prefix: 'chain',
  users: [
    { name: 'hungyen', role: 'province', province: '33', password: PW },
    { name: 'hanoi', role: 'province', province: '01', password: PW },
    { name: 'cuc', role: 'ministry', password: PW },
  ],
});

let p33, p01, cuc, p33form;
before(async () => {
  p33 = await login(env.base, 'hungyen', PW, 'bearer');
  p33form = await login(env.base, 'hungyen', PW);
  p01 = await login(env.base, 'hanoi', PW, 'bearer');
  cuc = await login(env.base, 'cuc', PW, 'bearer');
});

/* A six-month period whose deadline (20 June) is still ahead whatever today is. */
const FUTURE = new Date().getUTCFullYear() + 1;

async function start(client, kind, year) {
  const r = await client.post('/api/v1/submissions', { json: { period_kind: kind, year } });
  assert.equal(r.status, 201, r.text);
  assert.equal(r.body.status, 'draft');
  /* the header's value, byte for byte (it was once written from a buffer
   * that had died before the answer was sent) */
  assert.equal(r.headers.get('location'), `/api/v1/submissions/${r.body.id}`);
  return r.body.id;
}

async function move(client, id, to, note, want = 200) {
  const r = await client.post(`/api/v1/submissions/${id}/transitions`, { json: { to, note } });
  assert.equal(r.status, want, r.text);
  return r.body;
}

test('two provinces: one accepted, one returned then accepted; who has reported', async () => {
  const a = await start(p33, 'half_year', FUTURE);
  const sent = await move(p33, a, 'submitted');
  assert.match(sent.snapshot.content_hash, /^[0-9a-f]{64}$/);
  assert.equal(sent.snapshot.hash_ok, true);
  assert.equal(sent.snapshot.content.report.title, 'Báo cáo kết quả công tác khuyến công');
  await move(p33, a, 'accepted', null, 403); // not the province's move
  await move(cuc, a, 'accepted');

  const b = await start(p01, 'half_year', FUTURE);
  await move(p01, b, 'submitted');
  const noNote = await cuc.post(`/api/v1/submissions/${b}/transitions`, { json: { to: 'returned' } });
  assert.equal(noNote.status, 400, noNote.text);
  assert.equal(noNote.body.error.field, 'note');
  await move(cuc, b, 'returned', 'Bổ sung số liệu hội chợ');
  const mid = await cuc.get(`/api/v1/reporting-status?period_kind=half_year&year=${FUTURE}`);
  assert.equal(mid.status, 200, mid.text);
  assert.equal(mid.body.counts.returned, 1);
  await move(p01, b, 'submitted');
  const done = await move(cuc, b, 'accepted');
  assert.deepEqual(done.timeline.map((e) => e.to), ['draft', 'submitted', 'returned', 'submitted', 'accepted']);
  assert.equal(done.snapshot.seq, 2);

  const st = await cuc.get(`/api/v1/reporting-status?period_kind=half_year&year=${FUTURE}`);
  assert.equal(st.body.units, 'new');
  assert.equal(st.body.expected, 34);
  assert.equal(st.body.received, 2);
  assert.equal(st.body.on_time, 2);
  assert.equal(st.body.counts.accepted, 2);
  assert.equal(st.body.counts.not_started, 32);
  assert.equal(st.body.reporting_rate, 5.9); // 2 of 34
  const row = st.body.provinces.find((p) => p.province === '01');
  assert.equal(row.status, 'accepted');
  assert.equal(row.timeliness, 'on_time');

  // A report whose data have not changed reads unchanged (a programme's
  // targets repeat their first cell: rows are matched in order).
  const same = await start(p33, 'year', 2021);
  await move(p33, same, 'submitted');
  const unchanged = await cuc.get(`/api/v1/submissions/${same}/changes`);
  assert.equal(unchanged.status, 200, unchanged.text);
  assert.deepEqual(unchanged.body.figures, []);
  assert.equal(unchanged.body.changed, false);

  // A past period: sent after its deadline, late; the others overdue, first.
  const late = await start(p01, 'year', 2024);
  await move(p01, late, 'submitted');
  const past = await p01.get('/api/v1/reporting-status?period_kind=year&year=2024');
  assert.equal(past.body.units, 'old');
  assert.equal(past.body.expected, 63);
  assert.equal(past.body.on_time, 0);
  assert.equal(past.body.provinces[0].overdue, true);
  assert.equal(past.body.provinces.find((p) => p.province === '01').timeliness, 'late');

  const page = await cuc.get(`/reporting-status?period_kind=half_year&year=${FUTURE}`);
  assert.equal(page.status, 200);
  assert.match(page.text, /id="received">2</);
  assert.equal((page.text.match(/<tr class="status-/g) || []).length, 34);
  assert.ok(page.text.includes('Tình hình gửi báo cáo'));
  const reader = await login(env.base, 'cuc', PW);
  assert.equal((await reader.post('/lang', { body: new URLSearchParams({ lang: 'en', next: '/' }) })).status, 303);
  const en = await reader.get(`/reporting-status?period_kind=half_year&year=${FUTURE}`);
  assert.equal(en.status, 200);
  assert.ok(en.text.includes('Who has reported'));
  assert.ok(en.text.includes('On time'));
  await reader.post('/lang', { body: new URLSearchParams({ lang: 'vi', next: '/' }) });
});

test('an accepted period refuses writes on every path until it is reopened', async () => {
  const year = FUTURE + 1;
  const date = `10/01/${year}`; // in the first half of reporting year `year`
  const cls = await p33.post('/api/v1/training-classes', {
    json: { province: '33', kind: 'vocational', topic: 'May công nghiệp', year, trainees: 30, date_from: date },
  });
  assert.equal(cls.status, 201, cls.text);
  const upload = () => {
    const file = new FormData();
    file.set('kind', 'training-classes');
    file.set('encoding', 'auto');
    file.set('file', new Blob([
      `\uFEFFTỉnh/thành,Loại lớp,Nghề/chủ đề,Năm,Học viên,Từ ngày\r\n33,Đào tạo nghề,Lớp nhập sau,${year},12,${date}\r\n`,
    ], { type: 'text/csv' }), 'lop.csv');
    return p33form.post('/import', { body: file });
  };
  const checked = await upload();
  assert.equal(checked.status, 200, checked.text.slice(0, 300));
  const token = /name="token" value="([A-Za-z0-9_-]{43})"/.exec(checked.text)?.[1];
  assert.ok(token, 'the dry run offers to import');
  const id = await start(p33, 'half_year', year);
  await move(p33, id, 'submitted');
  const acc = await move(cuc, id, 'accepted');
  const hash = acc.snapshot.content_hash;
  const number = acc.number;

  // API
  const api = await p33.patch(`/api/v1/training-classes/${cls.body.id}`, { json: { trainees: 45 } });
  assert.equal(api.status, 409, api.text);
  assert.equal(api.body.error.field, 'date_from');
  assert.ok(api.body.error.message.includes(number), api.body.error.message);
  const del = await p33.delete(`/api/v1/training-classes/${cls.body.id}`);
  assert.equal(del.status, 409, del.text);
  const add = await p33.post('/api/v1/training-classes', {
    json: { province: '33', kind: 'vocational', topic: 'Lớp thêm sau khi chấp nhận', year, trainees: 8, date_from: date },
  });
  assert.equal(add.status, 409, add.text);
  assert.ok(add.body.error.message.includes(number), add.body.error.message);
  // HTML form
  const form = await p33form.post(`/training-classes/${cls.body.id}/edit`, {
    body: new URLSearchParams({ trainees: '45' }),
  });
  assert.equal(form.status, 409, form.text.slice(0, 300));
  assert.ok(form.text.includes(number));
  // A web import checked before the acceptance, committed after it as a
  // background job; a dry run after it already names the lock.
  const job = await postAndWait(p33form, '/import/commit', { body: new URLSearchParams({ token }) });
  assert.equal(job.job.status, 'failed', JSON.stringify(job.job));
  assert.ok(job.text.includes(number), 'the job page names the submission');
  const again = await upload();
  assert.ok(again.text.includes(number), 'the dry run names the submission');
  // The command line's import (cron, scripts): refused, nothing written.
  const csv = path.join(env.dir, 'lop-sau-khoa.csv');
  await writeFile(csv, `\uFEFFTỉnh/thành,Loại lớp,Nghề/chủ đề,Năm,Học viên,Từ ngày\r\n33,Đào tạo nghề,Lớp nhập dòng lệnh,${year},9,${date}\r\n`);
  const cli = await run(['import', '--db', env.db, '--kind', 'training-classes', csv]);
  assert.notEqual(cli.code, 0, cli.stdout);
  assert.ok((cli.stdout + cli.stderr).includes(number), cli.stdout + cli.stderr);
  const list = await p33.get(`/api/v1/training-classes?province=33&year=${year}`);
  assert.equal(list.body.total, 1);

  // Reopened: writable again; what was sent is unchanged.
  await move(cuc, id, 'reopened', null, 400);
  await move(cuc, id, 'reopened', 'Bổ sung lớp học');
  const ok = await p33.patch(`/api/v1/training-classes/${cls.body.id}`, { json: { trainees: 45 } });
  assert.equal(ok.status, 200, ok.text);
  const changes = await cuc.get(`/api/v1/submissions/${id}/changes`);
  assert.equal(changes.status, 200, changes.text);
  assert.equal(changes.body.changed, true);
  assert.deepEqual(changes.body.records.changed.map((x) => [x.id, x.sent_version, x.version]), [[cls.body.id, 1, 2]]);
  const snap = await cuc.get(`/api/v1/submissions/${id}/snapshots/1`);
  assert.equal(snap.status, 200, snap.text);
  assert.equal(snap.body.content_hash, hash);
  assert.equal(snap.body.hash_ok, true);
  const rec = snap.body.content.records.find((r) => r.collection === 'training-classes' && r.id === cls.body.id);
  assert.equal(rec.version, 1);

  const html = await cuc.get(`/submissions/${id}`);
  assert.equal(html.status, 200);
  assert.match(html.text, /id="timeline"/);
  assert.ok(html.text.includes('Bổ sung lớp học'));
  assert.ok(html.text.includes(hash));
  assert.match(html.text, /id="changes"/);
  assert.ok(html.text.includes('Đã thay đổi sau khi gửi'));
  const other = await p01.get(`/api/v1/submissions/${id}`);
  assert.equal(other.status, 403);
});

test('a province officer sees the report due on the home page and starts it from the form', async () => {
  const home = await p33form.get('/');
  assert.equal(home.status, 200);
  assert.match(home.text, /class="todo-chain/);
  const r = await p33form.post('/submissions', {
    body: new URLSearchParams({ period_kind: 'year', year: String(FUTURE + 3) }),
  });
  assert.equal(r.status, 303, r.text.slice(0, 300));
  assert.match(r.headers.get('location'), /^\/submissions\/\d+\?done=saved$/);
  const bad = await p33form.post('/submissions', { body: new URLSearchParams({ period_kind: 'quarter', year: '2025' }) });
  assert.equal(bad.status, 400);
});
