// jobs.test.mjs - long work runs as background jobs, not inside a request:
// the web import's commit (and the dry run of a file over 1 MB) and the
// national report's PDF/Excel files. Progress reaches its total; a cancelled
// import writes nothing; another account cannot see a job (404); the report
// file downloads from /jobs/{id}/result; a server that stops gives its running
// job back to the queue and another server finishes it.
//
// The server the tests talk to (W) runs the jobs; a second one (A) runs no
// workers (--workers 0) and only answers, so that it can be asked about a job
// while no worker is alive, and (on PostgreSQL) to cancel a job running on W.
import assert from 'node:assert/strict';
import { execFile, execFileSync } from 'node:child_process';
import { constants } from 'node:fs';
import { open, rm, writeFile } from 'node:fs/promises';
import path from 'node:path';
import { after, before, test } from 'node:test';
import { promisify } from 'node:util';

import { PG, psql } from '../pg/pglib.mjs';
import { jobOf, postAndWait, waitJob } from './jobs-lib.mjs';
import { Client, login, run, scratchDir, setup, sleep, startServer } from './lib.mjs';

const exec = promisify(execFile);
const PW = 'jobs-pass-0101';
const env = await setup(after, {
  prefix: 'jobs',
  args: ['--workers', '0'],
  users: [
    { name: 'hyen', role: 'province', province: '33', password: PW },
    { name: 'hyen2', role: 'province', province: '33', password: PW },
    { name: 'boct', role: 'ministry', password: PW },
  ],
});
/* W's jobs stop at a test gate while the FIFO of KC_TEST_JOB_GATE exists
 * (see src/web/job_worker.c): only inside gated() below. */
const gateDir = await scratchDir('jobs-gate');
const GATE = path.join(gateDir, 'gate');
process.env.KC_TEST_JOB_GATE = GATE;
let W = await startServer(env.db);
after(() => W.stop());
after(() => rm(gateDir, { recursive: true, force: true }));

/* Runs fn(held) while jobs are held at the gate at their first progress:
 * held(id) resolves once job id waits there (it said so on W's stderr), so
 * a test acts on a running job without racing its end. Then the gate opens
 * and goes. */
async function gated(fn) {
  execFileSync('mkfifo', [GATE]);
  const held = (id) => W.waitForLog(new RegExp(`^jobs: job ${id} held at the test gate$`), 120000);
  try {
    return await fn(held);
  } finally {
    /* A reader of our own lets the open for writing return at once. */
    const reader = await open(GATE, constants.O_RDONLY | constants.O_NONBLOCK);
    const writer = await open(GATE, 'w');
    await writer.close();
    await reader.close();
    await rm(GATE);
  }
}

let officer;
let other;
let ministry;
let admin;
before(async () => {
  officer = await login(W.base, 'hyen', PW);
  other = await login(W.base, 'hyen2', PW);
  ministry = await login(W.base, 'boct', PW);
  admin = await login(env.base, 'admin', env.adminPassword, 'bearer'); /* on A: outlives W */
});

/* The same account (cookie, CSRF token) talking to another server. */
function via(c, base) {
  const d = new Client(base);
  d.jar = c.jar;
  d.csrf = c.csrf;
  d.bearer = c.bearer;
  return d;
}

const HEADER = 'Tên cơ sở,Loại hình,Xã/Phường,Số lao động';
/* n establishments named prefix 0..n-1; pad adds an ignored column of that
 * many characters to every row (a big file with few rows). */
function csv(prefix, n, pad = 0) {
  const lines = [HEADER + (pad ? ',Cột thêm không dùng' : '')];
  const filler = pad ? ',' + 'x'.repeat(pad) : '';
  for (let i = 0; i < n; i++) lines.push(`${prefix} ${i},Hộ kinh doanh,"Mễ Sở, Hưng Yên",${(i % 50) + 1}${filler}`);
  return '\uFEFF' + lines.join('\r\n') + '\r\n';
}

