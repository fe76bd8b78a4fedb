// import.test.mjs - the /import page as a provincial officer would use it:
// upload a CSV (dry run: every problem listed, nothing written), download the
// bad rows, commit only the valid rows (a background job: the page of the job
// shows the outcome), fix the file, commit all, re-import
// the same file (nothing changes, no audit rows); roles, other people's
// uploads, the 20 MB limit and the Excel template. Then the command line:
// exit codes, --valid-only, --errors-out, and the export/import round trip.
import assert from 'node:assert/strict';
import { execFile } from 'node:child_process';
import { readFile, readdir, rm, writeFile } from 'node:fs/promises';
import path from 'node:path';
import { after, before, test } from 'node:test';
import { promisify } from 'node:util';

import { PG, psql } from '../pg/pglib.mjs';
import { postAndWait } from './jobs-lib.mjs';
import { login, makeDb, run, setup, startServer } from './lib.mjs';

const exec = promisify(execFile);
const PW = 'import-pass-0101';
const env = await setup(after, {
  prefix: 'import',
  users: [
    { name: 'hungyen', role: 'province', province: '33', password: PW },
    { name: 'hungyen2', role: 'province', province: '33', password: PW },
    { name: 'xem', role: 'viewer', password: PW },
  ],
});

let officer;
let other;
let viewer;
let admin;
before(async () => {
  officer = await login(env.base, 'hungyen', PW);
  other = await login(env.base, 'hungyen2', PW);
  viewer = await login(env.base, 'xem', PW);
  admin = await login(env.base, 'admin', env.adminPassword, 'bearer');
});

/* A tax code with a right check digit. */
function taxCode(nine) {
  const w = [31, 29, 23, 19, 17, 13, 7, 5, 3];
  for (let n = Number(nine); ; n++) {
    const d = String(n).padStart(9, '0');
    const sum = [...d].reduce((s, c, i) => s + Number(c) * w[i], 0);
    const check = 10 - (sum % 11);
    if (check < 10) return d + check;
  }
}

const TAX = [taxCode('330100001'), taxCode('330100101'), taxCode('330100201')];
const HEADER = 'Tên cơ sở,Loại hình,Mã số thuế,Xã/Phường,Số lao động';
const rowA = `Cơ sở gốm Hưng Yên,Hộ kinh doanh,${TAX[0]},"Mễ Sở, Hưng Yên",9.590`;
const rowB = `Công ty TNHH Mây tre Mễ Sở,Công ty TNHH,${TAX[1]},"Mễ Sở, Hưng Yên",12`;
const rowBad = `Cơ sở lỗi,Loại không có,${TAX[2]},"Mễ Sở, Hưng Yên",3`;
const rowFixed = `Cơ sở lỗi,Hợp tác xã,${TAX[2]},"Mễ Sở, Hưng Yên",3`;
const csv = (...rows) => '\uFEFF' + [HEADER, ...rows].join('\r\n') + '\r\n';

function upload(client, text, { kind = 'establishments', name = 'co-so.csv' } = {}) {
  const form = new FormData();
  form.set('kind', kind);
  form.set('encoding', 'auto');
  form.set('file', new Blob([text], { type: 'text/csv' }), name);
  return client.post('/import', { body: form });
}

/* The commit is queued as a job; this answers the job's page once it ended. */
function commit(client, token, validOnly = false) {
  const body = new URLSearchParams({ token });
  if (validOnly) body.set('valid_only', '1');
  return postAndWait(client, '/import/commit', { body });
}

const count = (html, id) => Number(new RegExp(`id="${id}">(\\d+)<`).exec(html)?.[1]);
const tokenOf = (html) => /name="token" value="([A-Za-z0-9_-]{43})"/.exec(html)?.[1];

async function establishments() {
  const r = await admin.get('/api/v1/establishments?count=exact&per_page=1');
  assert.equal(r.status, 200, r.text);
  return r.body.total;
}

async function auditRows() {
  const r = await admin.get('/api/v1/audit?entity=establishments&per_page=1');
  assert.equal(r.status, 200, r.text);
  return r.body.total;
}

