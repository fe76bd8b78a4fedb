// run.test.mjs - the corpus of real reports (tests/corpus/README.md). Each
// directory is one published report: it is imported into a fresh database
// through the import templates only, and every figure of its expected.json is
// read back through /api/v1/stats and `khuyencong report --format json`
// (table value, qualifier and narrative), under today's units and under the
// units of the time. One subtest per figure and place says what passed and
// why not. KC_CORPUS=NAME[,NAME] runs only those reports.
//
// Cost: `init` (migrations and the unit tables) and the admin's login (an
// argon2 hash) run once, into a template database; each report gets a copy of
// it (SQLite: the files; PostgreSQL: CREATE DATABASE … TEMPLATE) with the
// session already in it, so every report still starts from the same fresh,
// empty database. Reports run KC_CORPUS_JOBS at a time (default: the number of
// CPUs, at least 2 and at most 4); the figures of one report run in order.
import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import { cp, rm } from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';
import { after, before, test } from 'node:test';
import { fileURLToPath } from 'node:url';

import { Client, login, run, scratchDir, startServer } from '../http/lib.mjs';
import { PG, createDb, dbUrl, psql } from '../pg/pglib.mjs';
import { compareTotal, importFiles, inReport, reports, statsQuery } from './check.mjs';

const HERE = path.dirname(fileURLToPath(import.meta.url));
const ONLY = (process.env.KC_CORPUS || '').split(',').filter(Boolean);
/* Reports that do not pass yet, each with the defect it shows (KNOWN_FAILING):
 * left out unless asked for by name or with KC_CORPUS=all. */
const FAILING = new Map(readFileSync(path.join(HERE, 'KNOWN_FAILING'), 'utf8').split('\n')
  .filter((l) => l && !l.startsWith('#')).map((l) => [l.split(/\s+/)[0], l.replace(/^\S+\s+/, '')]));
const NAMES = reports(HERE).filter((n) =>
  ONLY.includes('all') || (ONLY.length ? ONLY.includes(n) : !FAILING.has(n)));
const LONG = { timeout: 120000 };
const JOBS = Number(process.env.KC_CORPUS_JOBS) || Math.min(4, Math.max(2, os.availableParallelism()));

/* The template: an initialised empty database (no demo data) and a bearer
 * token of its admin, made once before the reports. */
const tpl = {};
before(async () => {
  tpl.dir = await scratchDir('corpus-template');
  tpl.db = path.join(tpl.dir, 'kc.db');
  if (PG) ({ name: tpl.name, url: tpl.db, drop: tpl.drop } = await createDb('corpus_tpl'));
  const r = await run(['init', '--db', tpl.db, '--no-demo'], LONG);
  assert.equal(r.code, 0, `init: ${r.stderr}`);
  const password = /password: (\S+)/.exec(r.stdout)[1];
  const srv = await startServer(tpl.db);
  try {
    const api = await login(srv.base, 'admin', password, 'bearer');
    tpl.token = api.bearer;
    tpl.catalogue = (await api.get('/api/v1/indicators')).body.items;
  } finally {
    await srv.stop();
  }
});
after(async () => {
  if (process.env.KC_KEEP_TMP) return;
  if (tpl.dir) await rm(tpl.dir, { recursive: true, force: true });
  if (tpl.drop) await tpl.drop();
});

/* PostgreSQL copies one template at a time (CREATE DATABASE refuses a
 * template that another CREATE DATABASE is reading). */
let pgQueue = Promise.resolve();

/* A fresh copy of the template: SQLite files or a PostgreSQL database. */
async function freshDb(name) {
  const dir = await scratchDir(`corpus-${name}`);
  let db = path.join(dir, 'kc.db');
  let drop = async () => {};
  if (PG) {
    const copy = `corpus_${name.replace(/[^a-z0-9]/gi, '_').toLowerCase()}_${process.pid}`;
    const made = pgQueue.then(() => psql(`CREATE DATABASE ${copy} TEMPLATE ${tpl.name}`));
    pgQueue = made.catch(() => {});
    await made;
    db = dbUrl(copy);
    drop = () => psql(`DROP DATABASE IF EXISTS ${copy} WITH (FORCE)`);
  } else {
    await cp(tpl.dir, dir, { recursive: true });
  }
  return { dir, db, drop };
}

/* The report JSON of one place and period (cached per report). */
async function reportJson(env, cache, place, from, to) {
  const args = ['report', '--db', env.db, '--from', String(from), '--to', String(to), '--format', 'json'];
  if (place.national) args.push('--national');
  else if (place.province) args.push('--province', place.province);
  else args.push('--old-province', place.old_province, '--units', 'historical');
  const key = args.join(' ');
  if (!cache.has(key)) {
    const out = path.join(env.dir, `report-${cache.size}.json`);
    const r = await run([...args, '--out', out], LONG);
    cache.set(key, r.code === 0 ? JSON.parse(readFileSync(out, 'utf8')) : { error: r.stderr.trim() });
  }
  return cache.get(key);
}

