// labels.test.mjs - label sheets are bounded work (issue 11, defect 11): at
// most 200 labels a request, printed only by the lot's maker, its province or
// an administrator, one render at a time per account (429) and at most two
// at once in a server (503), each on a thread of its own, never a request
// thread, so that /healthz and pages stay fast while renders run. Renders
// are held at a test gate (a FIFO the server opens, see KC_TEST_LABELS_GATE
// in src/web/page_products.c) to watch the server then.
import assert from 'node:assert/strict';
import { execFileSync } from 'node:child_process';
import { constants } from 'node:fs';
import { open, rm } from 'node:fs/promises';
import path from 'node:path';
import { after, before, test } from 'node:test';

import { PG, psql } from '../pg/pglib.mjs';
import { Client, connect, login, readResponse, run, scratchDir, setup, startServer } from './lib.mjs';

const gateDir = await scratchDir('labels-gate');
const GATE = path.join(gateDir, 'gate');
execFileSync('mkfifo', [GATE]);
after(() => rm(gateDir, { recursive: true, force: true }));

const PW = 'labels-pass-0101';
/* The server's renders wait at the gate (see the header). */
process.env.KC_TEST_LABELS_GATE = GATE;
const env = await setup(after, {
  prefix: 'labels',
  users: [
    { name: 'hungyen', role: 'province', province: '33', password: PW },
    { name: 'hungyen2', role: 'province', province: '33', password: PW },
    { name: 'hanoi', role: 'province', province: '01', password: PW },
    { name: 'bocongthuong', role: 'ministry', password: PW },
    { name: 'xem', role: 'viewer', password: PW },
  ],
});
delete process.env.KC_TEST_LABELS_GATE;
let admin;
let lot; /* a demo lot of Hưng Yên (33) */
const users = {}; /* name -> bearer client */

function status(res, want, what = '') {
  assert.equal(res.status, want, `${what} ${res.status} ${res.text.slice(0, 300)}`);
}

const labels = (client, query = 'size=30&count=3') => client.get(`/lots/${lot.id}/labels.pdf?${query}`);

before(async () => {
  admin = await login(env.base, 'admin', env.adminPassword, 'bearer');
  lot = (await admin.get('/api/v1/lots?province=33&per_page=1')).body.items[0];
  assert.ok(lot, 'a demo lot in Hưng Yên');
  const product = (await admin.get(`/api/v1/products/${lot.product_id}`)).body;
  const u = await run(['user', 'add', 'coso', '--role', 'establishment', '--establishment',
    String(product.establishment_id), '--db', env.db], { input: `${PW}\n` });
  assert.equal(u.code, 0, u.stderr);
  for (const name of ['hungyen', 'hungyen2', 'hanoi', 'bocongthuong', 'xem', 'coso'])
    users[name] = await login(env.base, name, PW, 'bearer');
  users.admin = admin;
});

/* Opens the gate for writing: every render held there, and every render
 * that reaches it while it is open, goes on. The open itself waits for the
 * first render to reach the gate. Resolves a closer. */
async function openGate() {
  const fh = await open(GATE, 'w');
  return () => fh.close();
}

/* Closes a gate opened with openGate(), even when no render reached it
 * (a reader of our own lets the open finish). */
async function shut(gate) {
  const reader = await open(GATE, constants.O_RDONLY | constants.O_NONBLOCK);
  await (await gate)();
  await reader.close();
}

/* Waits (on the server's stderr output, no sleeping) until n renders in all
 * have reached the gate. */
function heldRenders(n, timeout = 60000, server = env.server) {
  const count = () => server.stderr.split('\n')
    .filter((l) => l.includes('render held at the test gate')).length;
  return new Promise((resolve, reject) => {
    const timer = setTimeout(() => {
      server.proc.stderr.off('data', check);
      reject(new Error(`${count()} of ${n} renders held; stderr:\n${server.stderr}`));
    }, timeout);
    function check() {
      if (count() < n) return;
      clearTimeout(timer);
      server.proc.stderr.off('data', check);
      resolve();
    }
    server.proc.stderr.on('data', check);
    check();
  });
}

test('only the maker, its province and administrators print; others get 403', async () => {
  const gate = openGate(); /* renders here are not held */
  try {
    for (const name of ['admin', 'hungyen', 'coso']) {
      const r = await fetch(`${env.base}/lots/${lot.id}/labels.pdf?size=30&count=3`,
        { headers: { Authorization: `Bearer ${users[name].bearer}` } });
      assert.equal(r.status, 200, name);
      assert.equal(Buffer.from(await r.arrayBuffer()).subarray(0, 4).toString(), '%PDF');
    }
    for (const name of ['hanoi', 'bocongthuong', 'xem']) {
      const r = await labels(users[name]);
      assert.ok([403, 404].includes(r.status), `${name}: ${r.status} ${r.text.slice(0, 200)}`);
    }
    status(await labels(new Client(env.base)), 303, 'anonymous: to the login page');
  } finally {
    await shut(gate);
  }
});