test('the import page lists the record types and the columns of one', async () => {
  let r = await officer.get('/import');
  assert.equal(r.status, 200);
  assert.match(r.text, /id="import-form"/);
  assert.match(r.text, /enctype="multipart\/form-data"/);
  assert.match(r.text, /href="\/import\?kind=training-classes"/);
  r = await officer.get('/import?kind=establishments');
  assert.equal(r.status, 200);
  assert.match(r.text, /id="mapping"/);
  assert.match(r.text, /<code>tax_code<\/code><\/td><td>[^<]*Mã số thuế[^<]*MST/);
  assert.match(r.text, /href="\/import\/template\?kind=establishments"/);
});

test('a dry run lists every problem and writes nothing; valid-only writes the good rows', async () => {
  const before = await establishments();
  const auditBefore = await auditRows();
  const r = await upload(officer, csv(rowA, rowB, rowBad));
  assert.equal(r.status, 200, r.text);
  assert.equal(count(r.text, 'count-rows'), 3);
  assert.equal(count(r.text, 'count-created'), 2);
  assert.equal(count(r.text, 'count-failed'), 1);
  assert.match(r.text, /id="problems"/);
  assert.match(r.text, /<tr><td>4<\/td><td>Loại hình<\/td><td>Loại không có<\/td><td>[^<]+<\/td><\/tr>/);
  assert.doesNotMatch(r.text, /id="commit-all"/, 'a file with problems is not committed whole');
  assert.match(r.text, /id="commit-valid"/);
  assert.equal(await establishments(), before, 'the dry run wrote no record');
  assert.equal(await auditRows(), auditBefore, 'nor any audit row');
  const token = tokenOf(r.text);
  assert.ok(token, 'the page carries the upload token');

  const bad = await officer.get(`/import/bad-rows?token=${token}&format=csv`);
  assert.equal(bad.status, 200);
  assert.match(bad.headers.get('content-type'), /text\/csv/);
  assert.match(bad.text, /Lỗi \/ Errors/);
  assert.match(bad.text, /Cơ sở lỗi/);
  assert.doesNotMatch(bad.text, /Mây tre/, 'only the bad rows');
  const badx = await officer.get(`/import/bad-rows?token=${token}&format=xlsx`);
  assert.equal(badx.status, 200);
  assert.ok(badx.text.startsWith('PK'), 'an xlsx (zip) file');
  // Another format is refused naming it, not answered as CSV (params.c).
  const badf = await officer.get(`/import/bad-rows?token=${token}&format=pdf`, { headers: { Accept: 'application/json' } });
  assert.equal(badf.status, 400);
  assert.equal(badf.body.error.field, 'format');

  /* Someone else cannot use (or see) the upload. */
  assert.equal((await other.get(`/import/bad-rows?token=${token}&format=csv`)).status, 404);
  assert.equal((await commit(other, token)).status, 404);

  const c = await commit(officer, token, true);
  assert.equal(c.status, 200, c.text);
  assert.equal(c.job.status, 'done', JSON.stringify(c.job));
  assert.match(c.text, /id="import-status"/);
  assert.equal(count(c.text, 'count-created'), 2);
  assert.equal(await establishments(), before + 2);
  /* The upload is gone once committed, and its kept bad rows with it. */
  assert.equal((await commit(officer, token)).status, 404);
  assert.equal((await officer.get(`/import/bad-rows?token=${token}&format=csv`)).status, 404);
  assert.equal((await officer.get(`/import/bad-rows?token=${token}&format=xlsx`)).status, 404);
});

