// public.test.mjs - the public side over HTTP, with the demo data of a new database: the
// catalogue pages and JSON without login (search without diacritics, filters), no private
// field in any of them, 404 pages for unknown products and lots, the signed QR code (rendered
// as PNG, decoded with zbarimg, followed: verified; altered lot, altered GTIN, forged or missing
// signature: not verified, never a server error), a recall banner, photo uploads (right type,
// wrong type, too large, a renamed executable, CSRF), cache headers, the label sheet, and an
// establishment account kept to its own products and lots.
import assert from 'node:assert/strict';
import { spawnSync } from 'node:child_process';
import { writeFile } from 'node:fs/promises';
import path from 'node:path';
import { after, before, test } from 'node:test';

import { Client, connect, login, readResponse, run, setup } from './lib.mjs';

const PW = 'public-pass-3333';
const env = await setup(after, { prefix: 'public' });
const anon = new Client(env.base);

let admin; // bearer
let adminCookie; // cookie + CSRF, as a browser form
const demo = {}; // name -> {product, lot} of the three products of seed 000

const TURMERIC = 'Tinh bột nghệ Hoàng Minh Châu';
const SILVER = 'Trang sức bạc chạm khắc Phù Ủng';
const HONEY = 'Mật ong, phấn hoa và sữa ong chúa Danh Vị';

/* Fails with the response text when the status is not the one expected. */
function status(res, want, what = '') {
  assert.equal(res.status, want, `${what} ${res.status} ${res.text.slice(0, 400)}`);
}

async function publicProduct(q) {
  const r = await anon.get('/api/v1/public/products?' + new URLSearchParams({ q }));
  status(r, 200, q);
  assert.equal(r.body.total, 1, `one product for "${q}": ${r.text}`);
  return r.body.items[0];
}

before(async () => {
  admin = await login(env.base, 'admin', env.adminPassword, 'bearer');
  adminCookie = await login(env.base, 'admin', env.adminPassword);
  for (const [key, q] of [['turmeric', 'tinh bot nghe'], ['silver', 'trang suc bac'],
    ['honey', 'mat ong danh vi']]) {
    const p = await publicProduct(q);
    const lots = await admin.get('/api/v1/lots?' + new URLSearchParams({ product_id: p.id }));
    status(lots, 200);
    assert.equal(lots.body.total, 1, `one demo lot of ${p.name}`);
    demo[key] = { product: p, lot: lots.body.items[0] };
  }
});

/* ---- pages and JSON without login ---- */

test('the three products of seed 000 are public, found without diacritics', async () => {
  assert.equal(demo.turmeric.product.name, TURMERIC);
  assert.equal(demo.silver.product.name, SILVER);
  assert.equal(demo.honey.product.name, HONEY);
  const list = await anon.get('/san-pham');
  status(list, 200);
  assert.match(list.headers.get('content-type'), /^text\/html/);
  for (const name of [TURMERIC, SILVER, HONEY]) assert.ok(list.text.includes(name), name);
  const found = await anon.get('/san-pham?q=' + encodeURIComponent('phu ung'));
  status(found, 200);
  assert.ok(found.text.includes(SILVER));
  assert.ok(!found.text.includes(TURMERIC));
  assert.match(found.text, /id="total">1</);
});

test('filters: category, award level, OCOP stars, province; bad values are 400', async () => {
  const count = async (params) => {
    const r = await anon.get('/api/v1/public/products?' + new URLSearchParams(params));
    status(r, 200, JSON.stringify(params));
    return r.body.items.map((i) => i.name).sort();
  };
  assert.deepEqual(await count({ category: 'handicraft' }), [SILVER]);
  assert.deepEqual(await count({ level: 'province', province: '33' }), [HONEY, TURMERIC, SILVER].sort());
  assert.deepEqual(await count({ level: 'national' }), []);
  assert.deepEqual(await count({ stars: '4' }), [TURMERIC]);
  assert.deepEqual(await count({ stars: '3' }), [HONEY, TURMERIC].sort());
  assert.deepEqual(await count({ year: '2022' }), [HONEY]);
  assert.deepEqual(await count({ province: '01' }), []);
  for (const bad of [{ stars: '9' }, { category: 'weapons' }, { province: 'HY' }, { page: '0' }]) {
    const r = await anon.get('/api/v1/public/products?' + new URLSearchParams(bad));
    status(r, 400, JSON.stringify(bad));
    assert.equal(r.body.error.code, 'invalid');
  }
  status(await anon.get('/san-pham?stars=9'), 400);
  status(await anon.get('/san-pham?secret=1'), 400);
});