function upload(client, text, name = 'co-so.csv') {
  const form = new FormData();
  form.set('kind', 'establishments');
  form.set('encoding', 'auto');
  form.set('file', new Blob([text], { type: 'text/csv' }), name);
  return client.post('/import', { body: form });
}

const tokenOf = (html) => /name="token" value="([A-Za-z0-9_-]{43})"/.exec(html)?.[1];
const count = (html, id) => Number(new RegExp(`id="${id}">(\\d+)<`).exec(html)?.[1]);

async function establishments(q) {
  const r = await admin.get(`/api/v1/establishments?count=exact&per_page=1${q ? `&q=${encodeURIComponent(q)}` : ''}`);
  assert.equal(r.status, 200, r.text);
  return r.body.total;
}

function commitJob(client, token) {
  return client.post('/import/commit', { body: new URLSearchParams({ token }) });
}

let doneJob; /* a finished import job of `officer`, for the visibility test */

test('the import commit runs as a job: progress reaches its total, the page shows the summary', async () => {
  const before = await establishments('Cơ sở việc nền');
  const r = await upload(officer, csv('Cơ sở việc nền', 3));
  assert.equal(r.status, 200, 'a small file is checked at once');
  assert.equal(count(r.text, 'count-created'), 3);
  const id = jobOf(await commitJob(officer, tokenOf(r.text)));

  const page = await officer.get(`/jobs/${id}`);
  assert.equal(page.status, 200);
  assert.match(page.text, new RegExp(`id="job" data-job="${id}"`));

  const { job } = await waitJob(officer, id);
  assert.equal(job.status, 'done', JSON.stringify(job));
  assert.equal(job.kind, 'import');
  assert.equal(job.owner.username, 'hyen');
  assert.ok(job.progress.total > 0, 'bytes of the file');
  assert.equal(job.progress.done, job.progress.total);
  assert.equal(job.summary.created, 3);
  assert.equal(job.summary.rows, 3);
  assert.equal(job.error, null);
  assert.equal(await establishments('Cơ sở việc nền'), before + 3);

  const end = await officer.get(`/jobs/${id}`);
  assert.match(end.text, /id="import-status"/);
  assert.equal(count(end.text, 'count-created'), 3);
  assert.match(end.text, /<progress id="job-progress" max="(\d+)" value="\1">/, 'the bar is full');
  assert.doesNotMatch(end.text, /jobs\.js/, 'nothing left to follow');
  assert.doesNotMatch(end.text, /id="job-cancel"/);
  /* A finished job cannot be cancelled. */
  const late = await officer.post(`/api/v1/jobs/${id}/cancel`);
  assert.equal(late.status, 409, late.text);
  doneJob = id;
});

test('another account cannot see, cancel or download a job; an administrator sees it', async () => {
  assert.ok(doneJob);
  assert.equal((await other.get(`/api/v1/jobs/${doneJob}`)).status, 404);
  assert.equal((await other.get(`/jobs/${doneJob}`)).status, 404);
  assert.equal((await other.get(`/jobs/${doneJob}/result`)).status, 404);
  assert.equal((await other.post(`/api/v1/jobs/${doneJob}/cancel`)).status, 404);
  assert.equal((await other.post(`/jobs/${doneJob}/cancel`, { body: new URLSearchParams() })).status, 404);
  const seen = await admin.get(`/api/v1/jobs/${doneJob}`);
  assert.equal(seen.status, 200);
  assert.equal(seen.body.owner.username, 'hyen');
  assert.equal((await officer.get('/api/v1/jobs/999999')).status, 404);
  assert.equal((await new Client(W.base).get(`/api/v1/jobs/${doneJob}`)).status, 401);
});

