-- 0033: outcome reports feed statistics (the effectiveness indicators), so
-- their table has a version like the others (0029_table_versions.sqlite.sql).
INSERT INTO table_versions (name) VALUES ('outcome_reports');
CREATE TRIGGER outcome_reports_version_i AFTER INSERT ON outcome_reports BEGIN UPDATE table_versions SET version = version + 1 WHERE name = 'outcome_reports'; END;
CREATE TRIGGER outcome_reports_version_u AFTER UPDATE ON outcome_reports BEGIN UPDATE table_versions SET version = version + 1 WHERE name = 'outcome_reports'; END;
CREATE TRIGGER outcome_reports_version_d AFTER DELETE ON outcome_reports BEGIN UPDATE table_versions SET version = version + 1 WHERE name = 'outcome_reports'; END;
-- Its full-text index of search_key, as every record table has (0028_search_words.sqlite.sql).
CREATE VIRTUAL TABLE outcome_reports_words USING fts5(words, content='', detail=none, columnsize=0, tokenize='ascii', prefix='1 2 3 4 5 6 7');
INSERT INTO outcome_reports_words(rowid, words) SELECT id, search_key FROM outcome_reports;
CREATE TRIGGER outcome_reports_words_insert AFTER INSERT ON outcome_reports BEGIN
  INSERT INTO outcome_reports_words(rowid, words) VALUES (new.id, new.search_key);
END;
CREATE TRIGGER outcome_reports_words_delete AFTER DELETE ON outcome_reports BEGIN
  INSERT INTO outcome_reports_words(outcome_reports_words, rowid, words) VALUES ('delete', old.id, old.search_key);
END;
CREATE TRIGGER outcome_reports_words_update AFTER UPDATE OF id, search_key ON outcome_reports BEGIN
  INSERT INTO outcome_reports_words(outcome_reports_words, rowid, words) VALUES ('delete', old.id, old.search_key);
  INSERT INTO outcome_reports_words(rowid, words) VALUES (new.id, new.search_key);
END;
