// migrate.test.mjs - `khuyencong migrate`: a SQLite database moves to
// PostgreSQL intact (every table compared), the copy serves the same logins
// and keeps numbering records after the largest id, differences and schema
// mismatches fail, and the way back (PostgreSQL to SQLite) is identical too;
// `check` and `rebuild --preaggregates` on the PostgreSQL copy.
// Needs KC_TEST_PG (scripts/pg-test); CTest runs it as pg/migrate.test.mjs.
import assert from 'node:assert/strict';
import { spawnSync } from 'node:child_process';
import { rm } from 'node:fs/promises';
import path from 'node:path';
import { after, before, test } from 'node:test';

import { login, run, scratchDir, startServer } from '../http/lib.mjs';
import { PG, createDb, psql } from './pglib.mjs';

if (!PG) throw new Error('KC_TEST_PG must name a PostgreSQL cluster (scripts/pg-test)');

let src; /* the SQLite database: {dir, db, adminPassword} */
const dbs = [];
async function pgDb() {
  const d = await createDb('mig');
  dbs.push(d);
  return d;
}

/* A file attached in the SQLite database: bytes of every value (NUL, high
 * bytes) after a PNG signature, to come back identical from PostgreSQL. */
const FILE = Buffer.concat([
  Buffer.from('89504e470d0a1a0a', 'hex'),
  Buffer.from(Array.from({ length: 512 }, (_, i) => i % 256)),
]);
let fileUrl;
/* A product photo and a proposal's file, binary too (migration 0034). */
const PHOTO = Buffer.concat([
  Buffer.from('89504e470d0a1a0a0000000d4948445200000001000000010802000000907753de', 'hex'),
  Buffer.from(Array.from({ length: 300 }, (_, i) => (i * 7) % 256)),
]);
const PDF = Buffer.concat([Buffer.from('%PDF-1.4\n'), Buffer.from(Array.from({ length: 256 }, (_, i) => 255 - i))]);
let photoUrl;
let proposalFileUrl;

/* Text that means something in COPY's text format (tab, newline, carriage
 * return, backslash, "\N", "\.", a bytea-like "\x41"), Vietnamese, and an
 * empty string beside NULL: each must arrive byte for byte. */
const HOSTILE = [
  ['Làng nghề\tgốm\nBát Tràng\r\n\\ cuối\\', null],
  ['\\N', ''],
  ['\\.', '\\x41'],
  ['', '\t\t'],
  ['Đắk Lắk — “ngoặc” ½ 𝔸', null],
];
/* a literal for the sqlite3 shell, which reads "\r\n" as a line's end */
const sqlText = (v) =>
  v === null ? 'NULL' : `'${v.replace(/'/g, "''").replace(/\r/g, "' || char(13) || '")}'`;

before(async () => {
  src = await makeSqlite();
  const srv = await startServer(src.db);
  try {
    const c = await login(srv.base, 'admin', src.adminPassword, 'bearer');
    const est = (await c.get('/api/v1/establishments?per_page=1')).body.items[0];
    const r = await c.post(`/api/v1/establishments/${est.id}/attachments`, {
      body: FILE, headers: { 'Content-Type': 'application/octet-stream' },
    });
    assert.equal(r.status, 201, r.text);
    fileUrl = r.body.url;
    const product = (await c.get('/api/v1/products?per_page=1')).body.items[0];
    const ph = await c.post(`/api/v1/products/${product.id}/photos`, {
      body: PHOTO, headers: { 'Content-Type': 'image/png' },
    });
    assert.equal(ph.status, 201, ph.text);
    photoUrl = `/anh/${ph.body.id}`;
    const proposal = (await c.get('/api/v1/proposals?per_page=1')).body.items[0];
    const pf = await c.post(`/proposals/${proposal.id}/files`, {
      body: PDF, headers: { 'Content-Type': 'application/pdf' },
    });
    assert.equal(pf.status, 303, pf.text);
    const fid = spawnSync('sqlite3', [src.db, 'SELECT MAX(id) FROM proposal_files']).stdout.toString().trim();
    proposalFileUrl = `/proposals/${proposal.id}/files/${fid}`;
    /* two classes of one pre-aggregate group (the copy must not upsert it) */
    for (const topic of ['Lớp thử A', 'Lớp thử B']) {
      const cl = await c.post('/api/v1/training-classes', {
        json: { province: '33', kind: 'craft_transfer', topic, year: 2020, trainees: 7 },
      });
      assert.equal(cl.status, 201, cl.text);
    }
  } finally {
    await srv.stop();
  }
  const rows = HOSTILE.map(
    ([name, expertise], i) =>
      `(${9001 + i}, 't', 't', ${sqlText(name)}, ${sqlText(expertise)})`,
  );
  const s = spawnSync('sqlite3', [src.db], {
    input: `INSERT INTO consultants (id, created_at, updated_at, name, expertise) VALUES ${rows.join(', ')};`,
  });
  assert.equal(s.status, 0, String(s.stderr));
});
after(async () => {
  for (const d of dbs) await d.drop();
  if (src && !process.env.KC_KEEP_TMP) await rm(src.dir, { recursive: true, force: true });
});