test('a commit refused for bad rows fails with the problems; nothing is written', async () => {
  const before = await establishments('Cơ sở lỗi nền');
  const text = csv('Cơ sở lỗi nền', 2).replace('Cơ sở lỗi nền 1,Hộ kinh doanh', 'Cơ sở lỗi nền 1,Loại không có');
  const r = await upload(officer, text);
  assert.equal(count(r.text, 'count-failed'), 1);
  /* The page offers only "valid rows"; a plain commit is refused by the job. */
  const end = await postAndWait(officer, '/import/commit', { body: new URLSearchParams({ token: tokenOf(r.text) }) });
  assert.equal(end.status, 200, end.text);
  assert.equal(end.job.status, 'failed', JSON.stringify(end.job));
  assert.match(end.job.error.message, /nothing was written/);
  assert.equal(end.job.error.report.failed, 1);
  assert.equal(end.job.error.report.list[0].row, 3);
  assert.equal(end.job.error.report.list[0].column, 'Loại hình');
  assert.match(end.text, /id="import-error"/);
  assert.match(end.text, /<tr><td>3<\/td><td>Loại hình<\/td><td>Loại không có<\/td>/);
  assert.match(end.text, /id="bad-csv"/, 'the bad rows can still be downloaded');
  assert.equal(await establishments('Cơ sở lỗi nền'), before);
});

const BIG_ROWS = 1100;
let bigToken;

test('a file over 1 MB is checked by a job; its page offers the commit', async () => {
  const text = csv('Cơ sở tệp lớn', BIG_ROWS, 1000);
  assert.ok(Buffer.byteLength(text) > 1 << 20, 'over 1 MB');
  const before = await establishments();
  const res = await upload(officer, text);
  const id = jobOf(res);
  const { job, seen } = await waitJob(officer, id, { timeout: 120000 });
  assert.equal(job.status, 'done', JSON.stringify(job));
  assert.equal(job.summary.dry_run, true);
  assert.equal(job.summary.rows, BIG_ROWS);
  assert.equal(job.summary.created, BIG_ROWS);
  assert.equal(job.summary.failed, 0);
  assert.equal(job.progress.done, job.progress.total);
  assert.ok(seen.length >= 1);
  assert.equal(await establishments(), before, 'a dry run writes nothing');
  const page = await officer.get(`/jobs/${id}`);
  assert.match(page.text, /id="commit-all"/);
  assert.ok(page.text.includes('Cột thêm không dùng'), 'the ignored column is listed');
  bigToken = tokenOf(page.text);
  assert.ok(bigToken, 'the page carries the upload token');
  /* Not for someone else's eyes: an admin sees the outcome, not the button. */
  const adminPage = await admin.get(`/jobs/${id}`);
  assert.equal(adminPage.status, 200);
  assert.doesNotMatch(adminPage.text, /name="token"/);
});

test('a dry run made by a job keeps its bad rows: any server sends them without the upload', async () => {
  const text = csv('Cơ sở tệp lớn lỗi', BIG_ROWS, 1000)
    .replace('Cơ sở tệp lớn lỗi 7,Hộ kinh doanh', 'Cơ sở tệp lớn lỗi 7,Loại không có')
    .replace('Cơ sở tệp lớn lỗi 700,Hộ kinh doanh', 'Cơ sở tệp lớn lỗi 700,Loại sai');
  assert.ok(Buffer.byteLength(text) > 1 << 20, 'over 1 MB');
  const id = jobOf(await upload(officer, text, 'co-so-loi-giu-lai.csv'));
  const { job } = await waitJob(officer, id, { timeout: 120000 });
  assert.equal(job.status, 'done', JSON.stringify(job));
  assert.equal(job.summary.failed, 2);
  /* The upload itself is deleted behind the servers' backs (its row names
   * the file): the bad rows cannot be made again, only sent as kept. */
  const gone = "DELETE FROM import_uploads WHERE meta LIKE '%co-so-loi-giu-lai.csv%'";
  await (PG ? psql(gone, env.db) : exec('sqlite3', [env.db, gone]));
  const page = await officer.get(`/jobs/${id}`);
  assert.match(page.text, /id="bad-csv"/);
  const token = tokenOf(page.text);
  /* Server A runs no worker: it sends what the job kept. */
  const onA = via(officer, env.base);
  const bad = await onA.get(`/import/bad-rows?token=${token}&format=csv`);
  assert.equal(bad.status, 200);
  assert.match(bad.headers.get('content-type'), /^text\/csv/);
  const lines = bad.text.replace(/^\uFEFF/, '').split('\r\n').filter(Boolean);
  assert.equal(lines.length, 3, 'the header and the two bad rows');
  assert.match(lines[0], /^"?Tên cơ sở"?,.*Lỗi \/ Errors/);
  assert.match(lines[1], /^"?Cơ sở tệp lớn lỗi 7"?,"?Loại không có"?,.*Loại hình/);
  assert.match(lines[2], /^"?Cơ sở tệp lớn lỗi 700"?,"?Loại sai"?,/);
  const badx = await onA.get(`/import/bad-rows?token=${token}&format=xlsx`);
  assert.equal(badx.status, 200);
  assert.ok(badx.text.startsWith('PK'), 'an xlsx (zip) file');
  assert.equal((await via(other, env.base).get(`/import/bad-rows?token=${token}&format=csv`)).status, 404);
});

