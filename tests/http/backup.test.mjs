// backup.test.mjs - `khuyencong backup` while the server takes writes, then
// `khuyencong restore`: the restored database equals the backup table by
// table and passes `check`; restore refuses a cut-short file, a newer schema,
// an existing database without --force and a database in use; an older
// backup is brought up to date (base64 photos of before 0034 become bytes);
// the accounts page shows the last backup; `check` compares the
// pre-aggregates with their records and `rebuild --preaggregates` mends them.
//
// Uses the sqlite3 command-line shell (Debian's sqlite3) to read the files.
import assert from 'node:assert/strict';
import { execFileSync } from 'node:child_process';
import { createHash } from 'node:crypto';
import { copyFile, readdir, readFile, stat, truncate } from 'node:fs/promises';
import path from 'node:path';
import { after, before, test } from 'node:test';
import { fileURLToPath } from 'node:url';

import { login, run, setup, sleep } from './lib.mjs';

const env = await setup(after, { prefix: 'backup' });
const file = (name) => path.join(env.dir, name);

function sqlite(db, ...args) {
  return execFileSync('sqlite3', ['-batch', db, ...args], { maxBuffer: 1 << 30 }).toString();
}
const sha = (s) => createHash('sha256').update(s).digest('hex');
const count = (db, table) => Number(sqlite(db, `SELECT COUNT(*) FROM "${table}"`).trim());
/* Real tables, the full-text indexes' shadow tables among them (migration
 * 0028); not the virtual tables themselves, which cannot be scanned. */
const tables = (db) =>
  sqlite(db, "SELECT name FROM pragma_table_list WHERE schema = 'main'" +
    " AND type IN ('table', 'shadow') AND name NOT IN ('sqlite_schema', 'sqlite_temp_schema')" +
    ' ORDER BY name')
    .trim().split('\n').filter(Boolean);

/* A PNG (its signature and header chunk) then bytes of every value. */
const PHOTO = Buffer.concat([
  Buffer.from('89504e470d0a1a0a0000000d4948445200000001000000010802000000907753de', 'hex'),
  Buffer.from(Array.from({ length: 300 }, (_, i) => (i * 7) % 256)),
]);

let admin;
let latest; // the binary's schema version
before(async () => {
  admin = await login(env.base, 'admin', env.adminPassword, 'bearer');
  const v = await run(['version']);
  latest = Number(/\(schema (\d+)\)/.exec(v.stdout)[1]);
});

/* Shared by the tests below, in order. */
const backup = file('backup.db');
const restored = file('restored.db');
let written = 0;

test('the accounts page says no backup was taken yet', async () => {
  const cookie = await login(env.base, 'admin', env.adminPassword);
  const page = await cookie.get('/admin/users');
  assert.equal(page.status, 200);
  assert.match(page.text, /id="last-backup"[^>]*>Lần sao lưu gần nhất: chưa có/);
});

