// dashboard.test.mjs - the dashboard never mixes periods unasked (issue 12, item 4): with no
// filter it shows the current reporting year (from the reporting periods kept as data), a picker
// offers periods by their Vietnamese names, every card states the period its number covers and
// whether it comes from records or reported figures, so a 2026 project never silently turns the
// reported 2014–2020 "trên 5,8 tỷ" into "360 triệu"; counts are charted on whole numbers; card
// and chart titles follow the user's language.
import assert from 'node:assert/strict';
import { after, before, test } from 'node:test';

import { login, setup } from './lib.mjs';

const PW = 'dash-pass-12345';
const env = await setup(after, {
  prefix: 'dash',
  users: [
    { name: 'p33', role: 'province', province: '33', password: PW },
    { name: 'p01', role: 'province', province: '01', password: PW },
  ],
});

let admin, p33, p01;
before(async () => {
  admin = await login(env.base, 'admin', env.adminPassword);
  p33 = await login(env.base, 'p33', PW);
  p01 = await login(env.base, 'p01', PW);
});

/* The reporting year of today (UTC, as the server's clock): periods end on 14 Dec. */
const today = new Date().toISOString().slice(0, 10);
const Y = Number(today.slice(0, 4)) + (today.slice(5) > '12-14' ? 1 : 0);
const LABEL = `năm báo cáo ${Y} (15/12/${Y - 1} – 14/12/${Y})`;
const SHORT = `năm báo cáo ${Y}`; /* on a card: the dates are in the page's heading */

const page = async (c, q = '') => {
  const r = await c.get(`/dashboard${q}`);
  assert.equal(r.status, 200, r.text);
  return r.text;
};
/* The headline card of an indicator: its HTML. */
const card = (html, code) => {
  const m = new RegExp(`<div class="card[^"]*" data-indicator="${code.replace(/\./g, '\\.')}">([\\s\\S]*?)</div>`).exec(html);
  assert.ok(m, `a card of ${code}`);
  return m[1];
};
const cardPeriod = (html, code) => /<span class="card-period">([^<]*)<\/span>/.exec(card(html, code))?.[1];

test('no filter: the current reporting year, named on the page and on every card', async () => {
  const html = await page(p33);
  assert.ok(html.includes(`<h2 id="dashboard-period">Kỳ: ${LABEL}</h2>`), html.slice(0, 3000));
  const periods = [...html.matchAll(/<span class="card-period">([^<]*)<\/span>/g)].map((m) => m[1]);
  assert.ok(periods.length >= 10, `${periods.length} cards with a period`);
  // Nothing reported for 2014–2020 stands on a card of this year.
  assert.doesNotMatch(card(html, 'budget.local'), /5,8 tỷ/);
  assert.equal(cardPeriod(html, 'budget.local'), SHORT);
  // The API answers the same period.
  const api = await p33.get('/api/v1/dashboard');
  assert.equal(api.status, 200, api.text);
  assert.equal(api.body.filters.period.label, LABEL);
  assert.equal(api.body.filters.period_text, LABEL);
  assert.ok(api.body.headline.every((it) => it.period === SHORT), 'each item has its period');
});

