// dlink.test.mjs - GS1 Digital Link as GS1's reference parser reads it: a table of URIs,
// valid and invalid, each with the answer this system must give (the trace page of a lot,
// verified or not; the page of a product; a 301 to the canonical 14-digit form; 400; 404).
//
// The URIs are derived from the test cases of GS1's reference implementation,
// gs1/gs1-syntax-engine, src/c-lib/dl.c (test_dl_parseDLuri and test_dl_URIunescape): their
// paths and queries are kept, the host becomes this server, and two products are made with
// the GTINs those cases use (09520123456788 of the Digital Link standard's examples and
// 12312312312333) and lots ABC123, ABC1 and ABC. Where GS1 accepts a URI this system does
// not serve (other primary keys than GTIN, AI 235, a path prefix) the answer is 404; where
// GS1 refuses one, 400 (or 404 when no route has that shape). Rows marked "issue 18" are the
// cases that were answered wrongly before.
import assert from 'node:assert/strict';
import { after, before, test } from 'node:test';

import { Client, login, run, setup } from './lib.mjs';

const env = await setup(after, { prefix: 'dlink' });
const anon = new Client(env.base);
let admin;
const sig = {}; // lot code -> its s
const G1 = '09520123456788';
const G2 = '12312312312333';

async function made(res, what) {
  assert.equal(res.status, 201, `${what}: ${res.text}`);
  return res.body;
}

/* The signed trace URL of a lot, as its staff page shows it (and its QR code holds). */
async function signedPath(lotId) {
  const page = await admin.get(`/lots/${lotId}`, { headers: { Accept: 'text/html' } });
  const m = /id="trace-url">([^<]+)</.exec(page.text);
  assert.ok(m, `no trace URL on /lots/${lotId}`);
  return m[1].slice(env.base.length);
}

before(async () => {
  admin = await login(env.base, 'admin', env.adminPassword, 'bearer');
  const any = await anon.get('/api/v1/public/products');
  const est = (await anon.get(`/api/v1/public/products/${any.body.items[0].id}`)).body.establishment.id;
  for (const [gtin, lots] of [[G1, ['ABC123', 'ABC1']], [G2, ['ABC']]]) {
    const p = await made(await admin.post('/api/v1/products', {
      json: { establishment_id: est, name: `Sản phẩm GS1 ${gtin}`, category: 'handicraft',
        gtin, published: true },
    }), gtin);
    for (const code of lots) {
      const lot = await made(await admin.post('/api/v1/lots', {
        json: { product_id: p.id, lot_code: code, production_date: '01/03/2025' },
      }), code);
      const path = await signedPath(lot.id);
      assert.equal(path.split('?')[0], `/01/${gtin}/10/${code}`);
      sig[code] = path.split('?s=')[1];
    }
  }
});

/* expect: trace (lot code, verified?), product (GTIN), redirect (Location), or a status. */
const trace = (lot, verified = false) => ({ status: 200, lot, verified });
const product = (gtin) => ({ status: 200, product: gtin });
const moved = (location) => ({ status: 301, location });
const S = (lot) => `s=${sig[lot]}`;

