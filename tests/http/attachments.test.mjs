// attachments.test.mjs - files attached to plans, projects, establishments
// and periodic reports (docs/records.md): a round trip with the bytes and
// headers of a download, the list on the parent's page; hostile files
// refused by their content with an error naming the field (an HTML page
// named .pdf, a .docx that unpacks to a zip bomb, a file over the limit, a 50 MB image);
// another province sees none of it; a locked period and a sent report
// refuse new files; a file is removed as attaching allows (kept, audited).
import assert from 'node:assert/strict';
import { after, before, test } from 'node:test';
import zlib from 'node:zlib';

import { connect, login, readResponse, setup } from './lib.mjs';

const PW = 'attach-pass-2025';
const env = await setup(after, {
  prefix: 'attach',
  users: [
    { name: 'hungyen', role: 'province', province: '33', password: PW },
    { name: 'hanoi', role: 'province', province: '01', password: PW },
    { name: 'cuc', role: 'ministry', password: PW },
  ],
});

let p33, p01, cuc, admin, form33, programme;
before(async () => {
  p33 = await login(env.base, 'hungyen', PW, 'bearer');
  form33 = await login(env.base, 'hungyen', PW);
  p01 = await login(env.base, 'hanoi', PW, 'bearer');
  cuc = await login(env.base, 'cuc', PW, 'bearer');
  admin = await login(env.base, 'admin', env.adminPassword, 'bearer');
  const p = await admin.post('/api/v1/programmes', {
    json: { code: 'TN-DK-2020', name: 'Chương trình thử tệp', kind: 'other', level: 'national', period_from: 2020, period_to: 2030 },
  });
  assert.equal(p.status, 201, p.text);
  programme = p.body.id;
});

async function plan(year) {
  const r = await p33.post('/api/v1/plans', {
    json: { name: `Kế hoạch có tệp ${year}`, province: '33', year, programme_id: programme },
  });
  assert.equal(r.status, 201, r.text);
  return r.body.id;
}

/* A zip of [name, bytes] entries, deflated (method 8), as office files are. */
function zip(entries) {
  const locals = [];
  const central = [];
  let offset = 0;
  for (const [name, data] of entries) {
    const n = Buffer.from(name);
    const packed = zlib.deflateRawSync(data);
    const h = Buffer.alloc(30);
    h.writeUInt32LE(0x04034b50, 0);
    h.writeUInt16LE(20, 4);
    h.writeUInt16LE(8, 8);
    h.writeUInt32LE(zlib.crc32(data), 14);
    h.writeUInt32LE(packed.length, 18);
    h.writeUInt32LE(data.length, 22);
    h.writeUInt16LE(n.length, 26);
    const c = Buffer.alloc(46);
    c.writeUInt32LE(0x02014b50, 0);
    c.writeUInt16LE(20, 4);
    c.writeUInt16LE(20, 6);
    h.copy(c, 8, 6, 26); // flags, method, time, date, crc, sizes
    c.writeUInt16LE(n.length, 28);
    c.writeUInt32LE(offset, 42);
    locals.push(h, n, packed);
    central.push(c, n);
    offset += h.length + n.length + packed.length;
  }
  const cd = Buffer.concat(central);
  const end = Buffer.alloc(22);
  end.writeUInt32LE(0x06054b50, 0);
  end.writeUInt16LE(entries.length, 8);
  end.writeUInt16LE(entries.length, 10);
  end.writeUInt32LE(cd.length, 12);
  end.writeUInt32LE(offset, 16);
  return Buffer.concat([...locals, cd, end]);
}

const PDF = Buffer.from('%PDF-1.4\n1 0 obj << /Type /Catalog >> endobj\n'.padEnd(300, ' ') + '\n%%EOF\n');
const DOCX = (doc) => zip([
  ['[Content_Types].xml', Buffer.from('<?xml version="1.0"?><Types/>')],
  ['word/document.xml', doc],
]);