test('the count is bounded: 200 labels at most, a 400 naming count above', async () => {
  for (const count of ['201', '1000', '0', 'x']) {
    const r = await labels(admin, `size=30&count=${count}`);
    status(r, 400, count);
    assert.match(r.text, /count/);
  }
  // The code's side too, declared once with count (params.c).
  for (const size of ['14', '91', 'x']) {
    const r = await admin.get(`/lots/${lot.id}/labels.pdf?size=${size}&count=3`,
      { headers: { Accept: 'application/json' } });
    status(r, 400, size);
    assert.equal(r.body.error.field, 'size');
  }
});

/* GET over a new connection, as a load balancer's health check does. */
async function fresh(urlPath, bearer, port = env.server.port) {
  const sock = await connect(port);
  try {
    const auth = bearer ? `Authorization: Bearer ${bearer}\r\n` : '';
    sock.write(`GET ${urlPath} HTTP/1.1\r\nHost: 127.0.0.1\r\n${auth}Connection: close\r\n\r\n`);
    const r = await readResponse(sock, 20000);
    return { ...r, text: r.body };
  } finally {
    sock.destroy();
  }
}

test('while renders run /healthz answers; a second render of one account is 429, a third at once 503', async () => {
  const before = env.server.stderr.split('\n').filter((l) => l.includes('render held')).length;
  const running = ['admin', 'hungyen'].map((n) => labels(users[n]));
  try {
    await heldRenders(before + 2); /* both renders are held at the gate */
    status(await fresh('/healthz'), 200, '/healthz while labels render');
    status(await fresh('/api/v1/session', users.hungyen2.bearer), 200, 'an API call while labels render');
    const path3 = `/lots/${lot.id}/labels.pdf?size=30&count=3`;
    const again = await fresh(path3, users.admin.bearer);
    status(again, 429, 'the same account again');
    assert.equal(again.headers['retry-after'], '5');
    assert.match(again.text, /đang tạo một tệp nhãn/);
    const third = await fresh(path3, users.coso.bearer);
    status(third, 503, 'a third render at once');
    assert.ok(third.headers['retry-after']);
  } finally {
    await shut(openGate());
  }
  for (const r of await Promise.all(running)) status(r, 200, 'a held render, released');
  /* The slots are free again. */
  const next = openGate();
  try {
    status(await labels(users.coso), 200, 'after the others finished');
  } finally {
    await shut(next);
  }
});

/* Renders run off the request threads: on a server of ONE request thread,
 * a sheet of 200 labels held at the gate leaves that thread free, so that
 * /healthz and an API call are answered meanwhile. (Rendered on the request
 * thread, as before, it would hold the only one and nothing would answer.) */
test('a label sheet being rendered occupies no request thread', async () => {
  process.env.KC_TEST_LABELS_GATE = GATE;
  const one = await startServer(env.db, { args: ['--threads', '1'] });
  delete process.env.KC_TEST_LABELS_GATE;
  try {
    const big = fetch(`${one.base}/lots/${lot.id}/labels.pdf?size=15&count=200`,
      { headers: { Authorization: `Bearer ${admin.bearer}` } });
    await heldRenders(1, 60000, one);
    status(await fresh('/healthz', null, one.port), 200, '/healthz while the sheet renders');
    status(await fresh('/api/v1/session', users.hungyen.bearer, one.port), 200,
      'an API call while the sheet renders');
    const again = await fresh(`/lots/${lot.id}/labels.pdf?size=30&count=3`, admin.bearer, one.port);
    status(again, 429, 'the limits hold: one render per account');
    const gate = openGate();
    try {
      const r = await big;
      assert.equal(r.status, 200);
      const pdf = Buffer.from(await r.arrayBuffer());
      assert.equal(pdf.subarray(0, 4).toString(), '%PDF');
      assert.equal(r.headers.get('content-type'), 'application/pdf');
      assert.match(r.headers.get('content-disposition'), /nhan-lo-/);
    } finally {
      await shut(gate);
    }
  } finally {
    await one.stop();
  }
});

/* Runs one statement on the test's database, SQLite or PostgreSQL. */
const sql = (statement) => (PG ? psql(statement, env.db) : execFileSync('sqlite3', [env.db, statement]));

/* Last: the lots table is away for a moment. A database failure is a 500
 * saying so, never a 404 "no such lot". */
test('a database failure behind a QR code or a label sheet is a 500 store_error, not not_found', async () => {
  await sql('ALTER TABLE lots RENAME TO lots_away');
  try {
    const json = { headers: { Accept: 'application/json' } };
    const qr = await fetch(`${env.base}/t/${lot.id}/qr.svg`, json);
    assert.equal(qr.status, 500);
    assert.equal((await qr.json()).error.code, 'store_error');
    const r = await fetch(`${env.base}/lots/${lot.id}/labels.pdf?size=30&count=3`,
      { headers: { Accept: 'application/json', Authorization: `Bearer ${admin.bearer}` } });
    assert.equal(r.status, 500);
    assert.equal((await r.json()).error.code, 'store_error');
  } finally {
    await sql('ALTER TABLE lots_away RENAME TO lots');
  }
  assert.equal((await fetch(`${env.base}/t/${lot.id}/qr.svg`)).status, 200);
});