test('a dry run warns at the top about columns that match nothing, lists allowed values and mended letters', async () => {
  const t = taxCode('330177001');
  const text = '\uFEFF' + [`${HEADER},Ghi chú riêng`,
    `\u00D0ồ gỗ cảnh báo,Hộ kinh doanh,${t},"Mễ Sở, Hưng Yên",4,không đọc`,
    `Cơ sở cảnh báo hai,Loại lạ,${taxCode('330177101')},"Mễ Sở, Hưng Yên",4,x`].join('\r\n') + '\r\n';
  const r = await upload(officer, text);
  assert.equal(r.status, 200, r.text);
  const warn = r.text.indexOf('id="unmatched"');
  assert.ok(warn > 0, 'a warning about the unmatched column');
  assert.ok(warn < r.text.indexOf('id="counts"'), 'above the counts');
  assert.match(r.text, /<div class="error" role="alert" id="unmatched">[^]*?<li>Ghi chú riêng<\/li>/);
  assert.match(r.text, /id="notices"[\s\S]*Đồ gỗ cảnh báo/);
  assert.match(r.text, /không có trong danh sách; được phép: Công ty TNHH;[^<]*Hộ kinh doanh<\/td>/);
  // The command line says it first too.
  const file = path.join(env.dir, 'canh-bao.csv');
  await writeFile(file, text);
  const c = await run(['import', '--db', env.db, '--kind', 'establishments', file, '--dry-run']);
  const lines = c.stdout.split('\n');
  assert.match(lines[1], /WARNING \/ CẢNH BÁO: .*"Ghi chú riêng"/, c.stdout);
  assert.match(c.stdout, /row 2, "Tên cơ sở" = "Đồ gỗ cảnh báo": .*Ð/);
});

/* One SQL statement on the test's database, behind the server's back. */
function sql(statement) {
  if (PG) return psql(statement, env.db);
  return exec('sqlite3', [env.db, statement]);
}

test('the bad rows are the dry run\'s, kept: sent without a new check, made again only once gone', async () => {
  const village = 'Làng nghề gốm giữ dòng lỗi';
  const t = [taxCode('330300001'), taxCode('330300101')];
  const text = '\uFEFF' + [`${HEADER},Làng nghề`,
    `Cơ sở giữ lỗi một,Hộ kinh doanh,${t[0]},"Mễ Sở, Hưng Yên",4,`,
    `Cơ sở giữ lỗi hai,Hộ kinh doanh,${t[1]},"Mễ Sở, Hưng Yên",5,${village}`].join('\r\n') + '\r\n';
  const r = await upload(officer, text);
  assert.equal(r.status, 200, r.text);
  assert.equal(count(r.text, 'count-failed'), 1);
  assert.match(r.text, new RegExp(`<tr><td>3</td><td>Làng nghề</td><td>${village}</td>`));
  const token = tokenOf(r.text);
  const url = (format) => `/import/bad-rows?token=${token}&format=${format}`;

  const first = await officer.get(url('csv'));
  assert.equal(first.status, 200);
  assert.match(first.headers.get('content-disposition'), /attachment; filename="dong-loi\.csv"/);
  const lines = first.text.replace(/^\uFEFF/, '').split('\r\n').filter(Boolean);
  assert.equal(lines.length, 2, 'the header and the one bad row');
  assert.match(lines[0], /Làng nghề.*Lỗi \/ Errors/, 'the error column');
  assert.match(lines[1], /^"?Cơ sở giữ lỗi hai"?,/);
  assert.ok(lines[1].includes(village));
  assert.doesNotMatch(first.text, /giữ lỗi một/, 'only the bad rows');
  const firstX = await officer.get(url('xlsx'));
  assert.equal(firstX.status, 200);
  assert.ok(firstX.text.startsWith('PK'));

  /* The village now exists, so a new check would pass the row: the file
   * still lists it, as the page the officer is reading does. */
  const v = await admin.post('/api/v1/villages', {
    json: { name: village, commune_id: 'Mễ Sở, Hưng Yên', craft_group: 'handicraft', craft: 'Gốm' },
  });
  assert.equal(v.status, 201, v.text);
  const again = await officer.get(url('csv'));
  assert.equal(again.status, 200);
  assert.equal(again.text, first.text, 'the kept file, not a new check');
  assert.equal((await other.get(url('csv'))).status, 404, 'for its owner only');

  /* Kept rows gone (deleted behind the server's back): the upload is checked again. */
  await sql("DELETE FROM import_uploads WHERE token_hash LIKE '%.csv'");
  const remade = await officer.get(url('csv'));
  assert.equal(remade.status, 200);
  assert.match(remade.text, /Lỗi \/ Errors/);
  assert.doesNotMatch(remade.text, /giữ lỗi hai/, 'checked against today\'s villages');
});

