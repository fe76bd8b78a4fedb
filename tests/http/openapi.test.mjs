// openapi.test.mjs - the OpenAPI document at /api/v1/openapi.json: valid
// OpenAPI 3.1 (an npm validator), every route the server registers is in it
// and every path in it exists, it covers every record type, the answers of
// the server match the schemas it states, and /api shows it to people.
//
// Needs tests/openapi/node_modules (scripts/setup runs npm ci there).
import assert from 'node:assert/strict';
import { execFileSync } from 'node:child_process';
import { existsSync } from 'node:fs';
import { after, before, test } from 'node:test';
import { fileURLToPath } from 'node:url';

import { PG, psql } from '../pg/pglib.mjs';
import { Client, login, setup } from './lib.mjs';

const modules = fileURLToPath(new URL('../openapi/node_modules/', import.meta.url));
if (!existsSync(`${modules}@seriousme/openapi-schema-validator`))
  throw new Error(`${modules} is missing: run scripts/setup (npm ci in tests/openapi)`);
const { Validator } = await import(`${modules}@seriousme/openapi-schema-validator/index.js`);
const { default: Ajv2020 } = await import(`${modules}ajv/dist/2020.js`);
const { default: addFormats } = await import(`${modules}ajv-formats/dist/index.js`);

const PW = 'viewer-pass-0001';
const env = await setup(after, {
  prefix: 'openapi',
  users: [{ name: 'xem', role: 'viewer', password: PW }],
});

let doc; // the document as served
let admin; // bearer client
let anon;
let ajv;
let collections; // record types, from the database's record tables
/* Histories written only through a workflow (docs/records.md): read-only. */
const HISTORIES = ['project-events'];
const writes = (method) => !['GET', 'HEAD'].includes(method.toUpperCase());
before(async () => {
  anon = new Client(env.base);
  const r = await anon.get('/api/v1/openapi.json');
  assert.equal(r.status, 200, r.text);
  doc = r.body;
  admin = await login(env.base, 'admin', env.adminPassword, 'bearer');
  ajv = new Ajv2020({ strict: false, allErrors: true, validateSchema: false });
  addFormats(ajv);
  ajv.addSchema(doc, 'openapi.json');
  /* Independent of the document: record tables are those with a search key,
   * read from the database's own catalogue (SQLite or PostgreSQL). */
  const out = PG
    ? await psql("SELECT table_name FROM information_schema.columns WHERE column_name = 'search_key'" +
        ' AND table_schema = current_schema() ORDER BY 1', env.db)
    : execFileSync('sqlite3', [
      env.db,
      "SELECT m.name FROM sqlite_master m WHERE m.type = 'table' AND EXISTS " +
        "(SELECT 1 FROM pragma_table_info(m.name) WHERE name = 'search_key') ORDER BY 1",
    ]).toString();
  collections = out.trim().split('\n').filter(Boolean).map((t) => t.replace(/_/g, '-'));
  assert.ok(collections.length >= 10, `record tables: ${collections}`);
});

const METHODS = ['get', 'put', 'post', 'delete', 'options', 'head', 'patch', 'trace'];

function* operations() {
  for (const [path, item] of Object.entries(doc.paths))
    for (const m of METHODS) if (item[m]) yield { path, method: m, op: item[m] };
}

function validator(pointer) {
  const v = ajv.getSchema(`openapi.json#${pointer}`);
  assert.ok(v, `no schema at ${pointer}`);
  return v;
}

function assertValid(pointer, value, what) {
  const v = validator(pointer);
  assert.ok(v(value), `${what} does not match ${pointer}: ${ajv.errorsText(v.errors)}\n` +
    JSON.stringify(value).slice(0, 400));
}

/* Local "#/..." references to their target. */
function deref(o) {
  for (let i = 0; o && o.$ref && i < 5; i++)
    o = o.$ref.slice(2).split('/').reduce((a, k) => a?.[k], doc);
  return o;
}

/* Path parameters filled with existing values: ids from the collection's
 * list (or an id that does not exist), the rest from the examples. */
