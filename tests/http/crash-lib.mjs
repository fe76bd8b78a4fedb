// crash-lib.mjs - the pieces of the crash test (crash.test.mjs): a seeded
// random generator, writers that create and change records of several types
// through the API and remember what was acknowledged, and the check that
// every acknowledged write is there with its content.
import assert from 'node:assert/strict';

/* mulberry32: small, seeded, the same sequence on every machine. */
export function prng(seed) {
  let a = seed >>> 0;
  const next = () => {
    a = (a + 0x6d2b79f5) >>> 0;
    let t = a;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
  next.int = (lo, hi) => lo + Math.floor(next() * (hi - lo + 1)); /* lo..hi */
  next.pick = (list) => list[Math.floor(next() * list.length)];
  return next;
}

const MESO = 'Xã Mễ Sở, Hưng Yên';

/* Per record type: a body made from a serial number (its fields come back
 * as sent, so `check` compares them as is) and a change of one field. */
export const KINDS = [
  {
    c: 'establishments',
    body: (n) => ({ name: `Cơ sở sự cố ${n}`, kind: 'household', commune_id: MESO, workers: (n % 40) + 5 }),
    change: (n) => ({ workers: (n % 90) + 50 }),
  },
  {
    c: 'training-classes',
    body: (n) => ({ province: '33', kind: 'vocational', topic: `Lớp sự cố ${n}`, year: 2026, trainees: (n % 30) + 10 }),
    change: (n) => ({ trainees: (n % 30) + 41 }),
  },
  {
    c: 'trade-fairs',
    body: (n) => ({
      province: '33',
      name: `Hội chợ sự cố ${n}`,
      place: 'Hưng Yên',
      abroad: false,
      date_from: '2026-11-22',
      date_to: '2026-11-26',
      year: 2026,
      booths: (n % 200) + 1,
    }),
    change: (n) => ({ booths: (n % 200) + 201 }),
  },
  {
    c: 'consultants',
    body: (n) => ({ name: `Chuyên gia sự cố ${n}`, expertise: `Chế biến ${n}`, province: '33', illustrative: false }),
    change: (n) => ({ expertise: `Cơ khí ${n}` }),
  },
];

/* What the writers know: records[key] = {kind, id, version, states, busy}.
 * states lists the contents the record may have: one after an acknowledged
 * write, two (before and after) after a change whose answer never came. */
export class Ledger {
  constructor() {
    this.records = new Map();
    this.serial = 0;
    this.acked = 0;
    this.unacked = 0;
    this.refused = []; /* answers other than 2xx: {text, locked} */
    this.importing = false; /* an import job may be running: it holds the write lock (SQLite) */
  }

  refuse(what, res) {
    const text = `${what}: ${res.status} ${res.text.slice(0, 300)}`;
    /* On SQLite a write waits for a running import's write lock at most
     * the busy timeout (10 s), then fails; not acknowledged, so allowed. */
    const locked = this.importing && res.status === 500 && /database is locked/.test(res.text);
    this.refused.push({ text, locked });
  }

  certain() {
    return [...this.records.values()].filter((r) => r.states.length === 1 && !r.busy);
  }
}

/* One request; resolves the response, or null when no answer came (the
 * server was killed before it was sent whole). */
async function attempt(client, method, url, opts) {
  try {
    return await client.request(method, url, opts);
  } catch {
    return null;
  }
}

/* One write: a create, or a change of a record known for sure. Calls
 * onEvent() when the request is sent and again when it is answered. */
async function writeOnce(client, ledger, rnd, onEvent) {
  const known = ledger.certain();
  const n = ++ledger.serial;
  if (known.length && rnd() < 0.35) {
    const rec = rnd.pick(known);
    const change = rec.kind.change(n);
    rec.busy = true;
    onEvent();
    const res = await attempt(client, 'PATCH', `/api/v1/${rec.kind.c}/${rec.id}`, {
      json: change,
      headers: { 'If-Match': `"${rec.version}"` },
    });
    rec.busy = false;
    const next = { ...rec.states[0], ...change };
    if (res && res.status === 200) {
      rec.states = [next];
      rec.version = Number(JSON.parse(res.headers.get('etag')));
      ledger.acked++;
    } else {
      if (res) ledger.refuse(`PATCH ${rec.kind.c}/${rec.id}`, res);
      rec.states = [rec.states[0], next]; /* either, never anything else */
      ledger.unacked++;
    }
  } else {
    const kind = rnd.pick(KINDS);
    const body = kind.body(n);
    onEvent();
    const res = await attempt(client, 'POST', `/api/v1/${kind.c}`, { json: body });
    if (res && res.status === 201) {
      const id = res.body.id;
      ledger.records.set(`${kind.c}/${id}`, { kind, id, version: 1, states: [body], busy: false });
      ledger.acked++;
    } else {
      if (res) ledger.refuse(`POST ${kind.c}`, res);
      ledger.unacked++;
    }
  }
  onEvent();
}

/* Writes through client until stopped() says so. */
export async function writer(client, ledger, rnd, onEvent, stopped) {
  while (!stopped()) await writeOnce(client, ledger, rnd, onEvent);
}

/* The fields of a body as the API gives them back. */
function shown(body) {
  const out = { ...body };
  delete out.province; /* some types keep it as a field, others only as province_code */
  delete out.commune_id; /* sent as a name, read back as an id */
  return out;
}

function matches(got, want) {
  return Object.entries(shown(want)).every(([k, v]) => JSON.stringify(got[k]) === JSON.stringify(v));
}

/* Every acknowledged record is there with one of its possible contents. */
export async function checkLedger(reader, ledger, why) {
  const recs = [...ledger.records.values()];
  for (let i = 0; i < recs.length; i += 8) {
    await Promise.all(
      recs.slice(i, i + 8).map(async (rec) => {
        const r = await reader.get(`/api/v1/${rec.kind.c}/${rec.id}`);
        assert.equal(r.status, 200, `${why}: acknowledged ${rec.kind.c}/${rec.id} is gone: ${r.text}`);
        assert.ok(
          rec.states.some((s) => matches(r.body, s)),
          `${why}: ${rec.kind.c}/${rec.id} is ${JSON.stringify(r.body)}; expected one of ${JSON.stringify(rec.states)}`,
        );
        if (rec.states.length > 1) {
          /* Now known: the change did or did not land. */
          rec.states = [rec.states.find((s) => matches(r.body, s))];
          rec.version = Number(JSON.parse(r.headers.get('etag')));
        }
      }),
    );
  }
}