test('product, maker, typical products and verify pages need no login', async () => {
  const t = demo.turmeric.product;
  const page = await anon.get(`/san-pham/${t.id}`);
  status(page, 200);
  assert.ok(page.text.includes(TURMERIC));
  assert.match(page.text, /<meta property="og:title" content="Tinh bột nghệ Hoàng Minh Châu">/);
  assert.match(page.text, /<meta property="og:type" content="product">/);
  assert.match(page.text, /<meta property="og:url" content="http:\/\/127\.0\.0\.1:\d+\/san-pham\/\d+">/);
  // The maker's shop: channel URLs as buttons.
  assert.match(page.text, /class="button channel" href="https:\/\/example\.com\/shop\/hoang-minh-chau-tinh-bot-nghe"/);
  assert.ok(page.text.includes('Sản phẩm CNNT tiêu biểu'));
  // No staff navigation on public pages.
  assert.ok(!page.text.includes('class="nav"'));
  const one = await anon.get(`/api/v1/public/products/${t.id}`);
  status(one, 200);
  const maker = await anon.get(`/co-so/${one.body.establishment.id}`);
  status(maker, 200);
  assert.ok(maker.text.includes('Công ty TNHH Hoàng Minh Châu Hưng Yên'));
  assert.ok(maker.text.includes(TURMERIC));
  const typical = await anon.get('/san-pham-tieu-bieu?level=province');
  status(typical, 200);
  for (const name of ['Bộ sản phẩm từ nghệ', 'Bộ trang sức bằng bạc',
    'Bộ sản phẩm phấn hoa ong, mật ong và sữa ong chúa']) assert.ok(typical.text.includes(name), name);
  const verify = await anon.get('/verify');
  status(verify, 200);
  const key = await anon.get('/api/v1/public/key');
  status(key, 200);
  assert.equal(key.body.algorithm, 'Ed25519');
  assert.ok(verify.text.includes(key.body.public_key));
  assert.ok(page.text.includes(key.body.public_key), 'the key is in every public footer');
  // Staff lists still need a login.
  status(await anon.get('/api/v1/products'), 401);
  status(await anon.get('/products'), 303);
});

/* Every key of a JSON value, at any depth. */
function keysOf(v, out = new Set()) {
  if (Array.isArray(v)) v.forEach((x) => keysOf(x, out));
  else if (v && typeof v === 'object') for (const [k, x] of Object.entries(v)) { out.add(k); keysOf(x, out); }
  return out;
}

const PRIVATE_TEXT = [
  '0900000027', '0900000034', '0900000041', // demo tax codes
  'hoangminhchau@', 'chambacphuung@', 'matongdanhvi@', // contacts
  'seeds/000', 'minh họa', 'minh hoạ', 'illustrative', 'Ghi chú', // notes, illustrative flags
  'tax_code', 'revenue',
];
const PRIVATE_KEYS = ['tax_code', 'phone', 'email', 'contact_name', 'note', 'illustrative',
  'revenue', 'workers', 'workers_female', 'owner_female', 'owner_ethnic', 'address', 'score'];