const CASES = [
  // GTIN keys and the examples of the Digital Link standard quoted in dl.c
  ['/01/12312312312333', product(G2), 'GTIN only (issue 18 item 5)'],
  ['/01/09520123456788', product(G1), 'GTIN only'],
  ['/01/09520123456788/10/ABC123', trace('ABC123'), 'lot, no signature'],
  [() => `/01/09520123456788/10/ABC123?${S('ABC123')}`, trace('ABC123', true), 'signed lot'],
  ['/01/09520123456788/21/12345', product(G1), 'serial without lot: the product'],
  ['/01/09520123456788/22/2A', product(G1), 'variant: the product'],
  ['/01/09520123456788/10/ABC1/21/12345?17=180426', trace('ABC1'), 'serial after the lot (issue 18 item 4)'],
  [() => `/01/09520123456788/10/ABC1/21/12345?${S('ABC1')}`, trace('ABC1', false), 's signs the lot, not this serial'],
  ['/01/09520123456788?3103=000195', product(G1), 'net weight attribute'],
  ['/01/09520123456788?3103=000195&3922=0299&17=201225', product(G1), 'weight, price, expiry'],
  ['/01/09520123456788?17=201225&3103=000195&3922=0299', product(G1), 'attributes in another order'],
  ['/01/12312312312333/22/TEST/10/ABC/21/XYZ', trace('ABC'), 'variant, lot, serial (issue 18 item 4)'],
  ['/01/12312312312333/22/test/10/abc/21/xyz', { status: 404 }, 'values are case-sensitive: no lot abc'],
  ['/01/12312312312333/235/TEST', { status: 404 }, 'AI 235 is not served'],
  ['/01/09520123456788/89/ABC123?99=XYZ', { status: 404 }, 'unknown AI in the path'],
  ['/01/09520123456788/', { status: 404 }, 'a path cannot end in a slash'],
  ['/01/12312312312334', { status: 400 }, 'wrong check digit'],
  // zero-suppressed GTINs: to the 14-digit form, query kept (issue 18 item 6)
  ['/01/2112345678900', moved('/01/02112345678900'), 'GTIN-13'],
  ['/01/416000336108', moved('/01/00416000336108'), 'GTIN-12'],
  ['/01/02345673', moved('/01/00000002345673'), 'GTIN-8'],
  ['/01/9520123456788?3103=000195&3922=0299&17=201225',
    moved('/01/09520123456788?3103=000195&3922=0299&17=201225'), 'GTIN-13 with attributes'],
  [() => `/01/9520123456788/10/ABC123?${S('ABC123')}`, () => moved(`/01/09520123456788/10/ABC123?${S('ABC123')}`),
    'a short GTIN in a signed link'],
  // other primary keys and path prefixes (stems): not served here
  ['/00/006141411234567890', { status: 404 }, 'SSCC'],
  ['/253/1231231231232', { status: 404 }, 'GDTI'],
  ['/414/9520123456788', { status: 404 }, 'GLN'],
  ['/stem/00/006141411234567890', { status: 404 }, 'custom stem'],
  ['/some-extra/pathinfo/01/09520123456788', { status: 404 }, 'path prefix (refused at start-up)'],
  // query attributes (issue 18 item 3)
  ['/01/09520123456788?', product(G1), 'empty query'],
  ['/01/12312312312333?99=ABC', product(G2), 'company-internal AI'],
  ['/01/12312312312333?99=ABC&98=XYZ', product(G2), 'two AIs'],
  ['/01/12312312312333?99=', { status: 400 }, 'empty AI value'],
  ['/01/12312312312333?99=ABC&999=faux', { status: 400 }, 'numeric non-AI parameter'],
  ['/01/12312312312333?&&&99=ABC&&&&&&98=XYZ&&&', product(G2), 'extra separators'],
  ['/01/12312312312333?99=ABC&unknown=666&98=XYZ', product(G2), 'unknown name ignored'],
  ['/01/12312312312333?singleton&99=ABC&98=XYZ', product(G2), 'parameter without value ignored'],
  ['/01/12312312312333?singleton1&unknown1=555&99=ABC&singleton2&unknown2=6666&98=XYZ&unknown3=777&singleton3',
    product(G2), 'many ignored parameters'],
  ['/01/12312312312333/22/ABC%2d123?99=ABC&98=XYZ%2f987', product(G2), 'percent-escaped values'],
  ['/01/12312312312333/22/ABC+123?99=ABC&98=XYZ%2f987', product(G2), '"+" is "+" in a path'],
  ['/01/12312312312333/22/ABC%2d123?99=ABC&98=XYZ+987', { status: 400 }, '"+" is a space in a query'],
  ['/01/09520123456788?10=ABC123', { status: 400 }, 'AI (10) belongs in the path'],
  ['/01/09520123456788/10/ABC123?99=XYZ789&01=09520123456788', { status: 400 }, 'GTIN twice'],
  ['/01/09520123456788/10/ABC123?99=XYZ789&10=ABC123', { status: 400 }, 'lot twice'],
  ['/01/09520123456788/10/ABC123?99=XYZ789&99=XYZ789', { status: 400 }, 'AI (99) twice'],
  ['/01/09520123456788?99=XYZ&89=ABC123', { status: 400 }, 'unknown AI in the query'],
  ['/01/09520123456788/10/ABC123?17=271332', { status: 400 }, 'no 13th month'],
  [() => `/01/09520123456788/10/ABC123?17=270315&${S('ABC123')}`, trace('ABC123', true), 'expiry date kept verified'],
  [() => `/01/09520123456788/10/ABC123?${S('ABC123')}&linkType=gs1:pip&utm_source=qr&`, trace('ABC123', true),
    'linkType, campaign tags and an empty & ignored'],
  // escapes decoded once (issue 18 items 1 and 2; dl.c test_dl_URIunescape)
  ['/01/09520123456788/10/ABC%31', trace('ABC1'), '%31 is "1"'],
  [() => `/01/09520123456788/10/ABC%2531?${S('ABC1')}`, { status: 404 }, 'lot "ABC%31", not decoded twice'],
  [() => `/01/09520123456788/10/ABC1%00junk?${S('ABC1')}`, { status: 400 }, 'NUL in the path'],
  ['/01/09520123456788/10/ABC1%00', { status: 400 }, 'NUL at the end'],
  ['/01/09520123456788/10/A%4gB', { status: 404 }, 'not an escape: lot "A%4gB"'],
  [() => `/01/09520123456788/10/ABC1?s=${sig.ABC1}%00junk`, trace('ABC1', false), 'NUL in s: not verified'],
];