for (const [name, why] of FAILING)
  if (!NAMES.includes(name)) test(`corpus ${name}: known to fail (${why})`, { skip: 'KC_CORPUS=all runs it' }, () => {});

test('corpus reports', { concurrency: JOBS, timeout: 1200000 }, async (top) => {
  await Promise.all(NAMES.map((name) => checkReport(top, name)));
});

/* Imports one report into a copy of the template and checks its figures. */
function checkReport(top, name) {
  const dir = path.join(HERE, name);
  const expected = JSON.parse(readFileSync(path.join(dir, 'expected.json'), 'utf8'));

  return top.test(`corpus ${name}: ${expected.title}`, { timeout: 600000 }, async (t) => {
    const env = await freshDb(name);
    let srv;
    try {
      const imported = [];
      for (const { file, kind } of importFiles(dir)) {
        const r = await run(['import', '--db', env.db, '--kind', kind, file], LONG);
        imported.push(r.code === 0 ? null : `${path.basename(file)}: exit ${r.code}: ${(r.stdout + r.stderr).trim()}`);
      }
      const importProblems = imported.filter(Boolean);
      await t.test('import files are accepted as they are', () => {
        assert.deepEqual(importProblems, []);
      });
      srv = await startServer(env.db);
      const api = new Client(srv.base);
      api.bearer = tpl.token;
      const catalogue = tpl.catalogue;
      const cache = new Map();
      let failed = 0;
      for (const f of expected.figures) {
        const ind = catalogue.find((i) => i.code === f.indicator);
        for (const [era, place] of Object.entries(f.places)) {
          const label = `${f.indicator} ${JSON.stringify(f.breakdown || {})} ${f.period.from}–${f.period.to} [${era} ${Object.values(place).join('')}] = ${f.qualifier} ${f.value}`;
          let ok = false;
          let reasons = [];
          await t.test(label, async () => {
            const why = [];
            if (!ind) why.push(`indicator ${f.indicator} is not in the catalogue`);
            const r = await api.get(`/api/v1/stats?${statsQuery(f, place)}`);
            if (r.status !== 200) why.push(`stats: ${r.status} ${r.text.slice(0, 200)}`);
            else {
              const w = compareTotal(r.body.total, f);
              if (w) why.push(`stats: ${w}`);
            }
            const doc = await reportJson(env, cache, place, f.period.from, f.period.to);
            if (doc.error) why.push(`report: ${doc.error}`);
            else {
              const w = inReport(doc, f, [f.row, ind?.name]);
              if (w) why.push(`report: ${w}`);
            }
            if (importProblems.length) why.push('(the import failed, see above)');
            reasons = why;
            assert.deepEqual(why, [], `${label} — ${f.quote}`);
            ok = true;
          });
          if (!ok) {
            failed++;
            t.diagnostic(`FAIL ${label}: ${reasons.join(' | ')}`);
          }
        }
      }
      t.diagnostic(`${name}: ${expected.figures.length} figures, ${failed} checks failed`);
      assert.equal(failed, 0, `${failed} checks failed`);
    } finally {
      if (srv) await srv.stop();
      if (!process.env.KC_KEEP_TMP) {
        await rm(env.dir, { recursive: true, force: true });
        await env.drop();
      }
    }
  });
}

/* The corpus is not the seeds again: no quoted sentence of a source.md is a
 * quotation of the demo data (which holds the seed articles' figures). */
test('no report of the corpus quotes the seed articles', () => {
  const demo = readFileSync(path.join(HERE, '../../data/demo/demo.json'), 'utf8');
  for (const name of reports(HERE)) {
    const md = readFileSync(path.join(HERE, name, 'source.md'), 'utf8');
    for (const line of md.split('\n').filter((l) => l.startsWith('> ')))
      for (const s of line.slice(2).split(/(?<=[.;])\s+/).filter((x) => x.length > 40))
        assert.ok(!demo.includes(s), `${name} quotes a seed: ${s}`);
  }
});

/* Issue 16's target: a to-do while the corpus is short of it (tests/corpus/README.md
 * says why), a failing check as soon as it is reached and then lost. */
const ALL = reports(HERE).map((n) => JSON.parse(readFileSync(path.join(HERE, n, 'expected.json'), 'utf8')));
const FIGURES = ALL.reduce((n, e) => n + e.figures.length, 0);
test('the corpus has at least 15 reports and 200 figures',
  { todo: FIGURES < 200 ? `the corpus has ${FIGURES} figures` : false }, () => {
  const all = ALL;
  const figures = FIGURES;
  assert.ok(all.length >= 15, `${all.length} reports`);
  assert.ok(figures >= 200, `${figures} figures`);
});