test('no private field in any public page or JSON', async () => {
  const pages = ['/san-pham', '/san-pham-tieu-bieu', '/verify'];
  const jsons = ['/api/v1/public/products'];
  for (const d of Object.values(demo)) {
    const one = await anon.get(`/api/v1/public/products/${d.product.id}`);
    pages.push(`/san-pham/${d.product.id}`, `/co-so/${one.body.establishment.id}`, `/t/${d.lot.id}`);
    jsons.push(`/api/v1/public/products/${d.product.id}`, `/api/v1/public/lots/${d.lot.id}`);
  }
  for (const p of [...pages, ...jsons]) {
    const r = await anon.get(p);
    status(r, 200, p);
    for (const s of PRIVATE_TEXT) assert.ok(!r.text.includes(s), `${p} shows "${s}"`);
  }
  for (const p of jsons) {
    const keys = keysOf((await anon.get(p)).body);
    for (const k of PRIVATE_KEYS) assert.ok(!keys.has(k), `${p} has key ${k}`);
  }
});

test('unknown or unpublished products and lots are 404 pages, not errors', async () => {
  // Not even a number: no route, the router's own 404.
  for (const p of ['/t/abc', '/san-pham/x', '/t/1/qr.gif']) status(await anon.get(p), 404, p);
  for (const p of ['/t/99999999', '/t/0', '/t/007', '/san-pham/99999999',
    '/co-so/99999999', '/lang-nghe/99999999', '/01/02000000000015/10/NO-SUCH-LOT',
    '/01/02000000000015/10/A.B%3F']) {
    const r = await anon.get(p);
    status(r, 404, p);
    assert.match(r.headers.get('content-type'), /^text\/html/, p);
    assert.ok(r.text.includes('id="public-error"'), p);
    assert.ok(!r.text.includes('class="nav"'), `${p}: public layout`);
  }
  // A malformed Digital Link (check digit, length) is a 400 page naming the GTIN.
  for (const p of ['/01/02000000000016/10/HMC-2025-031', '/01/123/10/A']) {
    const r = await anon.get(p);
    status(r, 400, p);
    assert.match(r.text, /GTIN/, p);
  }
  // A draft product is not public, nor are its lots.
  const est = (await anon.get(`/api/v1/public/products/${demo.silver.product.id}`)).body.establishment.id;
  const draft = await admin.post('/api/v1/products', {
    json: { establishment_id: est, name: 'Sản phẩm nháp', category: 'handicraft' },
  });
  status(draft, 201);
  const lot = await admin.post('/api/v1/lots', {
    json: { product_id: draft.body.id, lot_code: 'NHAP-1', production_date: '01/01/2025' },
  });
  status(lot, 201);
  status(await anon.get(`/san-pham/${draft.body.id}`), 404);
  status(await anon.get(`/t/${lot.body.id}`), 404);
  status(await anon.get(`/api/v1/public/lots/${lot.body.id}`), 404);
  status(await anon.get(`/t/${lot.body.id}/qr.png`), 404);
  // Its staff still see its code.
  status(await admin.get(`/t/${lot.body.id}/qr.svg`), 200);
});

