// seeds.test.mjs - every figure of the five seed articles (DOMAIN.md, "The
// figures in the seeds") is found again through the API in the demo data that
// `khuyencong init` loads: indicator, place (today's province and the one
// before 2025-07-01), period, value with its qualifier, and measure. The
// expected values below are written from the articles (/work/shared/seeds),
// not copied from data/demo/demo.json: only the indicator codes come from it.
import assert from 'node:assert/strict';
import { after, before, test } from 'node:test';

import { login, setup } from './lib.mjs';

const env = await setup(after, { prefix: 'seeds' });

let api;
before(async () => {
  api = await login(env.base, 'admin', env.adminPassword, 'bearer');
});

const list = (c, params) => `/api/v1/${c}?` + new URLSearchParams(params).toString();

async function get(url) {
  const r = await api.get(url);
  assert.equal(r.status, 200, `${url}: ${r.status} ${r.text}`);
  return r.body;
}

/* ---- reading a figure as the article writes it ---- */

/* "trên 80", "gần 5,2", "5–7", "9.590": qualifier word, Vietnamese number
 * (dot = thousands, comma = decimals), optional range. Returns
 * {qualifier, lo, hi} with lo/hi as {digits: BigInt, decimals}. */
const QUALIFIERS = [
  ['trên', 'at_least'],
  ['hơn', 'at_least'],
  ['khoảng', 'about'],
  ['gần', 'nearly'],
  ['xấp xỉ', 'about'],
];
function decimal(text) {
  assert.match(text, /^\d{1,3}(\.\d{3})*(,\d+)?$/, `a Vietnamese number: ${text}`);
  const [int, frac = ''] = text.split(',');
  return { digits: BigInt(int.replaceAll('.', '') + frac), decimals: frac.length };
}
function readArticle(phrase) {
  let s = phrase.trim();
  let qualifier = 'exact';
  for (const [word, q] of QUALIFIERS)
    if (s.startsWith(word + ' ')) {
      qualifier = q;
      s = s.slice(word.length + 1);
    }
  const range = s.split(/\s*[–-]\s*/);
  if (range.length === 2) {
    assert.equal(qualifier, 'exact');
    return { qualifier: 'range', lo: decimal(range[0]), hi: decimal(range[1]) };
  }
  const v = decimal(s);
  return { qualifier, lo: v, hi: v };
}

/* Money measures compare by amount ("4.100 tỷ đồng" = "4,1 nghìn tỷ đồng"). */
const MONEY = [
  ['nghìn tỷ đồng', 'VND', 10n ** 12n],
  ['tỷ đồng', 'VND', 10n ** 9n],
  ['triệu đồng', 'VND', 10n ** 6n],
  ['nghìn đồng', 'VND', 10n ** 3n],
  ['đồng', 'VND', 1n],
  ['triệu USD', 'USD', 10n ** 6n],
  ['USD', 'USD', 1n],
];
/* {unit, factor, rest}: the money unit at the start of a measure (rest is what
 * follows a "/", e.g. "/người/tháng"), or the measure itself with factor 1. */
function measureUnit(m) {
  for (const [name, cur, factor] of MONEY)
    if (m === name || m.startsWith(name + '/'))
      return { unit: cur, factor, rest: m.slice(name.length) };
  return { unit: m, factor: 1n, rest: '' };
}

/* Does the stored quantity q (value, value_hi, scale, qualifier) with measure
 * got equal the article's phrase in measure want (a string, or a RegExp for
 * a count whose wording may vary, e.g. /^lượt/)? Asserts it. */