async function concrete(path, op) {
  let p = path;
  let missingId = false;
  for (const param of op.parameters || []) {
    const pr = deref(param);
    if (pr.in !== 'path') continue;
    let value = pr.example;
    if (pr.name === 'id') {
      /* The list is the path up to {id}: /api/v1/projects/{id}/steps -> /api/v1/projects */
      const list = await admin.get(`${path.slice(0, path.indexOf('/{id}'))}?per_page=1`);
      value = list.body?.items?.[0]?.id;
      if (value === undefined) {
        value = 999999999;
        missingId = true;
      }
    }
    assert.notEqual(value, undefined, `${path}: no example for {${pr.name}}`);
    p = p.replace(`{${pr.name}}`, encodeURIComponent(String(value)));
  }
  return { url: p, missingId };
}

test('the document is served to anyone as JSON, OpenAPI 3.1, with the server version', async () => {
  const r = await anon.get('/api/v1/openapi.json');
  assert.match(r.headers.get('content-type'), /^application\/json/);
  assert.equal(doc.openapi, '3.1.0');
  const health = await anon.get('/healthz');
  assert.equal(doc.info.version, health.body.version);
  assert.ok(doc.info.title && doc.info.description);
  const bad = await anon.get('/api/v1/openapi.json?x=1');
  assert.equal(bad.status, 400, 'undeclared query parameters are refused, as documented');
  assert.equal(bad.body.error.field, 'x');
});

test('an OpenAPI validator accepts the document and every $ref resolves', async () => {
  const v = new Validator();
  const res = await v.validate(structuredClone(doc));
  assert.ok(res.valid, JSON.stringify(res.errors, null, 1));
  assert.equal(v.version, '3.1');
  assert.doesNotThrow(() => v.resolveRefs());
  /* Every schema compiles as JSON Schema 2020-12. */
  for (const name of Object.keys(doc.components.schemas))
    validator(`/components/schemas/${name}`);
});

test('every API route the server registers is documented, with its access level', async () => {
  const index = await anon.get('/api/v1');
  assert.equal(index.status, 200);
  const api = index.body.routes.filter(
    (r) => r.path === '/healthz' || r.path === '/api/v1' || r.path.startsWith('/api/v1/'));
  assert.ok(api.length >= 20);
  for (const r of api) {
    const paths = r.path.includes('{collection}')
      ? collections.filter((c) => !writes(r.method) || !HISTORIES.includes(c))
        .map((c) => r.path.replace('{collection}', c))
      : [r.path];
    for (const p of paths) {
      const op = doc.paths[p]?.[r.method.toLowerCase()];
      assert.ok(op, `${r.method} ${p} is not documented`);
      assert.equal(op['x-access'], r.access, `${r.method} ${p}: access`);
      assert.ok(op.summary.includes(r.summary), `${r.method} ${p}: summary`);
    }
  }
  /* ...and nothing is documented that the server does not register. */
  const known = new Set(api.map((r) => `${r.method} ${r.path}`));
  for (const { path, method } of operations()) {
    const pattern = collections.reduce(
      (p, c) => p.replace(new RegExp(`^/api/v1/${c}(?=/|$)`), '/api/v1/{collection}'), path);
    assert.ok(known.has(`${method.toUpperCase()} ${path}`) ||
      known.has(`${method.toUpperCase()} ${pattern}`), `${method} ${path} is not a route`);
  }
});

test('every documented operation exists: no 404 or 405 without credentials', async () => {
  let n = 0;
  for (const { path, method, op } of operations()) {
    const { url, missingId } = await concrete(path, op);
    /* Without credentials the router answers 401 for protected routes after
     * matching the path and method, so nothing is changed. */
    const r = await anon.request(method.toUpperCase(), url,
      method === 'get' || method === 'delete' ? {} : { json: {} });
    /* A record that does not exist is the handler's 404 (naming the id), not
     * the router's (which names no field). */
    const handlers404 = r.status === 404 && missingId && r.body?.error?.field;
    assert.ok(![404, 405].includes(r.status) || handlers404,
      `${method} ${url}: ${r.status} ${r.text.slice(0, 200)}`);
    if (op['x-access'] !== 'public') {
      assert.equal(r.status, 401, `${method} ${url} without credentials`);
      assert.ok(op.responses['401'], `${method} ${path} documents 401`);
    }
    n++;
  }
  assert.ok(n > 50, `${n} operations`);
});

