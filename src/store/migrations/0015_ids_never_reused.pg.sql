-- 0015: ids are never reused. PostgreSQL's identity columns never hand out a
-- value twice, so there is nothing to do here (see 0015_ids_never_reused.sql).
SELECT 1;