function assertQty(what, q, got, phrase, want) {
  const art = readArticle(phrase);
  assert.ok(q && typeof q === 'object', `${what}: no value`);
  assert.equal(q.qualifier, art.qualifier, `${what}: qualifier of "${phrase}"`);
  let gf = 1n;
  let wf = 1n;
  if (want instanceof RegExp) {
    assert.match(got, want, `${what}: measure`);
  } else {
    const g = measureUnit(got);
    const w = measureUnit(want);
    assert.equal(g.unit + g.rest, w.unit + w.rest, `${what}: measure ${got} vs ${want}`);
    gf = g.factor;
    wf = w.factor;
  }
  // value / 10^scale * gf == digits / 10^decimals * wf
  const same = (stored, a) =>
    BigInt(stored) * gf * 10n ** BigInt(a.decimals) === a.digits * wf * 10n ** BigInt(q.scale);
  assert.ok(same(q.value, art.lo), `${what}: value ${JSON.stringify(q)} ${got} is not "${phrase}" ${want}`);
  assert.ok(same(q.value_hi, art.hi), `${what}: value_hi ${JSON.stringify(q)} is not "${phrase}"`);
}

/* ---- the seed table ---- */

/* Places as the articles name them: today's province and the one before
 * 2025-07-01 (the articles predate the merger). */
const HA_NOI = { name: 'Hà Nội', province: '01', old: '01' };
const BR_VT = { name: 'Bà Rịa – Vũng Tàu', province: '79', old: '77' }; // today Hồ Chí Minh City
const NAM_DINH = { name: 'Nam Định', province: '37', old: '36' }; // today Ninh Bình
const HUNG_YEN = { name: 'Hưng Yên', province: '33', old: '33' };

