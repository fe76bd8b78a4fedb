// make-http-corpus.mjs - writes the seeds of fuzz_http (corpus/http): one
// request per route of the running server's route list (GET /api/v1), each
// {collection} route once per record type, and for each record type a JSON
// body made from one of its demo records (so every record type's JSON body
// has a valid seed). Run against a server on a database made by
// `khuyencong init`, logged in as the administrator:
//   node tests/fuzz/make-http-corpus.mjs http://127.0.0.1:PORT ADMIN_PASSWORD
// The first byte of a seed picks the caller (fuzz_http.c): 1 = admin.
import { mkdirSync, writeFileSync } from 'node:fs';
import path from 'node:path';

const [base, password] = process.argv.slice(2);
const out = path.join(path.dirname(new URL(import.meta.url).pathname), 'corpus', 'http');
mkdirSync(out, { recursive: true });
const login = await fetch(`${base}/api/v1/session`, {
  method: 'POST',
  headers: { 'Content-Type': 'application/json' },
  body: JSON.stringify({ username: 'admin', password }),
}).then((r) => r.json());
const auth = { Authorization: `Bearer ${login.token}` };
const get = (p) => fetch(base + p, { headers: auth }).then((r) => r.json());

const { routes } = await get('/api/v1');
const oa = await get('/api/v1/openapi.json');
const collections = Object.keys(oa.paths)
  .map((p) => /^\/api\/v1\/([a-z-]+)\/\{id\}$/.exec(p)?.[1])
  .filter((c) => c && c !== 'jobs' && c !== 'projects' && c !== 'public' && c !== 'units')
  .concat(['projects']);
const READONLY = new Set(['id', 'version', 'created_at', 'updated_at', 'province_code']);
const sample = {};
for (const c of collections) {
  const list = await get(`/api/v1/${c}?per_page=1`);
  const rec = list.items?.[0];
  if (!rec) continue;
  sample[c] = { id: rec.id, body: Object.fromEntries(Object.entries(rec).filter(([k, v]) => !READONLY.has(k) && v !== null && typeof v !== 'object')) };
}

let n = 0;
function seed(caller, method, p, { json, form, headers = [] } = {}) {
  const lines = [`${method} ${p}`, ...headers];
  let body = '';
  if (json !== undefined) {
    lines.push('Content-Type: application/json');
    body = JSON.stringify(json);
  } else if (form !== undefined) {
    lines.push('Content-Type: application/x-www-form-urlencoded');
    body = new URLSearchParams(form).toString();
  }
  const text = `${lines.join('\n')}\n\n${body}`;
  const name = `${String(++n).padStart(3, '0')}-${method}-${p.replace(/[^a-z0-9]+/gi, '_').slice(0, 60)}`;
  writeFileSync(path.join(out, name), Buffer.concat([Buffer.from([caller]), Buffer.from(text)]));
}

const fill = (pattern, c) =>
  pattern
    .replace('{collection}', c)
    .replace('{id}', String(sample[c]?.id ?? 1))
    .replace('{username}', 'fz.viewer')
    .replace('{era}/{level}/{code}', 'new/province/33')
    .replace('{kind}', 'year')
    .replace('{file}', 'app.css')
    .replace('{photo}', '1')
    .replace('{gtin}', '08935049500019')
    .replace('{lot}', 'LOT-1');
for (const r of routes) {
  const cs = r.path.includes('{collection}') ? Object.keys(sample) : [Object.keys(sample)[0]];
  for (const c of cs) {
    const p = fill(r.path, c);
    if (r.method === 'GET') seed(1, 'GET', p);
    else if (/^\/api\//.test(p) && r.method !== 'DELETE')
      seed(1, r.method, p, { json: r.path.includes('{collection}') ? sample[c].body : {} });
    else seed(1, r.method, p, { form: r.path.includes('{collection}') ? sample[c].body : {} });
  }
}
seed(1, 'GET', '/api/v1/stats?indicator=training.trainees&from=2016&to=2025&by=province');
seed(1, 'GET', '/dashboard?province=33&from=2016&to=2025');
seed(1, 'GET', '/api/v1/establishments?q=lang+nghe&sort=-name&page=2&per_page=5');
seed(0, 'POST', '/api/v1/session', { json: { username: 'fz.p33', password: 'fuzz-password-1' } });
seed(3, 'GET', '/api/v1/establishments', { headers: ['Cookie: kc_lang=en; kc_session=x'] });
seed(5, 'PATCH', `/api/v1/establishments/${sample.establishments.id}`, { json: { workers: 12 }, headers: ['If-Match: "1"'] });
seed(0, 'GET', '/verify?url=http%3A%2F%2Fx%2F01%2F08935049500019%2F10%2FLOT-1%3Fs%3DAAAA');
console.log(`${n} seeds in ${out}`);
