// lists.test.mjs - the record lists: column headers that sort (links setting sort and order,
// aria-sort on the sorted column), numbered pages (first, last, two either side of the
// current one, the current page marked), every cell labelled for the phone's cards, and the
// filters in a <details> the phone shows folded.
import assert from 'node:assert/strict';
import { after, before, test } from 'node:test';

import { login, setup } from './lib.mjs';

const env = await setup(after, { prefix: 'lists' });
let admin, figures, total;
before(async () => {
  admin = await login(env.base, 'admin', env.adminPassword);
  figures = (await admin.get('/api/v1/figures?per_page=1')).body.total;
  assert.ok(figures > 40, `the demo has ${figures} reported figures`);
  total = (await admin.get('/api/v1/establishments?count=exact&per_page=1')).body.total;
});

const pages = (html) => /<nav class="pages" aria-label="Trang"><ul>([\s\S]*?)<\/ul><\/nav>/.exec(html)?.[1];
const labels = (html) => [...pages(html).matchAll(/<li(?: class="gap")?>(?:<a[^>]*>)?([^<]+)/g)].map((m) => m[1]);

test('numbered pages: 1 2 3 … N, the current page marked', async () => {
  const last = Math.ceil(figures / 4);
  let r = await admin.get('/figures?per_page=4');
  assert.equal(r.status, 200);
  assert.deepEqual(labels(r.text), ['1', '2', '3', '…', String(last), 'Trang sau']);
  assert.match(pages(r.text), /<li><a aria-current="page" href="\/figures\?page=1&amp;per_page=4">1<\/a><\/li>/);
  r = await admin.get('/figures?per_page=4&page=6');
  assert.deepEqual(labels(r.text), ['Trang trước', '1', '…', '4', '5', '6', '7', '8', '…', String(last), 'Trang sau']);
  assert.match(pages(r.text), /<a aria-current="page" href="\/figures\?page=6&amp;per_page=4">6<\/a>/);
  assert.match(pages(r.text), /<a rel="next" href="\/figures\?page=7&amp;per_page=4">Trang sau<\/a>/);
  assert.equal([...r.text.matchAll(/aria-current="page"/g)].length, 2, 'the page number and the menu item');
  r = await admin.get(`/figures?per_page=4&page=${last}`);
  assert.deepEqual(labels(r.text), ['Trang trước', '1', '…', String(last - 2), String(last - 1), String(last)]);
  r = await admin.get(`/figures?per_page=${figures}`);
  assert.equal(pages(r.text), undefined, 'one page needs no numbers');
});

test('a column header sorts; again, the other way; aria-sort says which', async () => {
  let r = await admin.get('/establishments?kind=household');
  assert.match(r.text, /<th><a href="\/establishments\?sort=name&amp;order=asc&amp;kind=household" title="Sắp xếp theo">Tên cơ sở<\/a><\/th>/);
  assert.doesNotMatch(r.text, /aria-sort/);
  const names = (html) => [...html.matchAll(/<td data-label="Tên cơ sở"><a href="\/establishments\/\d+">([^<]+)<\/a>/g)].map((m) => m[1]);
  r = await admin.get('/establishments?sort=name&order=asc&per_page=500');
  assert.match(r.text, /<th aria-sort="ascending"><a href="\/establishments\?sort=name&amp;order=desc&amp;per_page=500"/);
  const asc = names(r.text);
  assert.equal(asc.length, total);
  const api = (await admin.get('/api/v1/establishments?sort=name&order=asc&per_page=500')).body.items.map((e) => e.name);
  assert.deepEqual(asc, api);
  r = await admin.get('/establishments?sort=name&order=desc&per_page=500');
  assert.match(r.text, /<th aria-sort="descending"><a href="\/establishments\?sort=name&amp;order=asc/);
  assert.deepEqual(names(r.text), [...api].reverse());
  // The pages keep the order; filtering again keeps it too.
  assert.match(r.text, /<input type="hidden" name="sort" value="name"><input type="hidden" name="order" value="desc">/);
});

test('every cell names its column (the phone\'s cards), the filters fold', async () => {
  const r = await admin.get('/establishments');
  const row = /<tbody><tr>([\s\S]*?)<\/tr>/.exec(r.text)[1];
  const cells = [...row.matchAll(/<td( data-label="[^"]+")?>/g)];
  assert.ok(cells.length > 2 && cells.every((m) => m[1]), row);
  assert.match(r.text, /<details class="fold" id="filter-box"><summary>Bộ lọc<\/summary><form method="get" class="filters" id="list-filters">/);
  const f = await admin.get('/establishments?kind=household&q=gom');
  assert.match(f.text, /<summary>Bộ lọc \(2\)<\/summary>/, 'the folded filters say how many are set');
});

test('count=exact counts every match; another word is refused naming count', async () => {
  const r = await admin.get('/api/v1/establishments?count=exact&per_page=1');
  assert.equal(r.status, 200, r.text);
  assert.equal(r.body.total_exact, true);
  assert.equal(r.body.total, total);
  const bad = await admin.get('/api/v1/establishments?count=all');
  assert.equal(bad.status, 400, bad.text);
  assert.match(JSON.stringify(bad.body), /count/);
  assert.match(JSON.stringify(bad.body), /capped\|exact|capped, exact/);
});