function send(client, url, bytes, name) {
  const f = new FormData();
  f.append('file', new Blob([bytes]), name);
  return client.post(url, { body: f });
}

test('a file round-trips: listed with type, size, who and when; served as a download', async () => {
  const id = await plan(2026);
  const url = `/api/v1/plans/${id}/attachments`;
  const up = await send(p33, url, PDF, 'C:\\Scan\\Quyết định phê duyệt.pdf');
  assert.equal(up.status, 201, up.text);
  assert.equal(up.headers.get('location'), `${url}/${up.body.id}`);
  const docx = DOCX(Buffer.from('<w:document/>'));
  const up2 = await send(p33, url, docx, 'hop-dong.docx');
  assert.equal(up2.status, 201, up2.text);
  const odt = zip([
    ['mimetype', Buffer.from('application/vnd.oasis.opendocument.text')],
    ['META-INF/manifest.xml', Buffer.from('<manifest:manifest/>')],
    ['content.xml', Buffer.from('<office:document-content/>')],
  ]);
  assert.equal((await send(p33, url, odt, 'to-trinh.odt')).status, 201);

  const list = await cuc.get(url);
  assert.equal(list.status, 200, list.text);
  assert.deepEqual(list.body.items.map((f) => [f.name, f.content_type, f.bytes, f.username]), [
    ['Quyết định phê duyệt.pdf', 'application/pdf', PDF.length, 'hungyen'],
    ['hop-dong.docx', 'application/vnd.openxmlformats-officedocument.wordprocessingml.document', docx.length, 'hungyen'],
    ['to-trinh.odt', 'application/vnd.oasis.opendocument.text', odt.length, 'hungyen'],
  ]);
  assert.match(list.body.items[0].sha256, /^[0-9a-f]{64}$/);

  const got = await cuc.get(`${url}/${up.body.id}`);
  assert.equal(got.status, 200);
  assert.equal(got.headers.get('content-type'), 'application/pdf');
  // The name it was sent with: plain ASCII beside the UTF-8 name (RFC 6266, 8187).
  assert.equal(got.headers.get('content-disposition'),
    `attachment; filename="Quyet_dinh_phe_duyet.pdf"; filename*=UTF-8''${encodeURIComponent('Quyết định phê duyệt.pdf')}`);
  assert.equal(got.headers.get('x-content-type-options'), 'nosniff');
  assert.equal(got.text, PDF.toString());
  const gotDocx = await fetch(env.base + `${url}/${up2.body.id}`, { headers: { Authorization: `Bearer ${cuc.bearer}` } });
  assert.ok(Buffer.from(await gotDocx.arrayBuffer()).equals(docx), 'the bytes come back unchanged');

  const page = await form33.get(`/plans/${id}`);
  assert.equal(page.status, 200);
  assert.match(page.text, /id="attachments"[^]*Quyết định phê duyệt\.pdf<\/a><\/td><td>pdf<\/td><td>1 KB<\/td><td>hungyen<\/td>/);
  assert.match(page.text, /<form method="post" action="\/plans\/\d+\/attachments" enctype="multipart\/form-data"/);
  const viaForm = new FormData();
  viaForm.append('_csrf', form33.csrf);
  viaForm.append('file', new Blob([PDF]), 'bien-ban.pdf');
  const posted = await form33.post(`/plans/${id}/attachments`, { body: viaForm, csrf: false });
  assert.equal(posted.status, 303, posted.text.slice(0, 300));
  assert.equal((await cuc.get(url)).body.items.length, 4);

  const audit = await admin.get(`/api/v1/audit?entity=plans&entity_id=${id}&action=attach`);
  assert.equal(audit.status, 200, audit.text);
  assert.equal(audit.body.items.length, 4, 'each file is in the plan\'s audit trail');
});

