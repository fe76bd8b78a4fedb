// portal.test.mjs - the day of an establishment account (issue 19): its own menu and home
// page where every link works, forms that fill in its own establishment, a proposal sent
// with a reference and a date, an exchange kept both ways with notifications on both sides,
// no staff-only fields or links that fail on save, several lot steps at once (all or none),
// and a phone's photo (6 MB JPEG) accepted, shown resized and upright, the original kept;
// the outcomes of its support reported a year after acceptance, reviewed by its province.
import assert from 'node:assert/strict';
import { spawnSync } from 'node:child_process';
import { writeFile } from 'node:fs/promises';
import path from 'node:path';
import { after, before, test } from 'node:test';

import { Client, connect, login, readResponse, run, setup } from './lib.mjs';

const PW = 'portal-pass-0101';
const env = await setup(after, {
  prefix: 'portal',
  users: [
    { name: 'hungyen', role: 'province', province: '33', password: PW },
    { name: 'hanoi', role: 'province', province: '01', password: PW },
  ],
});

let admin;
let staff;
let est; // cookie client of the establishment account (forms)
let estId;
let projectId;

function status(res, want, what = '') {
  assert.equal(res.status, want, `${what} ${res.status} ${res.text.slice(0, 600)}`);
}

/* A form post with the client's CSRF token. */
function postForm(client, url, fields) {
  return client.post(url, {
    body: new URLSearchParams({ _csrf: client.csrf, ...fields }),
    headers: { 'Content-Type': 'application/x-www-form-urlencoded' },
    csrf: false,
  });
}

