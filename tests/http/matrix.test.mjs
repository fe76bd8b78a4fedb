// matrix.test.mjs - the access matrix: every route of the route table (read
// from GET /api/v1, which lists src/web/routes.c) x every kind of caller,
// each cell allowed or denied as the table below says. A route without a row
// fails the test, so a new route cannot be added without deciding who may
// use it. Every response also carries the security headers.
//
// Callers: anonymous, admin, ministry, two provinces (33 holds the records,
// 01 none of them), two establishments of province 33 (E1 owns the records
// used, E2 does not), a national viewer and a viewer of province 33.
// KC_MATRIX_DEBUG=1 adds the statuses to a failure's message.
// Outcomes: 'a' allowed (any answer but 401/403, a 404 of a record that
// exists, or the redirect to /login?next= of a page that needs a login), 'd'
// denied (one of those).
// Each {collection} route is checked on the demo establishment of E1, its
// product and its lot (the records whose scope differs most).
import assert from 'node:assert/strict';
import { after, before, test } from 'node:test';

import { Client, login, setup } from './lib.mjs';
import { checkSecurityHeaders } from './security-lib.mjs';

const PW = 'matrix-pass-1234';
const CALLERS = ['anon', 'admin', 'ministry', 'p33', 'p01', 'est1', 'est2', 'viewer', 'viewer33'];
const env = await setup(after, {
  prefix: 'matrix',
  users: [
    { name: 'ministry', role: 'ministry', password: PW },
    { name: 'p33', role: 'province', province: '33', password: PW },
    { name: 'p01', role: 'province', province: '01', password: PW },
    { name: 'viewer', role: 'viewer', password: PW },
    { name: 'viewer33', role: 'viewer', province: '33', password: PW },
  ],
});

const PNG = Buffer.from(
  '89504e470d0a1a0a0000000d4948445200000001000000010802000000907753de0000000c49444154789c63f8cfc0000003010100c9fe92ef0000000049454e44ae426082',
  'hex');

/* Expected outcome per caller, in CALLERS order (one letter each). */
const PUBLIC = 'aaaaaaaaa';
const LOGIN = 'daaaaaaaa';
const WRITER = 'daaaaaadd';
const ADMIN = 'dadddddd' + 'd';
const SELF_V33 = 'dddddddda'; /* the language of viewer33's account: its own choice */
const JOB_P33 = 'dadaddddd'; /* a background job that p33 queued: p33 and the admin */
const SETTINGS_33 = 'dadaddddd'; /* the report settings of province 33: its officer and the admin */
const STATS = 'daaaaddaa'; /* national statistics: not for establishments */
const NATIONAL = 'daaddddad'; /* the ministry's national report: not for a province's accounts */
const SCOPE_33 = 'daaadddaa'; /* statistics or steps of province 33 */
const DELETE_33 = 'daaaddddd'; /* deleting a record of province 33 (not by establishments) */
/* Routes that check the body before the caller's scope: a denied caller
 * gets the same 400/404/409 as an allowed one and nothing changes. The
 * matrix shows only the role check there. */
const FIRST_BODY = 'daaaaaadd';
const READ_E1 = 'daaadadaa'; /* a record of E1 in province 33 */
const WRITE_E1 = 'daaadaddd';
const WRITE_33 = 'daaaddddd'; /* a record of province 33 the establishment may not change */
/* Moving an outcome report (an empty body: 400 after the role check): its
 * establishment sends, province officers and admins review; the ministry
 * does neither. Scope: tests/http/portal.test.mjs and unit/test_workflow. */
const OUTCOME_MOVE = 'dadaaaadd';

