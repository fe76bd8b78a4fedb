-- 0010: the cut-off dates of the reporting periods, kept as data so an
-- administrator can change them (docs/statistics.md). DOMAIN.md gives the
-- pattern of the ministry's recent circulars, unverified for khuyến công:
-- the reporting year runs 15 Dec (previous year) - 14 Dec, due 20 Dec; the
-- six-month report covers 15 Dec - 14 Jun, due 20 Jun.
-- A period ends on end_month/end_day of its year; it starts on
-- start_month/start_day of the previous year when that date falls after the
-- end in the calendar, else of the same year. The second half-year runs from
-- the day after the first half's end to the end of the reporting year.
CREATE TABLE reporting_periods (
  kind TEXT PRIMARY KEY CHECK (kind IN ('year', 'half_year')),
  start_month INTEGER NOT NULL,
  start_day INTEGER NOT NULL,
  end_month INTEGER NOT NULL,
  end_day INTEGER NOT NULL,
  due_month INTEGER,
  due_day INTEGER,
  legal_basis TEXT NOT NULL DEFAULT '',
  version INTEGER NOT NULL DEFAULT 1,
  updated_at TEXT NOT NULL
);
INSERT INTO reporting_periods (kind, start_month, start_day, end_month, end_day, due_month,
  due_day, legal_basis, updated_at)
VALUES ('year', 12, 15, 12, 14, 12, 20,
  'Mẫu các thông tư gần đây của Bộ Công Thương (chưa kiểm chứng cho khuyến công) / pattern of the ministry''s recent circulars (unverified for khuyến công)',
  '2026-01-01T00:00:00Z');
INSERT INTO reporting_periods (kind, start_month, start_day, end_month, end_day, due_month,
  due_day, legal_basis, updated_at)
VALUES ('half_year', 12, 15, 6, 14, 6, 20,
  'Mẫu các thông tư gần đây của Bộ Công Thương (chưa kiểm chứng cho khuyến công) / pattern of the ministry''s recent circulars (unverified for khuyến công)',
  '2026-01-01T00:00:00Z');