test('a fixed file commits whole; importing it again changes nothing', async () => {
  const before = await establishments();
  let r = await upload(officer, csv(rowA, rowB, rowFixed));
  assert.equal(r.status, 200, r.text);
  assert.equal(count(r.text, 'count-failed'), 0);
  assert.equal(count(r.text, 'count-created'), 1);
  assert.equal(count(r.text, 'count-unchanged'), 2);
  assert.match(r.text, /id="commit-all"/);
  let c = await commit(officer, tokenOf(r.text));
  assert.equal(c.status, 200, c.text);
  assert.equal(count(c.text, 'count-created'), 1);
  assert.equal(await establishments(), before + 1);
  const found = await admin.get(`/api/v1/establishments?q=${TAX[0]}`);
  assert.equal(found.body.items[0].workers, 9590, '"9.590" is nine thousand five hundred ninety');
  assert.equal(found.body.items[0].kind, 'household');

  const audit = await auditRows();
  r = await upload(officer, csv(rowA, rowB, rowFixed));
  assert.equal(count(r.text, 'count-unchanged'), 3);
  c = await commit(officer, tokenOf(r.text));
  assert.equal(c.status, 200, c.text);
  assert.equal(count(c.text, 'count-unchanged'), 3);
  assert.equal(await establishments(), before + 1);
  assert.equal(await auditRows(), audit, 're-importing wrote no audit row');
});

test('a malformed file gets a clear error', async () => {
  let r = await upload(officer, '');
  assert.equal(r.status, 400);
  r = await upload(officer, '\uFEFF' + HEADER + '\r\n');
  assert.equal(r.status, 400);
  assert.match(r.text, /không có dữ liệu/);
  r = await upload(officer, 'Tên cơ sở|Loại hình|Mã số thuế\r\nA|B|C\r\n');
  assert.equal(r.status, 400);
  assert.match(r.text, /dấu phân cách/);
  r = await upload(officer, 'PK\x03\x04 not really a zip', { name: 'x.xlsx' });
  assert.equal(r.status, 400);
  assert.match(r.text, /id="import-error"/);
});

test('an upload\'s text fields are the declared ones, as in JSON and urlencoded bodies', async () => {
  const form = new FormData();
  form.set('kind', 'establishments');
  form.set('dry_run_off', '1');
  form.set('file', new Blob([csv(rowA)], { type: 'text/csv' }), 'co-so.csv');
  const r = await officer.post('/import', { body: form, headers: { Accept: 'application/json' } });
  assert.equal(r.status, 400);
  assert.equal(r.body.error.field, 'dry_run_off');
  assert.match(r.body.error.message, /unknown field/);
});

test('the Excel template downloads', async () => {
  const r = await officer.request('GET', '/import/template?kind=projects');
  assert.equal(r.status, 200);
  assert.match(r.headers.get('content-type'), /spreadsheetml/);
  assert.match(r.headers.get('content-disposition'), /mau-nhap-projects\.xlsx/);
  assert.ok(r.text.startsWith('PK'));
  assert.equal((await officer.get('/import/template?kind=nope')).status, 404);
});

/* ---- the command line ---- */

