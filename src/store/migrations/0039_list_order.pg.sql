-- 0039: on PostgreSQL a list of one province reads its page from an index in
-- the list's order. The lists show the newest first (ORDER BY id DESC) and
-- most lists are of one province (every user of a province sees only its
-- records). SQLite's index on province_code holds the rowid after the code,
-- so it gives a province's ids in order; PostgreSQL's gives them in the
-- table's order, and the planner read the primary key backwards instead,
-- dropping the other provinces' rows (2 800 rows read for a page of 50 of a
-- province holding a thirtieth of a million establishments). The index on
-- (province_code, id) serves everything the one on province_code served, so
-- it replaces it (the same number of indexes to keep up on each write).
DROP INDEX awards_province;
CREATE INDEX awards_province ON awards (province_code, id);
DROP INDEX beneficiaries_province;
CREATE INDEX beneficiaries_province ON beneficiaries (province_code, id);
DROP INDEX consultant_assignments_province;
CREATE INDEX consultant_assignments_province ON consultant_assignments (province_code, id);
DROP INDEX consultants_province;
CREATE INDEX consultants_province ON consultants (province_code, id);
DROP INDEX demo_models_province;
CREATE INDEX demo_models_province ON demo_models (province_code, id);
DROP INDEX establishments_province;
CREATE INDEX establishments_province ON establishments (province_code, id);
DROP INDEX figures_province;
CREATE INDEX figures_province ON figures (province_code, id);
DROP INDEX lot_events_province;
CREATE INDEX lot_events_province ON lot_events (province_code, id);
DROP INDEX lots_province;
CREATE INDEX lots_province ON lots (province_code, id);
DROP INDEX machinery_province;
CREATE INDEX machinery_province ON machinery (province_code, id);
DROP INDEX other_support_province;
CREATE INDEX other_support_province ON other_support (province_code, id);
DROP INDEX outcome_reports_province;
CREATE INDEX outcome_reports_province ON outcome_reports (province_code, id);
DROP INDEX plans_province;
CREATE INDEX plans_province ON plans (province_code, id);
DROP INDEX products_province;
CREATE INDEX products_province ON products (province_code, id);
DROP INDEX programmes_province;
CREATE INDEX programmes_province ON programmes (province_code, id);
DROP INDEX project_events_province;
CREATE INDEX project_events_province ON project_events (province_code, id);
DROP INDEX projects_province;
CREATE INDEX projects_province ON projects (province_code, id);
DROP INDEX proposals_province;
CREATE INDEX proposals_province ON proposals (province_code, id);
DROP INDEX targets_province;
CREATE INDEX targets_province ON targets (province_code, id);
DROP INDEX trade_fairs_province;
CREATE INDEX trade_fairs_province ON trade_fairs (province_code, id);
DROP INDEX training_classes_province;
CREATE INDEX training_classes_province ON training_classes (province_code, id);
DROP INDEX village_years_province;
CREATE INDEX village_years_province ON village_years (province_code, id);
DROP INDEX villages_province;
CREATE INDEX villages_province ON villages (province_code, id);