test('cancelling a running import writes nothing', async () => {
  assert.ok(bigToken);
  const before = await establishments();
  const auditBefore = (await admin.get('/api/v1/audit?entity=establishments&per_page=1')).body.total;
  /* The import is held at the gate after its first rows, still running. */
  const id = await gated(async (held) => {
    const id = jobOf(await commitJob(officer, bigToken));
    await held(id);
    assert.equal((await officer.get(`/api/v1/jobs/${id}`)).body.status, 'running');
    const page = await officer.get(`/jobs/${id}`);
    assert.match(page.text, /<progress id="job-progress"/);
    assert.match(page.text, /id="job-cancel"/);
    assert.match(page.text, /src="\/static\/jobs\.js"/);
    assert.match(page.text, /<noscript><meta http-equiv="refresh"/);
    /* The cancel form needs the CSRF token. */
    const forged = await officer.post(`/jobs/${id}/cancel`, { body: new URLSearchParams(), csrf: false });
    assert.equal(forged.status, 403);
    const c = await officer.post(`/jobs/${id}/cancel`, { body: new URLSearchParams() });
    assert.equal(c.status, 303, c.text);
    assert.equal(c.headers.get('location'), `/jobs/${id}`);
    return id;
  });
  const { job } = await waitJob(officer, id, { timeout: 120000 });
  assert.equal(job.status, 'cancelled', JSON.stringify(job));
  assert.equal(await establishments(), before, 'no record was written');
  const auditAfter = (await admin.get('/api/v1/audit?entity=establishments&per_page=1')).body.total;
  assert.equal(auditAfter, auditBefore, 'nor any audit row');
  const end = await officer.get(`/jobs/${id}`);
  assert.match(end.text, /Đã hủy; không ghi gì/);
});

/* A big dry run holds no lock: while it runs, accounts log in and records
 * are written, and an administrator who cannot use the web pages stops it
 * with `khuyencong job cancel`. Before, the dry run wrote every row inside
 * one transaction: logins answered 500 "database is locked". */
