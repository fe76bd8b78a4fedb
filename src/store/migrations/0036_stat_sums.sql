-- 0036 (both databases; the pre-aggregates themselves are in
-- 0036_stat_sums.sqlite.sql and .pg.sql): the statistics label their rows by
-- the provinces, old and new, read from units by level at each computation;
-- without an index that was a scan of every commune (issue 17).
CREATE INDEX units_level ON units(level, era, is_current);
