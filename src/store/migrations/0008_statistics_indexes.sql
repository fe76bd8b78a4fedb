-- 0008: covering indexes for the statistics. Each indicator aggregates one
-- record table by province (today's or the old one) and year, skipping
-- illustrative rows (src/stats/indicator.c). With one index per column the
-- planner used the year index and fetched ~100 000 scattered rows per
-- indicator: a province's dashboard took 1.1 s and a national statistic by
-- province 250 ms at 200 000 classes. These indexes begin with (province,
-- year) and carry every column the indicators read, so a province's figures
-- are a short index range and a national one a scan of the index alone, never
-- of the table (bench/results.md). Each column list follows the catalogue;
-- a new indicator reading another column should extend its table's index.
-- The one-column year indexes go: the planner preferred them to these and
-- read half a table row by row; a list filtered by year alone now scans the
-- stats index (with ANALYZE, a skip-scan over the provinces).

CREATE INDEX training_classes_stats ON training_classes(province_code, year, illustrative,
  old_province_code, kind, trainees, trainees_female, completed, employed);
CREATE INDEX demo_models_stats ON demo_models(province_code, year, illustrative,
  old_province_code, support_amount, counterpart, jobs_created);
CREATE INDEX machinery_stats ON machinery(province_code, year, illustrative,
  old_province_code, funding_source, establishment_id, support_amount);
CREATE INDEX trade_fairs_stats ON trade_fairs(province_code, year, illustrative,
  old_province_code, abroad, booths, establishments, importers, contract_value, contract_currency);
CREATE INDEX awards_stats ON awards(province_code, year, illustrative, old_province_code, level);
CREATE INDEX other_support_stats ON other_support(province_code, year, illustrative,
  old_province_code, kind, amount);
CREATE INDEX projects_stats ON projects(province_code, year, illustrative, old_province_code,
  content_type, status, approved_national, approved_local, approved_counterpart);
CREATE INDEX village_years_stats ON village_years(province_code, year, illustrative,
  old_province_code, workers, production_value);
CREATE INDEX proposals_province_year ON proposals(province_code, year);
-- Establishments are counted by kind, nationally or per province.
CREATE INDEX establishments_stats ON establishments(kind, province_code, illustrative,
  old_province_code);
DROP INDEX establishments_kind;
DROP INDEX training_classes_year;
DROP INDEX demo_models_year;
DROP INDEX machinery_year;
DROP INDEX trade_fairs_year;
DROP INDEX awards_year;
DROP INDEX other_support_year;
DROP INDEX projects_year;
DROP INDEX village_years_year;
DROP INDEX proposals_year;