test('every documented GET answers the admin (not 404/405) with the documented shape', async () => {
  for (const { path, method, op } of operations()) {
    if (method !== 'get') continue;
    const { url, missingId } = await concrete(path, op);
    const r = await admin.get(url);
    if (missingId) {
      assert.equal(r.status, 404, `${url}: ${r.status}`);
      assertValid('/components/schemas/Error', r.body, `${url} 404`);
      continue;
    }
    assert.ok(![404, 405].includes(r.status), `GET ${url}: ${r.status} ${r.text.slice(0, 200)}`);
    const documented = op.responses[String(r.status)] ?? op.responses[`${String(r.status)[0]}XX`];
    assert.ok(documented, `GET ${url} answered ${r.status}, which is not documented`);
    if (r.status === 200 && r.body !== undefined) {
      const pointer = `/paths/${path.replace(/~/g, '~0').replace(/\//g, '~1')}` +
        '/get/responses/200/content/application~1json/schema';
      assertValid(pointer, r.body, `GET ${url}`);
    }
    if (r.status >= 400) assertValid('/components/schemas/Error', r.body, `GET ${url}`);
  }
});

test('the document covers every record type: list, create, read, change, delete', async () => {
  for (const c of collections) {
    const list = doc.paths[`/api/v1/${c}`];
    const one = doc.paths[`/api/v1/${c}/{id}`];
    if (HISTORIES.includes(c)) {
      assert.deepEqual(Object.keys(list), ['get'], `/api/v1/${c} is read-only`);
      assert.deepEqual(Object.keys(one), ['get'], `/api/v1/${c}/{id} is read-only`);
      continue;
    }
    assert.ok(list?.get && list?.post, `/api/v1/${c}`);
    assert.ok(one?.get && one?.patch && one?.delete, `/api/v1/${c}/{id}`);
    assert.equal(list.get.tags[0], c);
    assert.ok(doc.tags.some((t) => t.name === c), `tag ${c}`);
    /* The list envelope and its record schema. */
    const listSchema = deref(list.get.responses['200'].content['application/json'].schema);
    assert.deepEqual([...listSchema.required].sort(), ['items', 'page', 'per_page', 'total', 'total_exact']);
    const rec = deref(listSchema.properties.items.items);
    for (const k of ['id', 'version', 'created_at', 'updated_at', 'province_code'])
      assert.ok(rec.properties[k], `${c}: system field ${k}`);
    /* Answers hold exactly the documented fields. */
    const r = await admin.get(`/api/v1/${c}?per_page=5`);
    assert.equal(r.status, 200, `${c}: ${r.text}`);
    for (const item of r.body.items)
      for (const k of Object.keys(item))
        assert.ok(rec.properties[k], `${c}: field ${k} of the answer is not documented`);
    if (r.body.items.length) {
      const got = await admin.get(`/api/v1/${c}/${r.body.items[0].id}`);
      assert.equal(got.headers.get('etag'), `"${got.body.version}"`);
      assert.ok(one.get.responses['200'].headers.ETag, `${c}: ETag documented`);
    }
    /* Declared list parameters: the common ones and the type's filters. */
    const names = list.get.parameters.map((p) => deref(p).name);
    for (const p of ['q', 'page', 'per_page', 'sort', 'order', 'province', 'old_province'])
      assert.ok(names.includes(p), `${c}: ${p}`);
    /* Changing and deleting read If-Match and may answer 412 and 409. */
    for (const m of ['patch', 'delete']) {
      assert.ok(one[m].parameters.some((p) => deref(p).name === 'If-Match'), `${c} ${m} If-Match`);
      for (const s of ['401', '403', '404', '409', '412']) assert.ok(one[m].responses[s], `${c} ${m} ${s}`);
    }
  }
});

