-- 0011: background jobs (src/model/job.c): web imports and report files run
-- by the workers of `serve` (src/web/job_worker.c), on whichever server
-- process claims them. A job belongs to the account that asked (user_id,
-- with its role and province at the time: the scope) and is seen only by it
-- and administrators. params, summary and error are JSON; result holds the
-- produced file's bytes in base64 (like import_uploads). Times are Unix
-- seconds; worker names the server process holding a running job, which
-- refreshes heartbeat_at while it runs. Finished jobs are deleted after a day.

CREATE TABLE jobs (
  id {{ID}},
  kind TEXT NOT NULL,
  status TEXT NOT NULL CHECK (status IN ('queued', 'running', 'done', 'failed', 'cancelled')),
  user_id BIGINT NOT NULL,
  username TEXT NOT NULL,
  role TEXT NOT NULL,
  province TEXT NOT NULL DEFAULT '',
  params TEXT NOT NULL,
  progress_done BIGINT NOT NULL DEFAULT 0,
  progress_total BIGINT NOT NULL DEFAULT 0,
  message TEXT NOT NULL DEFAULT '',
  cancel_requested INTEGER NOT NULL DEFAULT 0,
  summary TEXT,
  error TEXT,
  result TEXT,
  result_type TEXT,
  result_name TEXT,
  created_at BIGINT NOT NULL,
  started_at BIGINT,
  finished_at BIGINT,
  heartbeat_at BIGINT,
  worker TEXT,
  attempts INTEGER NOT NULL DEFAULT 0
);
CREATE INDEX jobs_status ON jobs(status, id);
CREATE INDEX jobs_user ON jobs(user_id, id);
CREATE INDEX jobs_finished ON jobs(finished_at);
