-- 0008: one index on (province, year) for each record table the statistics
-- aggregate by year. With separate indexes the planner had to choose between
-- the province and the year and then fetched thousands of scattered rows: a
-- province's dashboard took 1.1 s at 200 000 classes, 87 ms with these
-- (bench/results.md).

CREATE INDEX training_classes_province_year ON training_classes(province_code, year);
CREATE INDEX demo_models_province_year ON demo_models(province_code, year);
CREATE INDEX machinery_province_year ON machinery(province_code, year);
CREATE INDEX trade_fairs_province_year ON trade_fairs(province_code, year);
CREATE INDEX awards_province_year ON awards(province_code, year);
CREATE INDEX other_support_province_year ON other_support(province_code, year);
CREATE INDEX proposals_province_year ON proposals(province_code, year);
CREATE INDEX projects_province_year ON projects(province_code, year);