async function makeSqlite() {
  /* lib.mjs's makeDb makes PostgreSQL databases while KC_TEST_PG is set */
  const dir = await scratchDir('migrate');
  const db = path.join(dir, 'office.db');
  const r = await run(['init', '--db', db]);
  assert.equal(r.code, 0, r.stderr);
  return { dir, db, adminPassword: /password: (\S+)/.exec(r.stdout)[1] };
}

test('SQLite to PostgreSQL: every table copied and compared, exit 0', async () => {
  const pg = await pgDb();
  const r = await run(['migrate', '--from', `sqlite:${src.db}`, '--to', pg.url], { timeout: 120000 });
  assert.equal(r.code, 0, r.stderr + r.stdout);
  assert.match(r.stdout, /every table is identical/);
  const lines = r.stdout.split('\n').filter((l) => / rows /.test(l));
  assert.ok(lines.length >= 30, `one line per table:\n${r.stdout}`);
  for (const l of lines) assert.match(l, / same$/);
  assert.match(r.stdout, /^units\s+\d{5} rows/m);
  assert.match(r.stdout, /^attachments\s+1 rows .*same$/m);
  assert.match(r.stdout, /^product_photos\s+1 rows .*same$/m);
  assert.match(r.stdout, /^proposal_files\s+1 rows .*same$/m);
  assert.equal(await psql('SELECT pg_typeof(data) FROM product_photos UNION SELECT pg_typeof(data) FROM' +
    ' proposal_files', pg.url), 'bytea', 'bytes, not base64 text');
  /* COPY's text format carried every byte, NULL apart from "" and "\N" */
  const got = await psql(
    "SELECT string_agg(encode(convert_to(name, 'UTF8'), 'hex') || ':' ||" +
      " COALESCE(encode(convert_to(expertise, 'UTF8'), 'hex'), 'NULL'), ' ' ORDER BY id)" +
      ' FROM consultants WHERE id > 9000',
    pg.url,
  );
  const hex = (v) => (v === null ? 'NULL' : Buffer.from(v, 'utf8').toString('hex'));
  assert.equal(got, HOSTILE.map(([n, x]) => `${hex(n)}:${hex(x)}`).join(' '));
  /* ANALYZE ran: the planner knows the copied rows (the test cluster has no autovacuum) */
  const stats = await psql("SELECT COUNT(*) FROM pg_stats WHERE tablename = 'establishments'", pg.url);
  assert.ok(Number(stats) > 0, 'statistics of establishments');
  /* VACUUM ran too: the pages are all-visible, a count reads an index alone */
  assert.equal(await psql("SELECT relpages > 0 AND relallvisible = relpages FROM pg_class WHERE relname = 'units'",
    pg.url), 't', 'the pages of units are all-visible');
  /* The pre-aggregates were computed whole from the copied records, with
   * their triggers off during the COPY; the triggers are on again, and the
   * sums equal a recompute from the records */
  assert.equal(await psql("SELECT string_agg(tgname || '=' || tgenabled::text, ',' ORDER BY tgname) FROM pg_trigger" +
    " WHERE tgname LIKE 'stat_sums_%'", pg.url),
    'stat_sums_training_classes=O,stat_sums_training_classes_truncate=O', 'the triggers are on');
  assert.ok(Number(await psql('SELECT COUNT(*) FROM stat_sums_training_classes', pg.url)) > 0, 'sums filled');
  assert.equal(await psql('SELECT SUM(n) FROM stat_sums_training_classes', pg.url),
    await psql('SELECT COUNT(*) FROM training_classes', pg.url), 'every class counted once');
  const checked = await run(['check', '--db', pg.url]);
  assert.equal(checked.code, 0, checked.stdout + checked.stderr);
  /* ... and were written by inserts only: with the triggers on during the
   * COPY, a class of a group already there would have been an upsert's
   * update (migrate's connection has ended, so its counts are published) */
  assert.ok(Number(await psql('SELECT COUNT(*) FROM training_classes', pg.url)) >
    Number(await psql('SELECT COUNT(*) FROM stat_sums_training_classes', pg.url)), 'groups of several classes');
  assert.equal(await psql("SELECT n_tup_upd FROM pg_stat_user_tables WHERE relname = 'stat_sums_training_classes'",
    pg.url), '0', 'no upsert updated a group during the copy');

  /* the copy serves the office's own login, and new ids follow the copied ones */
  const srv = await startServer(pg.url);
  try {
    const c = await login(srv.base, 'admin', src.adminPassword);
    const list = await c.get('/api/v1/consultants?per_page=500');
    assert.equal(list.status, 200, list.text);
    const maxId = Math.max(...list.body.items.map((x) => x.id));
    const created = await c.post('/api/v1/consultants', { json: { name: 'Tư vấn viên mới' } });
    assert.equal(created.status, 201, created.text);
    assert.ok(created.body.id > maxId, `new id ${created.body.id} after ${maxId}`);
    /* an attached file comes back byte for byte from bytea */
    const got = await fetch(srv.base + fileUrl, { headers: { Cookie: c.cookieHeader() } });
    assert.equal(got.status, 200);
    assert.equal(got.headers.get('content-type'), 'image/png');
    assert.ok(Buffer.from(await got.arrayBuffer()).equals(FILE), 'the file is unchanged');
    /* so do a product photo and a proposal's file, with their types */
    for (const [url, bytes, type] of [[photoUrl, PHOTO, 'image/png'], [proposalFileUrl, PDF, 'application/pdf']]) {
      const f = await fetch(srv.base + url, { headers: { Cookie: c.cookieHeader() } });
      assert.equal(f.status, 200, url);
      assert.equal(f.headers.get('content-type'), type);
      assert.ok(Buffer.from(await f.arrayBuffer()).equals(bytes), `${url} is unchanged`);
    }
  } finally {
    await srv.stop();
  }

  /* --verify now sees the new row */
  const v = await run(['migrate', '--verify', '--from', `sqlite:${src.db}`, '--to', pg.url]);
  assert.equal(v.code, 1, v.stdout);
  assert.match(v.stdout, /^consultants .* DIFFERENT$/m);
  assert.match(v.stderr, /differ/);
});

