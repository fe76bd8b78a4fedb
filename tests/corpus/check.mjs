// check.mjs - how the corpus suite reads expected.json and compares a figure
// with what the system answers. Exact arithmetic only: values are decimal
// strings ("2164460000", "37.85") compared as BigInt with a scale, never as
// floating point.
import { readdirSync, readFileSync } from 'node:fs';
import path from 'node:path';

/* Money measures of the report JSON, in đồng (or USD) per unit. */
const FACTORS = [
  ['nghìn tỷ đồng', 10n ** 12n],
  ['tỷ đồng', 10n ** 9n],
  ['triệu đồng', 10n ** 6n],
  ['nghìn đồng', 10n ** 3n],
  ['đồng', 1n],
  ['triệu USD', 10n ** 6n],
];

/* A decimal string or number as {digits, scale}: "37.85" -> {3785n, 2}. */
export function dec(v) {
  const s = typeof v === 'number' ? String(v) : String(v).trim();
  if (!/^-?\d+(\.\d+)?$/.test(s)) throw new Error(`not a decimal: ${v}`);
  const [int, frac = ''] = s.split('.');
  return { digits: BigInt(int + frac), scale: frac.length };
}

/* a == b for {digits, scale} values. */
export function same(a, b) {
  const s = Math.max(a.scale, b.scale);
  return a.digits * 10n ** BigInt(s - a.scale) === b.digits * 10n ** BigInt(s - b.scale);
}

/* The value of a report JSON cell in the base unit ({digits, scale}), or null. */
export function cellAmount(cell) {
  if (!cell || cell.value === null || cell.value === undefined) return null;
  const v = dec(typeof cell.value === 'number' ? cell.value.toFixed(cell.decimals ?? 0) : cell.value);
  const unit = cell.unit || '';
  for (const [name, f] of FACTORS)
    if (unit === name || unit.startsWith(`${name}/`)) return { digits: v.digits * f, scale: v.scale };
  return v;
}

/* Vietnamese renderings of an exact amount of the measure, with all its
 * significant digits: 2164460000 đồng -> "2,16446 tỷ đồng",
 * "2.164,46 triệu đồng", "2.164.460.000 đồng". The narrative must hold one. */
export function renderings(value, measure) {
  const v = dec(value);
  const out = [];
  const units = measure === 'đồng' ? FACTORS.filter(([n]) => n.endsWith('đồng')) : [[measure, 1n]];
  for (const [name, f] of units) {
    const scale = BigInt(v.scale);
    const num = v.digits;
    const den = f * 10n ** scale;
    const int = num / den;
    let rem = num % den;
    if (int === 0n && name !== measure) continue;
    let frac = '';
    for (let i = 0; rem !== 0n && i < 12; i++) {
      rem *= 10n;
      frac += String(rem / den);
      rem %= den;
    }
    if (rem !== 0n) continue;
    const grouped = int.toString().replace(/\B(?=(\d{3})+(?!\d))/g, '.');
    out.push(`${grouped}${frac ? `,${frac}` : ''}${name === '%' ? '%' : ` ${name}`}`);
  }
  return out;
}

const WORDS = { at_least: ['trên', 'hơn'], about: ['khoảng', 'xấp xỉ'], nearly: ['gần'], at_most: ['tối đa', 'dưới'] };

/* Does text hold the figure's reading (qualifier word + one rendering)? */
export function inText(text, f) {
  if (f.qualifier === 'range') {
    const lo = renderings(f.value, f.measure).map((r) => r.split(' ')[0]);
    const hi = renderings(f.value_hi, f.measure);
    return lo.some((l) => hi.some((h) => ['–', ' – ', '-', ' - '].some((d) => text.includes(`${l}${d}${h}`))));
  }
  const forms = renderings(f.value, f.measure);
  const words = WORDS[f.qualifier] || [''];
  return forms.some((r) => words.some((w) => text.includes(w ? `${w} ${r}` : r)));
}

/* Every report of the corpus (directories with an expected.json), sorted. */
export function reports(dir) {
  return readdirSync(dir, { withFileTypes: true })
    .filter((d) => d.isDirectory())
    .map((d) => d.name)
    .sort()
    .filter((name) => {
      try {
        readFileSync(path.join(dir, name, 'expected.json'));
        return true;
      } catch {
        return false;
      }
    });
}

/* The import files of a report in import order: NN-KIND.csv. */
export function importFiles(dir) {
  return readdirSync(dir)
    .filter((f) => /^\d+-[a-z-]+\.(csv|xlsx)$/.test(f))
    .sort()
    .map((f) => ({ file: path.join(dir, f), kind: f.replace(/^\d+-/, '').replace(/\.(csv|xlsx)$/, '') }));
}

/* The stats query of a figure at one place ({province}|{old_province}|{national}). */
export function statsQuery(f, place) {
  const q = { indicator: f.indicator, from: String(f.period.from), to: String(f.period.to) };
  if (place.province) q.province = place.province;
  if (place.old_province) {
    q.old_province = place.old_province;
    q.units = 'old';
  }
  for (const [k, v] of Object.entries(f.breakdown || {})) q[k] = v;
  return new URLSearchParams(q).toString();
}

/* Compares a stats total with the figure; returns null or the reason. */
export function compareTotal(total, f) {
  if (!total || total.value === null || total.value === undefined)
    return `no value (source ${total?.source})`;
  const got = { digits: BigInt(total.value), scale: total.scale || 0 };
  const why = [];
  if (!same(got, dec(f.value))) why.push(`value ${total.value}e-${total.scale || 0} (${total.text}) ≠ ${f.value}`);
  if ((total.qualifier || 'exact') !== f.qualifier) why.push(`qualifier ${total.qualifier} ≠ ${f.qualifier}`);
  if (f.value_hi !== undefined && !same({ digits: BigInt(total.value_hi), scale: total.scale || 0 }, dec(f.value_hi)))
    why.push(`value_hi ${total.value_hi} ≠ ${f.value_hi}`);
  return why.length ? why.join('; ') : null;
}

/* Finds the figure in a report JSON: a table cell of the same amount and
 * qualifier in a row whose label names the indicator (or, for a breakdown,
 * the breakdown's label), and its reading in the section's paragraphs.
 * Returns null or the reason. */
export function inReport(doc, f, labels) {
  const names = labels.filter(Boolean);
  let rowFound = false;
  for (const s of doc.sections || []) {
    const t = s.table;
    if (!t) continue;
    for (let i = 0; i < t.rows.length; i++) {
      const label = String(t.rows[i][0] ?? '');
      if (!names.some((n) => label.includes(n))) continue;
      for (const cell of t.values?.[i] || []) {
        const amt = cellAmount(cell);
        if (!amt || !same(amt, dec(f.value))) continue;
        if ((cell.qualifier || 'exact') !== f.qualifier) continue;
        rowFound = true;
        const text = (s.paragraphs || []).join('\n');
        if (!inText(text, f))
          return `in table "${s.title}" but not in its narrative (${renderings(f.value, f.measure).join(' | ')})`;
        return null;
      }
    }
  }
  if (!rowFound) {
    const seen = [];
    for (const s of doc.sections || [])
      for (const r of s.table?.rows || []) if (names.some((n) => String(r[0]).includes(n))) seen.push(r.join(' '));
    return `no row ${names.join(' / ')} = ${f.qualifier} ${f.value}` + (seen.length ? `; rows: ${seen.join('; ')}` : '; no such row');
  }
  return null;
}
