-- 0036: pre-aggregates of the records the statistics sum (PostgreSQL; see
-- 0036_stat_sums.sqlite.sql for what they are). The sums are NUMERIC, as
-- SUM(BIGINT) is: they never overflow, and a statistic reads the same numbers
-- from them as from the records. One unique key (NULLs equal: PostgreSQL 15)
-- makes each change one upsert, safe between concurrent writers.
CREATE TABLE stat_sums_training_classes (province_code TEXT, old_province_code TEXT,
	old_split TEXT, project_id BIGINT, kind TEXT, year BIGINT, illustrative BIGINT,
	trainees_null INTEGER NOT NULL, employed_null INTEGER NOT NULL, big INTEGER NOT NULL,
	n BIGINT NOT NULL, trainees NUMERIC, employed NUMERIC);
-- A constraint, not a bare index: `khuyencong migrate` keeps the indexes that
-- back constraints while it copies (migrate_copy.c), and the upserts need it.
ALTER TABLE stat_sums_training_classes ADD CONSTRAINT stat_sums_training_classes_key
	UNIQUE NULLS NOT DISTINCT (province_code, old_province_code, old_split, project_id, kind, year, illustrative, trainees_null, employed_null, big);
CREATE INDEX stat_sums_training_classes_big ON stat_sums_training_classes (big) WHERE big = 1;
INSERT INTO stat_sums_training_classes (province_code, old_province_code, old_split, project_id, kind, year, illustrative, trainees_null, employed_null, big, n, trainees, employed)
	SELECT province_code, old_province_code, old_split, project_id, kind, year, illustrative, trainees_null, employed_null, b, COUNT(*), SUM(trainees), SUM(employed)
	FROM (SELECT province_code, old_province_code, old_split, project_id, kind, year, illustrative, (trainees IS NULL)::int AS trainees_null, (employed IS NULL)::int AS employed_null, (COALESCE(trainees, 0) NOT BETWEEN -1099511627775 AND 1099511627775 OR COALESCE(employed, 0) NOT BETWEEN -1099511627775 AND 1099511627775)::int AS b, trainees, employed
	FROM training_classes) x GROUP BY 1, 2, 3, 4, 5, 6, 7, 8, 9, 10;
CREATE FUNCTION kc_stat_sums_training_classes() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
	IF TG_OP = 'TRUNCATE' THEN
		DELETE FROM stat_sums_training_classes;
		RETURN NULL;
	END IF;
	IF TG_OP IN ('UPDATE', 'DELETE') THEN
		INSERT INTO stat_sums_training_classes (province_code, old_province_code, old_split, project_id, kind, year, illustrative, trainees_null, employed_null, big, n, trainees, employed)
		VALUES (OLD.province_code, OLD.old_province_code, OLD.old_split, OLD.project_id, OLD.kind, OLD.year, OLD.illustrative, (OLD.trainees IS NULL)::int, (OLD.employed IS NULL)::int, (COALESCE(OLD.trainees, 0) NOT BETWEEN -1099511627775 AND 1099511627775 OR COALESCE(OLD.employed, 0) NOT BETWEEN -1099511627775 AND 1099511627775)::int, -1, -OLD.trainees, -OLD.employed)
		ON CONFLICT (province_code, old_province_code, old_split, project_id, kind, year, illustrative, trainees_null, employed_null, big) DO UPDATE SET n = stat_sums_training_classes.n + excluded.n,
		trainees = stat_sums_training_classes.trainees + excluded.trainees, employed = stat_sums_training_classes.employed + excluded.employed;
	END IF;
	IF TG_OP IN ('UPDATE', 'INSERT') THEN
		INSERT INTO stat_sums_training_classes (province_code, old_province_code, old_split, project_id, kind, year, illustrative, trainees_null, employed_null, big, n, trainees, employed)
		VALUES (NEW.province_code, NEW.old_province_code, NEW.old_split, NEW.project_id, NEW.kind, NEW.year, NEW.illustrative, (NEW.trainees IS NULL)::int, (NEW.employed IS NULL)::int, (COALESCE(NEW.trainees, 0) NOT BETWEEN -1099511627775 AND 1099511627775 OR COALESCE(NEW.employed, 0) NOT BETWEEN -1099511627775 AND 1099511627775)::int, 1, NEW.trainees, NEW.employed)
		ON CONFLICT (province_code, old_province_code, old_split, project_id, kind, year, illustrative, trainees_null, employed_null, big) DO UPDATE SET n = stat_sums_training_classes.n + excluded.n,
		trainees = stat_sums_training_classes.trainees + excluded.trainees, employed = stat_sums_training_classes.employed + excluded.employed;
	END IF;
	RETURN NULL;
END
$$;
CREATE TRIGGER stat_sums_training_classes AFTER INSERT OR DELETE OR UPDATE OF province_code, old_province_code, old_split, project_id, kind, year, illustrative, trainees, employed
	ON training_classes FOR EACH ROW EXECUTE FUNCTION kc_stat_sums_training_classes();
CREATE TRIGGER stat_sums_training_classes_truncate AFTER TRUNCATE ON training_classes
	FOR EACH STATEMENT EXECUTE FUNCTION kc_stat_sums_training_classes();

-- The provinces, old and new, that label the statistics' rows, read by level
-- at each computation: a partial index, which serves only queries that name
-- level = 'province' (a full (level, era, is_current) index was taken for the
-- unit searches as well, ten times slower; see 0036_stat_sums.sqlite.sql).
CREATE INDEX units_provinces ON units(era, is_current, code) WHERE level = 'province';