test('a craft village page lists its makers and products; the list filters by village', async () => {
  const v = await admin.post('/api/v1/villages', {
    json: { name: 'Làng nghề chạm bạc thử nghiệm', commune_id: 'Xã Phạm Ngũ Lão, Hưng Yên',
      craft_group: 'handicraft', craft: 'Chạm bạc', traditional: true, recognised: true },
  });
  status(v, 201);
  status(await anon.get(`/lang-nghe/${v.body.id}`), 404, 'no published product yet');
  const e = await admin.post('/api/v1/establishments', {
    json: { name: 'Tổ hợp tác chạm bạc thử nghiệm', kind: 'coop_group',
      commune_id: 'Xã Phạm Ngũ Lão, Hưng Yên', village_id: v.body.id, phone: '0987 654 321' },
  });
  status(e, 201);
  const p = await admin.post('/api/v1/products', {
    json: { establishment_id: e.body.id, name: 'Khay bạc chạm rồng thử nghiệm', category: 'handicraft',
      published: true, channels: ['https://shopee.vn/khay-bac-thu-nghiem'] },
  });
  status(p, 201);
  const page = await anon.get(`/lang-nghe/${v.body.id}`);
  status(page, 200);
  assert.ok(page.text.includes('Tổ hợp tác chạm bạc thử nghiệm'));
  assert.ok(page.text.includes('Khay bạc chạm rồng thử nghiệm'));
  assert.ok(!page.text.includes('0987'), 'no phone');
  const product = await anon.get(`/san-pham/${p.body.id}`);
  assert.match(product.text, /id="village-link">Làng nghề chạm bạc thử nghiệm</);
  assert.match(product.text, /href="https:\/\/shopee\.vn\/khay-bac-thu-nghiem"[^>]*>Shopee ↗</);
  const list = await anon.get('/san-pham?province=33');
  assert.match(list.text, new RegExp(`<option value="${v.body.id}">Làng nghề chạm bạc thử nghiệm</option>`));
  const only = await anon.get(`/api/v1/public/products?village=${v.body.id}`);
  assert.deepEqual(only.body.items.map((i) => i.name), ['Khay bạc chạm rồng thử nghiệm']);
});

/* ---- QR codes and signatures ---- */

/* The text of the QR code(s) in a PNG, decoded by zbarimg (zbar-tools). */
async function decodeQr(png, name) {
  const file = path.join(env.dir, name);
  await writeFile(file, png);
  const r = spawnSync('zbarimg', ['-q', '--raw', file], { encoding: 'utf8' });
  assert.equal(r.error, undefined, 'zbarimg (Debian zbar-tools) must be installed');
  assert.equal(r.status, 0, `zbarimg found no code: ${r.stderr}`);
  return r.stdout.trim().split('\n');
}

async function qrUrl(lotId) {
  const res = await fetch(`${env.base}/t/${lotId}/qr.png`);
  assert.equal(res.status, 200);
  assert.equal(res.headers.get('content-type'), 'image/png');
  const [url] = await decodeQr(Buffer.from(await res.arrayBuffer()), `qr-${lotId}.png`);
  return url;
}

function verdict(r) {
  const m = /id="trace-status" data-verified="(\d)"/.exec(r.text);
  assert.ok(m, `no verdict on the page: ${r.text.slice(0, 300)}`);
  return m[1] === '1';
}

const rel = (url) => url.slice(env.base.length);

test('the QR PNG decodes to the signed Digital Link, which is verified', async () => {
  const url = await qrUrl(demo.turmeric.lot.id);
  assert.match(url, /^http:\/\/127\.0\.0\.1:\d+\/01\/02000000000015\/10\/HMC-2025-031\?s=[A-Za-z0-9_-]{86}$/);
  const page = await anon.get(rel(url));
  status(page, 200);
  assert.ok(verdict(page));
  assert.ok(page.text.includes('Mã hợp lệ'));
  assert.ok(page.text.includes(TURMERIC));
  assert.ok(page.text.includes('Củ nghệ vàng tươi'), 'inputs with their origin');
  assert.ok(page.text.includes('Thu hoạch củ nghệ'), 'dated steps');
  assert.ok(page.text.includes('https://example.com/shop/hoang-minh-chau-tinh-bot-nghe'), 'the shop');
  // The same GTIN written with 13 digits goes to the 14-digit form, query kept.
  const thirteen = await anon.get(rel(url).replace('/01/02000000000015/', '/01/2000000000015/'));
  status(thirteen, 301);
  assert.equal(thirteen.headers.get('location'), rel(url));
  // The verify page agrees.
  const v = await anon.get('/verify?' + new URLSearchParams({ url }));
  assert.match(v.text, /id="verify-result" data-verified="1"/);
});

