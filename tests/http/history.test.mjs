// history.test.mjs - what the workflow owns cannot be written around it.
// Project steps (issue 11, defect 9): created only by a transition; the step
// API and forms are read-only (405 naming the transition), corrections are
// new audited steps. Proposals (defect 10): once submitted, the
// establishment cannot change them (409 naming the status) except through
// the workflow actions.
import assert from 'node:assert/strict';
import { writeFile } from 'node:fs/promises';
import path from 'node:path';
import { after, before, test } from 'node:test';

import { login, run, setup } from './lib.mjs';

const PW = 'history-pass-0101';
const env = await setup(after, {
  prefix: 'history',
  users: [{ name: 'hungyen', role: 'province', province: '33', password: PW }],
});

const VI = /[ạảấầẩậắằẳặẹẻếềểệỉịọỏốồổộớờởợụủứừửựỳỷỹđ]/i;
let admin;
let officer; /* province 33, bearer */
let officerWeb; /* the same account with the cookie, for forms */
let project;
let step;

function status(res, want, what = '') {
  assert.equal(res.status, want, `${what} ${res.status} ${res.text}`);
}

/* 405, with the methods still allowed (GET, or none for the forms to
 * write), and a message that points to the transition. */
function assertHistory(res, what, allow = 'GET') {
  status(res, 405, what);
  assert.equal(res.headers.get('allow') ?? '', allow, what);
  assert.match(res.body?.error?.message ?? res.text, /transitions/, what);
}

const steps = async () => (await admin.get(`/api/v1/projects/${project}/steps`)).body.steps;

before(async () => {
  admin = await login(env.base, 'admin', env.adminPassword, 'bearer');
  officer = await login(env.base, 'hungyen', PW, 'bearer');
  officerWeb = await login(env.base, 'hungyen', PW);
  const p = await officer.post('/api/v1/projects', {
    json: { title: 'Đề án thử nghiệm lịch sử Văn Giang', year: 2026, province: '33',
      content_type: 'demo_model', kind: 'local' },
  });
  status(p, 201);
  project = p.body.id;
  status(await officer.post(`/api/v1/projects/${project}/transitions`, {
    json: { to: 'province_appraised', date: '10/03/2026', decision_no: '12/SCT' },
  }), 200);
  step = (await steps())[0].id;
});

test('a province user cannot forge a step: POST /api/v1/project-events is 405', async () => {
  const r = await officer.post('/api/v1/project-events', {
    json: { project_id: project, status: 'settled', from_status: 'draft', event_date: '01/01/2020' },
  });
  assertHistory(r, 'POST');
  assert.equal(r.body.error.code, 'method_not_allowed');
  assert.match(r.body.error.message, VI);
  assert.equal((await steps()).length, 1);
  assert.equal((await admin.get(`/api/v1/projects/${project}`)).body.status, 'province_appraised');
});

test('a real step cannot be changed or deleted: PATCH and DELETE are 405', async () => {
  assertHistory(await officer.patch(`/api/v1/project-events/${step}`, {
    json: { event_date: '01/01/2020', status: 'settled' }, headers: { 'If-Match': '"1"' },
  }), 'PATCH');
  assertHistory(await admin.delete(`/api/v1/project-events/${step}`, {
    headers: { 'If-Match': '"1"' },
  }), 'DELETE (even the admin)');
  const s = await steps();
  assert.equal(s.length, 1);
  assert.equal(s[0].event_date, '2026-03-10');
  assert.equal(s[0].version, 1);
  status(await officer.get(`/api/v1/project-events/${step}`), 200);
});