test('backup under write load, restore, check, and every table equal', async () => {
  const commune = (await admin.get('/api/v1/units?level=commune&era=new&per_page=1')).body.items[0];
  const province = (await admin.get('/api/v1/units?level=province&era=new&per_page=1')).body.items[0];
  const indicator = (await admin.get('/api/v1/indicators')).body.items[0].code;
  const before = count(env.db, 'establishments');
  /* A file attached before the backup: its bytes (every value) come back. */
  const est = (await admin.get('/api/v1/establishments?per_page=1')).body.items[0];
  const FILE = Buffer.concat([Buffer.from('%PDF-1.4\n'), Buffer.from(Array.from({ length: 300 }, (_, i) => i % 256))]);
  const att = await admin.post(`/api/v1/establishments/${est.id}/attachments`, {
    body: FILE, headers: { 'Content-Type': 'application/pdf' },
  });
  assert.equal(att.status, 201, att.text);
  /* A product's photo and a proposal's file: binary too (migration 0034). */
  const product = (await admin.get('/api/v1/products?per_page=1')).body.items[0];
  const photo = await admin.post(`/api/v1/products/${product.id}/photos`, {
    body: PHOTO, headers: { 'Content-Type': 'image/png' },
  });
  assert.equal(photo.status, 201, photo.text);
  const proposal = (await admin.get('/api/v1/proposals?per_page=1')).body.items[0];
  const sent = await admin.post(`/proposals/${proposal.id}/files`, {
    body: FILE, headers: { 'Content-Type': 'application/pdf' },
  });
  assert.equal(sent.status, 303, sent.text);

  /* Two writers, from before the backup starts until after it is done. */
  let stop = false;
  const errors = [];
  async function writer(w) {
    for (let i = 0; !stop; i++) {
      const r = i % 3 === 2
        ? await admin.post('/api/v1/figures', {
          json: {
            indicator, subject: `Số liệu ghi thử ${w}-${i}`, unit_era: 'new',
            unit_id: province.id, period_from: 2024, period_to: 2024, value: 'khoảng 4.100',
            measure: 'người', source_title: 'Kiểm thử sao lưu',
          },
        })
        : await admin.post('/api/v1/establishments', {
          json: { name: `Cơ sở ghi thử ${w}-${i}`, kind: 'household', commune_id: commune.id },
        });
      if (r.status === 201) written++;
      else errors.push(`${r.status} ${r.text}`);
      for (const w of waiting.splice(0)) w();
    }
  }
  /* Resolves once n writes were acknowledged (or one failed): an event,
   * not a clock. */
  const waiting = [];
  const reached = (n) => new Promise((resolve) => {
    const check = () => (written >= n || errors.length ? resolve() : waiting.push(check));
    check();
  });
  const writers = [writer(1), writer(2)];
  await reached(written + 5); /* writes are going on when the backup starts */
  const bk = await run(['backup', '--db', env.db, '--out', backup], { timeout: 120000 });
  const during = written;
  await reached(during + 5); /* and go on after it */
  stop = true;
  await Promise.all(writers);
  assert.equal(bk.code, 0, bk.stderr);
  assert.match(bk.stdout, /backup written/);
  assert.deepEqual(errors, []);
  assert.ok(during > 0 && written > during, `writes went on during the backup (${during}, ${written})`);

  /* The backup is a consistent snapshot taken in the middle of the writes:
   * every record in it has its audit row (written in the same transaction). */
  const inBackup = count(backup, 'establishments');
  assert.ok(inBackup >= before && inBackup <= count(env.db, 'establishments'));
  assert.equal(sqlite(backup, "SELECT COUNT(*) FROM establishments e WHERE NOT EXISTS " +
    "(SELECT 1 FROM audit a WHERE a.entity = 'establishments' AND a.action = 'create' " +
    'AND a.entity_id = CAST(e.id AS TEXT))').trim(), '0');

  const res = await run(['restore', '--from', backup, '--db', restored]);
  assert.equal(res.code, 0, res.stderr);
  assert.match(res.stdout, new RegExp(`restored .* \\(schema version ${latest}, \\d+ tables\\)`));
  const check = await run(['check', '--db', restored]);
  assert.equal(check.code, 0, check.stdout + check.stderr);
  assert.match(check.stdout, /is healthy/);

  const names = tables(backup);
  assert.deepEqual(tables(restored), names);
  assert.ok(names.includes('establishments') && names.includes('audit'));
  for (const t of names) {
    assert.equal(count(restored, t), count(backup, t), `rows of ${t}`);
    assert.equal(sha(sqlite(restored, `.dump "${t}"`)), sha(sqlite(backup, `.dump "${t}"`)),
      `contents of ${t}`);
  }
  assert.equal(sqlite(restored, '.dump'), sqlite(backup, '.dump'), 'the whole database');
  assert.equal(sqlite(restored, `SELECT hex(data) FROM attachments WHERE id = ${att.body.id}`).trim(),
    FILE.toString('hex').toUpperCase(), 'an attached file, byte for byte');
  assert.equal(sqlite(restored, `SELECT typeof(data), hex(data) FROM product_photos WHERE id = ${photo.body.id}`).trim(),
    `blob|${PHOTO.toString('hex').toUpperCase()}`, 'a product photo, byte for byte');
  assert.equal(sqlite(restored, 'SELECT typeof(data), hex(data) FROM proposal_files ORDER BY id DESC LIMIT 1').trim(),
    `blob|${FILE.toString('hex').toUpperCase()}`, "a proposal's file, byte for byte");
  /* No temporary file is left beside it. */
  const left = (await readdir(env.dir)).filter((f) => f.includes('.restore-'));
  assert.deepEqual(left, []);
});