test('khuyencong import: exit codes, valid-only, errors-out', async () => {
  const dir = env.dir;
  const file = path.join(dir, 'cli.csv');
  const fixed = path.join(dir, 'cli-fixed.csv');
  const bad = path.join(dir, 'cli-bad.csv');
  const t = [taxCode('331200001'), taxCode('331200101'), taxCode('331200201')];
  const rows = [
    `Cơ sở CLI một,Hộ kinh doanh,${t[0]},"Mễ Sở, Hưng Yên",5`,
    `Cơ sở CLI hai,Không có,${t[1]},"Mễ Sở, Hưng Yên",6`,
    `Cơ sở CLI ba,Hợp tác xã,${t[2]},"Mễ Sở, Hưng Yên",7`,
  ];
  await writeFile(file, csv(...rows));
  await writeFile(fixed, csv(rows[0], rows[1].replace('Không có', 'Tổ hợp tác'), rows[2]));
  const db = ['--db', env.db];
  let r = await run(['import', '--help']);
  assert.equal(r.code, 0);
  assert.match(r.stdout, /--dry-run/);
  assert.equal((await run(['import', ...db])).code, 2);
  assert.equal((await run(['import', ...db, '--kind', 'nope', file])).code, 2);
  assert.equal((await run(['export', ...db])).code, 2);
  r = await run(['import', ...db, '--kind', 'establishments', file, '--dry-run']);
  assert.equal(r.code, 1, r.stdout + r.stderr);
  assert.match(r.stdout, /row 3, "Loại hình" = "Không có": /);
  assert.match(r.stdout, /dry run: nothing was written/);
  r = await run(['import', ...db, '--kind', 'establishments', file, '--errors-out', bad]);
  assert.equal(r.code, 1, 'a commit with a bad row writes nothing');
  assert.match(r.stderr, /nothing was written/);
  assert.match(await readFile(bad, 'utf8'), /Cơ sở CLI hai.*Loại hình: /);
  r = await run(['import', ...db, '--kind', 'establishments', file, '--valid-only']);
  assert.equal(r.code, 3, r.stdout + r.stderr);
  assert.match(r.stdout, /created 2/);
  r = await run(['import', ...db, '--kind', 'establishments', fixed]);
  assert.equal(r.code, 0, r.stdout + r.stderr);
  assert.match(r.stdout, /created 1, updated 0, unchanged 2/);
  r = await run(['export', ...db, '--kind', 'establishments']);
  assert.equal(r.code, 0);
  assert.match(r.stdout, /^\uFEFF"id","name","kind","tax_code"/);
  assert.match(r.stdout, new RegExp(`"Cơ sở CLI hai","coop_group","${t[1]}"`));
});

/* A PNG (its signature and header chunk) then bytes of every value. */
const PHOTO = Buffer.concat([
  Buffer.from('89504e470d0a1a0a0000000d4948445200000001000000010802000000907753de', 'hex'),
  Buffer.from(Array.from({ length: 300 }, (_, i) => (i * 7) % 256)),
]);

