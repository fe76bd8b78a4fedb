-- 0009: an index for free-text search, PostgreSQL only (0009_search_index.pg.sql).
-- Search matches each folded word at the start of a word of search_key
-- ("(' ' || search_key) LIKE '% word%'"). On SQLite a provincial database
-- (tens of thousands of rows) is scanned in milliseconds; the national
-- database on PostgreSQL gets trigram indexes, which serve the same LIKE, so
-- both backends return the same rows. Nothing to do here.
SELECT 1;
