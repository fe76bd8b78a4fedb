// chain_map.test.mjs - the map on the page of who has reported (issue 15,
// docs/maps.md, docs/reporting.md): each province filled with the colour of
// its status, striped when late or overdue, linked to its submission or to
// its row of the table; today's 34 provinces for a period after 2025-07-01,
// the 63 of the time before.
import assert from 'node:assert/strict';
import { after, before, test } from 'node:test';

import { login, setup } from './lib.mjs';

const PW = 'chain-map-2025';
const env = await setup(after, {
  prefix: 'chainmap',
  users: [
    { name: 'hungyen', role: 'province', province: '33', password: PW },
    { name: 'hanoi', role: 'province', province: '01', password: PW },
    { name: 'cuc', role: 'ministry', password: PW },
  ],
});

let p33, p01, cuc;
before(async () => {
  p33 = await login(env.base, 'hungyen', PW, 'bearer');
  p01 = await login(env.base, 'hanoi', PW, 'bearer');
  cuc = await login(env.base, 'cuc', PW);
});

/* A year whose deadline (20 December) is still ahead whatever today is. */
const FUTURE = new Date().getUTCFullYear() + 1;
const COLOUR = { not_started: '#f7f7f7', draft: '#fee08b', returned: '#f46d43', submitted: '#74add1', accepted: '#1a9850' };

async function start(client, kind, year) {
  const r = await client.post('/api/v1/submissions', { json: { period_kind: kind, year } });
  assert.equal(r.status, 201, r.text);
  return r.body.id;
}

async function send(client, id) {
  const r = await client.post(`/api/v1/submissions/${id}/transitions`, { json: { to: 'submitted' } });
  assert.equal(r.status, 200, r.text);
}

/* The <svg id="who-map"> of a page, and the path of province code in it
 * with the link around it. */
function svgOf(html) {
  const m = html.match(/<svg[^>]*id="who-map"[\s\S]*?<\/svg>/);
  assert.ok(m, 'the map is in the page');
  return m[0];
}
function unit(svg, code) {
  const m = svg.match(new RegExp(`<a href="([^"]*)"><path class="map-unit" data-code="${code}" data-class="(-?\\d+)" fill="([^"]*)"`));
  assert.ok(m, `province ${code} is on the map, linked`);
  return { href: m[1], fill: m[3] };
}

test('the map of who has reported: a fill per status, a link per province', async () => {
  const a = await start(p33, 'year', FUTURE);
  await send(p33, a);
  await start(p01, 'year', FUTURE);
  const page = await cuc.get(`/reporting-status?period_kind=year&year=${FUTURE}`);
  assert.equal(page.status, 200, page.text.slice(0, 300));
  const svg = svgOf(page.text);
  assert.equal((svg.match(/<path class="map-unit"/g) || []).length, 34);
  assert.deepEqual(unit(svg, '33'), { href: `/submissions/${a}`, fill: COLOUR.submitted });
  assert.equal(unit(svg, '01').fill, COLOUR.draft);
  // A province that has not started links to its row of the table.
  const row = page.text.match(/<tr class="status-not_started" data-province="(\d+)" id="who-(\d+)"/);
  assert.ok(row, 'a not-started row with an id');
  assert.deepEqual(unit(svg, row[1]), { href: `#who-${row[1]}`, fill: COLOUR.not_started });
  assert.ok(!svg.includes('class="map-marked"'), 'nothing late before the deadline');
  for (const t of ['Chưa bắt đầu', 'Dự thảo', 'Trả lại', 'Đã gửi', 'Đã chấp nhận', 'Gửi muộn hoặc quá hạn'])
    assert.ok(svg.includes(`>${t}</text>`), `legend: ${t}`);
  assert.match(svg, /<path class="map-unit" data-code="33"[^>]*><title>Hưng Yên: Đã gửi<\/title>/);

  // In English, the map's heading and legend follow the page.
  assert.equal((await cuc.post('/lang', { body: new URLSearchParams({ lang: 'en', next: '/' }) })).status, 303);
  const en = svgOf((await cuc.get(`/reporting-status?period_kind=year&year=${FUTURE}`)).text);
  for (const t of ['Legend', 'Not started', 'Submitted', 'Sent late or overdue', 'Who has reported, by province'])
    assert.ok(en.includes(`>${t}</text>`), `English: ${t}`);
  await cuc.post('/lang', { body: new URLSearchParams({ lang: 'vi', next: '/' }) });
});

test('a period before 2025-07-01: the 63 provinces of the time, late and overdue striped', async () => {
  const b = await start(p01, 'year', 2023);
  await send(p01, b);
  const page = await cuc.get('/reporting-status?period_kind=year&year=2023');
  assert.equal(page.status, 200);
  const svg = svgOf(page.text);
  assert.equal((svg.match(/<path class="map-unit"/g) || []).length, 63);
  assert.deepEqual(unit(svg, '01'), { href: `/submissions/${b}`, fill: COLOUR.submitted });
  assert.equal(unit(svg, '36').fill, COLOUR.not_started); // Nam Định, a province of the time
  // Sent after 20/12/2023: late; every other province overdue.
  assert.equal((svg.match(/<path class="map-marked"/g) || []).length, 63);
  assert.match(svg, /<title>Hà Nội: Đã gửi · Gửi muộn hoặc quá hạn<\/title>/);
});
