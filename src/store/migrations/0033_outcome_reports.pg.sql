-- 0033: outcome reports feed statistics (the effectiveness indicators), so
-- their table has a version like the others (0029_table_versions.pg.sql).
INSERT INTO table_versions (name, slot) SELECT 'outcome_reports', s FROM generate_series(0, 7) s;
CREATE TRIGGER outcome_reports_version AFTER INSERT OR UPDATE OR DELETE OR TRUNCATE ON outcome_reports FOR EACH STATEMENT EXECUTE FUNCTION kc_table_version_bump();
