// load.mjs - a small, bounded load test of N servers on one database, for
// docs/deploy.md (not part of `make test`). Loopback only; stops by itself.
//
//   KC_BIN=build/rel/khuyencong KC_TEST_PG=$(scripts/pg-test url) \
//     node tests/pg/load.mjs [servers=2] [clients=16] [seconds=10] [threads=4]
//
// Each client logs in once (bearer token, before the clock starts) and loops
// over a mix of reads
// (a record list with a search, one record, a statistic) and one write in ten
// (PATCH of a record of its own). Prints requests/s and latency percentiles.
import { login, makeDb, startServer } from '../http/lib.mjs';

const [servers = 2, clients = 16, seconds = 10, threads = 4] = process.argv.slice(2).map(Number);
const env = await makeDb('load');
const srv = [];
for (let i = 0; i < servers; i++)
  srv.push(await startServer(env.db, { args: ['--quiet', '--threads', String(threads)] }));

const lat = [];
let errors = 0;
/* Logins (argon2id, deliberately slow) happen before the clock starts. */
const ready = [];
for (let k = 0; k < clients; k++) {
  const c = await login(srv[k % servers].base, 'admin', env.adminPassword, 'bearer');
  const own = await c.post('/api/v1/consultants', { json: { name: `Tải ${k}` } });
  ready.push({ c, etag: own.headers.get('etag'), url: `/api/v1/consultants/${own.body.id}` });
}
let until = 0;
async function client(k) {
  const { c, url } = ready[k];
  let { etag } = ready[k];
  for (let i = 0; Date.now() < until; i++) {
    c.base = srv[i % servers].base; /* every request may land on any server */
    const t0 = performance.now();
    let r;
    switch (i % 10) {
      case 0:
        r = await c.patch(url, { json: { name: `Tải ${k}.${i}` }, headers: { 'If-Match': etag } });
        if (r.status === 200) etag = r.headers.get('etag');
        break;
      case 1:
      case 2:
        r = await c.get('/api/v1/stats?indicator=training.craft_transfer.trainees&from=2016&to=2025&by=province');
        break;
      case 3:
        r = await c.get(url);
        break;
      default:
        r = await c.get('/api/v1/projects?q=dao+tao&per_page=20');
    }
    lat.push(performance.now() - t0);
    if (r.status >= 300) errors++;
  }
}
const t0 = Date.now();
until = t0 + seconds * 1000;
await Promise.all(Array.from({ length: clients }, (_, k) => client(k)));
const secs = (Date.now() - t0) / 1000;
lat.sort((a, b) => a - b);
const p = (q) => lat[Math.min(lat.length - 1, Math.floor(q * lat.length))].toFixed(1);
console.log(
  `${servers} server(s) x ${threads} threads, ${clients} clients, ${secs.toFixed(1)} s: ` +
    `${lat.length} requests, ${(lat.length / secs).toFixed(0)} req/s, ` +
    `p50 ${p(0.5)} ms, p95 ${p(0.95)} ms, p99 ${p(0.99)} ms, ${errors} non-2xx`,
);
for (const s of srv) await s.stop();
await env.drop();