let c; /* caller name -> Client (bearer) */
let ids; /* the records the rows name */
before(async () => {
  const admin = await login(env.base, 'admin', env.adminPassword, 'bearer');
  const est = (await admin.get('/api/v1/establishments?province=33&per_page=2&sort=id')).body.items;
  for (const [name, e] of [['est1', est[0]], ['est2', est[1]]]) {
    const r = await admin.post('/api/v1/users', {
      json: { username: name, display_name: name, role: 'establishment', establishment_id: e.id, password: PW },
    });
    assert.equal(r.status, 201, r.text);
  }
  const product = (await admin.get(`/api/v1/products?establishment_id=${est[0].id}&per_page=1`)).body.items[0];
  const lot = (await admin.get(`/api/v1/lots?product_id=${product.id}&per_page=1`)).body.items[0];
  const project = (await admin.get('/api/v1/projects?province=33&per_page=1')).body.items[0];
  const proposal = (await admin.get('/api/v1/proposals?per_page=1')).body.items[0];
  const photo = await admin.post(`/api/v1/products/${product.id}/photos`, {
    body: PNG, headers: { 'Content-Type': 'image/png' },
  });
  assert.equal(photo.status, 201, photo.text);
  c = { anon: new Client(env.base), admin };
  for (const n of CALLERS.slice(2)) c[n] = await login(env.base, n, PW, 'bearer');
  const job = await c.p33.post('/reports/jobs?province=33&format=pdf&from=2020&to=2021', { body: '' });
  assert.equal(job.status, 303, job.text);
  // A file sent with the proposal (the first of this database: id 1).
  const pdf = await admin.post(`/proposals/${proposal.id}/files`, {
    body: Buffer.from('%PDF-1.4\n% matrix\n'.padEnd(200, ' ')), headers: { 'Content-Type': 'application/pdf' },
  });
  assert.equal(pdf.status, 303, pdf.text);
  // A report of province 33 sent up the chain (not accepted: nothing is locked).
  const sub = await c.p33.post('/api/v1/submissions', { json: { period_kind: 'year', year: 2024 } });
  assert.equal(sub.status, 201, sub.text);
  const sent = await c.p33.post(`/api/v1/submissions/${sub.body.id}/transitions`, { json: { to: 'submitted' } });
  assert.equal(sent.status, 200, sent.text);
  // A file attached to E1's establishment.
  const att = await admin.post(`/api/v1/establishments/${est[0].id}/attachments`, {
    body: Buffer.from('%PDF-1.4\n% matrix\n'.padEnd(200, ' ')), headers: { 'Content-Type': 'application/pdf' },
  });
  assert.equal(att.status, 201, att.text);
  ids = {
    submission: sub.body.id,
    attachment: att.body.id,
    file: 1,
    est: est[0].id, product: product.id, lot: lot.id, project: project.id, proposal: proposal.id,
    photo: photo.body.id, job: /\/jobs\/(\d+)/.exec(job.headers.get('location') || '')?.[1] ?? '0',
    gtin: product.gtin, lotCode: lot.lot_code,
  };
});

/* A photo of E1's product (a new one once a caller has removed the last). */
async function newPhoto(i) {
  const list = await c.admin.get(`/api/v1/products/${i.product}/photos`);
  if (list.body.items.length) return list.body.items[0].id;
  const r = await c.admin.post(`/api/v1/products/${i.product}/photos`, {
    body: PNG, headers: { 'Content-Type': 'image/png' },
  });
  assert.equal(r.status, 201, r.text);
  return r.body.id;
}

/* A new file attached to E1's establishment, for a caller to remove. */
async function newAttachment(i) {
  const r = await c.admin.post(`/api/v1/establishments/${i.est}/attachments`, {
    body: Buffer.from('%PDF-1.4\n% matrix\n'.padEnd(200, ' ')), headers: { 'Content-Type': 'application/pdf' },
  });
  assert.equal(r.status, 201, r.text);
  return r.body.id;
}

/* The table: "METHOD pattern" -> [concrete path, expected, options]. A
 * function path gets the ids. {collection} rows are expanded below. */
