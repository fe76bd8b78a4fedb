// crash.test.mjs - kill -9 loses nothing that was acknowledged.
//
// Four clients write records of four types through the API (creates and
// If-Match changes) while the server is killed with SIGKILL at a moment drawn
// from a seeded generator: after the k-th request sent or answered, or, in
// every third round, while an import job runs (at a drawn fraction of its
// progress, or after it ended). After each kill `khuyencong check` passes on
// the database as the kill left it; the import wrote all its rows or none;
// the server starts again, every write that was answered 2xx is there with
// its content (a change whose answer never came: the old or the new
// content, nothing else), and the import job, acknowledged as queued, is
// resumed and ends done with all its rows exactly once.
//
// KC_CRASH_KILLS sets the number of kills (3 by default; `make fuzz` runs 20),
// KC_CRASH_SEED replays a run: every failure names the seed.
import assert from 'node:assert/strict';
import { execFile } from 'node:child_process';
import { randomInt } from 'node:crypto';
import { rm } from 'node:fs/promises';
import { after, test } from 'node:test';
import { promisify } from 'node:util';

import { PG, psql } from '../pg/pglib.mjs';
import { Ledger, checkLedger, prng, writer } from './crash-lib.mjs';
import { jobOf, waitJob } from './jobs-lib.mjs';
import { addUser, login, makeDb, run, startServer } from './lib.mjs';

const exec = promisify(execFile);
const KILLS = Number(process.env.KC_CRASH_KILLS || 3);
const SEED = process.env.KC_CRASH_SEED ? Number(process.env.KC_CRASH_SEED) : randomInt(2 ** 31);
const REPLAY = `KC_CRASH_SEED=${SEED} KC_CRASH_KILLS=${KILLS}`;
const WRITERS = 4;
const IMPORT_ROWS = 1500;
const PW = 'crash-pass-0101';

console.log(`crash test: ${KILLS} kills, seed ${SEED} (replay: ${REPLAY})`);

const env = await makeDb('crash');
after(async () => {
  if (process.env.KC_KEEP_TMP) return;
  await rm(env.dir, { recursive: true, force: true });
  await env.drop();
});
for (let w = 0; w < WRITERS; w++) await addUser(env.db, `hy${w}`, { role: 'province', province: '33', password: PW });

/* One statement on the database itself (the server may be dead). */
async function sql(q) {
  if (PG) return psql(q, env.db);
  return (await exec('sqlite3', [env.db, q])).stdout.trim();
}

const HEADER = 'Tên cơ sở,Loại hình,Xã/Phường,Số lao động';
function csv(prefix, n) {
  const lines = [HEADER];
  for (let i = 0; i < n; i++) lines.push(`${prefix}${i},Hộ kinh doanh,"Mễ Sở, Hưng Yên",${(i % 50) + 1}`);
  return '\uFEFF' + lines.join('\r\n') + '\r\n';
}

/* Uploads and commits an import of IMPORT_ROWS establishments named
 * prefix...; resolves the job's id once the server has answered 303. */
async function queueImport(client, prefix) {
  const form = new FormData();
  form.set('kind', 'establishments');
  form.set('encoding', 'auto');
  form.set('file', new Blob([csv(prefix, IMPORT_ROWS)], { type: 'text/csv' }), 'co-so.csv');
  const r = await client.post('/import', { body: form });
  assert.equal(r.status, 200, r.text.slice(0, 500));
  const token = /name="token" value="([A-Za-z0-9_-]{43})"/.exec(r.text)?.[1];
  assert.ok(token, 'the dry run page carries the upload token');
  return jobOf(await client.post('/import/commit', { body: new URLSearchParams({ token }) }));
}

/* Resolves once the job has read at least `fraction` of its file (past 1:
 * once it has ended). Polls: progress is only seen by asking. */
async function reached(client, id, fraction) {
  for (;;) {
    const r = await client.get(`/api/v1/jobs/${id}`);
    assert.equal(r.status, 200, r.text);
    const { status, progress } = r.body;
    if (['done', 'failed', 'cancelled'].includes(status)) return status;
    if (fraction < 1 && status === 'running' && progress.total && progress.done >= fraction * progress.total)
      return status;
    await new Promise((resolve) => setTimeout(resolve, 20));
  }
}

const imported = async (prefix) => Number(await sql(`SELECT COUNT(*) FROM establishments WHERE name LIKE '${prefix}%'`));