test('a product without GTIN gets /t/{id}; its code is verified', async () => {
  const url = await qrUrl(demo.silver.lot.id);
  assert.match(url, new RegExp(`/t/${demo.silver.lot.id}\\?s=[A-Za-z0-9_-]{86}$`));
  const page = await anon.get(rel(url));
  status(page, 200);
  assert.ok(verdict(page));
  const svg = await anon.get(`/t/${demo.silver.lot.id}/qr.svg`);
  status(svg, 200);
  assert.equal(svg.headers.get('content-type'), 'image/svg+xml');
  assert.match(svg.text, /<svg[^>]*viewBox/);
});

test('altered lot, altered GTIN, forged or missing signatures: not verified, never 500', async () => {
  const url = rel(await qrUrl(demo.turmeric.lot.id));
  const sig = url.split('?s=')[1];
  // Another lot of the same product, and a lot with the same code under another GTIN.
  status(await admin.post('/api/v1/lots', {
    json: { product_id: demo.turmeric.product.id, lot_code: 'HMC-2025-032', production_date: '20/03/2025' },
  }), 201);
  status(await admin.post('/api/v1/lots', {
    json: { product_id: demo.honey.product.id, lot_code: 'HMC-2025-031', production_date: '20/03/2025' },
  }), 201);
  const cases = {
    'altered lot': url.replace('HMC-2025-031', 'HMC-2025-032'),
    'altered GTIN': url.replace('02000000000015', '02000000000022'),
    'forged signature': url.replace(sig, 'A'.repeat(86)),
    'altered signature': url.replace(sig, (sig[0] === 'B' ? 'C' : 'B') + sig.slice(1)),
    'truncated signature': url.slice(0, -5),
    'garbage signature': url.split('?')[0] + '?s=%25%ff<script>',
    'no signature': url.split('?')[0],
    'another lot\'s signature': `/t/${demo.silver.lot.id}?s=${sig}`,
  };
  /* A NUL in an argument is refused before anything reads it (issue 11). */
  status(await anon.get(url.split('?')[0] + '?s=%25%00%ff<script>'), 400, 'a NUL in the signature');
  for (const [what, u] of Object.entries(cases)) {
    const r = await anon.get(u);
    status(r, 200, what);
    assert.equal(verdict(r), false, what);
    assert.ok(r.text.includes('Không xác minh được'), what);
    assert.ok(!r.text.includes('<script>'), `${what}: nothing echoed unescaped`);
  }
  const v = await anon.get('/verify?' + new URLSearchParams({ url: env.base + cases['altered lot'] }));
  assert.match(v.text, /id="verify-result" data-verified="0"/);
});

test('a recalled lot shows a recall banner on its trace page', async () => {
  const lots = await admin.get('/api/v1/lots?' + new URLSearchParams({ product_id: demo.turmeric.product.id, q: 'HMC-2025-032' }));
  const lot = lots.body.items.find((l) => l.lot_code === 'HMC-2025-032');
  assert.ok(lot, lots.text);
  const before = await anon.get(`/t/${lot.id}`);
  assert.ok(!before.text.includes('id="recall"'));
  const r = await admin.patch(`/api/v1/lots/${lot.id}`, {
    json: { recalled: true, recall_reason: 'Độ ẩm vượt mức cho phép' },
    headers: { 'If-Match': `"${lot.version}"` },
  });
  status(r, 200);
  const after = await anon.get(`/t/${lot.id}`);
  assert.match(after.text, /id="recall" role="alert"/);
  assert.ok(after.text.includes('Độ ẩm vượt mức cho phép'));
  const j = await anon.get(`/api/v1/public/lots/${lot.id}`);
  assert.equal(j.body.recalled, true);
});

/* ---- photos ---- */

/* A real, tiny PNG (1x1, red). */
const PNG = Buffer.from(
  '89504e470d0a1a0a0000000d4948445200000001000000010802000000907753de0000000c49444154789c63f8cfc0000003010100c9fe92ef0000000049454e44ae426082',
  'hex');
const ELF = Buffer.concat([Buffer.from('7f454c46020101000000000000000000', 'hex'), Buffer.alloc(200, 1)]);