const ROWS = {
  'GET /healthz': ['/healthz', PUBLIC],
  'GET /static/{file}': ['/static/app.css', PUBLIC],
  'GET /api/v1': ['/api/v1', PUBLIC],
  'GET /api/v1/openapi.json': ['/api/v1/openapi.json', PUBLIC],
  'GET /api/v1/backup/status': ['/api/v1/backup/status', ADMIN],
  'GET /api': ['/api', PUBLIC],
  'POST /api/v1/session': ['/api/v1/session', PUBLIC, { json: {} }],
  'GET /api/v1/session': ['/api/v1/session', LOGIN],
  'DELETE /api/v1/session': ['/api/v1/session', LOGIN, { fresh: true }],
  'GET /api/v1/users': ['/api/v1/users', ADMIN],
  'POST /api/v1/users': ['/api/v1/users', ADMIN, { json: {} }],
  'PATCH /api/v1/users/{username}': ['/api/v1/users/viewer33', SELF_V33, { json: { lang: 'vi' } }],
  'GET /api/v1/audit': ['/api/v1/audit', ADMIN],
  'GET /api/v1/units': ['/api/v1/units?q=33', LOGIN],
  'GET /api/v1/units/{era}/{level}/{code}': ['/api/v1/units/new/province/33', LOGIN],
  'GET /api/v1/indicators': ['/api/v1/indicators', LOGIN],
  'GET /api/v1/suggest/{record_type}/{field}': ['/api/v1/suggest/projects/establishment_id?q=a', LOGIN],
  'GET /api/v1/stats': ['/api/v1/stats?indicator=training.trainees', STATS],
  'GET /api/v1/stats/map.svg': ['/api/v1/stats/map.svg?indicator=training.trainees', STATS],
  'GET /api/v1/reporting-periods': ['/api/v1/reporting-periods', LOGIN],
  'GET /api/v1/report-settings/{scope}': ['/api/v1/report-settings/33', SCOPE_33],
  'PATCH /api/v1/report-settings/{scope}': ['/api/v1/report-settings/33', SETTINGS_33, { json: {} }],
  'PATCH /api/v1/reporting-periods/{kind}': ['/api/v1/reporting-periods/year', ADMIN, { json: {} }],
  'GET /api/v1/targets/progress': ['/api/v1/targets/progress', STATS],
  'GET /api/v1/reports/periodic': ['/api/v1/reports/periodic?province=33&from=2020&to=2021&format=json', SCOPE_33],
  'GET /api/v1/jobs/{id}': [(i) => `/api/v1/jobs/${i.job}`, JOB_P33],
  'POST /api/v1/jobs/{id}/cancel': [(i) => `/api/v1/jobs/${i.job}/cancel`, JOB_P33],
  'GET /api/v1/dashboard': ['/api/v1/dashboard?province=33', SCOPE_33],
  'GET /api/v1/dashboard/chart.svg': ['/api/v1/dashboard/chart.svg?province=33&preset=all&illustrative=1&chart=0', SCOPE_33],
  'GET /api/v1/projects/{id}/steps': [(i) => `/api/v1/projects/${i.project}/steps`, SCOPE_33],
  'POST /api/v1/projects/{id}/transitions': [(i) => `/api/v1/projects/${i.project}/transitions`, FIRST_BODY, { json: {} }],
  'GET /api/v1/outcomes': ['/api/v1/outcomes', LOGIN],
  'POST /api/v1/outcome-reports/{id}/transitions': ['/api/v1/outcome-reports/1/transitions', OUTCOME_MOVE, { json: {} }],
  'GET /outcomes': ['/outcomes', LOGIN],
  'POST /outcome-reports/{id}/transition': ['/outcome-reports/1/transition', OUTCOME_MOVE, { form: {} }],
  'POST /api/v1/proposals/{id}/transitions': [(i) => `/api/v1/proposals/${i.proposal}/transitions`, WRITE_33, { json: {} }],
  'GET /login': ['/login', PUBLIC],
  'POST /login': ['/login', PUBLIC, { form: {} }],
  'POST /logout': ['/logout', LOGIN, { form: {}, fresh: true }],
  'POST /lang': ['/lang', PUBLIC, { form: { lang: 'vi' } }],
  'GET /': ['/', LOGIN],
  'GET /results': ['/results', LOGIN],
  'GET /dashboard': ['/dashboard?province=33', SCOPE_33],
  'GET /stats': ['/stats', LOGIN],
  'GET /programmes/{id}/targets': ['/programmes/1/targets', STATS],
  'GET /admin/reporting-periods': ['/admin/reporting-periods', ADMIN],
  'GET /reports/settings': ['/reports/settings?scope=33', SCOPE_33],
  'POST /reports/settings/{scope}': ['/reports/settings/33', SETTINGS_33, { form: {} }],
  'POST /admin/reporting-periods/{kind}': ['/admin/reporting-periods/year', ADMIN, { form: {} }],
  'GET /reports': ['/reports?province=33', LOGIN],
  'GET /admin/users': ['/admin/users', ADMIN],
  'POST /admin/users': ['/admin/users', ADMIN, { form: {} }],
  'POST /admin/users/{username}': ['/admin/users/viewer33', ADMIN, { form: {} }],
  'GET /admin/audit': ['/admin/audit', ADMIN],
  'GET /account': ['/account', LOGIN],
  'POST /account': ['/account', LOGIN, { form: {} }],
  'POST /projects/{id}/transition': [(i) => `/projects/${i.project}/transition`, FIRST_BODY, { form: {} }],
  'POST /proposals/{id}/transition': [(i) => `/proposals/${i.proposal}/transition`, WRITE_33, { form: {} }],
  'GET /api/v1/proposals/{id}/messages': [(i) => `/api/v1/proposals/${i.proposal}/messages`, SCOPE_33],
  'POST /api/v1/proposals/{id}/messages': [(i) => `/api/v1/proposals/${i.proposal}/messages`, WRITE_33, { json: { body: 'matrix' } }],
  'GET /api/v1/notifications': ['/api/v1/notifications', LOGIN],
  'POST /proposals/{id}/messages': [(i) => `/proposals/${i.proposal}/messages`, WRITE_33, { form: { body: 'matrix' } }],
  'POST /proposals/{id}/files': [(i) => `/proposals/${i.proposal}/files`, WRITE_33, { body: '' }],
  'GET /proposals/{id}/files/{file}': [(i) => `/proposals/${i.proposal}/files/${i.file}`, SCOPE_33],
  'POST /lots/{id}/steps': [(i) => `/lots/${i.lot}/steps`, WRITE_E1, { form: {} }],
  'GET /notifications': ['/notifications', LOGIN],
  'POST /notifications/read': ['/notifications/read', LOGIN, { form: {} }],
  'GET /san-pham': ['/san-pham', PUBLIC],
  'GET /san-pham/{id}': [(i) => `/san-pham/${i.product}`, PUBLIC],
  'GET /san-pham-tieu-bieu': ['/san-pham-tieu-bieu', PUBLIC],
  'GET /co-so/{id}': [(i) => `/co-so/${i.est}`, PUBLIC],
  'GET /lang-nghe/{id}': ['/lang-nghe/1', 'ddddddddd' /* the demo has no village page: 404 for all */],
  'GET /verify': ['/verify', PUBLIC],
  'GET /anh/{id}': [(i) => `/anh/${i.photo}`, PUBLIC],
  'GET /t/{id}': [(i) => `/t/${i.lot}`, PUBLIC],
  'GET /t/{id}/qr.svg': [(i) => `/t/${i.lot}/qr.svg`, PUBLIC],
  'GET /t/{id}/qr.png': [(i) => `/t/${i.lot}/qr.png`, PUBLIC],
  'GET /01/{gtin}/10/{lot}': [(i) => `/01/${i.gtin}/10/${i.lotCode}`, PUBLIC],
  'GET /01/{gtin}': [(i) => `/01/${i.gtin}`, PUBLIC],
  'GET /01/{gtin}/10/{lot}/21/{serial}': [(i) => `/01/${i.gtin}/10/${i.lotCode}/21/S1`, PUBLIC],
  'GET /01/{gtin}/21/{serial}': [(i) => `/01/${i.gtin}/21/S1`, PUBLIC],
  'GET /01/{gtin}/22/{variant}': [(i) => `/01/${i.gtin}/22/V1`, PUBLIC],
  'GET /01/{gtin}/22/{variant}/10/{lot}': [(i) => `/01/${i.gtin}/22/V1/10/${i.lotCode}`, PUBLIC],
  'GET /01/{gtin}/22/{variant}/21/{serial}': [(i) => `/01/${i.gtin}/22/V1/21/S1`, PUBLIC],
  'GET /01/{gtin}/22/{variant}/10/{lot}/21/{serial}': [(i) => `/01/${i.gtin}/22/V1/10/${i.lotCode}/21/S1`, PUBLIC],
  'GET /api/v1/public/products': ['/api/v1/public/products', PUBLIC],
  'GET /api/v1/public/products/{id}': [(i) => `/api/v1/public/products/${i.product}`, PUBLIC],
  'GET /api/v1/public/lots/{id}': [(i) => `/api/v1/public/lots/${i.lot}`, PUBLIC],
  'GET /api/v1/public/key': ['/api/v1/public/key', PUBLIC],
  'GET /api/v1/{parent}/{id}/attachments': [(i) => `/api/v1/establishments/${i.est}/attachments`, READ_E1],
  'POST /api/v1/{parent}/{id}/attachments': [(i) => `/api/v1/establishments/${i.est}/attachments`, WRITE_E1, { body: '' }],
  'GET /api/v1/{parent}/{id}/attachments/{attachment}': [(i) => `/api/v1/establishments/${i.est}/attachments/${i.attachment}`, READ_E1],
  'POST /{parent}/{id}/attachments': [(i) => `/establishments/${i.est}/attachments`, WRITE_E1, { body: '' }],
  'DELETE /api/v1/{parent}/{id}/attachments/{attachment}': [async (i) => `/api/v1/establishments/${i.est}/attachments/${await newAttachment(i)}`, WRITE_E1],
  'POST /{parent}/{id}/attachments/{attachment}/delete': [async (i) => `/establishments/${i.est}/attachments/${await newAttachment(i)}/delete`, WRITE_E1, { form: {} }],
  'GET /api/v1/products/{id}/photos': [(i) => `/api/v1/products/${i.product}/photos`, READ_E1],
  'POST /api/v1/products/{id}/photos': [(i) => `/api/v1/products/${i.product}/photos`, FIRST_BODY, { body: '' }],
  'DELETE /api/v1/products/{id}/photos/{photo}': [async (i) => `/api/v1/products/${i.product}/photos/${await newPhoto(i)}`, WRITE_E1],
  'POST /products/{id}/photos': [(i) => `/products/${i.product}/photos`, FIRST_BODY, { body: '' }],
  'POST /products/{id}/photos/{photo}/remove': [async (i) => `/products/${i.product}/photos/${await newPhoto(i)}/remove`, WRITE_E1, { form: {} }],
  'GET /lots/{id}/labels.pdf': [(i) => `/lots/${i.lot}/labels.pdf?count=1`, 'dadadaddd' /* its maker, its province's staff, the admin (defect 11) */],
  'GET /import': ['/import', WRITER],
  'POST /import': ['/import', WRITER, { body: '' }],
  'POST /import/commit': ['/import/commit', 'ddddddddd' /* no such upload: 404 */, { form: { token: 'x' } }],
  'GET /import/bad-rows': ['/import/bad-rows?token=x', 'ddddddddd' /* no such upload: 404 */],
  'GET /import/template': ['/import/template?kind=establishments', WRITER],
  'GET /jobs/{id}': [(i) => `/jobs/${i.job}`, JOB_P33],
  'POST /jobs/{id}/cancel': [(i) => `/jobs/${i.job}/cancel`, JOB_P33, { form: {} }],
  'GET /jobs/{id}/result': [(i) => `/jobs/${i.job}/result`, JOB_P33],
  'POST /reports/jobs': ['/reports/jobs?province=33&format=bogus', LOGIN, { form: {} }],
  'GET /api/v1/submissions': ['/api/v1/submissions', STATS],
  /* Province officers start their own; the admin names a province. */
  'POST /api/v1/submissions': ['/api/v1/submissions', 'dadaadddd', { json: {} }],
  'GET /api/v1/submissions/{id}': [(i) => `/api/v1/submissions/${i.submission}`, SCOPE_33],
  'GET /api/v1/submissions/{id}/snapshots/{seq}': [(i) => `/api/v1/submissions/${i.submission}/snapshots/1`, SCOPE_33],
  'GET /api/v1/submissions/{id}/snapshots/{seq}/{format}': [(i) => `/api/v1/submissions/${i.submission}/snapshots/1/pdf`, SCOPE_33],
  'GET /api/v1/submissions/{id}/compare': [(i) => `/api/v1/submissions/${i.submission}/compare?from=1&to=1`, SCOPE_33],
  'GET /api/v1/submissions/{id}/changes': [(i) => `/api/v1/submissions/${i.submission}/changes`, SCOPE_33],
  'POST /api/v1/submissions/{id}/transitions': [(i) => `/api/v1/submissions/${i.submission}/transitions`, WRITE_33, { json: {} }],
  'GET /api/v1/reporting-status': ['/api/v1/reporting-status?period_kind=year&year=2025', STATS],
  'GET /submissions': ['/submissions', STATS],
  'POST /submissions': ['/submissions', 'dadaadddd', { form: {} }],
  'GET /submissions/{id}': [(i) => `/submissions/${i.submission}`, SCOPE_33],
  'POST /submissions/{id}/transition': [(i) => `/submissions/${i.submission}/transition`, WRITE_33, { form: {} }],
  'GET /reporting-status': ['/reporting-status', STATS],
  'GET /api/v1/reports/consolidated': ['/api/v1/reports/consolidated?period_kind=year&year=2024', NATIONAL],
  'GET /reports/consolidated': ['/reports/consolidated', NATIONAL],
};