const hrefs = (html, re) => [...html.matchAll(/href="([^"#]+)[^"]*"/g)].map((m) => m[1])
  .filter((h) => h.startsWith('/') && re.test(h));
const navOf = (html) => (/<nav class="nav"[^]*?<\/nav>/.exec(html) || [''])[0];
const mainOf = (html) => (/<main[^]*<\/main>/.exec(html) || [''])[0];

before(async () => {
  admin = await login(env.base, 'admin', env.adminPassword, 'bearer');
  staff = await login(env.base, 'hungyen', PW, 'bearer');
  const e = await admin.post('/api/v1/establishments', {
    json: {
      name: 'HTX Mây tre đan Phú Vinh thử nghiệm', kind: 'cooperative', commune_id: 'Xã Mễ Sở, Hưng Yên',
      revenue: { 2021: 4500000000, 2022: 5100000000 }, illustrative: true,
    },
  });
  status(e, 201, 'establishment');
  estId = e.body.id;
  const u = await run(['user', 'add', 'htx', '--role', 'establishment', '--establishment', String(estId),
    '--db', env.db], { input: `${PW}\n` });
  assert.equal(u.code, 0, u.stderr);
  est = await login(env.base, 'htx', PW);
  const p = await admin.post('/api/v1/projects', {
    json: { title: 'Hỗ trợ máy chẻ nan cho HTX', kind: 'local', content_type: 'machinery', year: 2025,
      province: '33', establishment_id: estId },
  });
  status(p, 201, 'project');
  projectId = p.body.id;
});

test('portal: the menu and home page of an establishment lead only to pages it can use', async () => {
  const home = await est.get('/');
  status(home, 200);
  assert.match(home.text, /id="my-proposals"/);
  assert.match(home.text, /id="my-establishment"/);
  assert.match(home.text, /id="my-support"[^]*Hỗ trợ máy chẻ nan cho HTX/, 'the project is in its support history');
  const links = new Set([...hrefs(navOf(home.text), /./), ...hrefs(mainOf(home.text), /./)]);
  assert.ok(links.has(`/establishments/${estId}`), [...links].join(' '));
  for (const staffOnly of ['/programmes', '/plans', '/stats', '/dashboard', '/reports', '/figures'])
    assert.ok(!links.has(staffOnly), `${staffOnly} is not offered`);
  for (const href of links) {
    const r = await est.get(href);
    assert.equal(r.status, 200, `${href}: ${r.status} ${r.text.slice(0, 300)}`);
    assert.doesNotMatch(r.text, /Ngoài phạm vi/, href);
  }
});

test('portal: no staff-only field, revenue as a table of years, no edit or add link that fails', async () => {
  const page = await est.get(`/establishments/${estId}`);
  status(page, 200);
  assert.doesNotMatch(page.text, /Dữ liệu minh họa/);
  assert.doesNotMatch(page.text, /\{&quot;2021|\{"2021/);
  assert.match(page.text, /<th scope="row">2021<\/th><td class="num">4\.500\.000\.000<\/td>/);
  const proj = await est.get(`/projects/${projectId}`);
  status(proj, 200);
  assert.doesNotMatch(proj.text, /id="edit"/, 'no "Sửa" on a project it cannot change');
  for (const h of hrefs(mainOf(proj.text), /\/new(\?|$)/))
    assert.fail(`an add link it cannot use: ${h}`);
  status(await est.get('/machinery/new'), 403);
  const form = await est.get(`/establishments/${estId}/edit`);
  status(form, 200);
  assert.doesNotMatch(form.text, /name="illustrative"/);
});

let proposalId;

test('portal: a proposal form asks for no record number, and fills in its establishment', async () => {
  const form = await est.get('/proposals/new');
  status(form, 200);
  assert.doesNotMatch(form.text, /<input name="establishment_id"/);
  assert.match(form.text, /HTX Mây tre đan Phú Vinh thử nghiệm/);
  const r = await postForm(est, '/proposals/new', {
    title: 'Máy chẻ nan tự động', content_type: 'machinery', year: '2027', cost: '400 triệu đồng',
    counterpart: '200 triệu đồng',
  });
  status(r, 303, 'create');
  proposalId = Number(/\/proposals\/(\d+)/.exec(r.headers.get('location'))[1]);
  const got = await admin.get(`/api/v1/proposals/${proposalId}`);
  assert.equal(got.body.establishment_id, estId);
  const pform = await est.get('/products/new');
  assert.doesNotMatch(pform.text, /<input name="(establishment_id|award_id)"/, 'no record number asked');
  assert.match(pform.text, /<select name="award_id"/, 'its awards to pick from');
  const product = await postForm(est, '/products/new', { name: 'Giỏ mây', category: 'handicraft' });
  status(product, 303, 'product');
  const lform = await est.get('/lots/new');
  assert.match(lform.text, /<select name="product_id" id="in-product_id" required><option value="">—<\/option><option value="\d+">Giỏ mây<\/option><\/select>/);
});

test('portal: "Gửi đề xuất" sends it with a reference and a date; the department is notified', async () => {
  const page = await est.get(`/proposals/${proposalId}`);
  assert.match(page.text, /<button type="submit" name="to" value="submitted">Gửi đề xuất<\/button>/);
  assert.equal((await staff.get('/api/v1/notifications')).body.unread, 0);
  const r = await postForm(est, `/proposals/${proposalId}/transition`, { to: 'submitted', note: 'Kèm báo giá sau' });
  status(r, 303);
  assert.match(r.headers.get('location'), /done=sent/);
  const p = (await admin.get(`/api/v1/proposals/${proposalId}`)).body;
  const year = new Date().getFullYear();
  assert.equal(p.reference, `ĐX-${year}-${String(proposalId).padStart(4, '0')}`);
  assert.match(p.submitted_on, /^\d{4}-\d{2}-\d{2}$/);
  const shown = await est.get(r.headers.get('location'));
  const [y, m, d] = p.submitted_on.split('-');
  assert.match(shown.text, new RegExp(`Đã gửi đề xuất số <strong>${p.reference}</strong> ngày ${d}/${m}/${y}`));
  assert.doesNotMatch(shown.text, /Đã lưu\./);
  const n = (await staff.get('/api/v1/notifications')).body;
  assert.equal(n.unread, 1);
  assert.equal(n.items[0].link, `/proposals/${proposalId}`);
  assert.match(n.items[0].message, new RegExp(p.reference));
});

test('portal: the exchange keeps every message of both sides; each side is notified', async () => {
  status(await staff.post(`/api/v1/proposals/${proposalId}/transitions`, {
    json: { to: 'needs_supplement', note: 'Đề nghị bổ sung 3 báo giá' },
  }), 200);
  const estNotes = (await est.get('/api/v1/notifications')).body;
  assert.equal(estNotes.unread, 1);
  const empty = await est.post(`/api/v1/proposals/${proposalId}/messages`, { json: { body: '  ' } });
  status(empty, 400);
  assert.equal(empty.body.error.field, 'body');
  const reply = await postForm(est, `/proposals/${proposalId}/messages`, { body: 'Đã có 2 báo giá, báo giá thứ ba gửi tuần sau' });
  status(reply, 303);
  status(await postForm(est, `/proposals/${proposalId}/transition`, { to: 'submitted' }), 303);
  status(await staff.post(`/api/v1/proposals/${proposalId}/transitions`, {
    json: { to: 'accepted', note: 'Đồng ý đưa vào kế hoạch 2027' },
  }), 200);
  const thread = await est.get(`/api/v1/proposals/${proposalId}/messages`);
  status(thread, 200);
  assert.deepEqual(thread.body.items.map((x) => [x.side, x.status, x.body]), [
    ['establishment', 'submitted', 'Kèm báo giá sau'],
    ['department', 'needs_supplement', 'Đề nghị bổ sung 3 báo giá'],
    ['establishment', null, 'Đã có 2 báo giá, báo giá thứ ba gửi tuần sau'],
    ['establishment', 'submitted', ''],
    ['department', 'accepted', 'Đồng ý đưa vào kế hoạch 2027'],
  ]);
  const page = await est.get(`/proposals/${proposalId}`);
  assert.match(page.text, /Đề nghị bổ sung 3 báo giá[^]*Đồng ý đưa vào kế hoạch 2027/);
  assert.match(page.text, /id="notify-badge"[^>]*>Thông báo <b>2<\/b>/);
  const staffNotes = (await staff.get('/api/v1/notifications')).body;
  assert.equal(staffNotes.unread, 3, JSON.stringify(staffNotes.items));
  status(await postForm(est, '/notifications/read', {}), 303);
  assert.equal((await est.get('/api/v1/notifications')).body.unread, 0);
  // The reference stays the first one: sending again does not renumber.
  assert.match((await admin.get(`/api/v1/proposals/${proposalId}`)).body.reference, /-\d{4}$/);
});

test('portal: a quotation is sent with the proposal; the file is checked by its content', async () => {
  const pdf = Buffer.from('%PDF-1.4\n1 0 obj << /Type /Catalog >> endobj\n'.padEnd(400, ' ') + '\n%%EOF\n');
  const send = (bytes, name) => {
    const f = new FormData();
    f.append('_csrf', est.csrf);
    f.append('file', new Blob([bytes], { type: 'application/pdf' }), name);
    return est.post(`/proposals/${proposalId}/files`, { body: f, csrf: false });
  };
  const elf = await send(Buffer.concat([Buffer.from('7f454c4602010100', 'hex'), Buffer.alloc(300, 1)]), 'bao-gia.pdf');
  status(elf, 400, 'an executable named .pdf');
  assert.match(elf.text, /Chỉ nhận tệp PDF/);
  const before = (await staff.get('/api/v1/notifications')).body.unread;
  status(await send(pdf, 'C:\\Users\\htx\\Báo giá máy chẻ nan.pdf'), 303);
  const page = await est.get(`/proposals/${proposalId}`);
  const m = new RegExp(`href="(/proposals/${proposalId}/files/\\d+)">Báo giá máy chẻ nan\\.pdf<`).exec(page.text);
  assert.ok(m, 'the file is listed by its name, without the folder');
  const got = await staff.get(m[1]);
  status(got, 200);
  assert.equal(got.headers.get('content-type'), 'application/pdf');
  assert.match(got.headers.get('content-disposition'), /^attachment;/);
  assert.equal(got.text, pdf.toString());
  assert.equal((await staff.get('/api/v1/notifications')).body.unread, before + 1);
  const thread = (await est.get(`/api/v1/proposals/${proposalId}/messages`)).body.items;
  assert.equal(thread.at(-1).body, 'Đính kèm tệp: Báo giá máy chẻ nan.pdf');
});

test('portal: several lot steps are added at once; a bad row saves none and names the row', async () => {
  const products = (await est.get('/api/v1/products')).body.items;
  const lot = await est.post('/api/v1/lots', {
    json: { product_id: products[0].id, lot_code: 'GM-01', production_date: '01/12/2026' },
    headers: { 'X-CSRF-Token': est.csrf },
  });
  status(lot, 201, 'lot');
  const page = await est.get(`/lots/${lot.body.id}`);
  assert.match(page.text, /id="lot-steps"[^]*<input name="event_date_1" value="" aria-label="Ngày 1" placeholder="dd\/mm\/yyyy"/);
  const bad = await postForm(est, `/lots/${lot.body.id}/steps`, {
    event_date_1: '02/12/2026', what_1: 'Chẻ nan', event_date_2: '03/12/2026', place_2: 'Xưởng',
  });
  status(bad, 400);
  assert.match(bad.text, /Dòng 2/);
  assert.match(bad.text, /value="Chẻ nan"/, 'the rows come back as typed');
  const count = async () => (await admin.get(`/api/v1/lot-events?lot_id=${lot.body.id}`)).body.total;
  assert.equal(await count(), 0);
  const ok = await postForm(est, `/lots/${lot.body.id}/steps`, {
    event_date_1: '02/12/2026', what_1: 'Chẻ nan', who_1: 'Tổ 1',
    event_date_2: '03/12/2026', what_2: 'Đan giỏ', place_2: 'Xưởng HTX',
    event_date_3: '04/12/2026', what_3: 'Sấy chống mốc',
  });
  status(ok, 303);
  assert.equal(await count(), 3);
});

/* ---- a phone's photo ---- */

/* A real 16 x 12 JPEG (made with libjpeg). */
const TINY_JPEG = Buffer.from(
  '/9j/4AAQSkZJRgABAQAAAQABAAD/2wBDAAYEBQYFBAYGBQYHBwYIChAKCgkJChQODwwQFxQYGBcUFhYaHSUfGhsjHBYWICwgIyYnKSopGR8tMC0oMCUoKSj/2wBDAQcHBwoIChMKChMoGhYaKCgoKCgoKCgoKCgoKCgoKCgoKCgoKCgoKCgoKCgoKCgoKCgoKCgoKCgoKCgoKCgoKCj/wAARCAAMABADASIAAhEBAxEB/8QAHwAAAQUBAQEBAQEAAAAAAAAAAAECAwQFBgcICQoL/8QAtRAAAgEDAwIEAwUFBAQAAAF9AQIDAAQRBRIhMUEGE1FhByJxFDKBkaEII0KxwRVS0fAkM2JyggkKFhcYGRolJicoKSo0NTY3ODk6Q0RFRkdISUpTVFVWV1hZWmNkZWZnaGlqc3R1dnd4eXqDhIWGh4iJipKTlJWWl5iZmqKjpKWmp6ipqrKztLW2t7i5usLDxMXGx8jJytLT1NXW19jZ2uHi4+Tl5ufo6erx8vP09fb3+Pn6/8QAHwEAAwEBAQEBAQEBAQAAAAAAAAECAwQFBgcICQoL/8QAtREAAgECBAQDBAcFBAQAAQJ3AAECAxEEBSExBhJBUQdhcRMiMoEIFEKRobHBCSMzUvAVYnLRChYkNOEl8RcYGRomJygpKjU2Nzg5OkNERUZHSElKU1RVVldYWVpjZGVmZ2hpanN0dXZ3eHl6goOEhYaHiImKkpOUlZaXmJmaoqOkpaanqKmqsrO0tba3uLm6wsPExcbHyMnK0tPU1dbX2Nna4uPk5ebn6Onq8vP09fb3+Pn6/9oADAMBAAIRAxEAPwDitEt/u8V3+iW/3eK5XREX5eK77REX5eK6sx4Wo67H6Fm1d6n/2Q==',
  'base64');

/* An APPn segment of len payload bytes. */
function segment(marker, payload) {
  const head = Buffer.from([0xff, marker, (payload.length + 2) >> 8, (payload.length + 2) & 0xff]);
  return Buffer.concat([head, payload]);
}

/* The tiny JPEG as a phone sends it: an EXIF orientation of 6 (turned 90° clockwise) and
 * megabytes of camera metadata, about 6 MB in all. */
function phonePhoto() {
  const exif = Buffer.from('457869660000' + '4d4d002a00000008' + '0001' + '011200030000000100060000' +
    '00000000', 'hex');
  const parts = [TINY_JPEG.subarray(0, 2), segment(0xe1, exif)];
  for (let i = 0; i < 92; i++) parts.push(segment(0xe2, Buffer.alloc(65533, i)));
  parts.push(TINY_JPEG.subarray(2));
  return Buffer.concat(parts);
}

/* Width and height of a JPEG from its SOF0 segment. */
function jpegSize(b) {
  for (let i = 2; i < b.length;) {
    const marker = b[i + 1];
    const len = b.readUInt16BE(i + 2);
    if (marker === 0xc0 || marker === 0xc2) return [b.readUInt16BE(i + 7), b.readUInt16BE(i + 5)];
    i += 2 + len;
  }
  return null;
}

test('portal: a 6 MB phone photo is accepted, shown re-encoded and upright, the original kept', async () => {
  const photo = phonePhoto();
  assert.ok(photo.length > 6_000_000 && photo.length < 6_500_000, `${photo.length}`);
  const p = await admin.post('/api/v1/products', {
    json: { establishment_id: estId, name: 'Khay mây', category: 'handicraft', published: true },
  });
  status(p, 201);
  const f = new FormData();
  f.append('_csrf', est.csrf);
  f.append('file', new Blob([photo], { type: 'image/jpeg' }), 'IMG_2041.jpg');
  const up = await est.post(`/products/${p.body.id}/photos`, { body: f, csrf: false });
  status(up, 303, 'upload');
  const list = (await est.get(`/api/v1/products/${p.body.id}/photos`)).body.items;
  assert.equal(list.length, 1);
  assert.ok(list[0].bytes < 100_000, `shown ${list[0].bytes} bytes`);
  const img = Buffer.from(await (await fetch(`${env.base}/anh/${list[0].id}`)).arrayBuffer());
  assert.equal(img.length, list[0].bytes);
  assert.deepEqual(jpegSize(img), [12, 16], 'turned upright by its orientation');
  const audit = await admin.get(`/api/v1/audit?entity=product-photos&entity_id=${list[0].id}`);
  assert.equal(audit.body.items[0].after.original_bytes, photo.length, 'the original is kept');
  const page = await est.get(`/products/${p.body.id}`);
  assert.match(page.text, /tối đa 8 MB/);
});

test('portal: a broken JPEG over 1 MB is a clear 400, far over the limit a clear 413', async () => {
  const p = (await est.get('/api/v1/products')).body.items[0];
  const broken = Buffer.concat([TINY_JPEG.subarray(0, 200), Buffer.alloc(2_000_000, 7)]);
  const r = await est.post(`/api/v1/products/${p.id}/photos`, {
    body: broken, headers: { 'Content-Type': 'image/jpeg', 'X-CSRF-Token': est.csrf },
  });
  status(r, 400);
  assert.equal(r.body.error.field, 'file');
  assert.match(r.body.error.message, /Không đọc được ảnh JPEG/);
  // Far over the limit: answered 413 before the body is read (Expect: 100-continue).
  const token = (await login(env.base, 'htx', PW, 'bearer')).bearer;
  const sock = await connect(env.server.port);
  let big;
  try {
    const answer = readResponse(sock);
    sock.write(`POST /products/${p.id}/photos HTTP/1.1\r\nHost: 127.0.0.1\r\n` +
      `Authorization: Bearer ${token}\r\nContent-Type: multipart/form-data; boundary=x\r\n` +
      `Content-Length: ${10 * 1024 * 1024}\r\nExpect: 100-continue\r\n\r\n`);
    const res = await answer;
    big = { status: res.status, text: res.body };
  } finally {
    sock.destroy();
  }
  status(big, 413);
  assert.match(big.text, /quá lớn/);
});

test('portal: outcomes a year after acceptance are written, sent, returned, resent and accepted', async () => {
  const p = await admin.post('/api/v1/projects', {
    json: { title: 'Máy dệt chiếu cho HTX', kind: 'local', content_type: 'machinery', year: 2025,
      province: '33', establishment_id: estId, approved_local: '200 triệu' },
  });
  status(p, 201, 'project');
  const steps = [['province_appraised', '01/03/2025'], ['approved', '01/04/2025'], ['contracted', '01/05/2025'],
    ['advanced', '02/05/2025', { advanced_local: '200 triệu' }], ['in_progress', '03/05/2025'], ['accepted', '30/06/2025']];
  for (const [to, date, more] of steps)
    status(await staff.post(`/api/v1/projects/${p.body.id}/transitions`, { json: { to, date, ...more } }), 200, to);
  const list = await est.get('/outcomes');
  status(list, 200);
  assert.match(list.text, /Máy dệt chiếu cho HTX[^]*30\/06\/2026[^]*Quá hạn[^]*Lập báo cáo/);
  assert.doesNotMatch(list.text, /Hỗ trợ máy chẻ nan cho HTX/, 'a project not accepted is not due');
  // Every missing field at once.
  const bad = await postForm(est, '/outcome-reports/new', { project_id: String(p.body.id) });
  status(bad, 400);
  for (const f of ['year', 'revenue', 'workers', 'machine_in_use'])
    assert.match(bad.text, new RegExp(`href="#in-${f}"`), f);
  const made = await postForm(est, '/outcome-reports/new', {
    project_id: String(p.body.id), year: '2026', revenue: '2,5 tỷ đồng', workers: '18',
    machine_in_use: 'yes', products: 'Chiếu cói xuất khẩu',
  });
  status(made, 303, 'create');
  const id = Number(/\/outcome-reports\/(\d+)/.exec(made.headers.get('location'))[1]);
  const draft = (await admin.get(`/api/v1/outcome-reports/${id}`)).body;
  assert.equal(draft.revenue, 2500000000);
  assert.equal(draft.due_date, '2026-06-30');
  assert.equal(draft.establishment_id, estId);
  const page = await est.get(`/outcome-reports/${id}`);
  assert.match(page.text, /<button type="submit" name="to" value="submitted">Gửi báo cáo<\/button>/);
  // A photo of the machine at work goes with the report while it is a draft.
  const attach = () => {
    const f = new FormData();
    f.append('file', new Blob([Buffer.from('%PDF-1.4\n% outcome\n'.padEnd(200, ' '))]), 'may-det.pdf');
    return est.post(`/api/v1/outcome-reports/${id}/attachments`, { body: f });
  };
  status(await attach(), 201, 'attach');
  status(await postForm(est, `/outcome-reports/${id}/transition`, { to: 'submitted' }), 303, 'send');
  // Sent: no "Sửa" that would only lead to a refusal, on either side.
  assert.doesNotMatch((await est.get(`/outcome-reports/${id}`)).text, /id="edit"/);
  assert.doesNotMatch((await staff.get(`/outcome-reports/${id}`)).text, /id="edit"/);
  status(await attach(), 409, 'attach once sent');
  assert.match((await staff.get(`/api/v1/outcome-reports/${id}/attachments`)).text, /may-det\.pdf/);
  // Another province neither sees nor reviews it; a return needs a reason.
  const hanoi = await login(env.base, 'hanoi', PW, 'bearer');
  status(await hanoi.get(`/api/v1/outcome-reports/${id}`), 403);
  status(await hanoi.post(`/api/v1/outcome-reports/${id}/transitions`, { json: { to: 'accepted' } }), 403);
  assert.equal((await hanoi.get('/api/v1/outcomes')).body.items.length, 0);
  const noNote = await staff.post(`/api/v1/outcome-reports/${id}/transitions`, { json: { to: 'returned' } });
  status(noNote, 400);
  assert.equal(noNote.body.error.field, 'note');
  status(await staff.post(`/api/v1/outcome-reports/${id}/transitions`,
    { json: { to: 'returned', note: 'Ghi rõ số lao động nữ' } }), 200);
  status(await postForm(est, `/outcome-reports/${id}/edit`, { workers: '19' }), 303, 'correct');
  status(await postForm(est, `/outcome-reports/${id}/transition`, { to: 'submitted' }), 303, 'resend');
  const ok = await staff.post(`/api/v1/outcome-reports/${id}/transitions`, { json: { to: 'accepted' } });
  status(ok, 200);
  assert.equal(ok.body.status, 'accepted');
  assert.equal(ok.body.workers, 19);
  // Accepted: no longer changed; the lists say so on both sides.
  status(await postForm(est, `/outcome-reports/${id}/edit`, { workers: '20' }), 409, 'locked');
  const mine = (await staff.get('/api/v1/outcomes')).body.items.find((i) => i.project_id === p.body.id);
  assert.equal(mine.state, 'accepted');
  assert.equal(mine.report_id, id);
  assert.match((await est.get('/outcomes')).text, /Máy dệt chiếu cho HTX[^]*Đã chấp nhận/);
  // The province's periodic report of the year has it in its section of outcomes,
  // with exact values and the narrative's sentence; the text and PDF print it.
  const url = '/api/v1/reports/periodic?province=33&from=2026&to=2026&format=';
  const doc = (await staff.get(`${url}json`)).body;
  const sec = doc.sections.find((s) => /^\d+\. Hiệu quả sau hỗ trợ$/.test(s.title));
  assert.ok(sec, JSON.stringify(doc.sections.map((s) => s.title)));
  const cells = new Map(sec.table.rows.map((r, i) => [r[0], { text: r[1], v: sec.table.values[i][1] }]));
  assert.equal(cells.get('Báo cáo kết quả sau hỗ trợ đã được chấp nhận').text, '1 báo cáo');
  assert.equal(cells.get('Lao động tại cơ sở sau hỗ trợ').v.value, 19);
  assert.deepEqual([cells.get('Doanh thu của cơ sở sau hỗ trợ').v.value, cells.get('Doanh thu của cơ sở sau hỗ trợ').v.unit],
    [2500000000, 'đồng']);
  assert.equal(cells.get('Tỷ lệ máy móc được hỗ trợ còn sử dụng').text, '100%');
  assert.match(sec.paragraphs[0], /^Năm 2026, đã chấp nhận 1 báo cáo kết quả sau hỗ trợ của các cơ sở; các cơ sở được hỗ trợ có 19 lao động/);
  const txt = (await staff.get(`${url}txt`)).text;
  assert.match(txt, /^## \d+\. Hiệu quả sau hỗ trợ$/m);
  assert.match(txt, /Lao động tại cơ sở sau hỗ trợ \| 19 lao động/);
  const pdf = await fetch(env.base + `${url}pdf`, { headers: { Authorization: `Bearer ${staff.bearer}` } });
  assert.equal(pdf.status, 200);
  const file = path.join(env.dir, 'outcomes-report.pdf');
  await writeFile(file, Buffer.from(await pdf.arrayBuffer()));
  const pdftotext = spawnSync('pdftotext', ['-layout', file, '-'], { encoding: 'utf8' });
  if (!pdftotext.error) assert.match(pdftotext.stdout, /Hiệu quả sau hỗ trợ[^]*Lao động tại cơ sở sau hỗ trợ/);
  status(await new Client(env.base).get('/api/v1/outcomes'), 401);
});