test('record bodies: writable fields with their types, codes and Vietnamese forms', async () => {
  const post = doc.paths['/api/v1/establishments'].post;
  const body = post.requestBody.content['application/json'].schema;
  for (const f of ['name', 'kind', 'commune_id']) assert.ok(body.required.includes(f), f);
  const input = deref(body.allOf[0]);
  assert.equal(input.additionalProperties, false);
  assert.ok(input.properties.kind.enum.includes('cooperative'));
  assert.ok(!input.properties.industry_edition, 'read-only fields are not writable');
  assert.ok(input.properties.owner_female.type.includes('boolean'));
  assert.ok(input.properties.workers.type.includes('integer'));
  const plan = deref(doc.paths['/api/v1/plans'].post.requestBody.content['application/json'].schema.allOf[0]);
  assert.deepEqual(plan.properties.budget_national.type, ['integer', 'string', 'null'], 'money');
  assert.match(plan.properties.budget_national.description, /tỷ đồng/);
  assert.equal(plan.properties.decision_date.type[0], 'string', 'dates');
  const fig = deref(doc.paths['/api/v1/figures'].post.requestBody.content['application/json'].schema.allOf[0]);
  const qty = fig.properties.value.anyOf;
  assert.ok(qty.some((s) => s.type === 'string'), 'F_QTY as text');
  assert.ok(qty.some((s) => s.$ref === '#/components/schemas/QuantityInput'), 'F_QTY as object');
  const rec = deref(doc.paths['/api/v1/figures/{id}'].get.responses['200'].content['application/json'].schema);
  assert.ok(rec.properties.value.anyOf.some((s) => s.$ref === '#/components/schemas/Quantity'));
  /* PATCH requires nothing. */
  const patch = doc.paths['/api/v1/establishments/{id}'].patch.requestBody;
  assert.equal(patch.required, false);

  /* A body the document accepts is accepted, and the answer matches. */
  const units = await admin.get('/api/v1/units?level=commune&era=new&per_page=1');
  const created = {
    name: 'Cơ sở mô tả API',
    kind: 'household',
    commune_id: units.body.items[0].id,
    workers: '1.250',
    owner_female: 'có',
  };
  const inputValid = ajv.compile({ $ref: 'openapi.json#/paths/~1api~1v1~1establishments/post/requestBody/content/application~1json/schema' });
  assert.ok(inputValid(created), ajv.errorsText(inputValid.errors));
  assert.ok(!inputValid({ ...created, bogus: 1 }), 'unknown fields are refused by the schema');
  const r = await admin.post('/api/v1/establishments', { json: created });
  assert.equal(r.status, 201, r.text);
  assert.ok(post.responses['201'].headers.Location);
  assertValid('/components/schemas/Establishment', r.body, 'the created record');
  assert.equal(r.body.workers, 1250);
  const refused = await admin.post('/api/v1/establishments', { json: { ...created, bogus: 1 } });
  assert.equal(refused.status, 400);
  assertValid('/components/schemas/Error', refused.body, 'the 400');
});

test('other bodies: declared fields, required ones, enums from the tables', () => {
  const session = doc.paths['/api/v1/session'].post;
  const s = session.requestBody.content['application/json'].schema;
  assert.deepEqual(Object.keys(s.properties).sort(), ['password', 'username']);
  assert.deepEqual(s.required, ['username', 'password']);
  assert.deepEqual(session.security, []);
  assert.ok(session.responses['429'], 'login throttling');
  assert.ok(session.responses['201']);
  const users = doc.paths['/api/v1/users'].post.requestBody.content['application/json'].schema;
  assert.deepEqual(users.properties.role.enum, ['admin', 'ministry', 'province', 'establishment', 'viewer']);
  assert.ok(users.properties.password.minLength >= 10);
  const tr = doc.paths['/api/v1/projects/{id}/transitions'].post.requestBody.content['application/json'].schema;
  assert.ok(tr.properties.to.enum.includes('approved'));
  assert.deepEqual(tr.required, ['to']);
  const pr = doc.paths['/api/v1/proposals/{id}/transitions'].post.requestBody.content['application/json'].schema;
  assert.ok(pr.properties.to.enum.includes('converted'));
});