test('the period picker: a select of periods with Vietnamese labels, the current year chosen', async () => {
  const html = await page(p33);
  const sel = /<select name="preset" id="period-picker">([\s\S]*?)<\/select>/.exec(html);
  assert.ok(sel, 'a period picker');
  assert.ok(sel[1].includes(`<option value="ry-${Y}" selected>Năm báo cáo ${Y} (15/12/${Y - 1} – 14/12/${Y})</option>`), sel[1]);
  assert.ok(sel[1].includes(`<option value="ry-${Y - 1}">Năm báo cáo ${Y - 1} (`), sel[1]);
  assert.match(sel[1], new RegExp(`<option value="h1-${Y}">6 tháng đầu năm báo cáo ${Y} \\(15/12/${Y - 1} – 14/06/${Y}\\)</option>`));
  assert.match(sel[1], /<option value="cal-2021-2025">Giai đoạn 2021 – 2025<\/option>/);
  assert.match(sel[1], /<option value="all">Tất cả các năm<\/option>/);
  // Every year: the reported 2014–2020 figure, said to be of 2014–2020 and reported.
  const all = await page(p33, '?preset=all');
  assert.match(all, /<option value="all" selected>/);
  assert.match(card(all, 'budget.local'), /trên 5,8 tỷ đồng/);
  assert.equal(cardPeriod(all, 'budget.local'), '2014–2020');
  assert.match(card(all, 'budget.local'), /theo số liệu báo cáo/);
  // A period chosen in the detailed fields is kept, and the picker says so.
  const custom = await page(p33, '?preset=custom&period=calendar&from=2014&to=2021');
  assert.match(custom, /<option value="custom" selected>Kỳ khác/);
  assert.match(custom, /<input type="hidden" name="from" value="2014">/);
  assert.match(custom, /<h2 id="dashboard-period">Kỳ: năm 2014 – 2021<\/h2>/);
  // One reporting year asked in the detailed fields reads as the picker's choice, even one it
  // does not list.
  assert.match(await page(p33, '?period=reporting_year&from=2019&to=2019'), /<option value="ry-2019" selected>Năm báo cáo 2019 \(15\/12\/2018 – 14\/12\/2019\)<\/option>/);
  // A choice the picker does not offer is refused, naming the field.
  const bad = await p33.get('/api/v1/dashboard?preset=2026');
  assert.equal(bad.status, 400, bad.text);
  assert.equal(bad.body.error.field, 'preset');
});

test('a 2026 project does not swap the meaning of the "local funds" card: its period and basis say what it is', async () => {
  const r = await p33.post('/api/v1/projects', {
    json: { title: 'Đề án máy móc 360 triệu', year: Y, province: '33', content_type: 'machinery', kind: 'local', cost_total: '1,2 tỷ', approved_local: '360 triệu' },
  });
  assert.equal(r.status, 201, r.text);
  const html = await page(p33);
  const c = card(html, 'budget.local');
  assert.match(c, /360 triệu đồng/);
  assert.equal(cardPeriod(html, 'budget.local'), SHORT);
  assert.match(c, /tính từ hồ sơ chi tiết/);
  // Every year: both, each with its period.
  const all = card(await page(p33, '?preset=all'), 'budget.local');
  assert.match(all, /mọi năm; số liệu báo cáo 2014–2020/);
  assert.match(all, /hồ sơ chi tiết và số liệu báo cáo/);
});

