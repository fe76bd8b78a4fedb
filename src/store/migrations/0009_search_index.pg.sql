-- 0009: an index for free-text search, on PostgreSQL only. Search matches
-- each folded word at the start of a word of search_key ("(' ' ||
-- search_key) LIKE '% word%'"). On SQLite a provincial database (tens of
-- thousands of rows) is scanned in milliseconds, so SQLite has nothing to do
-- here. On PostgreSQL, trigram (pg_trgm) GIN indexes over that expression
-- answer "LIKE '% word%'" (ILIKE after the driver's rewrite) from the index
-- instead of reading every row: a national search over 1 000 000
-- establishments; both backends return the same rows. pg_trgm ships with
-- Debian's postgresql-15 and is a trusted extension (the database owner may
-- create it).
CREATE EXTENSION IF NOT EXISTS pg_trgm;
CREATE INDEX awards_search ON awards USING gin ((' ' || search_key) gin_trgm_ops);
CREATE INDEX beneficiaries_search ON beneficiaries USING gin ((' ' || search_key) gin_trgm_ops);
CREATE INDEX consultant_assignments_search ON consultant_assignments USING gin ((' ' || search_key) gin_trgm_ops);
CREATE INDEX consultants_search ON consultants USING gin ((' ' || search_key) gin_trgm_ops);
CREATE INDEX demo_models_search ON demo_models USING gin ((' ' || search_key) gin_trgm_ops);
CREATE INDEX establishments_search ON establishments USING gin ((' ' || search_key) gin_trgm_ops);
CREATE INDEX figures_search ON figures USING gin ((' ' || search_key) gin_trgm_ops);
CREATE INDEX lot_events_search ON lot_events USING gin ((' ' || search_key) gin_trgm_ops);
CREATE INDEX lots_search ON lots USING gin ((' ' || search_key) gin_trgm_ops);
CREATE INDEX machinery_search ON machinery USING gin ((' ' || search_key) gin_trgm_ops);
CREATE INDEX other_support_search ON other_support USING gin ((' ' || search_key) gin_trgm_ops);
CREATE INDEX plans_search ON plans USING gin ((' ' || search_key) gin_trgm_ops);
CREATE INDEX products_search ON products USING gin ((' ' || search_key) gin_trgm_ops);
CREATE INDEX programmes_search ON programmes USING gin ((' ' || search_key) gin_trgm_ops);
CREATE INDEX project_events_search ON project_events USING gin ((' ' || search_key) gin_trgm_ops);
CREATE INDEX projects_search ON projects USING gin ((' ' || search_key) gin_trgm_ops);
CREATE INDEX proposals_search ON proposals USING gin ((' ' || search_key) gin_trgm_ops);
CREATE INDEX targets_search ON targets USING gin ((' ' || search_key) gin_trgm_ops);
CREATE INDEX trade_fairs_search ON trade_fairs USING gin ((' ' || search_key) gin_trgm_ops);
CREATE INDEX training_classes_search ON training_classes USING gin ((' ' || search_key) gin_trgm_ops);
CREATE INDEX village_years_search ON village_years USING gin ((' ' || search_key) gin_trgm_ops);
CREATE INDEX villages_search ON villages USING gin ((' ' || search_key) gin_trgm_ops);
