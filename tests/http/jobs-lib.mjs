// jobs-lib.mjs - helpers for background jobs (/jobs/{id}) shared by the
// import, jobs and multi-server suites.
import assert from 'node:assert/strict';

import { sleep } from './lib.mjs';

const ENDED = new Set(['done', 'failed', 'cancelled']);

/* The job id a 303 answer sends the browser to (/jobs/{id}). */
export function jobOf(res) {
  assert.equal(res.status, 303, `${res.status} ${res.text.slice(0, 500)}`);
  const m = /^\/jobs\/(\d+)$/.exec(res.headers.get('location') || '');
  assert.ok(m, `redirected to a job: ${res.headers.get('location')}`);
  return Number(m[1]);
}

/* Polls GET /api/v1/jobs/{id} through client until the job has ended;
 * resolves with the job's JSON and every progress seen on the way. */
export async function waitJob(client, id, { timeout = 60000 } = {}) {
  const deadline = Date.now() + timeout;
  const seen = [];
  for (;;) {
    const r = await client.get(`/api/v1/jobs/${id}`);
    assert.equal(r.status, 200, r.text);
    seen.push({ status: r.body.status, ...r.body.progress });
    if (ENDED.has(r.body.status)) return { job: r.body, seen };
    if (Date.now() > deadline) throw new Error(`job ${id} still ${r.body.status}`);
    await sleep(50);
  }
}

/* A POST that queues a job: follows it to its end and answers the job's page
 * (with .job, its JSON); any answer other than the 303 is returned as is. */
export async function postAndWait(client, url, opts) {
  const res = await client.post(url, opts);
  if (res.status !== 303) return res;
  const id = jobOf(res);
  const { job } = await waitJob(client, id);
  const page = await client.get(`/jobs/${id}`);
  page.job = job;
  return page;
}