/* [seed, place, from, to, indicator, value as the article writes it, measure] */
const FIGURES = [
  // 001 Hà Nội 2016–2020
  ['001', HA_NOI, 2016, 2020, 'training.craft_transfer.classes', '274', 'lớp'],
  ['001', HA_NOI, 2016, 2020, 'training.craft_transfer.trainees', '9.590', 'lao động'],
  ['001', HA_NOI, 2016, 2020, 'training.employment_rate', 'trên 80', '%'],
  ['001', HA_NOI, 2016, 2020, 'labour.trained_share', 'trên 70', '%'],
  ['001', HA_NOI, 2016, 2020, 'training.management.classes', '72', 'lớp'],
  ['001', HA_NOI, 2016, 2020, 'training.management.trainees', '7.200', /^lượt/],
  ['001', HA_NOI, 2016, 2020, 'machinery.support_times', '64', 'lượt cơ sở'],
  ['001', HA_NOI, 2016, 2020, 'fairs.count', '5', 'hội chợ'],
  ['001', HA_NOI, 2016, 2020, 'fairs.enterprises', '1.250', /^doanh nghiệp/],
  ['001', HA_NOI, 2016, 2020, 'fairs.provinces', 'gần 40', /^tỉnh/],
  ['001', HA_NOI, 2016, 2020, 'fairs.importers', '3.200', 'nhà nhập khẩu'],
  ['001', HA_NOI, 2016, 2020, 'fairs.importer_countries', '40', 'quốc gia và vùng lãnh thổ'],
  ['001', HA_NOI, 2016, 2020, 'fairs.contract_value_usd', 'trên 20', 'triệu USD'],
  ['001', HA_NOI, 2016, 2020, 'fairs.customer_found_share.abroad', '100', '%'],
  ['001', HA_NOI, 2016, 2020, 'fairs.contract_value_per_enterprise_usd.abroad', 'xấp xỉ 55.000',
    /^USD\/(doanh nghiệp|DN)\/năm$/],
  // 002 Bà Rịa – Vũng Tàu 2014–2020
  ['002', BR_VT, 2014, 2020, 'training.vocational.trainees', '285', 'người'],
  ['002', BR_VT, 2014, 2020, 'training.vocational.trainees.mechanical_intermediate', '480', 'người'],
  ['002', BR_VT, 2014, 2020, 'training.vocational.employed.mechanical_intermediate', '450', 'người'],
  ['002', BR_VT, 2014, 2020, 'training.cleaner_production.trainees', '344', 'người'],
  ['002', BR_VT, 2014, 2020, 'training.management.trainees', '718', 'người'],
  ['002', BR_VT, 2014, 2020, 'training.startup.trainees', '50', 'người'],
  ['002', BR_VT, 2014, 2020, 'demo_models.count', '6', 'mô hình'],
  ['002', BR_VT, 2014, 2020, 'demo_models.counterpart', '24,7', 'tỷ đồng'],
  ['002', BR_VT, 2014, 2020, 'demo_models.avg_income', '5 – 7', 'triệu đồng/người/tháng'],
  ['002', BR_VT, 2014, 2020, 'machinery.establishments', '113', 'cơ sở'],
  ['002', BR_VT, 2014, 2020, 'awards.district', '214', 'sản phẩm'],
  ['002', BR_VT, 2014, 2020, 'awards.province', '112', 'sản phẩm'],
  ['002', BR_VT, 2014, 2020, 'awards.region', '39', 'sản phẩm'],
  ['002', BR_VT, 2014, 2020, 'awards.national', '9', 'sản phẩm'],
  ['002', BR_VT, 2014, 2020, 'fairs.enterprises', 'gần 260', 'lượt cơ sở'],
  ['002', BR_VT, 2014, 2020, 'training.officials.trainees', 'hơn 80', /^lượt/],
  // 003 Nam Định 2015
  ['003', NAM_DINH, 2015, 2015, 'villages.count', '98', 'làng nghề'],
  ['003', NAM_DINH, 2015, 2015, 'villages.count.processing', '11', 'làng nghề'],
  ['003', NAM_DINH, 2015, 2015, 'villages.count.crafts_goods', '51', 'làng nghề'],
  ['003', NAM_DINH, 2015, 2015, 'villages.count.handicraft', '36', 'làng nghề'],
  ['003', NAM_DINH, 2015, 2015, 'villages.recognised', '51', 'làng nghề'],
  ['003', NAM_DINH, 2015, 2015, 'villages.workers', 'trên 44.000', 'lao động'],
  ['003', NAM_DINH, 2015, 2015, 'villages.production_value', 'khoảng 4.100', 'tỷ đồng'],
  ['003', NAM_DINH, 2015, 2015, 'cooperatives.count', '32', 'hợp tác xã'],
  ['003', NAM_DINH, 2015, 2015, 'cooperatives.count.textile', '20', 'hợp tác xã'],
  ['003', NAM_DINH, 2015, 2015, 'cooperatives.count.mechanical', '4', 'hợp tác xã'],
  ['003', NAM_DINH, 2015, 2015, 'programmes.count', '20', 'chương trình'],
  ['003', NAM_DINH, 2015, 2015, 'budget.total', '4,34', 'tỷ đồng'],
  ['003', NAM_DINH, 2015, 2015, 'trade_promotion.programmes.count', '11', 'chương trình'],
  ['003', NAM_DINH, 2015, 2015, 'trade_promotion.budget.total', '821,5', 'triệu đồng'],
  ['003', NAM_DINH, 2015, 2015, 'fairs.participated', '8', 'hội chợ'],
  ['003', NAM_DINH, 2015, 2015, 'fairs.booths', '320', 'gian hàng'],
  // 004 Hưng Yên, "hơn 6 năm" to 2020 (about 2014–2020)
  ['004', HUNG_YEN, 2014, 2020, 'budget.national', 'gần 5,2', 'tỷ đồng'],
  ['004', HUNG_YEN, 2014, 2020, 'training.vocational.trainees', '400', 'học viên'],
  ['004', HUNG_YEN, 2014, 2020, 'projects.count.demo_model_machinery', '10', 'đề án'],
  ['004', HUNG_YEN, 2014, 2020, 'projects.budget.demo_model_machinery', 'trên 2,2', 'tỷ đồng'],
  ['004', HUNG_YEN, 2014, 2020, 'budget.local', 'trên 5,8', 'tỷ đồng'],
  ['004', HUNG_YEN, 2014, 2020, 'budget.local.direct_support_share', '71,7', '%'],
  // 000 Hưng Yên 2021: "trên 7,3 nghìn tỷ đồng", "45 nghìn lao động"
  ['000', HUNG_YEN, 2021, 2021, 'villages.production_value', 'trên 7,3', 'nghìn tỷ đồng'],
  ['000', HUNG_YEN, 2021, 2021, 'villages.workers', '45.000', 'lao động'],
];