test('the accounts page and the API show when the last backup was taken', async () => {
  const status = await admin.get('/api/v1/backup/status');
  assert.equal(status.status, 200);
  assert.match(status.body.last_backup, /^\d{4}-\d\d-\d\dT\d\d:\d\d:\d\dZ$/);
  const cookie = await login(env.base, 'admin', env.adminPassword);
  const page = await cookie.get('/admin/users');
  assert.ok(page.text.includes(`Lần sao lưu gần nhất: ${status.body.last_backup}`), page.text);
});

test('restore refuses a backup cut in half, and writes nothing', async () => {
  const cut = file('cut.db');
  await copyFile(backup, cut);
  const { size } = await stat(cut);
  await truncate(cut, Math.floor(size / 2));
  const r = await run(['restore', '--from', cut, '--db', file('from-cut.db')]);
  assert.notEqual(r.code, 0);
  assert.match(r.stderr, /restore refused: .*cut\.db is incomplete.*cut short/);
  await assert.rejects(stat(file('from-cut.db')));
  /* A cut that ends on a page boundary is caught by the page count. */
  await copyFile(backup, cut);
  await truncate(cut, 4096 * 3);
  const r2 = await run(['restore', '--from', cut, '--db', file('from-cut.db')]);
  assert.notEqual(r2.code, 0);
  assert.match(r2.stderr, /incomplete/);
  /* And files that are not databases at all. */
  const r3 = await run(['restore', '--from', fileURLToPath(import.meta.url), '--db', file('x.db')]);
  assert.notEqual(r3.code, 0);
  assert.match(r3.stderr, /not an SQLite database/);
  const r4 = await run(['restore', '--from', file('nothing.db'), '--db', file('x.db')]);
  assert.notEqual(r4.code, 0);
  assert.match(r4.stderr, /cannot read/);
  await assert.rejects(stat(file('x.db')));
});

test('restore refuses a database of a newer schema version', async () => {
  const newer = file('newer.db');
  await copyFile(backup, newer);
  sqlite(newer, `INSERT INTO schema_version(version, name, applied_at) VALUES (${latest + 1}, ` +
    "'9999_future.sql', '2099-01-01T00:00:00Z')");
  const r = await run(['restore', '--from', newer, '--db', file('from-newer.db')]);
  assert.notEqual(r.code, 0);
  assert.match(r.stderr, new RegExp(`schema version ${latest + 1} but this khuyencong knows only up to ${latest}`));
  await assert.rejects(stat(file('from-newer.db')));
  const v = await run(['restore', '--verify-only', '--from', newer]);
  assert.notEqual(v.code, 0);
});

test('restore refuses a file that is not a khuyencong database or lacks a table', async () => {
  const plain = file('plain.db');
  sqlite(plain, 'CREATE TABLE t(x); INSERT INTO t VALUES (1);');
  const r = await run(['restore', '--from', plain, '--db', file('from-plain.db')]);
  assert.notEqual(r.code, 0);
  assert.match(r.stderr, /not a khuyencong database/);
  const lacking = file('lacking.db');
  await copyFile(backup, lacking);
  sqlite(lacking, 'PRAGMA foreign_keys = OFF; DROP TABLE settings;');
  const r2 = await run(['restore', '--from', lacking, '--db', file('from-lacking.db')]);
  assert.notEqual(r2.code, 0);
  assert.match(r2.stderr, /table settings \(of migration 0001_foundation\.sql\) is missing/);
  await assert.rejects(stat(file('from-lacking.db')));
});

test('restore does not overwrite a database without --force; with it, keeps the old one', async () => {
  const before = await readFile(restored);
  const r = await run(['restore', '--from', backup, '--db', restored]);
  assert.notEqual(r.code, 0);
  assert.match(r.stderr, /exists: add --force/);
  assert.ok(before.equals(await readFile(restored)), 'unchanged');

  sqlite(restored, "INSERT INTO settings(key, value) VALUES ('marker', 'old')");
  const old = await readFile(restored);
  const f = await run(['restore', '--force', '--from', backup, '--db', restored]);
  assert.equal(f.code, 0, f.stderr);
  assert.match(f.stdout, /kept as .*restored\.db\.before-restore/);
  assert.ok(old.equals(await readFile(`${restored}.before-restore`)), 'the old file is kept');
  assert.equal(sqlite(restored, "SELECT COUNT(*) FROM settings WHERE key = 'marker'").trim(), '0');
  assert.equal(sqlite(restored, '.dump'), sqlite(backup, '.dump'));

  /* A second forced restore would lose the kept file: refused. */
  const again = await run(['restore', '--force', '--from', backup, '--db', restored]);
  assert.notEqual(again.code, 0);
  assert.match(again.stderr, /before-restore exists/);
});