/* {collection} routes: [pattern, path of a record, expected per record]. */
const COLLECTION_ROWS = {
  'GET /api/v1/{collection}': [(k) => `/api/v1/${k}`, { establishments: LOGIN, products: LOGIN, lots: LOGIN }],
  'POST /api/v1/{collection}': [(k) => `/api/v1/${k}`, { establishments: WRITER, products: WRITER, lots: WRITER }, { json: {} }],
  'GET /api/v1/{collection}/{id}': [(k, id) => `/api/v1/${k}/${id}`, { establishments: READ_E1, products: READ_E1, lots: READ_E1 }],
  'PATCH /api/v1/{collection}/{id}': [(k, id) => `/api/v1/${k}/${id}`, { establishments: WRITE_E1, products: WRITE_E1, lots: WRITE_E1 }, { json: { name: 'x' }, headers: { 'If-Match': '"999999"' } }],
  'DELETE /api/v1/{collection}/{id}': [(k, id) => `/api/v1/${k}/${id}`, { establishments: DELETE_33, products: DELETE_33, lots: DELETE_33 }, { headers: { 'If-Match': '"999999"' } }],
  'GET /{collection}': [(k) => `/${k}`, { establishments: LOGIN, products: LOGIN, lots: LOGIN }],
  /* An establishment account adds products and lots, not establishments. */
  'GET /{collection}/new': [(k) => `/${k}/new`, { establishments: 'daaaadddd', products: WRITER, lots: WRITER }],
  'POST /{collection}/new': [(k) => `/${k}/new`, { establishments: WRITER, products: WRITER, lots: WRITER }, { form: {} }],
  'GET /{collection}/{id}': [(k, id) => `/${k}/${id}`, { establishments: READ_E1, products: READ_E1, lots: READ_E1 }],
  'GET /{collection}/{id}/edit': [(k, id) => `/${k}/${id}/edit`, { establishments: WRITE_E1, products: WRITE_E1, lots: WRITE_E1 }],
  'POST /{collection}/{id}/edit': [(k, id) => `/${k}/${id}/edit`, { establishments: WRITE_E1, products: WRITE_E1, lots: WRITE_E1 }, { form: { _version: '999999' } }],
  'POST /{collection}/{id}/delete': [(k, id) => `/${k}/${id}/delete`, { establishments: DELETE_33, products: DELETE_33, lots: DELETE_33 }, { form: { _version: '999999', confirm: '1' } }],
};

