-- 0033: outcome reports feed statistics (the effectiveness indicators), so
-- their table has a version like the others (0029_table_versions.sqlite.sql).
INSERT INTO table_versions (name) VALUES ('outcome_reports');
CREATE TRIGGER outcome_reports_version_i AFTER INSERT ON outcome_reports BEGIN UPDATE table_versions SET version = version + 1 WHERE name = 'outcome_reports'; END;
CREATE TRIGGER outcome_reports_version_u AFTER UPDATE ON outcome_reports BEGIN UPDATE table_versions SET version = version + 1 WHERE name = 'outcome_reports'; END;
CREATE TRIGGER outcome_reports_version_d AFTER DELETE ON outcome_reports BEGIN UPDATE table_versions SET version = version + 1 WHERE name = 'outcome_reports'; END;