test('restore refuses to replace the database of a running server', async () => {
  const r = await run(['restore', '--force', '--from', backup, '--db', env.db]);
  assert.notEqual(r.code, 0);
  assert.match(r.stderr, /in use.*stop the server/);
  await assert.rejects(stat(`${env.db}.before-restore`));
  assert.equal((await admin.get('/api/v1/establishments?per_page=1')).status, 200);
});

/* The SQL of a database at the migrations below `below` (numbers may have gaps), made from the
 * migration files themselves: SQLite runs NNNN_what.sql, then NNNN_what.sqlite.sql (which
 * adds); a version with files for PostgreSQL only is recorded all the same. */
async function olderSql(below) {
  const dir = fileURLToPath(new URL('../../src/store/migrations/', import.meta.url));
  const all = (await readdir(dir)).filter((f) => /^\d{4}_[^.]+(\.[a-z]+)?\.sql$/.test(f)).sort();
  const files = all.filter((f) => /^[^.]+(\.sqlite)?\.sql$/.test(f));
  let sql = 'CREATE TABLE schema_version (version INTEGER PRIMARY KEY, name TEXT NOT NULL, ' +
    'applied_at TEXT NOT NULL);\n';
  for (const f of files) {
    const n = Number(f.slice(0, 4));
    if (n >= below) continue;
    sql += (await readFile(path.join(dir, f), 'utf8'))
      .replaceAll('{{ID}}', 'INTEGER PRIMARY KEY')
      .replaceAll('{{BLOB}}', 'BLOB');
    sql += ';\n';
  }
  const versions = new Set(all.map((f) => Number(f.slice(0, 4))));
  for (const n of versions) {
    if (n < below) sql += `INSERT INTO schema_version VALUES (${n}, '${n}', '2025-01-01T00:00:00Z');\n`;
  }
  return { sql, previous: Math.max(...[...versions].filter((n) => n < below)) };
}

test('an older backup is brought up to the current schema', async () => {
  /* A database at the migration before the latest. */
  const { sql, previous } = await olderSql(latest);
  const older = file('older.db');
  execFileSync('sqlite3', ['-batch', older], { input: sql });
  const v = await run(['restore', '--verify-only', '--from', older]);
  assert.equal(v.code, 0, v.stderr);
  assert.match(v.stdout, new RegExp(`complete backup \\(schema version ${previous} of ${latest}\\)`));
  const up = file('upgraded.db');
  const r = await run(['restore', '--from', older, '--db', up]);
  assert.equal(r.code, 0, r.stderr);
  assert.match(r.stdout, new RegExp(`schema version ${previous}, upgraded to ${latest}`));
  const check = await run(['check', '--db', up]);
  assert.equal(check.code, 0, check.stdout + check.stderr);
  assert.match(check.stdout, new RegExp(`schema version ${latest} of ${latest}`));
});

/* A database restored from an old backup or edited by SQL around the
 * triggers: `check` names each pre-aggregate key that differs from its
 * records and exits 1; `rebuild --preaggregates` recomputes them (audited). */
test('check finds pre-aggregates that differ from the records; rebuild puts them right', async () => {
  const db = file('drift.db');
  await copyFile(backup, db);
  sqlite(db, "INSERT INTO stat_sums_training_classes VALUES ('01', NULL, NULL, NULL, 'drift'," +
    ' 2020, 0, 0, 0, 0, 1, 5, 2)');
  const bad = await run(['check', '--db', db]);
  assert.equal(bad.code, 1, bad.stdout + bad.stderr);
  assert.ok(bad.stdout.includes('stat_sums_training_classes (province_code=01, ' +
    'old_province_code=NULL, old_split=NULL, project_id=NULL, kind=drift, year=2020, ' +
    'illustrative=0, trainees_null=0, employed_null=0, big=0): stored n=1 trainees=5 ' +
    'employed=2; records none\n'), bad.stdout);
  assert.match(bad.stderr, /1 pre-aggregate keys differ from their records: run `khuyencong rebuild --preaggregates`/);
  const what = await run(['rebuild', '--db', db]);
  assert.equal(what.code, 1);
  assert.match(what.stderr, /--preaggregates/);
  const rb = await run(['rebuild', '--preaggregates', '--db', db]);
  assert.equal(rb.code, 0, rb.stderr);
  assert.match(rb.stdout, /stat_sums_training_classes: \d+ rows, 1 keys differed from the records; now \d+ rows/);
  const ok = await run(['check', '--db', db]);
  assert.equal(ok.code, 0, ok.stdout + ok.stderr);
  assert.match(ok.stdout, /is healthy/);
  assert.equal(sqlite(db, "SELECT COUNT(*) FROM audit WHERE entity = 'preaggregates'" +
    " AND action = 'rebuild' AND username = 'cli'").trim(), '1');
});