for (const [seed, place, from, to, indicator, phrase, measure] of FIGURES) {
  const period = from === to ? `${from}` : `${from}–${to}`;
  test(`${seed} ${place.name} ${period}: ${indicator} = ${phrase} ${measure}`, async () => {
    const body = await get(
      list('figures', { indicator, province: place.province, old_province: place.old, year: String(from) }),
    );
    const found = body.items.filter((f) => f.period_from === from && f.period_to === to);
    assert.equal(found.length, 1,
      `one figure ${indicator} for ${place.name} ${period}: ${JSON.stringify(body.items)}`);
    const f = found[0];
    assert.equal(f.indicator, indicator);
    assert.equal(f.unit_era, 'old', 'the articles predate 2025-07-01');
    assert.equal(f.province_code, place.province, 'today\'s province');
    assert.equal(f.old_province_code, place.old, 'the province of the article');
    assert.equal(f.unit_id_code, place.old);
    assertQty(indicator, f.value, f.measure, phrase, measure);
    assert.ok(f.source_url && f.source_url.includes(`seeds/${seed}_`),
      `source of ${indicator}: ${f.source_url}`);
    assert.ok(f.source_title && f.quote, 'the source and the quotation are kept');
    // The indicator alone finds it too.
    const byCode = await get(list('figures', { indicator, per_page: '500' }));
    assert.ok(byCode.items.some((x) => x.id === f.id));
    assert.ok(byCode.items.every((x) => x.indicator === indicator));
  });
}

/* The dashboard of each article's province and period shows every figure the
 * article reports (the fixed headline list alone missed e.g. Hưng Yên's 400
 * sewing trainees and its 10 projects). */
const SCOPES = new Map();
for (const [seed, place, from, to, indicator] of FIGURES) {
  const key = `${place.province} ${from} ${to}`;
  if (!SCOPES.has(key)) SCOPES.set(key, { seed, place, from, to, indicators: new Set() });
  SCOPES.get(key).indicators.add(indicator);
}
for (const { seed, place, from, to, indicators } of SCOPES.values()) {
  test(`${seed} ${place.name} ${from}–${to}: the dashboard shows all ${indicators.size} reported figures`, async () => {
    const dash = await get(`/api/v1/dashboard?${new URLSearchParams({ province: place.province, from, to })}`);
    const shown = new Set(dash.headline.map((h) => h.indicator));
    for (const code of indicators) assert.ok(shown.has(code), `${code} not in ${[...shown].join(', ')}`);
    // A card without a value says so and has nothing behind it (issue 19, 9).
    for (const h of dash.headline)
      assert.ok(h.text && h.link && (h.records || h.figures || h.source === 'none'), JSON.stringify(h));
    // Each reported number links to exactly the article's figures behind it.
    for (const h of dash.headline.filter((x) => indicators.has(x.indicator) && x.source === 'reported')) {
      assert.equal(h.records, null, JSON.stringify(h));
      const listed = await get(h.figures.replace(/^\/figures\?/, '/api/v1/figures?'));
      assert.ok(listed.total >= 1, h.figures);
      for (const f of listed.items) {
        assert.equal(f.indicator, h.indicator);
        assert.equal(f.province_code, place.province);
        assert.ok(f.period_from >= from && f.period_to <= to, JSON.stringify(f));
      }
    }
  });
}

test('the seed figures are all there: each article has its count', async () => {
  const counts = {};
  for (const [seed] of FIGURES) counts[seed] = (counts[seed] || 0) + 1;
  const all = await get(list('figures', { per_page: '500' }));
  assert.equal(all.total, all.items.length);
  for (const [seed, n] of Object.entries(counts)) {
    const mine = all.items.filter((f) => (f.source_url || '').includes(`seeds/${seed}_`));
    assert.ok(mine.length >= n, `seed ${seed}: ${mine.length} figures, the table has ${n}`);
  }
});

