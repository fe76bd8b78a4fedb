// map.test.mjs - GET /api/v1/stats/map.svg on the demo data: valid XML
// (xmllint), a <title> per province under new (34) and old (63) units, a
// legend whose bounds are values of the statistic's table, a reported
// "trên 80%" that keeps its qualifier on the map, Hoàng Sa and Trường Sa
// always drawn, 304 on a matching ETag, 400 for a breakdown that is not by
// province.
import assert from 'node:assert/strict';
import { execFile } from 'node:child_process';
import { writeFile } from 'node:fs/promises';
import path from 'node:path';
import { after, before, test } from 'node:test';
import { promisify } from 'node:util';

import { login, scratchDir, setup } from './lib.mjs';

const env = await setup(after, { prefix: 'map' });
let api;
before(async () => {
  api = await login(env.base, 'admin', env.adminPassword, 'bearer');
});

const Q = 'indicator=training.employment_rate&illustrative=1';

async function svg(query) {
  const r = await api.get(`/api/v1/stats/map.svg?${query}`);
  assert.equal(r.status, 200, `${query}: ${r.status} ${r.text.slice(0, 300)}`);
  assert.match(r.headers.get('content-type'), /^image\/svg\+xml/);
  return r;
}

async function xmllint(text) {
  const file = path.join(await scratchDir('map'), 'map.svg');
  await writeFile(file, text);
  await promisify(execFile)('xmllint', ['--noout', file]);
}

const count = (s, re) => (s.match(re) || []).length;

test('the map of today\'s provinces is valid XML with a title per province', async () => {
  const { text } = await svg(Q);
  await xmllint(text);
  assert.equal(count(text, /<path class="map-unit"[^>]*><title>[^<]+<\/title><\/path>/g), 34);
  assert.match(text, /<title>Thành phố Hà Nội: trên 80%<\/title>/);
  assert.match(text, /<title>Tỉnh Hưng Yên: 85,7%<\/title>/);
  assert.match(text, /<title>Tỉnh Cao Bằng: không có số liệu<\/title>/);
  assert.match(text, /<g class="map-islands" id="map-hoang-sa">/);
  assert.match(text, /<g class="map-islands" id="map-truong-sa">/);
  assert.equal(count(text, /\(Việt Nam\)/g), 4, 'both archipelagos labelled (title and text)');
});

test('a reported "trên 80%" keeps its qualifier on the map', async () => {
  const { text } = await svg(Q);
  assert.match(text, /<text class="map-qualifier" data-code="01"[^>]*>trên 80%<\/text>/);
  assert.equal(count(text, /class="map-reported"/g), 1);
});

test('the legend\'s bounds are values of the statistic\'s table', async () => {
  const { text } = await svg(Q);
  const { body } = await api.get(`/api/v1/stats?${Q}&by=province`);
  const values = new Set(
    body.rows.filter((r) => typeof r.value === 'number').map((r) =>
      (r.value / 10 ** r.scale).toLocaleString('vi-VN', { maximumFractionDigits: 6 }).replace(/\s/g, ''),
    ),
  );
  const legend = [...text.matchAll(/<g class="map-class">.*?<text[^>]*>([^<]+)<\/text><\/g>/g)].map((m) => m[1]);
  assert.ok(legend.length >= 1, text.slice(0, 200));
  assert.deepEqual(new Set(legend.flatMap((l) => l.split(' – '))), values);
});

test('old units draw the 63 provinces of the time', async () => {
  const { text } = await svg(`${Q}&units=old`);
  await xmllint(text);
  assert.equal(count(text, /<\/title><\/path>/g), 63);
  assert.match(text, /Tỉnh Nam Định|Nam Định/);
  assert.match(text, /id="map-hoang-sa"/);
});

test('a matching ETag answers 304; another breakdown is a 400 naming by', async () => {
  const first = await svg(Q);
  const etag = first.headers.get('etag');
  assert.match(etag, /^"[0-9a-f]{32}"$/);
  const again = await api.get(`/api/v1/stats/map.svg?${Q}`, { headers: { 'If-None-Match': etag } });
  assert.equal(again.status, 304);
  const other = await svg(`${Q}&units=old`);
  assert.notEqual(other.headers.get('etag'), etag);
  const bad = await api.get(`/api/v1/stats/map.svg?${Q}&by=year`);
  assert.equal(bad.status, 400);
  assert.equal(bad.body.error.field, 'by');
});

test('the public catalogue maps its products by province; a province filters the list', async () => {
  const r = await fetch(`${env.base}/san-pham`);
  assert.equal(r.status, 200);
  const text = await r.text();
  const svgText = text.slice(text.indexOf('<svg'), text.indexOf('</svg>') + 6);
  await xmllint(svgText);
  assert.equal(count(svgText, /<\/title><\/path>/g), 34);
  const m = svgText.match(/<title>Tỉnh Hưng Yên: (\d+) sản phẩm<\/title>/);
  assert.ok(m, 'Hưng Yên has products');
  assert.match(svgText, /id="map-hoang-sa"/);
  const href = svgText.match(/href="([^"]*province=33)"/)[1].replaceAll('&amp;', '&');
  const list = await (await fetch(env.base + href)).text();
  assert.match(list, new RegExp(`id="total">${m[1]}<`), 'the list holds as many products');
});