test('a backup from before 0034 has its base64 photos and files turned into their bytes', async () => {
  /* A photo and a proposal's file as release 0033 kept them: base64 text. */
  let { sql } = await olderSql(34);
  sql += "INSERT INTO products(id, created_at, updated_at) VALUES (1, 't', 't');\n" +
    "INSERT INTO proposals(id, created_at, updated_at) VALUES (1, 't', 't');\n" +
    'INSERT INTO product_photos(id, product_id, created_at, created_by, content_type, bytes,' +
    ` sha256, data) VALUES (1, 1, 't', 'a', 'image/png', ${PHOTO.length}, 'x',` +
    ` '${PHOTO.toString('base64')}');\n` +
    'INSERT INTO proposal_files(id, proposal_id, created_at, username, side, name, content_type,' +
    ` bytes, sha256, data) VALUES (1, 1, 't', 'a', 'department', 'a.png', 'image/png',` +
    ` ${PHOTO.length - 1}, 'x', '${PHOTO.subarray(1).toString('base64')}');\n`;
  const older = file('before-0034.db');
  execFileSync('sqlite3', ['-batch', older], { input: sql });
  const up = file('after-0034.db');
  const r = await run(['restore', '--from', older, '--db', up]);
  assert.equal(r.code, 0, r.stderr);
  assert.match(r.stdout, new RegExp(`upgraded to ${latest}`));
  assert.equal(sqlite(up, 'SELECT typeof(data), hex(data) FROM product_photos').trim(),
    `blob|${PHOTO.toString('hex').toUpperCase()}`, 'the base64 photo became its bytes');
  assert.equal(sqlite(up, 'SELECT typeof(data), hex(data) FROM proposal_files').trim(),
    `blob|${PHOTO.subarray(1).toString('hex').toUpperCase()}`, "the proposal's file too");
});

test('restore explains what it needs', async () => {
  const r = await run(['restore', '--db', file('y.db')]);
  assert.notEqual(r.code, 0);
  assert.match(r.stderr, /--from FILE is required/);
  const h = await run(['restore', '--help']);
  assert.equal(h.code, 0);
  assert.match(h.stdout, /--force/);
});

/* Copying in slices restarted after every write by another connection, so a
 * large database under steady writes was never backed up (200 MB, a write
 * every 5 ms: still copying after 35 s). One step reads one WAL snapshot
 * without blocking writers (1 s). */
test('a large database is backed up while writes go on', async () => {
  sqlite(env.db, 'CREATE TABLE filler(x BLOB); WITH RECURSIVE c(i) AS (SELECT 1 UNION ALL ' +
    'SELECT i + 1 FROM c WHERE i < 30000) INSERT INTO filler SELECT randomblob(4000) FROM c;');
  const commune = (await admin.get('/api/v1/units?level=commune&era=new&per_page=1')).body.items[0];
  let stop = false;
  let n = 0;
  const writer = (async () => {
    while (!stop) {
      const r = await admin.post('/api/v1/establishments', {
        json: { name: `Cơ sở tải nặng ${n}`, kind: 'household', commune_id: commune.id },
      });
      if (r.status === 201) n++;
      await sleep(5);
    }
  })();
  try {
    const bk = await run(['backup', '--db', env.db, '--out', file('large.db')], { timeout: 20000 });
    assert.equal(bk.code, 0, bk.stderr);
  } finally {
    stop = true;
    await writer;
  }
  assert.ok(n > 0);
});