test('a big dry run leaves logins working and is cancelled from the command line', async () => {
  const text = csv('Cơ sở chạy thử dài', 60000);
  assert.ok(Buffer.byteLength(text) > 1 << 20, 'over 1 MB: a job');
  /* The dry run is held at the gate after its first rows, still running. */
  const id = await gated(async (held) => {
    const id = jobOf(await upload(officer, text, 'co-so-dai.csv'));
    await held(id);
    const c = await login(W.base, 'hyen2', PW);
    assert.equal(c.user.username, 'hyen2');
    const w = await c.post('/api/v1/establishments', {
      json: { name: 'Cơ sở ghi trong lúc chạy thử', kind: 'Hộ kinh doanh', commune_id: 'Mễ Sở, Hưng Yên' },
    });
    assert.equal(w.status, 201, w.text);
    assert.equal((await officer.get(`/api/v1/jobs/${id}`)).body.status, 'running', 'still running');
    const out = await run(['job', 'cancel', String(id), '--db', env.db]);
    assert.equal(out.code, 0, out.stderr);
    assert.match(out.stdout, new RegExp(`job ${id} `));
    return id;
  });
  const { job } = await waitJob(officer, id, { timeout: 120000 });
  assert.equal(job.status, 'cancelled', JSON.stringify(job));
  const again = await run(['job', 'cancel', String(id), '--db', env.db]);
  assert.equal(again.code, 1, 'an ended job cannot be cancelled');
  assert.match(again.stderr, /already ended/);
});

/* On SQLite the running import holds the file's write lock, so the cancel
 * reaches it through its own server only (the test above); on PostgreSQL any
 * server writes the request into the job's row and the worker reads it. */
test('on PostgreSQL a running import is cancelled through another server', { skip: !PG && 'PostgreSQL only' }, async () => {
  assert.ok(bigToken);
  const before = await establishments();
  const onA = via(officer, env.base);
  const id = await gated(async (held) => {
    const id = jobOf(await commitJob(officer, bigToken));
    await held(id);
    /* Server A runs no worker: it sees W's progress in the row, and asks it to stop. */
    const seen = await onA.get(`/api/v1/jobs/${id}`);
    assert.ok(seen.body.progress.done > 0 && seen.body.progress.total > 0, JSON.stringify(seen.body));
    const c = await onA.post(`/api/v1/jobs/${id}/cancel`);
    assert.equal(c.status, 202, c.text);
    assert.equal(c.body.cancel_requested, true);
    return id;
  });
  const { job } = await waitJob(onA, id, { timeout: 120000 });
  assert.equal(job.status, 'cancelled', JSON.stringify(job));
  assert.equal(await establishments(), before, 'no record was written');
});