test('the forms refuse too: new, edit and delete of a step are 405', async () => {
  const form = (body) => ({
    body: new URLSearchParams(body).toString(),
    headers: { 'Content-Type': 'application/x-www-form-urlencoded' },
  });
  assertHistory(await officerWeb.post('/project-events/new', form({
    project_id: String(project), status: 'settled', event_date: '01/01/2020',
  })), 'POST /project-events/new', '');
  assertHistory(await officerWeb.get('/project-events/new'), 'GET /project-events/new', '');
  assertHistory(await officerWeb.post(`/project-events/${step}/edit`, form({
    _version: '1', event_date: '01/01/2020',
  })), 'edit', '');
  assertHistory(await officerWeb.get(`/project-events/${step}/edit`), 'edit page', '');
  assertHistory(await officerWeb.post(`/project-events/${step}/delete`, form({
    _version: '1', confirm: '1',
  })), 'delete', '');
  assert.equal((await steps()).length, 1);
  // The step's page offers no edit or delete; the project's page no "+ step".
  const page = await officerWeb.get(`/project-events/${step}`);
  status(page, 200);
  assert.doesNotMatch(page.text, /id="edit"|id="delete"/);
  const list = await officerWeb.get('/project-events');
  assert.doesNotMatch(list.text, /id="new-record"/);
  const proj = await officerWeb.get(`/projects/${project}`);
  assert.doesNotMatch(proj.text, /href="\/project-events\/new/);
});

test('the OpenAPI document offers reading steps only', async () => {
  const doc = (await admin.get('/api/v1/openapi.json')).body;
  assert.deepEqual(Object.keys(doc.paths['/api/v1/project-events']), ['get']);
  assert.deepEqual(Object.keys(doc.paths['/api/v1/project-events/{id}']), ['get']);
  assert.ok(doc.paths['/api/v1/projects/{id}/transitions'].post);
  assert.ok(doc.paths['/api/v1/establishments'].post, 'other records stay writable');
});

/* An import of steps goes through the transitions (issue 16: history in lifecycle
 * order): a step the lifecycle does not allow is refused and nothing is written. */
test('an imported step out of lifecycle order is refused; nothing is written', async () => {
  const file = path.join(env.dir, 'steps.csv');
  await writeFile(file, `project_id,status,from_status,event_date\r\n${project},settled,draft,01/01/2020\r\n`);
  const r = await run(['import', '--db', env.db, '--kind', 'project-events', file]);
  assert.equal(r.code, 1, r.stdout + r.stderr);
  assert.match(r.stdout + r.stderr, /status/);
  assert.equal((await steps()).length, 1);
});

test('a correction is a new step through the transition, audited', async () => {
  const r = await officer.post(`/api/v1/projects/${project}/transitions`, {
    json: { to: 'needs_supplement', date: '12/03/2026', note: 'Sửa: thiếu hồ sơ' },
  });
  // A local project goes from province_appraised to approval or back.
  if (r.status !== 200) {
    const next = (await admin.get(`/api/v1/projects/${project}/steps`)).body.next;
    assert.fail(`transition refused (${r.status} ${r.text}); allowed: ${next}`);
  }
  const s = await steps();
  assert.equal(s.length, 2);
  assert.equal(s[1].from_status, 'province_appraised');
  const audit = await admin.get(`/api/v1/audit?entity=project-events&entity_id=${s[1].id}`);
  status(audit, 200);
  assert.equal(audit.body.items.length, 1);
  assert.equal(audit.body.items[0].action, 'create');
  assert.equal(audit.body.items[0].username, 'hungyen');
  // Dates never go backwards.
  const back = await officer.post(`/api/v1/projects/${project}/transitions`, {
    json: { to: 'draft', date: '01/03/2026' },
  });
  status(back, 400);
  assert.equal(back.body.error.field, 'date');
});

/* ---- proposals ---- */

const EST_PW = 'establishment-pass-1';
let est;
let estWeb;
let proposal;

test('proposal: the establishment edits its draft, submits it, then it is locked (409 naming the status)', async () => {
  const e = await admin.post('/api/v1/establishments', {
    json: { name: 'Hợp tác xã thử nghiệm khóa đề xuất', kind: 'cooperative', commune_id: 'Xã Mễ Sở, Hưng Yên' },
  });
  status(e, 201);
  const u = await run(['user', 'add', 'coso', '--role', 'establishment', '--establishment',
    String(e.body.id), '--db', env.db], { input: `${EST_PW}\n` });
  assert.equal(u.code, 0, u.stderr);
  est = await login(env.base, 'coso', EST_PW, 'bearer');
  estWeb = await login(env.base, 'coso', EST_PW);
  const p = await est.post('/api/v1/proposals', {
    json: { establishment_id: e.body.id, title: 'Đề xuất thử nghiệm máy sấy', content_type: 'machinery',
      year: 2027, cost: '400 triệu đồng' },
  });
  status(p, 201);
  proposal = p.body.id;
  const edit = await est.patch(`/api/v1/proposals/${proposal}`, {
    json: { cost: '450 triệu đồng' }, headers: { 'If-Match': p.headers.get('etag') },
  });
  status(edit, 200, 'a draft is editable');
  status(await est.post(`/api/v1/proposals/${proposal}/transitions`, { json: { to: 'submitted' } }), 200);
  await assertLocked('submitted');
});

async function assertLocked(statusName) {
  const cur = await est.get(`/api/v1/proposals/${proposal}`);
  const r = await est.patch(`/api/v1/proposals/${proposal}`, {
    json: { cost: '9 tỷ đồng' }, headers: { 'If-Match': cur.headers.get('etag') },
  });
  status(r, 409, statusName);
  assert.equal(r.body.error.code, 'conflict');
  assert.equal(r.body.error.field, 'status');
  assert.ok(r.body.error.message.includes(`"${statusName}"`), r.body.error.message);
  // The form is refused the same way.
  const f = await estWeb.post(`/proposals/${proposal}/edit`, {
    body: new URLSearchParams({ _version: String(cur.body.version), cost: '9 tỷ đồng',
      title: cur.body.title }).toString(),
    headers: { 'Content-Type': 'application/x-www-form-urlencoded' },
  });
  status(f, 409, `form, ${statusName}`);
  const after = await admin.get(`/api/v1/proposals/${proposal}`);
  assert.equal(after.body.cost, 450_000_000);
  assert.equal(after.body.version, cur.body.version);
}

test('proposal: sent back for supplement it is editable again; accepted it is locked', async () => {
  status(await officer.post(`/api/v1/proposals/${proposal}/transitions`, {
    json: { to: 'needs_supplement', note: 'Bổ sung báo giá' },
  }), 200);
  const cur = await est.get(`/api/v1/proposals/${proposal}`);
  const r = await est.patch(`/api/v1/proposals/${proposal}`, {
    json: { needs: 'Máy sấy, kèm báo giá' }, headers: { 'If-Match': cur.headers.get('etag') },
  });
  status(r, 200);
  status(await est.post(`/api/v1/proposals/${proposal}/transitions`, { json: { to: 'submitted' } }), 200);
  status(await officer.post(`/api/v1/proposals/${proposal}/transitions`, { json: { to: 'accepted' } }), 200);
  await assertLocked('accepted');
  // The workflow still moves it on.
  const c = await officer.post(`/api/v1/proposals/${proposal}/transitions`, { json: { to: 'converted' } });
  status(c, 200);
  assert.equal(c.body.status, 'converted');
});
