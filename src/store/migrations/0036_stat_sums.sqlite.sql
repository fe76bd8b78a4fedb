-- 0036: pre-aggregates of the records the statistics sum (issue 17), kept by
-- triggers in the same transaction as the write, whatever the path (the
-- record engine, imports, deletes, restores, unit-era changes, SQL by hand).
-- One row per combination of the columns a statistic filters, groups or
-- covers by (docs/engineering.md, "Pre-aggregates"): the count of records,
-- the sum of each summed column, and whether it was empty (a group of empty
-- values sums to NULL, unknown, never 0). stats_preagg.c reads them instead
-- of the records when a query needs no other column, and the answer is the
-- same (test_stats: test_preagg_equals_recompute). A record with a value the
-- sums might not hold exactly (not an integer, or beyond ±2^40) is in a
-- group of its own (big = 1): while one exists, the statistics of the table
-- read the records. Rows whose count fell to 0 stay and are never read.
CREATE TABLE stat_sums_training_classes (province_code TEXT, old_province_code TEXT,
	old_split TEXT, project_id BIGINT, kind TEXT, year BIGINT, illustrative BIGINT,
	trainees_null INTEGER NOT NULL, employed_null INTEGER NOT NULL, big INTEGER NOT NULL,
	n BIGINT NOT NULL, trainees BIGINT, employed BIGINT);
CREATE INDEX stat_sums_training_classes_key ON stat_sums_training_classes (province_code,
	old_province_code, old_split, project_id, kind, year, illustrative, trainees_null,
	employed_null, big);
CREATE INDEX stat_sums_training_classes_big ON stat_sums_training_classes (big) WHERE big = 1;
INSERT INTO stat_sums_training_classes (province_code, old_province_code, old_split, project_id, kind, year, illustrative, trainees_null, employed_null, big, n, trainees, employed) SELECT province_code, old_province_code, old_split, project_id, kind, year, illustrative, trainees_null, employed_null, b, COUNT(*),
	SUM(CASE WHEN b THEN NULL ELSE trainees END), SUM(CASE WHEN b THEN NULL ELSE employed END)
	FROM (SELECT province_code, old_province_code, old_split, project_id, kind, year, illustrative, trainees IS NULL AS trainees_null, employed IS NULL AS employed_null, (typeof(trainees) NOT IN ('integer', 'null') OR typeof(employed) NOT IN ('integer', 'null') OR COALESCE(trainees, 0) NOT BETWEEN -1099511627775 AND 1099511627775 OR COALESCE(employed, 0) NOT BETWEEN -1099511627775 AND 1099511627775) AS b, trainees, employed
	FROM training_classes) GROUP BY 1, 2, 3, 4, 5, 6, 7, 8, 9, 10;
CREATE TRIGGER stat_sums_training_classes_i AFTER INSERT ON training_classes BEGIN
	INSERT INTO stat_sums_training_classes (province_code, old_province_code, old_split, project_id, kind, year, illustrative, trainees_null, employed_null, big, n, trainees, employed) SELECT NEW.province_code, NEW.old_province_code, NEW.old_split, NEW.project_id, NEW.kind, NEW.year, NEW.illustrative, NEW.trainees IS NULL, NEW.employed IS NULL, (typeof(NEW.trainees) NOT IN ('integer', 'null') OR typeof(NEW.employed) NOT IN ('integer', 'null') OR COALESCE(NEW.trainees, 0) NOT BETWEEN -1099511627775 AND 1099511627775 OR COALESCE(NEW.employed, 0) NOT BETWEEN -1099511627775 AND 1099511627775), 0, CASE WHEN NEW.trainees IS NULL THEN NULL ELSE 0 END, CASE WHEN NEW.employed IS NULL THEN NULL ELSE 0 END
	WHERE NOT EXISTS (SELECT 1 FROM stat_sums_training_classes WHERE province_code IS NEW.province_code
	AND old_province_code IS NEW.old_province_code
	AND old_split IS NEW.old_split
	AND project_id IS NEW.project_id
	AND kind IS NEW.kind
	AND year IS NEW.year
	AND illustrative IS NEW.illustrative
	AND trainees_null = (NEW.trainees IS NULL)
	AND employed_null = (NEW.employed IS NULL)
	AND big = (typeof(NEW.trainees) NOT IN ('integer', 'null') OR typeof(NEW.employed) NOT IN ('integer', 'null') OR COALESCE(NEW.trainees, 0) NOT BETWEEN -1099511627775 AND 1099511627775 OR COALESCE(NEW.employed, 0) NOT BETWEEN -1099511627775 AND 1099511627775));
	UPDATE stat_sums_training_classes SET n = n + 1, trainees = trainees + NEW.trainees, employed = employed + NEW.employed
	WHERE province_code IS NEW.province_code
	AND old_province_code IS NEW.old_province_code
	AND old_split IS NEW.old_split
	AND project_id IS NEW.project_id
	AND kind IS NEW.kind
	AND year IS NEW.year
	AND illustrative IS NEW.illustrative
	AND trainees_null = (NEW.trainees IS NULL)
	AND employed_null = (NEW.employed IS NULL)
	AND big = (typeof(NEW.trainees) NOT IN ('integer', 'null') OR typeof(NEW.employed) NOT IN ('integer', 'null') OR COALESCE(NEW.trainees, 0) NOT BETWEEN -1099511627775 AND 1099511627775 OR COALESCE(NEW.employed, 0) NOT BETWEEN -1099511627775 AND 1099511627775);
