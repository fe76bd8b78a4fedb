-- 0033: what an establishment reports of the support it received, about a
-- year after its project was accepted (issue 14, docs/reporting.md): revenue,
-- jobs, products, whether the machine supported is in use. The establishment
-- writes and submits it through its own account; the province's department
-- accepts it or returns it with a comment (model/outcome.c). due_date is one
-- year after the project's acceptance (its 'accepted' step), copied when the
-- report is written; only accepted reports count in the statistics.
CREATE TABLE outcome_reports (
  id {{ID}},
  version INTEGER NOT NULL DEFAULT 1,
  created_at TEXT NOT NULL,
  updated_at TEXT NOT NULL,
  province_code TEXT,
  old_province_code TEXT,
  old_district_code TEXT,
  old_commune_code TEXT,
  old_split TEXT,
  old_unit_id BIGINT REFERENCES units(id),
  search_key TEXT NOT NULL DEFAULT '',
  establishment_id BIGINT REFERENCES establishments(id),
  project_id BIGINT REFERENCES projects(id),
  machinery_id BIGINT REFERENCES machinery(id),
  year BIGINT,
  revenue BIGINT,
  workers BIGINT,
  products TEXT,
  machine_in_use TEXT,
  note TEXT,
  status TEXT,
  due_date TEXT,
  submitted_on TEXT,
  review_note TEXT
);
CREATE INDEX outcome_reports_province ON outcome_reports(province_code);
CREATE INDEX outcome_reports_old_province ON outcome_reports(old_province_code);
CREATE INDEX outcome_reports_establishment_id ON outcome_reports(establishment_id);
CREATE INDEX outcome_reports_project_id ON outcome_reports(project_id);