/* 'a' or 'd' for one answer (see the head of the file). */
function outcome(r) {
  if (r.status === 401 || r.status === 403 || r.status === 404) return 'd';
  if (r.status === 303 && /^\/login\?next=/.test(r.headers.get('location') || '')) return 'd';
  return 'a';
}

async function send(caller, method, path, opts = {}) {
  let client = c[caller];
  if (opts.fresh && caller !== 'anon')
    client = await login(env.base, caller, caller === 'admin' ? env.adminPassword : PW, 'bearer');
  const o = { headers: opts.headers };
  if (opts.json !== undefined) o.json = opts.json;
  if (opts.form !== undefined) {
    o.body = new URLSearchParams(opts.form).toString();
    o.headers = { ...o.headers, 'Content-Type': 'application/x-www-form-urlencoded' };
  }
  if (opts.body !== undefined) o.body = opts.body;
  const r = await client.request(method, path, o);
  checkSecurityHeaders(r.headers, `${caller} ${method} ${path}`);
  return outcome(r) + (process.env.KC_MATRIX_DEBUG ? `${r.status} ` : '');
}

test('every route of the route table has a row of the matrix', async () => {
  const { routes } = (await new Client(env.base).get('/api/v1')).body;
  assert.ok(routes.length > 50);
  const missing = routes
    .map((r) => `${r.method} ${r.path}`)
    .filter((k) => !(k in ROWS) && !(k in COLLECTION_ROWS));
  assert.deepEqual(missing, [], 'routes without a row in matrix.test.mjs: decide who may use them');
  const gone = [...Object.keys(ROWS), ...Object.keys(COLLECTION_ROWS)].filter(
    (k) => !routes.some((r) => `${r.method} ${r.path}` === k));
  assert.deepEqual(gone, [], 'rows of routes that no longer exist');
});

test('every route x every caller is allowed or denied as the matrix says', async () => {
  const bad = [];
  async function check(key, path, expected, opts) {
    const method = key.split(' ')[0];
    let got = '';
    let p = path;
    for (const caller of CALLERS) {
      p = typeof path === 'function' ? await path(ids) : path;
      got += await send(caller, method, p, opts);
    }
    if (got !== expected) bad.push(`${key} (${p}): expected ${expected}, got ${got}`);
  }
  for (const [key, [p, expected, opts]] of Object.entries(ROWS))
    await check(key, p, expected, opts);
  const recordId = { establishments: ids.est, products: ids.product, lots: ids.lot };
  for (const [key, [p, byKind, opts]] of Object.entries(COLLECTION_ROWS))
    for (const [kind, expected] of Object.entries(byKind))
      await check(key, p(kind, recordId[kind]), expected, opts);
  assert.deepEqual(bad, [], `callers: ${CALLERS.join(' ')}`);
});