END;
CREATE TRIGGER stat_sums_training_classes_d AFTER DELETE ON training_classes BEGIN
	INSERT INTO stat_sums_training_classes (province_code, old_province_code, old_split, project_id, kind, year, illustrative, trainees_null, employed_null, big, n, trainees, employed) SELECT OLD.province_code, OLD.old_province_code, OLD.old_split, OLD.project_id, OLD.kind, OLD.year, OLD.illustrative, OLD.trainees IS NULL, OLD.employed IS NULL, (typeof(OLD.trainees) NOT IN ('integer', 'null') OR typeof(OLD.employed) NOT IN ('integer', 'null') OR COALESCE(OLD.trainees, 0) NOT BETWEEN -1099511627775 AND 1099511627775 OR COALESCE(OLD.employed, 0) NOT BETWEEN -1099511627775 AND 1099511627775), 0, CASE WHEN OLD.trainees IS NULL THEN NULL ELSE 0 END, CASE WHEN OLD.employed IS NULL THEN NULL ELSE 0 END
	WHERE NOT EXISTS (SELECT 1 FROM stat_sums_training_classes WHERE province_code IS OLD.province_code
	AND old_province_code IS OLD.old_province_code
	AND old_split IS OLD.old_split
	AND project_id IS OLD.project_id
	AND kind IS OLD.kind
	AND year IS OLD.year
	AND illustrative IS OLD.illustrative
	AND trainees_null = (OLD.trainees IS NULL)
	AND employed_null = (OLD.employed IS NULL)
	AND big = (typeof(OLD.trainees) NOT IN ('integer', 'null') OR typeof(OLD.employed) NOT IN ('integer', 'null') OR COALESCE(OLD.trainees, 0) NOT BETWEEN -1099511627775 AND 1099511627775 OR COALESCE(OLD.employed, 0) NOT BETWEEN -1099511627775 AND 1099511627775));
	UPDATE stat_sums_training_classes SET n = n - 1, trainees = trainees - OLD.trainees, employed = employed - OLD.employed
	WHERE province_code IS OLD.province_code
	AND old_province_code IS OLD.old_province_code
	AND old_split IS OLD.old_split
	AND project_id IS OLD.project_id
	AND kind IS OLD.kind
	AND year IS OLD.year
	AND illustrative IS OLD.illustrative
	AND trainees_null = (OLD.trainees IS NULL)
	AND employed_null = (OLD.employed IS NULL)
	AND big = (typeof(OLD.trainees) NOT IN ('integer', 'null') OR typeof(OLD.employed) NOT IN ('integer', 'null') OR COALESCE(OLD.trainees, 0) NOT BETWEEN -1099511627775 AND 1099511627775 OR COALESCE(OLD.employed, 0) NOT BETWEEN -1099511627775 AND 1099511627775);