function form(fields, file) {
  const f = new FormData();
  for (const [k, v] of Object.entries(fields)) f.append(k, v);
  if (file) f.append('file', new Blob([file.bytes], { type: file.type }), file.name);
  return f;
}

test('photo upload from the form: stored, served with type, ETag and cache headers', async () => {
  const id = demo.turmeric.product.id;
  const r = await adminCookie.post(`/products/${id}/photos`, {
    body: form({ _csrf: adminCookie.csrf }, { bytes: PNG, type: 'image/png', name: 'nghe.png' }),
    csrf: false,
  });
  status(r, 303);
  const list = await admin.get(`/api/v1/products/${id}/photos`);
  status(list, 200);
  const photo = list.body.items.at(-1);
  assert.equal(photo.content_type, 'image/png');
  const img = await fetch(`${env.base}/anh/${photo.id}`);
  assert.equal(img.status, 200);
  assert.equal(img.headers.get('content-type'), 'image/png');
  assert.match(img.headers.get('cache-control'), /public/);
  const etag = img.headers.get('etag');
  assert.equal(etag, `"${photo.sha256}"`);
  assert.deepEqual(Buffer.from(await img.arrayBuffer()), PNG);
  const again = await fetch(`${env.base}/anh/${photo.id}`, { headers: { 'If-None-Match': etag } });
  assert.equal(again.status, 304);
  // The public product page shows it, and says so to link previews.
  const page = await anon.get(`/san-pham/${id}`);
  assert.ok(page.text.includes(`src="/anh/${photo.id}"`));
  assert.match(page.text, /<meta property="og:image" content="http:\/\/127\.0\.0\.1:\d+\/anh\/\d+">/);
});

/* Announces a body of length bytes with Expect: 100-continue on a raw
 * socket and returns the answer (the server refuses it before it is sent). */
async function tooLargeRaw(urlPath, length, type) {
  const sock = await connect(env.server.port);
  try {
    const answer = readResponse(sock);
    sock.write(`POST ${urlPath} HTTP/1.1\r\nHost: 127.0.0.1\r\nAuthorization: Bearer ${admin.bearer}\r\n` +
      `Content-Type: ${type}\r\nContent-Length: ${length}\r\nExpect: 100-continue\r\n\r\n`);
    const res = await answer;
    return { status: res.status, text: res.body };
  } finally {
    sock.destroy();
  }
}

test('uploads: wrong type, renamed executable, too large, no CSRF token are refused', async () => {
  const id = demo.honey.product.id;
  const before = (await admin.get(`/api/v1/products/${id}/photos`)).body.items.length;
  const text = await admin.post(`/api/v1/products/${id}/photos`, {
    body: form({}, { bytes: Buffer.from('just some text, not a picture at all'.repeat(4)), type: 'image/png', name: 'a.png' }),
  });
  status(text, 400, 'text as png');
  assert.equal(text.body.error.field, 'file');
  const elf = await admin.post(`/api/v1/products/${id}/photos`, {
    body: form({}, { bytes: ELF, type: 'image/jpeg', name: 'photo.jpg' }),
  });
  status(elf, 400, 'ELF named .jpg');
  const raw = await admin.post(`/api/v1/products/${id}/photos`, {
    body: ELF, headers: { 'Content-Type': 'image/jpeg' },
  });
  status(raw, 400, 'raw ELF');
  // Just over 8 MB: refused by the photo rule; far over: refused before it is read.
  const big = Buffer.concat([Buffer.from('ffd8ffe0', 'hex'), Buffer.alloc(8 * 1024 * 1024 - 3)]);
  const tooBig = await admin.post(`/api/v1/products/${id}/photos`, {
    body: big, headers: { 'Content-Type': 'image/jpeg' },
  });
  status(tooBig, 413, '8 MB + 1');
  status(await tooLargeRaw(`/api/v1/products/${id}/photos`, 10 * 1024 * 1024, 'image/jpeg'), 413,
    '10 MB');
  const noCsrf = await adminCookie.post(`/products/${id}/photos`, {
    body: form({}, { bytes: PNG, type: 'image/png', name: 'x.png' }),
    csrf: false,
  });
  status(noCsrf, 403, 'no CSRF token');
  const anonUp = await anon.post(`/api/v1/products/${id}/photos`, {
    body: PNG, headers: { 'Content-Type': 'image/png' },
  });
  status(anonUp, 401);
  assert.equal((await admin.get(`/api/v1/products/${id}/photos`)).body.items.length, before);
  // Other routes keep the 1 MiB body limit.
  status(await tooLargeRaw('/api/v1/lots', 2 * 1024 * 1024, 'application/json'), 413, '2 MB JSON');
});