test('old_province finds the Nam Định figures under the old code 36, province under 37 (Ninh Bình)', async () => {
  const old = await get(list('figures', { old_province: '36', per_page: '500' }));
  const now = await get(list('figures', { province: '37', per_page: '500' }));
  const nd = FIGURES.filter((f) => f[1] === NAM_DINH).length;
  assert.ok(old.total >= nd, `${old.total}`);
  assert.ok(old.items.every((f) => f.province_code === '37' && f.old_province_code === '36'));
  for (const f of old.items) assert.ok(now.items.some((x) => x.id === f.id));
  const brvt = await get(list('figures', { old_province: '77', per_page: '500' }));
  assert.ok(brvt.total >= FIGURES.filter((f) => f[1] === BR_VT).length);
  assert.ok(brvt.items.every((f) => f.province_code === '79'));
});

/* ---- targets ---- */

async function programme(where) {
  const body = await get(list('programmes', { per_page: '500' }));
  const found = body.items.filter(where);
  assert.equal(found.length, 1, JSON.stringify(body.items.map((p) => [p.code, p.name])));
  return found[0];
}

async function targetsOf(p) {
  return (await get(list('targets', { programme_id: String(p.id), per_page: '500' }))).items;
}

function matches(t, phrase, measure) {
  try {
    assertQty('', t.value, t.measure, phrase, measure);
    return true;
  } catch {
    return false;
  }
}

/* Finds the one target whose value and measure are the article's. */
function assertTarget(targets, label, phrase, measure, extra = () => true) {
  const hits = targets.filter((t) => matches(t, phrase, measure) && extra(t));
  const seen = JSON.stringify(targets.map((t) => [t.indicator, t.value, t.measure]));
  assert.equal(hits.length, 1, `${label}: ${phrase} ${measure} in ${seen}`);
  return hits[0];
}

test('national programme 2021–2025 (Decision 1881/QĐ-TTg) has its 7 targets', async () => {
  const found = await get(list('programmes', { q: '1881' }));
  assert.equal(found.total, 1, JSON.stringify(found.items));
  const p = found.items[0];
  assert.match(p.legal_basis, /1881\/QĐ-TTg/);
  assert.equal(p.level, 'national');
  assert.equal(p.period_from, 2021);
  assert.equal(p.period_to, 2025);
  assert.equal(p.province_code, null);
  const ts = await targetsOf(p);
  assert.equal(ts.length, 7, JSON.stringify(ts.map((t) => t.indicator)));
  // DOMAIN.md: 340 demonstration models, 1 600 advanced machines and 300
  // technology lines, pollution treatment at 50 establishments, 15 domestic
  // and 5 overseas fairs, training for 10 000 rural workers.
  assertTarget(ts, 'models', '340', 'mô hình');
  assertTarget(ts, 'machines', '1.600', /máy/);
  assertTarget(ts, 'lines', '300', /dây chuyền/);
  assertTarget(ts, 'pollution', '50', 'cơ sở');
  assertTarget(ts, 'fairs at home', '15', 'hội chợ');
  assertTarget(ts, 'fairs abroad', '5', 'hội chợ');
  assertTarget(ts, 'training', '10.000', 'lao động');
  for (const t of ts) assert.equal(t.year, null, 'targets of the whole period');
});