test('hostile files are refused by their content, naming the field', async () => {
  const id = await plan(2027);
  const url = `/api/v1/plans/${id}/attachments`;
  const html = await send(p33, url, Buffer.from('<!DOCTYPE html><html><script>alert(1)</script></html>'), 'cong-van.pdf');
  assert.equal(html.status, 400, html.text);
  assert.equal(html.body.error.field, 'file');
  assert.match(html.body.error.message, /Chỉ nhận tệp PDF.*read from the content/);

  const bomb = await send(p33, url, DOCX(Buffer.alloc(70 * 1024 * 1024)), 'bom.docx');
  assert.equal(bomb.status, 400, bomb.text);
  assert.equal(bomb.body.error.field, 'file');
  assert.match(bomb.body.error.message, /unpacks to too much \(64 MB/);

  const noParts = await send(p33, url, zip([['a.txt', Buffer.from('hello')]]), 'khong-phai.docx');
  assert.equal(noParts.status, 400, noParts.text);
  assert.match(noParts.body.error.message, /not a valid office document/);

  const big = Buffer.concat([PDF, Buffer.alloc(8 * 1024 * 1024)]);
  const over = await send(p33, url, big, 'lon.pdf');
  assert.equal(over.status, 413, over.text);
  assert.equal(over.body.error.field, 'file');
  assert.match(over.body.error.message, /8 MB at most/);
  // A 50 MB image: answered 413 naming the body and the limit from the
  // request's head alone, before any of the body is read (a client that
  // went on writing would meet a reset once the server closes, so the test
  // sends the head only); the server stays up.
  const imageLength = 50 * 1024 * 1024;
  const head = Buffer.from('--b\r\nContent-Disposition: form-data; name="file"; filename="anh-50mb.png"\r\n' +
    'Content-Type: image/png\r\n\r\n');
  const tail = Buffer.from('\r\n--b--\r\n');
  const sock = await connect(env.server.port);
  let huge;
  try {
    const answer = readResponse(sock);
    sock.write(`POST ${url} HTTP/1.1\r\nHost: 127.0.0.1\r\nAuthorization: Bearer ${p33.bearer}\r\n` +
      `Accept: application/json\r\nContent-Type: multipart/form-data; boundary=b\r\n` +
      `Content-Length: ${head.length + imageLength + tail.length}\r\n\r\n`);
    huge = await answer;
  } finally {
    sock.destroy();
  }
  assert.equal(huge.status, 413, huge.raw.slice(0, 300));
  const err = JSON.parse(huge.body).error;
  assert.equal(err.field, 'body');
  assert.match(err.message, /quá lớn: tối đa 9 MB.*9 MB at most/);
  assert.equal((await p33.get('/api/v1/session')).status, 200, 'the server is still up');
  assert.equal((await p33.get(url)).body.items.length, 0, 'nothing refused was kept');
});

test('another province sees, gets and attaches nothing; viewers and other parents neither', async () => {
  const id = await plan(2028);
  const url = `/api/v1/plans/${id}/attachments`;
  const up = await send(p33, url, PDF, 'a.pdf');
  assert.equal(up.status, 201, up.text);
  for (const r of [await p01.get(url), await p01.get(`${url}/${up.body.id}`), await send(p01, url, PDF, 'b.pdf')])
    assert.ok([403, 404].includes(r.status), `${r.status} ${r.text}`);
  const wrongParent = await cuc.get(`/api/v1/plans/${id + 1000}/attachments/${up.body.id}`);
  assert.equal(wrongParent.status, 404);
  const other = await send(p33, `/api/v1/training-classes/1/attachments`, PDF, 'c.pdf');
  assert.equal(other.status, 404, other.text);
  assert.equal(other.body.error.field, 'collection');
});

test('a report takes its signed letter while a draft; an accepted period refuses new files', async () => {
  const year = 2023;
  const planId = await plan(year);
  const s = await p33.post('/api/v1/submissions', { json: { period_kind: 'year', year } });
  assert.equal(s.status, 201, s.text);
  const url = `/api/v1/submissions/${s.body.id}/attachments`;
  const letter = await send(p33, url, PDF, 'cong-van-ky.pdf');
  assert.equal(letter.status, 201, letter.text);
  assert.ok([403, 404].includes((await p01.get(url)).status));
  assert.equal((await send(cuc, url, PDF, 'x.pdf')).status, 403);
  const page = await form33.get(`/submissions/${s.body.id}`);
  assert.match(page.text, /id="attachments"[^]*cong-van-ky\.pdf/);
  assert.equal((await p33.post(`/api/v1/submissions/${s.body.id}/transitions`, { json: { to: 'submitted' } })).status, 200);
  const sent = await send(p33, url, PDF, 'them.pdf');
  assert.equal(sent.status, 409, sent.text);
  assert.equal((await cuc.post(`/api/v1/submissions/${s.body.id}/transitions`, { json: { to: 'accepted' } })).status, 200);
  const locked = await send(p33, `/api/v1/plans/${planId}/attachments`, PDF, 'muon.pdf');
  assert.equal(locked.status, 409, locked.text);
  assert.match(locked.body.error.message, new RegExp(s.body.number));
  assert.equal((await cuc.get(url)).body.items.length, 1);
});

test('a file is removed as attaching allows: kept, audited, no longer listed; not once sent or locked', async () => {
  const year = 2021;
  const planId = await plan(year);
  const url = `/api/v1/plans/${planId}/attachments`;
  const a = await send(p33, url, PDF, 'du-thao.pdf');
  assert.equal(a.status, 201, a.text);
  const b = await send(p33, url, PDF, 'ban-chinh-thuc');
  assert.equal(b.status, 201, b.text);
  // Served under its name, the checked type's extension added.
  const got = await p33.get(`${url}/${b.body.id}`);
  assert.equal(got.headers.get('content-disposition'), 'attachment; filename="ban-chinh-thuc.pdf"');
  assert.ok([403, 404].includes((await p01.delete(`${url}/${a.body.id}`)).status), 'another province may not');
  // The button on the plan's page.
  const page = await form33.get(`/plans/${planId}`);
  assert.match(page.text, new RegExp(`<form method="post" action="/plans/${planId}/attachments/${a.body.id}/delete"`));
  const del = await form33.post(`/plans/${planId}/attachments/${a.body.id}/delete`, {
    body: new URLSearchParams({}).toString(),
    headers: { 'Content-Type': 'application/x-www-form-urlencoded' },
  });
  assert.equal(del.status, 303, del.text);
  assert.deepEqual((await p33.get(url)).body.items.map((f) => f.name), ['ban-chinh-thuc']);
  assert.equal((await p33.get(`${url}/${a.body.id}`)).status, 404);
  const again = await p33.delete(`${url}/${a.body.id}`);
  assert.equal(again.status, 404);
  assert.equal(again.body.error.field, 'attachment');
  const audit = await admin.get(`/api/v1/audit?entity=plans&entity_id=${planId}&action=detach`);
  assert.equal(audit.status, 200, audit.text);
  assert.equal(audit.body.items.length, 1);
  assert.equal(audit.body.items[0].before.attachment.name, 'du-thao.pdf');
  // A sent report's letter stays; so do the files of a locked period.
  const s = await p33.post('/api/v1/submissions', { json: { period_kind: 'year', year } });
  assert.equal(s.status, 201, s.text);
  const surl = `/api/v1/submissions/${s.body.id}/attachments`;
  const letter = await send(p33, surl, PDF, 'cong-van.pdf');
  assert.equal((await p33.post(`/api/v1/submissions/${s.body.id}/transitions`, { json: { to: 'submitted' } })).status, 200);
  assert.equal((await p33.delete(`${surl}/${letter.body.id}`)).status, 409);
  assert.equal((await cuc.post(`/api/v1/submissions/${s.body.id}/transitions`, { json: { to: 'accepted' } })).status, 200);
  const locked = await p33.delete(`${url}/${b.body.id}`);
  assert.equal(locked.status, 409, locked.text);
  assert.match(locked.body.error.message, new RegExp(s.body.number));
  assert.equal((await p33.get(surl)).body.items.length, 1);
});
