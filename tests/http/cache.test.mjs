// cache.test.mjs - public pages can be kept by shared caches: Cache-Control public with a short
// max-age (KC_PUBLIC_MAX_AGE, 2 s here), Vary: Cookie, an ETag that changes when the lot, its
// steps or its product change, 304 on revalidation; never for a caller with a session, never for
// an error page. Then nginx with the sample configuration (deploy/nginx.conf): a trace page is
// served from its cache, revalidated with a 304 after max-age, and shows a change to its lot
// once max-age has passed.
import assert from 'node:assert/strict';
import { after, before, test } from 'node:test';

import { Client, login, setup, sleep } from './lib.mjs';
import { startNginx } from './nginx-lib.mjs';

process.env.KC_PUBLIC_MAX_AGE = '2';
const env = await setup(after, { prefix: 'cache' });
const anon = new Client(env.base);
const TRACE = '/01/02000000000015/10/HMC-2025-031'; // the demo lot of seed 000
let admin;
let product;
let lot;

before(async () => {
  admin = await login(env.base, 'admin', env.adminPassword, 'bearer');
  const p = await anon.get('/api/v1/public/products?q=tinh+bot+nghe');
  product = p.body.items[0];
  const lots = await admin.get(`/api/v1/lots?product_id=${product.id}`);
  lot = lots.body.items[0];
  assert.equal(lot.lot_code, 'HMC-2025-031');
});

async function etagOf(url) {
  const r = await anon.get(url);
  assert.equal(r.status, 200, `${url}: ${r.text.slice(0, 200)}`);
  assert.equal(r.headers.get('cache-control'), 'public, max-age=0, s-maxage=2', url);
  assert.equal(r.headers.get('vary'), 'Cookie', url);
  const etag = r.headers.get('etag');
  assert.match(etag, /^"[0-9a-f]{32}"$/, url);
  return etag;
}

async function changeLot(fields) {
  const cur = await admin.get(`/api/v1/lots/${lot.id}`);
  const r = await admin.patch(`/api/v1/lots/${lot.id}`, {
    json: fields, headers: { 'If-Match': cur.headers.get('etag') },
  });
  assert.equal(r.status, 200, r.text);
}

test('a trace page: ETag changes with its lot, its steps and its product; 304 while unchanged', async () => {
  const e1 = await etagOf(TRACE);
  const same = await anon.get(TRACE, { headers: { 'If-None-Match': e1 } });
  assert.equal(same.status, 304);
  assert.equal(same.text, '');
  assert.equal(same.headers.get('etag'), e1);
  assert.equal(same.headers.get('cache-control'), 'public, max-age=0, s-maxage=2');

  await changeLot({ quantity: 4321 });
  const e2 = await etagOf(TRACE);
  assert.notEqual(e2, e1, 'the lot changed');
  assert.equal((await anon.get(TRACE, { headers: { 'If-None-Match': e1 } })).status, 200);

  const ev = await admin.post('/api/v1/lot-events', {
    json: { lot_id: lot.id, event_date: '02/04/2025', what: 'Kiểm tra độ ẩm' },
  });
  assert.equal(ev.status, 201, ev.text);
  const e3 = await etagOf(TRACE);
  assert.notEqual(e3, e2, 'a step was added');

  const cur = await admin.get(`/api/v1/products/${product.id}`);
  const pr = await admin.patch(`/api/v1/products/${product.id}`, {
    json: { name: 'Tinh bột nghệ Hoàng Minh Châu loại 1' },
    headers: { 'If-Match': cur.headers.get('etag') },
  });
  assert.equal(pr.status, 200, pr.text);
  const e4 = await etagOf(TRACE);
  assert.notEqual(e4, e3, 'the product changed');
  assert.equal(await etagOf(TRACE), e4, 'nothing changed: the same ETag');
});

test('catalogue, product, maker, typical and verify pages are cacheable; errors and sessions are not', async () => {
  const p = (await anon.get(`/api/v1/public/products/${product.id}`)).body;
  for (const url of ['/san-pham', `/san-pham/${product.id}`, `/co-so/${p.establishment.id}`,
    '/san-pham-tieu-bieu', '/verify', `/t/${lot.id}`, '/01/02000000000015']) await etagOf(url);
  const missing = await anon.get('/01/02000000000015/10/NO-SUCH-LOT');
  assert.equal(missing.status, 404);
  assert.equal(missing.headers.get('cache-control'), 'no-store');
  assert.equal(missing.headers.get('etag'), null);
  const staff = await login(env.base, 'admin', env.adminPassword);
  const mine = await staff.get(TRACE);
  assert.equal(mine.status, 200);
  assert.equal(mine.headers.get('cache-control'), 'no-store', 'a page seen with a session is private');
  assert.equal(mine.headers.get('etag'), null);
});

/* Fetches url through nginx until done(response, text) holds (each try is an event:
 * a response); gives up after 20 s. */
async function until(url, done) {
  const deadline = Date.now() + 20000;
  for (;;) {
    const r = await fetch(url);
    const text = await r.text();
    if (done(r, text)) return { r, text };
    if (Date.now() > deadline) throw new Error(`${url}: still ${r.headers.get('x-cache-status')}`);
    await sleep(100);
  }
}

test('nginx with deploy/nginx.conf keeps a trace page, revalidates it, and shows a change to its lot', async (t) => {
  const ng = await startNginx(t, [env.server.port, env.server.port]);
  if (!ng) return;
  const url = ng.base + TRACE;
  const reached = () => env.server.stderr.split('\n').filter((l) => l.includes(` ${TRACE} `));
  const n0 = reached().length;
  const first = await fetch(url);
  assert.equal(first.status, 200);
  assert.equal(first.headers.get('x-cache-status'), 'MISS');
  const old = await first.text();
  /* the server logs a request just after answering it: wait for that line */
  for (const end = Date.now() + 5000; reached().length <= n0 && Date.now() < end;) await sleep(20);
  assert.equal(reached().length, n0 + 1, 'the first request reached the server');
  const n = reached().length;
  const second = await fetch(url);
  await second.text();
  /* kept: served from the cache, or (max-age already past) revalidated with a 304 */
  assert.match(second.headers.get('x-cache-status'), /^(HIT|REVALIDATED)$/);

  /* After max-age nginx asks with If-None-Match; the server answers 304. */
  const { text: kept } = await until(url, (r) => r.headers.get('x-cache-status') === 'REVALIDATED');
  assert.equal(kept, old);
  assert.ok(reached().slice(n).some((l) => / 304 /.test(l)), 'the server answered 304');
  assert.ok(!reached().slice(n).some((l) => / 200 /.test(l)), 'and never rendered the page again');

  /* A change to the lot shows once max-age has passed. */
  await changeLot({ quantity: 98765 });
  const { r, text } = await until(url, (_, s) => s.includes('98.765'));
  assert.equal(r.headers.get('x-cache-status'), 'EXPIRED');
  assert.notEqual(text, old);
  /* and never goes back */
  const next = await fetch(url);
  assert.ok((await next.text()).includes('98.765'));
});