test('a changed value is found by --verify; an unchanged copy verifies', async () => {
  const pg = await pgDb();
  const r = await run(['migrate', '--from', `sqlite:${src.db}`, '--to', pg.url], { timeout: 120000 });
  assert.equal(r.code, 0, r.stderr);
  let v = await run(['migrate', '--verify', '--from', `sqlite:${src.db}`, '--to', pg.url]);
  assert.equal(v.code, 0, v.stdout + v.stderr);
  await psql("UPDATE units SET name = name || ' ' WHERE id = (SELECT MIN(id) FROM units)", pg.url);
  v = await run(['migrate', '--verify', '--from', `sqlite:${src.db}`, '--to', pg.url]);
  assert.equal(v.code, 1);
  assert.match(v.stdout, /^units .* DIFFERENT$/m);
  assert.match(v.stdout, /^unit_succession .* same$/m);

  /* The copy's pre-aggregates (computed by migrate) equal its records;
   * a record changed with the triggers off is found by check, and
   * rebuild --preaggregates mends it. */
  let c = await run(['check', '--db', pg.url]);
  assert.equal(c.code, 0, c.stdout + c.stderr);
  await psql('ALTER TABLE training_classes DISABLE TRIGGER stat_sums_training_classes;' +
    ' UPDATE training_classes SET trainees = trainees + 1000 WHERE id = (SELECT MIN(id) FROM' +
    ' training_classes); ALTER TABLE training_classes ENABLE TRIGGER stat_sums_training_classes', pg.url);
  c = await run(['check', '--db', pg.url]);
  assert.equal(c.code, 1, c.stdout + c.stderr);
  assert.match(c.stdout, /^stat_sums_training_classes \(province_code=\d+, .*big=0\): stored n=\d+ trainees=\d+ .*; records n=\d+ trainees=\d+/m);
  assert.match(c.stderr, /1 pre-aggregate keys differ from their records/);
  const rb = await run(['rebuild', '--preaggregates', '--db', pg.url]);
  assert.equal(rb.code, 0, rb.stdout + rb.stderr);
  assert.match(rb.stdout, /, 1 keys differed from the records; now \d+ rows/);
  c = await run(['check', '--db', pg.url]);
  assert.equal(c.code, 0, c.stdout + c.stderr);
});