/* ---- labels ---- */

test('the label sheet of a lot is an A4 PDF for staff', async () => {
  const lot = demo.honey.lot.id;
  const res = await fetch(`${env.base}/lots/${lot}/labels.pdf?size=30&count=3`, {
    headers: { Authorization: `Bearer ${admin.bearer}` },
  });
  assert.equal(res.status, 200);
  assert.equal(res.headers.get('content-type'), 'application/pdf');
  const pdf = Buffer.from(await res.arrayBuffer());
  assert.equal(pdf.subarray(0, 4).toString(), '%PDF');
  status(await admin.get(`/lots/${lot}/labels.pdf?size=5`), 400);
  status(await admin.get(`/lots/${lot}/labels.pdf?count=5000`), 400);
  status(await anon.get(`/lots/${lot}/labels.pdf`), 303);
});

/* ---- an establishment's account ---- */

test('an establishment account manages its own products and lots only', async () => {
  const silver = (await anon.get(`/api/v1/public/products/${demo.silver.product.id}`)).body;
  const r = await run(['user', 'add', 'htx.phuung', '--role', 'establishment', '--establishment',
    String(silver.establishment.id), '--db', env.db], { input: `${PW}\n` });
  assert.equal(r.code, 0, r.stderr);
  const est = await login(env.base, 'htx.phuung', PW, 'bearer');
  const lotsBefore = (await admin.get('/api/v1/lots?per_page=500')).body.total;
  // Not on another establishment's product...
  const other = await est.post('/api/v1/lots', {
    json: { product_id: demo.turmeric.product.id, lot_code: 'PU-FAKE-1', production_date: '01/08/2025' },
  });
  assert.ok([400, 403].includes(other.status), `${other.status} ${other.text}`);
  assert.equal(other.body.error.field, 'product_id');
  assert.equal((await admin.get('/api/v1/lots?per_page=500')).body.total, lotsBefore);
  // ...nor its photos or fields.
  const photo = await est.post(`/api/v1/products/${demo.turmeric.product.id}/photos`, {
    body: PNG, headers: { 'Content-Type': 'image/png' },
  });
  status(photo, 403);
  const patch = await est.patch(`/api/v1/products/${demo.turmeric.product.id}`, { json: { name: 'x' } });
  status(patch, 403);
  status(await est.get(`/api/v1/lots/${demo.turmeric.lot.id}`), 403);
  // Its own: yes.
  const mine = await est.post('/api/v1/lots', {
    json: { product_id: demo.silver.product.id, lot_code: 'PU-2025-08', production_date: '01/08/2025' },
  });
  status(mine, 201);
  assert.equal(mine.body.establishment_id, silver.establishment.id);
  const ev = await est.post('/api/v1/lot-events', {
    json: { lot_id: mine.body.id, event_date: '01/08/2025', what: 'Chạm khắc' },
  });
  status(ev, 201);
  const own = await est.post(`/api/v1/products/${demo.silver.product.id}/photos`, {
    body: PNG, headers: { 'Content-Type': 'image/png' },
  });
  status(own, 201);
  const list = await est.get('/api/v1/lots');
  status(list, 200);
  assert.ok(list.body.items.every((l) => l.establishment_id === silver.establishment.id));
});