END;
CREATE TRIGGER stat_sums_training_classes_u AFTER UPDATE OF province_code, old_province_code, old_split, project_id, kind, year, illustrative, trainees, employed ON training_classes BEGIN
	INSERT INTO stat_sums_training_classes (province_code, old_province_code, old_split, project_id, kind, year, illustrative, trainees_null, employed_null, big, n, trainees, employed) SELECT OLD.province_code, OLD.old_province_code, OLD.old_split, OLD.project_id, OLD.kind, OLD.year, OLD.illustrative, OLD.trainees IS NULL, OLD.employed IS NULL, (typeof(OLD.trainees) NOT IN ('integer', 'null') OR typeof(OLD.employed) NOT IN ('integer', 'null') OR COALESCE(OLD.trainees, 0) NOT BETWEEN -1099511627775 AND 1099511627775 OR COALESCE(OLD.employed, 0) NOT BETWEEN -1099511627775 AND 1099511627775), 0, CASE WHEN OLD.trainees IS NULL THEN NULL ELSE 0 END, CASE WHEN OLD.employed IS NULL THEN NULL ELSE 0 END
	WHERE NOT EXISTS (SELECT 1 FROM stat_sums_training_classes WHERE province_code IS OLD.province_code
	AND old_province_code IS OLD.old_province_code
	AND old_split IS OLD.old_split
	AND project_id IS OLD.project_id
	AND kind IS OLD.kind
	AND year IS OLD.year
	AND illustrative IS OLD.illustrative
	AND trainees_null = (OLD.trainees IS NULL)
	AND employed_null = (OLD.employed IS NULL)
	AND big = (typeof(OLD.trainees) NOT IN ('integer', 'null') OR typeof(OLD.employed) NOT IN ('integer', 'null') OR COALESCE(OLD.trainees, 0) NOT BETWEEN -1099511627775 AND 1099511627775 OR COALESCE(OLD.employed, 0) NOT BETWEEN -1099511627775 AND 1099511627775));
	UPDATE stat_sums_training_classes SET n = n - 1, trainees = trainees - OLD.trainees, employed = employed - OLD.employed
	WHERE province_code IS OLD.province_code
	AND old_province_code IS OLD.old_province_code
	AND old_split IS OLD.old_split
	AND project_id IS OLD.project_id
	AND kind IS OLD.kind
	AND year IS OLD.year
	AND illustrative IS OLD.illustrative
	AND trainees_null = (OLD.trainees IS NULL)
	AND employed_null = (OLD.employed IS NULL)
	AND big = (typeof(OLD.trainees) NOT IN ('integer', 'null') OR typeof(OLD.employed) NOT IN ('integer', 'null') OR COALESCE(OLD.trainees, 0) NOT BETWEEN -1099511627775 AND 1099511627775 OR COALESCE(OLD.employed, 0) NOT BETWEEN -1099511627775 AND 1099511627775);
	INSERT INTO stat_sums_training_classes (province_code, old_province_code, old_split, project_id, kind, year, illustrative, trainees_null, employed_null, big, n, trainees, employed) SELECT NEW.province_code, NEW.old_province_code, NEW.old_split, NEW.project_id, NEW.kind, NEW.year, NEW.illustrative, NEW.trainees IS NULL, NEW.employed IS NULL, (typeof(NEW.trainees) NOT IN ('integer', 'null') OR typeof(NEW.employed) NOT IN ('integer', 'null') OR COALESCE(NEW.trainees, 0) NOT BETWEEN -1099511627775 AND 1099511627775 OR COALESCE(NEW.employed, 0) NOT BETWEEN -1099511627775 AND 1099511627775), 0, CASE WHEN NEW.trainees IS NULL THEN NULL ELSE 0 END, CASE WHEN NEW.employed IS NULL THEN NULL ELSE 0 END
	WHERE NOT EXISTS (SELECT 1 FROM stat_sums_training_classes WHERE province_code IS NEW.province_code
	AND old_province_code IS NEW.old_province_code
	AND old_split IS NEW.old_split
	AND project_id IS NEW.project_id
	AND kind IS NEW.kind
	AND year IS NEW.year
	AND illustrative IS NEW.illustrative
	AND trainees_null = (NEW.trainees IS NULL)
	AND employed_null = (NEW.employed IS NULL)
	AND big = (typeof(NEW.trainees) NOT IN ('integer', 'null') OR typeof(NEW.employed) NOT IN ('integer', 'null') OR COALESCE(NEW.trainees, 0) NOT BETWEEN -1099511627775 AND 1099511627775 OR COALESCE(NEW.employed, 0) NOT BETWEEN -1099511627775 AND 1099511627775));
	UPDATE stat_sums_training_classes SET n = n + 1, trainees = trainees + NEW.trainees, employed = employed + NEW.employed
	WHERE province_code IS NEW.province_code
	AND old_province_code IS NEW.old_province_code
	AND old_split IS NEW.old_split
	AND project_id IS NEW.project_id
	AND kind IS NEW.kind
	AND year IS NEW.year
	AND illustrative IS NEW.illustrative
	AND trainees_null = (NEW.trainees IS NULL)
	AND employed_null = (NEW.employed IS NULL)
	AND big = (typeof(NEW.trainees) NOT IN ('integer', 'null') OR typeof(NEW.employed) NOT IN ('integer', 'null') OR COALESCE(NEW.trainees, 0) NOT BETWEEN -1099511627775 AND 1099511627775 OR COALESCE(NEW.employed, 0) NOT BETWEEN -1099511627775 AND 1099511627775);
END;

-- The statistics label their rows by the provinces, old and new, read from
-- units by level at each computation: without an index that was a scan of
-- every commune. SQLite only: on PostgreSQL the planner took this index for
-- the unit searches too and made them ten times slower (unit-pg/test_unit
-- 99 s against 9 s), and reads the provinces fast enough without it.
CREATE INDEX units_level ON units(level, era, is_current);
