-- 0028 on PostgreSQL: a text-search index of each record table's search key
-- (0028_search_words.sqlite.sql gives SQLite its full-text index). The trigram
-- indexes of 0009 serve the search condition "(' ' || search_key) LIKE
-- '% word%'" (EXPLAIN ANALYZE shows them in use), but every trigram of a
-- common word ("lang", "nghe", "so") lists nearly every row: a national
-- search intersected a dozen lists of the whole table. This index holds each
-- word of the key once, so model/record.c adds "to_tsvector('simple',
-- search_key) @@ to_tsquery('simple', 'lang:* & nghe:* & 42:*')" for words of
-- letters only or digits only (the text-search parser keeps such a word
-- whole at the start of any key word it begins, so the prefix query holds
-- every row the LIKE matches); the LIKE stays and decides. 'simple': no
-- stemming or stop words, lower case only (keys are already folded).
CREATE INDEX awards_words ON awards USING gin (to_tsvector('simple', search_key));
CREATE INDEX beneficiaries_words ON beneficiaries USING gin (to_tsvector('simple', search_key));
CREATE INDEX consultant_assignments_words ON consultant_assignments USING gin (to_tsvector('simple', search_key));
CREATE INDEX consultants_words ON consultants USING gin (to_tsvector('simple', search_key));
CREATE INDEX demo_models_words ON demo_models USING gin (to_tsvector('simple', search_key));
CREATE INDEX establishments_words ON establishments USING gin (to_tsvector('simple', search_key));
CREATE INDEX figures_words ON figures USING gin (to_tsvector('simple', search_key));
CREATE INDEX lot_events_words ON lot_events USING gin (to_tsvector('simple', search_key));
CREATE INDEX lots_words ON lots USING gin (to_tsvector('simple', search_key));
CREATE INDEX machinery_words ON machinery USING gin (to_tsvector('simple', search_key));
CREATE INDEX other_support_words ON other_support USING gin (to_tsvector('simple', search_key));
CREATE INDEX plans_words ON plans USING gin (to_tsvector('simple', search_key));
CREATE INDEX products_words ON products USING gin (to_tsvector('simple', search_key));
CREATE INDEX programmes_words ON programmes USING gin (to_tsvector('simple', search_key));
CREATE INDEX project_events_words ON project_events USING gin (to_tsvector('simple', search_key));
CREATE INDEX projects_words ON projects USING gin (to_tsvector('simple', search_key));
CREATE INDEX proposals_words ON proposals USING gin (to_tsvector('simple', search_key));
CREATE INDEX support_caps_words ON support_caps USING gin (to_tsvector('simple', search_key));
CREATE INDEX targets_words ON targets USING gin (to_tsvector('simple', search_key));
CREATE INDEX trade_fairs_words ON trade_fairs USING gin (to_tsvector('simple', search_key));
CREATE INDEX training_classes_words ON training_classes USING gin (to_tsvector('simple', search_key));
CREATE INDEX village_years_words ON village_years USING gin (to_tsvector('simple', search_key));
CREATE INDEX villages_words ON villages USING gin (to_tsvector('simple', search_key));