test('the national report\'s PDF, Excel and CSV are made by a job and downloaded', async () => {
  const page = await ministry.get('/reports?from=2016&to=2020');
  assert.equal(page.status, 200);
  assert.match(page.text, /<form method="post" action="\/reports\/jobs\?format=pdf&amp;from=2016&amp;to=2020"/);
  assert.match(page.text, /<button type="submit" id="download-xlsx">/);
  assert.match(page.text, /<button type="submit" id="download-csv">/);
  assert.match(page.text, /<a href="\/reports\?format=txt&amp;from=2016&amp;to=2020" id="download-txt">/);
  for (const [format, magic, type, ext] of [['pdf', '%PDF', /^application\/pdf/, 'pdf'], ['xlsx', 'PK', /spreadsheetml/, 'xlsx'],
    ['csv', 'PK', /^application\/zip$/, 'zip']]) {
    const end = await postAndWait(ministry, `/reports/jobs?format=${format}&from=2016&to=2020`, { body: new URLSearchParams() });
    assert.equal(end.status, 200, end.text);
    const { job } = end;
    assert.equal(job.status, 'done', JSON.stringify(job));
    assert.equal(job.kind, 'report');
    assert.deepEqual([job.progress.done, job.progress.total], [3, 3]);
    // A finished job says it is finished, not the stage it was in (issue 19, 12).
    assert.equal(job.progress.message, '', JSON.stringify(job.progress));
    assert.match(end.text, /id="job-status" class="ok"[^>]*>Đã xong\.</);
    assert.doesNotMatch(end.text, /Đang lưu tệp/);
    assert.equal(job.result.url, `/jobs/${job.id}/result`);
    assert.match(end.text, new RegExp(`href="/jobs/${job.id}/result" id="job-result"`));
    const file = await fetch(W.base + job.result.url, { headers: { Cookie: ministry.cookieHeader() } });
    assert.equal(file.status, 200);
    assert.match(file.headers.get('content-type'), type);
    assert.match(file.headers.get('content-disposition'), new RegExp(`attachment; filename="bao-cao-khuyen-cong_toan-quoc_\\d{4}(-\\d{4})?_\\d{8}\\.${ext}"`));
    const bytes = Buffer.from(await file.arrayBuffer());
    assert.equal(bytes.subarray(0, magic.length).toString('latin1'), magic);
    assert.equal(bytes.length, job.summary.bytes);
    assert.ok(bytes.length > 2000, `${bytes.length} bytes`);
    if (format === 'csv') {
      /* The tables of the nation 2016–2020: seed 001's fairs with 3.200 importers. */
      const zip = path.join(env.dir, `national-${job.id}.zip`);
      await writeFile(zip, bytes);
      const names = (await exec('unzip', ['-Z1', zip])).stdout.split('\n').filter(Boolean);
      assert.ok(names.includes('bao-cao-khuyen-cong.txt'), names.join(', '));
      const fairs = names.find((n) => /^\d+-hoi-cho-trien-lam/.test(n));
      assert.ok(fairs, names.join(', '));
      const csv = (await exec('unzip', ['-p', zip, fairs], { encoding: 'buffer' })).stdout;
      assert.deepEqual([...csv.subarray(0, 3)], [0xef, 0xbb, 0xbf], 'a BOM');
      assert.match(csv.toString('utf8'), /\r\n"Nhà nhập khẩu","3200","nhà nhập khẩu",/);
    }
    /* Nobody else gets the file. */
    assert.equal((await officer.get(job.result.url)).status, 404);
  }
  /* A province account may not have the national report nor another province's: asking
   * for "the report" gives its own province's; only files are jobs. */
  assert.equal((await officer.post('/reports/jobs?format=pdf&from=2016&to=2020&province=01', { body: new URLSearchParams() })).status, 403);
  assert.equal((await officer.post('/reports/jobs?format=pdf&from=2016&to=2020&old_province=36', { body: new URLSearchParams() })).status, 403);
  const own = await officer.post('/reports/jobs?format=pdf&from=2016&to=2020', { body: new URLSearchParams() });
  assert.equal(own.status, 303);
  assert.equal((await ministry.post('/reports/jobs?format=txt&from=2016&to=2020', { body: new URLSearchParams() })).status, 400);
  assert.equal((await ministry.post('/reports/jobs?format=pdf', { body: new URLSearchParams() })).status, 400);
});

test('a server that stops gives its running import back; another server finishes it', async () => {
  assert.ok(bigToken);
  const before = await establishments();
  const id = jobOf(await commitJob(officer, bigToken));
  for (let i = 0; ; i++) {
    const r = await officer.get(`/api/v1/jobs/${id}`);
    if (r.body.status === 'running') break;
    assert.ok(i < 400, 'the job starts');
    await sleep(25);
  }
  const stopped = await W.stop(60000);
  assert.equal(stopped.code, 0, W.stderr.slice(-2000));
  /* Server A (no workers) answers for the job meanwhile. */
  const onA = via(officer, env.base);
  const r = await onA.get(`/api/v1/jobs/${id}`);
  assert.equal(r.status, 200, r.text);
  assert.equal(r.body.status, 'queued', JSON.stringify(r.body));
  assert.equal(r.body.attempts, 1);
  assert.equal(await establishments(), before, 'rolled back: nothing written');

  W = await startServer(env.db);
  const { job } = await waitJob(via(officer, W.base), id, { timeout: 120000 });
  assert.equal(job.status, 'done', JSON.stringify(job));
  assert.equal(job.attempts, 2);
  assert.equal(job.summary.created, BIG_ROWS);
  assert.equal(await establishments(), before + BIG_ROWS);
  /* And the upload is gone once committed. */
  assert.equal((await commitJob(via(officer, W.base), bigToken)).status, 404);
});