test('error responses: the one error shape, by access level and method', () => {
  const err = doc.components.schemas.Error;
  assert.deepEqual(err.required, ['error']);
  assert.deepEqual(err.properties.error.required, ['code', 'message', 'field']);
  for (const s of ['BadRequest', 'Unauthorized', 'Forbidden', 'NotFound', 'MethodNotAllowed',
    'Conflict', 'PreconditionFailed', 'PayloadTooLarge', 'TooManyRequests'])
    assert.equal(doc.components.responses[s].content['application/json'].schema.$ref,
      '#/components/schemas/Error', s);
  for (const { path, method, op } of operations()) {
    const codes = Object.keys(op.responses);
    const where = `${method} ${path}`;
    assert.ok(codes.includes('400'), `${where}: 400`);
    if (op['x-access'] === 'public') {
      assert.ok(!codes.includes('401'), `${where}: public, no 401`);
      assert.deepEqual(op.security, [], `${where}: no credentials needed`);
    } else {
      assert.ok(codes.includes('401') && codes.includes('403'), `${where}: 401/403`);
      assert.equal(op.security, undefined, `${where}: the document's security applies`);
    }
    if (path.includes('{')) assert.ok(codes.includes('404'), `${where}: 404`);
    if (op.requestBody) assert.ok(codes.includes('413'), `${where}: 413`);
    if (op.requestBody?.content['application/json'])
      assert.ok(codes.includes('415'), `${where}: 415`);
  }
  assert.ok(doc.paths['/healthz'].get.responses['503']);
});

test('security schemes: bearer token, or the session cookie with X-CSRF-Token', () => {
  const { bearerAuth, cookieAuth } = doc.components.securitySchemes;
  assert.equal(bearerAuth.type, 'http');
  assert.equal(bearerAuth.scheme, 'bearer');
  assert.equal(cookieAuth.type, 'apiKey');
  assert.equal(cookieAuth.in, 'cookie');
  assert.equal(cookieAuth.name, 'kc_session');
  assert.match(cookieAuth.description, /X-CSRF-Token/);
  assert.deepEqual(doc.security, [{ bearerAuth: [] }, { cookieAuth: [] }]);
});

test('every parameter and tag is described; operation ids are unique', () => {
  const ids = new Set();
  const tags = new Set(doc.tags.map((t) => t.name));
  for (const { path, method, op } of operations()) {
    assert.ok(!ids.has(op.operationId), `duplicate operationId ${op.operationId}`);
    ids.add(op.operationId);
    assert.ok(op.summary, `${method} ${path}: summary`);
    assert.ok(tags.has(op.tags[0]), `${method} ${path}: tag ${op.tags[0]}`);
    for (const p of op.parameters || []) {
      const pr = deref(p);
      assert.ok(pr.description && !pr.description.includes('(not described)'),
        `${method} ${path}: parameter ${pr.name} is not described (openapi.c dictionaries)`);
    }
    const body = op.requestBody?.content;
    const props = (body?.['application/json'] || body?.['multipart/form-data'])?.schema.properties || {};
    for (const [k, v] of Object.entries(props))
      assert.ok(v.description && !v.description.includes('(not described)'),
        `${method} ${path}: body field ${k} is not described`);
  }
  for (const t of doc.tags) assert.ok(t.description, `tag ${t.name} has a description`);
});

test('/api shows the document to people and every page links to it', async () => {
  const r = await anon.get('/api');
  assert.equal(r.status, 200);
  assert.match(r.headers.get('content-type'), /^text\/html/);
  assert.ok(r.text.includes('openapi.json'));
  for (const t of doc.tags) assert.ok(r.text.includes(`id="tag-${t.name}"`), `section ${t.name}`);
  assert.ok(r.text.includes('/api/v1/establishments/{id}'));
  assert.ok(r.text.includes('X-CSRF-Token'));
  assert.ok(!r.text.includes('<script'), 'no script needed');
  const login = await anon.get('/login');
  assert.match(login.text, /<footer[^>]*>.*href="\/api"/s);
  const en = new Client(env.base);
  en.jar.set('kc_lang', 'en');
  const page = await en.get('/api');
  assert.match(page.text, /Programming interface/);
});

test('GET /api/v1/backup/status is for administrators', async () => {
  const viewer = await login(env.base, 'xem', PW, 'bearer');
  assert.equal((await viewer.get('/api/v1/backup/status')).status, 403);
  const r = await admin.get('/api/v1/backup/status');
  assert.equal(r.status, 200);
  assert.equal(r.body.last_backup, null);
  assert.equal(r.body.schema_version, r.body.schema_latest);
});