test(`kill -9 at ${KILLS} random moments loses no acknowledged write (seed ${SEED})`, { timeout: 30 * 60 * 1000 }, async (t) => {
  const ledger = new Ledger();
  let srv = await startServer(env.db);
  const admin = await login(srv.base, 'admin', env.adminPassword, 'bearer');
  const writers = [];
  for (let w = 0; w < WRITERS; w++) writers.push(await login(srv.base, `hy${w}`, PW, 'bearer'));
  const importer = await login(srv.base, 'hy0', PW); /* cookie and CSRF token, for the forms */
  const clients = [admin, importer, ...writers];
  const imports = [];
  try {
    for (let round = 0; round < KILLS; round++) {
      const rnd = prng(SEED + round);
      const why = `kill ${round + 1}/${KILLS}`;
      let stopped = false;
      const kill = () => {
        if (stopped) return;
        stopped = true;
        srv.proc.kill('SIGKILL');
      };
      const withImport = round % 3 === 1;
      let job;
      if (withImport) {
        const prefix = `Nhập sự cố R${round} `;
        job = { prefix, id: await queueImport(importer, prefix), fraction: rnd() * 1.25 };
        imports.push(job);
      }
      ledger.importing = imports.length > 0; /* from now on, or run again after a kill */
      /* The k-th request sent or answered triggers the kill, unless an import does. */
      const k = withImport ? Infinity : rnd.int(4, 80);
      let events = 0;
      const onEvent = () => ++events >= k && kill();
      const running = writers.map((c, w) => writer(c, ledger, prng(SEED * 31 + round * 7 + w), onEvent, () => stopped));
      if (withImport) {
        job.seen = await reached(importer, job.id, job.fraction);
        kill();
      }
      await Promise.all(running);
      const exit = await srv.exited;
      assert.equal(exit.signal, 'SIGKILL', `${why}: the server died by the kill, not before; stderr:\n${srv.stderr.slice(-3000)}`);
      t.diagnostic(`${why}: ${withImport ? `import at ${job.fraction.toFixed(2)} (${job.seen})` : `event ${k}`}; ${ledger.acked} writes acknowledged so far, ${ledger.unacked} not`);

      const chk = await run(['check', '--db', env.db], { timeout: 120000 });
      assert.equal(chk.code, 0, `${why}: khuyencong check: ${chk.stdout}${chk.stderr}`);
      if (job) {
        const n = await imported(job.prefix);
        assert.ok(n === 0 || n === IMPORT_ROWS, `${why}: the import wrote ${n} of ${IMPORT_ROWS} rows: all or none`);
        job.rowsAtKill = n;
        job.statusAtKill = await sql(`SELECT status FROM jobs WHERE id = ${job.id}`);
        if (job.statusAtKill === 'done') assert.equal(n, IMPORT_ROWS, `${why}: a job done has its rows`);
      }
      /* As if the 60 s had passed after which any server takes a silent
       * server's running job for dead and queues it again (docs/deploy.md). */
      await sql("UPDATE jobs SET heartbeat_at = heartbeat_at - 3600 WHERE status = 'running'");

      srv = await startServer(env.db);
      for (const c of clients) c.base = srv.base;
      await checkLedger(admin, ledger, why);
      if (job) {
        /* Resumed before the next kill: a job whose server dies three times
         * is failed on purpose (docs/deploy.md), so kills must not pile up on it. */
        const { job: end } = await waitJob(importer, job.id, { timeout: 120000 });
        assert.equal(end.status, 'done', `${why}: import job ${job.id}: ${JSON.stringify(end)}`);
        assert.equal(await imported(job.prefix), IMPORT_ROWS, `${why}: import job ${job.id} wrote its rows exactly once`);
      }
    }
    for (const job of imports) {
      const { job: end } = await waitJob(importer, job.id, { timeout: 120000 });
      assert.equal(end.status, 'done', `import job ${job.id}: ${JSON.stringify(end)}`);
      assert.equal(await imported(job.prefix), IMPORT_ROWS, `import job ${job.id} wrote its rows exactly once`);
    }
    const locked = ledger.refused.filter((r) => r.locked).length;
    assert.deepEqual(ledger.refused.filter((r) => !r.locked).map((r) => r.text), [], 'no write was refused');
    if (locked) t.diagnostic(`${locked} write(s) during an import found the database locked (500) after the busy timeout`);
    assert.ok(ledger.acked >= KILLS, `writes were acknowledged: ${ledger.acked}`);
    const stop = await srv.stop();
    assert.equal(stop.code, 0, srv.stderr.slice(-3000));
    const chk = await run(['check', '--db', env.db], { timeout: 120000 });
    assert.equal(chk.code, 0, `khuyencong check at the end: ${chk.stdout}${chk.stderr}`);
    t.diagnostic(`${ledger.acked} writes acknowledged, ${ledger.unacked} cut by a kill, ${ledger.records.size} records checked, ${imports.length} import(s)`);
  } catch (err) {
    err.message += `\n(crash test seed ${SEED}; replay with ${REPLAY})`;
    throw err;
  } finally {
    if (srv.exitCode === undefined && srv.exitSignal === undefined) await srv.stop();
  }
});
