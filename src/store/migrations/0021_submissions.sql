-- 0021: the reporting chain (docs/reporting.md). A province submits its
-- periodic report for a reporting period (a reporting year, or the first
-- half-year: the six-month report); the ministry accepts or returns it, and
-- may reopen an accepted one with a reason. The period's dates are copied
-- from reporting_periods when the submission is made, so a later change of
-- the cut-off rules does not move what was reported or what is locked.
-- The deadline (due_date) comes from reporting_periods.due_month/due_day
-- (migration 0010: 20 Jun and 20 Dec, the pattern of the ministry's recent
-- circulars, unverified for khuyến công), also copied when made.
CREATE TABLE submissions (
  id {{ID}},
  number TEXT NOT NULL UNIQUE,
  province_code TEXT NOT NULL,
  period_kind TEXT NOT NULL CHECK (period_kind IN ('year', 'half_year')),
  year INTEGER NOT NULL,
  status TEXT NOT NULL CHECK (status IN ('draft', 'submitted', 'withdrawn', 'accepted',
    'returned', 'reopened')),
  date_from TEXT NOT NULL,
  date_to TEXT NOT NULL,
  year_from INTEGER NOT NULL,
  year_to INTEGER NOT NULL,
  no_years INTEGER NOT NULL,
  period_label TEXT NOT NULL,
  due_date TEXT,
  created_at TEXT NOT NULL,
  created_by TEXT NOT NULL,
  submitted_at TEXT,
  first_submitted_at TEXT,
  decided_at TEXT,
  version INTEGER NOT NULL DEFAULT 1
);
-- One live submission per province and period (a withdrawn one frees it).
CREATE UNIQUE INDEX submissions_live ON submissions(province_code, period_kind, year)
  WHERE status <> 'withdrawn';
CREATE INDEX submissions_period ON submissions(period_kind, year, status);
-- What was sent, each time it was sent: only ever inserted (no statement of
-- the code updates or deletes a row of it; test_submission checks a snapshot
-- is unchanged after the records behind it change). content_hash is the
-- SHA-256 of snapshot, the exact text stored.
CREATE TABLE submission_snapshots (
  id {{ID}},
  submission_id BIGINT NOT NULL REFERENCES submissions(id),
  seq INTEGER NOT NULL,
  created_at TEXT NOT NULL,
  snapshot TEXT NOT NULL,
  content_hash TEXT NOT NULL,
  UNIQUE (submission_id, seq)
);
-- Every step of a submission, for its timeline (the audit trail has them too).
CREATE TABLE submission_events (
  id {{ID}},
  submission_id BIGINT NOT NULL REFERENCES submissions(id),
  created_at TEXT NOT NULL,
  username TEXT NOT NULL,
  from_status TEXT,
  to_status TEXT NOT NULL,
  note TEXT NOT NULL DEFAULT '',
  snapshot_seq INTEGER
);
CREATE INDEX submission_events_sub ON submission_events(submission_id, id);