test('Hà Nội programme 2021–2025 holds the targets of seed 001', async () => {
  const p = await programme((x) => x.province === '01' && x.period_from === 2021 && x.period_to === 2025);
  const ts = await targetsOf(p);
  assert.equal(ts.length, 7, JSON.stringify(ts.map((t) => t.indicator)));
  assertTarget(ts, 'establishment-times', 'trên 10.000', /^lượt/);
  assertTarget(ts, 'jobs', 'khoảng 50.000', 'lao động');
  assertTarget(ts, 'exports in 2025', '550', 'triệu USD', (t) => t.year === 2025);
  assertTarget(ts, 'energy management', '100', '%');
  assertTarget(ts, 'energy saving', '5 – 7', '%');
  // "tăng bình quân 5% - 8%/năm" and "giảm 5% - 8% mức tiêu hao": two ranges 5–8.
  const growth = ts.filter((t) => matches(t, '5 – 8', /^%/));
  assert.equal(growth.length, 2, JSON.stringify(ts.map((t) => [t.indicator, t.value, t.measure])));
  assert.ok(growth.some((t) => /năm/.test(t.measure)), 'the export growth is per year');
});

test('Hưng Yên programme 2021–2025 targets 15 demonstration models (seed 004)', async () => {
  const p = await programme((x) => x.province === '33' && x.period_from === 2021 && x.period_to === 2025);
  assert.equal(p.province_code, '33');
  const ts = await targetsOf(p);
  const t = assertTarget(ts, 'models', '15', 'mô hình');
  assert.equal(t.province_code, '33');
  // The targets list finds it by indicator too, with the national one (340).
  const byCode = await get(list('targets', { indicator: t.indicator }));
  assert.ok(byCode.items.some((x) => x.id === t.id));
});

/* ---- the named establishments of seed 000 and their products ---- */

const NAMED = [
  {
    q: 'hoang minh chau',
    name: 'Công ty TNHH Hoàng Minh Châu Hưng Yên',
    district: 'Khoái Châu',
    product: 'Bộ sản phẩm từ nghệ',
  },
  {
    q: 'phu ung',
    name: 'Hợp tác xã Chạm bạc Phù Ủng',
    district: 'Ân Thi',
    oldCommune: 'Phù Ủng',
    product: 'bộ trang sức bằng bạc',
  },
  {
    q: 'danh vi',
    name: 'Công ty TNHH Mật ong Danh Vị',
    district: 'Văn Giang',
    oldCommune: 'Mễ Sở',
    product: 'bộ sản phẩm phấn hoa ong, mật ong và sữa ong chúa',
  },
];

for (const n of NAMED) {
  test(`seed 000: ${n.name} exists (q=${n.q}) with its product as an award`, async () => {
    const found = await get(list('establishments', { q: n.q }));
    assert.equal(found.total, 1, JSON.stringify(found.items.map((e) => e.name)));
    const e = found.items[0];
    assert.equal(e.name, n.name);
    assert.equal(e.province_code, '33');
    // Its commune (2025) comes from a commune of the district the article names.
    const unit = await get(`/api/v1/units/new/commune/${e.commune_id_code}`);
    let inDistrict = false;
    for (const p of unit.predecessors) {
      const old = await get(`/api/v1/units/old/commune/${p.code}`);
      if (old.district_name && old.district_name.endsWith(n.district)) {
        if (!n.oldCommune || old.name === n.oldCommune) inDistrict = true;
      }
    }
    assert.ok(inDistrict, `${e.commune_id_name} is not from ${n.oldCommune || ''} ${n.district}`);

    const awards = await get(list('awards', { establishment_id: String(e.id) }));
    const names = awards.items.map((a) => a.product_name);
    assert.ok(
      names.some((x) => x.toLocaleLowerCase('vi') === n.product.toLocaleLowerCase('vi')),
      JSON.stringify(names),
    );
    assert.ok(awards.items.every((a) => a.establishment_id === e.id && a.province_code === '33'));
    // The product is found by searching for it without diacritics as well.
    const q = n.product.normalize('NFD').replace(/\p{M}/gu, '').replace(/đ/g, 'd').replace(/Đ/g, 'D');
    const byProduct = await get(list('awards', { q: q.split(/[ ,]+/).slice(0, 5).join(' ') }));
    assert.ok(byProduct.items.some((a) => a.establishment_id === e.id), q);
  });
}