test('charts: counts on whole-number ticks, drawn at the size shown with text of 11 px or more', async () => {
  const api = await admin.get('/api/v1/dashboard?preset=all');
  const projects = api.body.charts.find((c) => c.link.includes('indicator=projects.count'));
  assert.ok(projects, JSON.stringify(api.body.charts.map((c) => c.title)));
  assert.equal(projects.integer, true);
  const money = api.body.charts.find((c) => c.link.includes('indicator=budget.national'));
  assert.equal(money.integer, false);
  const html = await page(admin, '?preset=all');
  const imgs = [...html.matchAll(/<img alt="[^"]*" width="(\d+)" height="(\d+)" data-text-px="([\d.]+)"/g)];
  assert.ok(imgs.length >= 3, `${imgs.length} charts`);
  for (const [, , , px] of imgs) assert.ok(Number(px) >= 11, `smallest chart text ${px} px`);
});

/* Issue 17: the charts are images of their own, drawn once and kept (no base64 SVG inlined
 * in the page), each with its title as text alternative, revalidated by ETag, and scoped as
 * the dashboard is. */
test('charts: separate SVG images with their title as alt, 304 on their ETag, scoped', async () => {
  const html = await page(p33, '?preset=all');
  assert.doesNotMatch(html, /data:image\/svg\+xml/);
  const figs = [...html.matchAll(/<figure class="chart"><figcaption><a [^>]*>([^<]*)<\/a><\/figcaption><picture><source [^>]*srcset="([^"]*)"><img alt="([^"]*)"[^>]* src="([^"]*)"><\/picture><\/figure>/g)];
  assert.ok(figs.length >= 2, `${figs.length} charts`);
  const etags = new Set();
  for (const [, title, narrow, alt, wide] of figs) {
    assert.equal(alt, title, 'the chart keeps its text alternative');
    for (const src of [wide, narrow]) {
      const url = src.replaceAll('&amp;', '&');
      assert.match(url, /^\/api\/v1\/dashboard\/chart\.svg\?/);
      const r = await p33.get(url);
      assert.equal(r.status, 200, `${url}: ${r.text.slice(0, 300)}`);
      assert.match(r.headers.get('content-type'), /^image\/svg\+xml/);
      assert.match(r.text, /<svg[\s\S]*<\/svg>\s*$/);
      // The URL names the version drawn: cacheable for good, its ETag that version.
      assert.match(r.headers.get('cache-control'), /^private, max-age=\d+, immutable$/);
      const etag = r.headers.get('etag');
      assert.equal(etag, `"${/[?&]v=([0-9a-f]{32})$/.exec(url)[1]}"`);
      etags.add(etag);
      const again = await p33.get(url, { headers: { 'If-None-Match': etag } });
      assert.equal(again.status, 304);
      assert.equal(again.text, '');
      // Without the version: the same drawing, revalidated each time.
      const plain = await p33.get(url.replace(/&v=\w+$/, ''));
      assert.equal(plain.headers.get('etag'), etag);
      assert.equal(plain.headers.get('cache-control'), 'private, no-cache');
      assert.equal(plain.text, r.text);
      // Another province's officer naming the same version is not served p33's drawing.
      const p01chart = await p01.get(url);
      assert.equal(p01chart.status, 200);
      assert.notEqual(p01chart.headers.get('etag'), etag, 'the chart of 01, not of 33');
      const out = await p33.get(url.replace('?', '?province=01&'));
      assert.equal(out.status, 403, out.text);
    }
  }
  assert.equal(etags.size, 2 * figs.length, 'each drawing its own ETag');
  // Another province's chart is refused; a place without a chart draws "no data"; sizes are two.
  const other = await p33.get('/api/v1/dashboard/chart.svg?province=01&chart=0');
  assert.equal(other.status, 403, other.text);
  const own = await p33.get('/api/v1/dashboard/chart.svg?province=33&chart=0&preset=all');
  assert.equal(own.status, 200, own.text);
  const none = await p33.get('/api/v1/dashboard/chart.svg?chart=15');
  assert.equal(none.status, 200, none.text);
  assert.match(none.text, /<svg/);
  const far = await p33.get('/api/v1/dashboard/chart.svg?chart=16');
  assert.equal(far.status, 400, far.text);
  assert.equal(far.body.error.field, 'chart');
  const bad = await p33.get('/api/v1/dashboard/chart.svg?chart=0&size=huge');
  assert.equal(bad.status, 400, bad.text);
  assert.equal(bad.body.error.field, 'size');
});

test('in English, card and chart titles are English', async () => {
  const set = async (lang) => assert.equal((await admin.patch('/api/v1/users/admin', { json: { lang } })).status, 200);
  await set('en');
  try {
    const html = await page(admin, '?preset=all');
    assert.match(card(html, 'budget.local'), /Local khuyến công funds/);
    assert.match(html, /<figcaption><a [^>]*>National khuyến công funds by year<\/a><\/figcaption>/);
    assert.match(html, /<figcaption><a [^>]*>Craft villages by province<\/a><\/figcaption>/);
    assert.doesNotMatch(html, /<figcaption><a [^>]*>Làng nghề theo tỉnh/);
    // The period in English too: the heading, the picker, each card.
    assert.match(html, /<h2 id="dashboard-period">Period: all years<\/h2>/);
    assert.match(html, /<option value="all" selected>All years<\/option>/);
    assert.ok(html.includes(`<option value="ry-${Y}">Reporting year ${Y} (15/12/${Y - 1} – 14/12/${Y})</option>`));
    assert.match(card(html, 'budget.local'), /Period: <span class="card-period">all years; reported figures 2014–2020<\/span>/);
    const cur = await page(admin);
    assert.ok(cur.includes(`<h2 id="dashboard-period">Period: reporting year ${Y} (15/12/${Y - 1} – 14/12/${Y})</h2>`));
    assert.equal(cardPeriod(cur, 'budget.local'), `reporting year ${Y}`);
    assert.match(card(html, 'training.trainees'), /<a [^>]*>no data<\/a><\/h3>/);
    assert.match(card(html, 'villages.count'), /<p class="muted coverage">Figures of 1\/34 provinces<\/p>/);
    // The API keeps its Vietnamese names whatever the account's language.
    const api = await admin.get('/api/v1/dashboard?preset=all');
    assert.equal(api.body.headline.find((it) => it.indicator === 'budget.local').name, 'Kinh phí khuyến công địa phương');
  } finally {
    await set('vi');
  }
});