test('a target that already holds a database is refused unless --replace', async () => {
  const pg = await pgDb();
  let r = await run(['init', '--db', pg.url, '--no-demo'], { timeout: 60000 });
  assert.equal(r.code, 0, r.stderr);
  r = await run(['migrate', '--from', `sqlite:${src.db}`, '--to', pg.url]);
  assert.equal(r.code, 1);
  assert.match(r.stderr, /already holds .*--replace/);
  r = await run(['migrate', '--replace', '--from', `sqlite:${src.db}`, '--to', pg.url], {
    timeout: 120000,
  });
  assert.equal(r.code, 0, r.stderr + r.stdout);
});

test('a source with another schema version is refused', async () => {
  const dir = await scratchDir('migrate-old');
  const old = path.join(dir, 'old.db');
  try {
    const r0 = await run(['init', '--db', old, '--no-demo']);
    assert.equal(r0.code, 0, r0.stderr);
    const s = spawnSync('sqlite3', [old, 'DELETE FROM schema_version WHERE version = (SELECT MAX(version) FROM schema_version)']);
    assert.equal(s.status, 0, String(s.stderr));
    const pg = await pgDb();
    const r = await run(['migrate', '--from', `sqlite:${old}`, '--to', pg.url]);
    assert.equal(r.code, 1);
    assert.match(r.stderr, /schema version/);
    assert.equal(await psql("SELECT COUNT(*) FROM pg_tables WHERE tablename = 'users'", pg.url), '0');
  } finally {
    await rm(dir, { recursive: true, force: true });
  }
});

test('PostgreSQL back to SQLite is identical too', async () => {
  const pg = await pgDb();
  let r = await run(['migrate', '--from', `sqlite:${src.db}`, '--to', pg.url], { timeout: 120000 });
  assert.equal(r.code, 0, r.stderr);
  const back = path.join(src.dir, 'back.db');
  r = await run(['migrate', '--from', pg.url, '--to', `sqlite:${back}`], { timeout: 120000 });
  assert.equal(r.code, 0, r.stderr + r.stdout);
  r = await run(['migrate', '--verify', '--from', `sqlite:${src.db}`, '--to', `sqlite:${back}`]);
  assert.equal(r.code, 0, r.stderr + r.stdout);
  r = await run(['check', '--db', back]);
  assert.equal(r.code, 0, r.stderr + r.stdout);
});