test(`${CASES.length} Digital Link URIs derived from GS1's reference test cases`, async () => {
  assert.ok(CASES.length >= 40);
  for (const [u, e, what] of CASES) {
    const uri = typeof u === 'function' ? u() : u;
    const want = typeof e === 'function' ? e() : e;
    const r = await anon.get(uri, { headers: { Accept: 'text/html' } });
    const label = `${what}: ${uri} -> ${r.status}`;
    assert.equal(r.status, want.status, `${label} ${r.text.slice(0, 300)}`);
    if (want.location) assert.equal(r.headers.get('location'), want.location, label);
    if (want.lot) {
      const m = /<code id="lot-code">([^<]*)</.exec(r.text);
      assert.equal(m?.[1], want.lot, label);
      const v = /id="trace-status" data-verified="(\d)"/.exec(r.text);
      assert.equal(v?.[1], want.verified ? '1' : '0', label);
    }
    if (want.product) {
      assert.match(r.text, /id="product" data-id="\d+"/, label);
      assert.ok(r.text.includes(`Sản phẩm GS1 ${want.product}`), label);
    }
    if (want.status === 400) assert.ok(r.text.includes('id="public-error"'), label);
  }
});

test('rel=canonical and og:url name the 14-digit lot URI (or the product page), whatever the link had', async () => {
  for (const uri of ['/01/09520123456788/22/V1/10/ABC1/21/7?17=270315', '/01/09520123456788/10/ABC1']) {
    const r = await anon.get(uri);
    assert.equal(r.status, 200, uri);
    assert.equal(r.headers.get('cache-control'), 'public, max-age=0, s-maxage=60', uri);
    assert.ok(r.text.includes(`<link rel="canonical" href="${env.base}/01/09520123456788/10/ABC1">`), uri);
    assert.ok(r.text.includes(`<meta property="og:url" content="${env.base}/01/09520123456788/10/ABC1">`), uri);
  }
  const p = await anon.get('/01/09520123456788/21/12345');
  const id = /id="product" data-id="(\d+)"/.exec(p.text)[1];
  assert.ok(p.text.includes(`<link rel="canonical" href="${env.base}/san-pham/${id}">`), 'a product has one address');
});

test('/verify says what the trace page says', async () => {
  const check = async (url) => {
    const v = await anon.get('/verify?' + new URLSearchParams({ url: env.base + url }));
    return /id="verify-result" data-verified="1"/.test(v.text);
  };
  assert.ok(await check(`/01/09520123456788/10/ABC123?${S('ABC123')}&17=270315&utm_source=qr`));
  assert.ok(!(await check(`/01/09520123456788/10/ABC%2531?${S('ABC1')}`)), 'decoded once');
  assert.ok(!(await check(`/01/09520123456788/10/ABC1%00junk?${S('ABC1')}`)), 'NUL');
  assert.ok(!(await check(`/01/09520123456788/10/ABC123?${S('ABC123')}&999=1`)), 'a 400 link');
});

test('a KC_PUBLIC_URL with a path is refused at start-up: its printed codes would be 404', async () => {
  process.env.KC_PUBLIC_URL = 'https://sanpham.example.vn/trace';
  let r;
  try {
    r = await run(['serve', '--db', env.db, '--listen', '127.0.0.1:0']);
  } finally {
    delete process.env.KC_PUBLIC_URL;
  }
  assert.notEqual(r.code, 0);
  assert.match(r.stderr, /KC_PUBLIC_URL/);
  assert.match(r.stderr, /no path/);
});