test('export --all and import --all rebuild the same data', async () => {
  const src = await makeDb('import-rt');
  after(async () => {
    await src.drop();
    if (!process.env.KC_KEEP_TMP) await rm(src.dir, { recursive: true, force: true });
  });
  const out1 = path.join(src.dir, 'export1');
  const out2 = path.join(src.dir, 'export2');
  /* A file attached to an establishment travels too, as it was. */
  const pdf = Buffer.concat([Buffer.from('%PDF-1.5\n'), Buffer.from([0, 1, 2, 255, 254, 0])]);
  const srv = await startServer(src.db);
  try {
    const a = await login(srv.base, 'admin', src.adminPassword, 'bearer');
    const est = (await a.get('/api/v1/establishments?count=exact&per_page=1')).body.items[0];
    const up = await a.post(`/api/v1/establishments/${est.id}/attachments`, {
      body: pdf, headers: { 'Content-Type': 'application/pdf' },
    });
    assert.equal(up.status, 201, up.text);
    /* So do a product's photo and a proposal's file, byte for byte. */
    const product = (await a.get('/api/v1/products?per_page=1')).body.items[0];
    const ph = await a.post(`/api/v1/products/${product.id}/photos`, {
      body: PHOTO, headers: { 'Content-Type': 'image/png' },
    });
    assert.equal(ph.status, 201, ph.text);
    const proposal = (await a.get('/api/v1/proposals?per_page=1')).body.items[0];
    const pf = await a.post(`/proposals/${proposal.id}/files`, {
      body: pdf, headers: { 'Content-Type': 'application/pdf' },
    });
    assert.equal(pf.status, 303, pf.text);
    /* A report sent keeps its PDF and Excel; like the report, they are not exported. */
    const u = await a.post('/api/v1/users', {
      json: { username: 'rt-hungyen', display_name: 'Hưng Yên', role: 'province', province: '33', password: 'import-rt-2025' },
    });
    assert.equal(u.status, 201, u.text);
    const p33 = await login(srv.base, 'rt-hungyen', 'import-rt-2025', 'bearer');
    const sub = await p33.post('/api/v1/submissions', { json: { period_kind: 'year', year: 2024 } });
    assert.equal(sub.status, 201, sub.text);
    const sent = await p33.post(`/api/v1/submissions/${sub.body.id}/transitions`, { json: { to: 'submitted' } });
    assert.equal(sent.status, 200, sent.text);
    assert.equal(sent.body.snapshot.files.length, 2);
  } finally {
    await srv.stop();
  }
  let r = await run(['export', '--db', src.db, '--all', '--out', out1], { timeout: 60000 });
  assert.equal(r.code, 0, r.stderr);
  const manifest = JSON.parse(await readFile(path.join(out1, 'manifest.json'), 'utf8'));
  assert.equal(manifest.attachments.length, 1);
  assert.ok((await readFile(path.join(out1, manifest.attachments[0].file))).equals(pdf));
  assert.equal(manifest.format, 'khuyencong-export');
  assert.ok(manifest.collections.findIndex((c) => c.collection === 'projects') <
            manifest.collections.findIndex((c) => c.collection === 'project-events'));
  const fresh = path.join(src.dir, 'fresh.db');
  r = await run(['init', '--db', fresh, '--no-demo'], { timeout: 60000 });
  assert.equal(r.code, 0, r.stderr);
  r = await run(['import', '--db', fresh, '--all', out1], { timeout: 120000 });
  assert.equal(r.code, 0, r.stdout + r.stderr);
  r = await run(['export', '--db', fresh, '--all', '--out', out2], { timeout: 60000 });
  assert.equal(r.code, 0, r.stderr);
  const files = (await readdir(out1)).filter((f) => f.endsWith('.csv'));
  assert.ok(files.length >= 19);
  for (const f of files)
    assert.equal(await readFile(path.join(out2, f), 'utf8'), await readFile(path.join(out1, f), 'utf8'),
                 `${f} is the same after the round trip`);
  const again = JSON.parse(await readFile(path.join(out2, 'manifest.json'), 'utf8')).attachments;
  const keep = ({ parent, name, content_type, bytes, sha256, created_at, username }) =>
    ({ parent, name, content_type, bytes, sha256, created_at, username });
  assert.deepEqual(again.map(keep), manifest.attachments.map(keep), 'the file is rebuilt as it was');
  assert.ok((await readFile(path.join(out2, again[0].file))).equals(pdf));
  const m2 = JSON.parse(await readFile(path.join(out2, 'manifest.json'), 'utf8'));
  const drop = ({ file, product_id, proposal_id, ...rest }) => rest;
  for (const [list, bytes] of [['photos', PHOTO], ['proposal_files', pdf]]) {
    assert.equal(manifest[list].length, 1, list);
    assert.deepEqual(m2[list].map(drop), manifest[list].map(drop), `${list} are rebuilt as they were`);
    for (const m of [manifest, m2])
      assert.ok((await readFile(path.join(m === manifest ? out1 : out2, m[list][0].file))).equals(bytes), list);
  }
  r = await run(['export', '--db', fresh, '--template', 'figures', '--out', path.join(src.dir, 't.xlsx')]);
  assert.equal(r.code, 0, r.stderr);
});

/* Last: after the early 413 the server closes the connection. */
test('viewers cannot import; a file over 20 MB is refused with 413', async () => {
  assert.equal((await upload(viewer, csv(rowA))).status, 403);
  assert.equal((await viewer.get('/import')).status, 403);
  const big = 'x'.repeat(21 * 1024 * 1024);
  let status;
  try {
    status = (await upload(officer, big)).status;
  } catch {
    status = 413; /* the server may answer and close before the body is sent */
  }
  assert.equal(status, 413);
});
