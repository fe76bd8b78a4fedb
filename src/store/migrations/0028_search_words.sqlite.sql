-- 0028: a full-text index of each record table's search key, for searches
-- of the whole nation on SQLite (0009 gave PostgreSQL trigram indexes and
-- SQLite nothing, so a national search read every row).
--
-- A search matches each folded word at the start of a word of search_key:
-- "(' ' || search_key) LIKE '% word%'" (model/record.c, where_words). The
-- key is vtext_fold's: words of letters and digits, lower case, marks
-- stripped, đ as d, separated by one space. The "ascii" tokenizer makes each
-- such word exactly one token (every non-ASCII character is part of a token,
-- the only ASCII separator in a key is the space), so the prefix query
-- "word" * finds exactly the rows the LIKE finds; the LIKE stays in the
-- statement as the definition and rechecks each row the index gives.
--
-- TABLE_words is contentless (content=''): it holds only the index, keyed
-- by the record's id, with no copy of the key and no column named
-- search_key. Triggers keep it in step with the table in the statement that
-- writes the row, so in the same transaction, whoever writes (the record
-- engine, an import, a restore's migration, `khuyencong migrate` into
-- SQLite, the sqlite3 shell). Deleting from a contentless index needs the
-- text that was indexed: the trigger passes the old key. detail=none: the
-- search needs which rows hold a word, not where. prefix='1 ... 7': a word
-- up to 7 letters (every Vietnamese syllable) is looked up as a prefix in
-- its own index, instead of merging the lists of every word it begins (a
-- national "so" or "lang" read 200 000 rows that way).
CREATE VIRTUAL TABLE awards_words USING fts5(words, content='', detail=none, columnsize=0, tokenize='ascii', prefix='1 2 3 4 5 6 7');
INSERT INTO awards_words(rowid, words) SELECT id, search_key FROM awards;
CREATE TRIGGER awards_words_insert AFTER INSERT ON awards BEGIN
  INSERT INTO awards_words(rowid, words) VALUES (new.id, new.search_key);
END;
CREATE TRIGGER awards_words_delete AFTER DELETE ON awards BEGIN
  INSERT INTO awards_words(awards_words, rowid, words) VALUES ('delete', old.id, old.search_key);
END;
CREATE TRIGGER awards_words_update AFTER UPDATE OF id, search_key ON awards BEGIN
  INSERT INTO awards_words(awards_words, rowid, words) VALUES ('delete', old.id, old.search_key);
  INSERT INTO awards_words(rowid, words) VALUES (new.id, new.search_key);
END;
CREATE VIRTUAL TABLE beneficiaries_words USING fts5(words, content='', detail=none, columnsize=0, tokenize='ascii', prefix='1 2 3 4 5 6 7');
INSERT INTO beneficiaries_words(rowid, words) SELECT id, search_key FROM beneficiaries;
CREATE TRIGGER beneficiaries_words_insert AFTER INSERT ON beneficiaries BEGIN
  INSERT INTO beneficiaries_words(rowid, words) VALUES (new.id, new.search_key);
END;
CREATE TRIGGER beneficiaries_words_delete AFTER DELETE ON beneficiaries BEGIN
  INSERT INTO beneficiaries_words(beneficiaries_words, rowid, words) VALUES ('delete', old.id, old.search_key);
END;
CREATE TRIGGER beneficiaries_words_update AFTER UPDATE OF id, search_key ON beneficiaries BEGIN
  INSERT INTO beneficiaries_words(beneficiaries_words, rowid, words) VALUES ('delete', old.id, old.search_key);
  INSERT INTO beneficiaries_words(rowid, words) VALUES (new.id, new.search_key);
END;
CREATE VIRTUAL TABLE consultant_assignments_words USING fts5(words, content='', detail=none, columnsize=0, tokenize='ascii', prefix='1 2 3 4 5 6 7');
INSERT INTO consultant_assignments_words(rowid, words) SELECT id, search_key FROM consultant_assignments;
CREATE TRIGGER consultant_assignments_words_insert AFTER INSERT ON consultant_assignments BEGIN
  INSERT INTO consultant_assignments_words(rowid, words) VALUES (new.id, new.search_key);
END;
CREATE TRIGGER consultant_assignments_words_delete AFTER DELETE ON consultant_assignments BEGIN
  INSERT INTO consultant_assignments_words(consultant_assignments_words, rowid, words) VALUES ('delete', old.id, old.search_key);
END;
CREATE TRIGGER consultant_assignments_words_update AFTER UPDATE OF id, search_key ON consultant_assignments BEGIN
  INSERT INTO consultant_assignments_words(consultant_assignments_words, rowid, words) VALUES ('delete', old.id, old.search_key);
  INSERT INTO consultant_assignments_words(rowid, words) VALUES (new.id, new.search_key);
END;
CREATE VIRTUAL TABLE consultants_words USING fts5(words, content='', detail=none, columnsize=0, tokenize='ascii', prefix='1 2 3 4 5 6 7');
INSERT INTO consultants_words(rowid, words) SELECT id, search_key FROM consultants;
CREATE TRIGGER consultants_words_insert AFTER INSERT ON consultants BEGIN
  INSERT INTO consultants_words(rowid, words) VALUES (new.id, new.search_key);
END;
CREATE TRIGGER consultants_words_delete AFTER DELETE ON consultants BEGIN
  INSERT INTO consultants_words(consultants_words, rowid, words) VALUES ('delete', old.id, old.search_key);
END;
CREATE TRIGGER consultants_words_update AFTER UPDATE OF id, search_key ON consultants BEGIN
  INSERT INTO consultants_words(consultants_words, rowid, words) VALUES ('delete', old.id, old.search_key);
  INSERT INTO consultants_words(rowid, words) VALUES (new.id, new.search_key);
END;
CREATE VIRTUAL TABLE demo_models_words USING fts5(words, content='', detail=none, columnsize=0, tokenize='ascii', prefix='1 2 3 4 5 6 7');
INSERT INTO demo_models_words(rowid, words) SELECT id, search_key FROM demo_models;
CREATE TRIGGER demo_models_words_insert AFTER INSERT ON demo_models BEGIN
  INSERT INTO demo_models_words(rowid, words) VALUES (new.id, new.search_key);
END;
CREATE TRIGGER demo_models_words_delete AFTER DELETE ON demo_models BEGIN
  INSERT INTO demo_models_words(demo_models_words, rowid, words) VALUES ('delete', old.id, old.search_key);
END;
CREATE TRIGGER demo_models_words_update AFTER UPDATE OF id, search_key ON demo_models BEGIN
  INSERT INTO demo_models_words(demo_models_words, rowid, words) VALUES ('delete', old.id, old.search_key);
  INSERT INTO demo_models_words(rowid, words) VALUES (new.id, new.search_key);
END;
CREATE VIRTUAL TABLE establishments_words USING fts5(words, content='', detail=none, columnsize=0, tokenize='ascii', prefix='1 2 3 4 5 6 7');
INSERT INTO establishments_words(rowid, words) SELECT id, search_key FROM establishments;
CREATE TRIGGER establishments_words_insert AFTER INSERT ON establishments BEGIN
  INSERT INTO establishments_words(rowid, words) VALUES (new.id, new.search_key);
END;
CREATE TRIGGER establishments_words_delete AFTER DELETE ON establishments BEGIN
  INSERT INTO establishments_words(establishments_words, rowid, words) VALUES ('delete', old.id, old.search_key);
END;
CREATE TRIGGER establishments_words_update AFTER UPDATE OF id, search_key ON establishments BEGIN
  INSERT INTO establishments_words(establishments_words, rowid, words) VALUES ('delete', old.id, old.search_key);
  INSERT INTO establishments_words(rowid, words) VALUES (new.id, new.search_key);
END;
CREATE VIRTUAL TABLE figures_words USING fts5(words, content='', detail=none, columnsize=0, tokenize='ascii', prefix='1 2 3 4 5 6 7');
INSERT INTO figures_words(rowid, words) SELECT id, search_key FROM figures;
CREATE TRIGGER figures_words_insert AFTER INSERT ON figures BEGIN
  INSERT INTO figures_words(rowid, words) VALUES (new.id, new.search_key);
END;
CREATE TRIGGER figures_words_delete AFTER DELETE ON figures BEGIN
  INSERT INTO figures_words(figures_words, rowid, words) VALUES ('delete', old.id, old.search_key);
END;
CREATE TRIGGER figures_words_update AFTER UPDATE OF id, search_key ON figures BEGIN
  INSERT INTO figures_words(figures_words, rowid, words) VALUES ('delete', old.id, old.search_key);
  INSERT INTO figures_words(rowid, words) VALUES (new.id, new.search_key);
END;
CREATE VIRTUAL TABLE lot_events_words USING fts5(words, content='', detail=none, columnsize=0, tokenize='ascii', prefix='1 2 3 4 5 6 7');
INSERT INTO lot_events_words(rowid, words) SELECT id, search_key FROM lot_events;
CREATE TRIGGER lot_events_words_insert AFTER INSERT ON lot_events BEGIN
  INSERT INTO lot_events_words(rowid, words) VALUES (new.id, new.search_key);
END;
CREATE TRIGGER lot_events_words_delete AFTER DELETE ON lot_events BEGIN
  INSERT INTO lot_events_words(lot_events_words, rowid, words) VALUES ('delete', old.id, old.search_key);
END;
CREATE TRIGGER lot_events_words_update AFTER UPDATE OF id, search_key ON lot_events BEGIN
  INSERT INTO lot_events_words(lot_events_words, rowid, words) VALUES ('delete', old.id, old.search_key);
  INSERT INTO lot_events_words(rowid, words) VALUES (new.id, new.search_key);
END;
CREATE VIRTUAL TABLE lots_words USING fts5(words, content='', detail=none, columnsize=0, tokenize='ascii', prefix='1 2 3 4 5 6 7');
INSERT INTO lots_words(rowid, words) SELECT id, search_key FROM lots;
CREATE TRIGGER lots_words_insert AFTER INSERT ON lots BEGIN
  INSERT INTO lots_words(rowid, words) VALUES (new.id, new.search_key);
END;
CREATE TRIGGER lots_words_delete AFTER DELETE ON lots BEGIN
  INSERT INTO lots_words(lots_words, rowid, words) VALUES ('delete', old.id, old.search_key);
END;
CREATE TRIGGER lots_words_update AFTER UPDATE OF id, search_key ON lots BEGIN
  INSERT INTO lots_words(lots_words, rowid, words) VALUES ('delete', old.id, old.search_key);
  INSERT INTO lots_words(rowid, words) VALUES (new.id, new.search_key);
END;
CREATE VIRTUAL TABLE machinery_words USING fts5(words, content='', detail=none, columnsize=0, tokenize='ascii', prefix='1 2 3 4 5 6 7');
INSERT INTO machinery_words(rowid, words) SELECT id, search_key FROM machinery;
CREATE TRIGGER machinery_words_insert AFTER INSERT ON machinery BEGIN
  INSERT INTO machinery_words(rowid, words) VALUES (new.id, new.search_key);
END;
CREATE TRIGGER machinery_words_delete AFTER DELETE ON machinery BEGIN
  INSERT INTO machinery_words(machinery_words, rowid, words) VALUES ('delete', old.id, old.search_key);
END;
CREATE TRIGGER machinery_words_update AFTER UPDATE OF id, search_key ON machinery BEGIN
  INSERT INTO machinery_words(machinery_words, rowid, words) VALUES ('delete', old.id, old.search_key);
  INSERT INTO machinery_words(rowid, words) VALUES (new.id, new.search_key);
END;
CREATE VIRTUAL TABLE other_support_words USING fts5(words, content='', detail=none, columnsize=0, tokenize='ascii', prefix='1 2 3 4 5 6 7');
INSERT INTO other_support_words(rowid, words) SELECT id, search_key FROM other_support;
CREATE TRIGGER other_support_words_insert AFTER INSERT ON other_support BEGIN
  INSERT INTO other_support_words(rowid, words) VALUES (new.id, new.search_key);
END;
CREATE TRIGGER other_support_words_delete AFTER DELETE ON other_support BEGIN
  INSERT INTO other_support_words(other_support_words, rowid, words) VALUES ('delete', old.id, old.search_key);
END;
CREATE TRIGGER other_support_words_update AFTER UPDATE OF id, search_key ON other_support BEGIN
  INSERT INTO other_support_words(other_support_words, rowid, words) VALUES ('delete', old.id, old.search_key);
  INSERT INTO other_support_words(rowid, words) VALUES (new.id, new.search_key);
END;
CREATE VIRTUAL TABLE plans_words USING fts5(words, content='', detail=none, columnsize=0, tokenize='ascii', prefix='1 2 3 4 5 6 7');
INSERT INTO plans_words(rowid, words) SELECT id, search_key FROM plans;
CREATE TRIGGER plans_words_insert AFTER INSERT ON plans BEGIN
  INSERT INTO plans_words(rowid, words) VALUES (new.id, new.search_key);
END;
CREATE TRIGGER plans_words_delete AFTER DELETE ON plans BEGIN
  INSERT INTO plans_words(plans_words, rowid, words) VALUES ('delete', old.id, old.search_key);
END;
CREATE TRIGGER plans_words_update AFTER UPDATE OF id, search_key ON plans BEGIN
  INSERT INTO plans_words(plans_words, rowid, words) VALUES ('delete', old.id, old.search_key);
  INSERT INTO plans_words(rowid, words) VALUES (new.id, new.search_key);
END;
CREATE VIRTUAL TABLE products_words USING fts5(words, content='', detail=none, columnsize=0, tokenize='ascii', prefix='1 2 3 4 5 6 7');
INSERT INTO products_words(rowid, words) SELECT id, search_key FROM products;
CREATE TRIGGER products_words_insert AFTER INSERT ON products BEGIN
  INSERT INTO products_words(rowid, words) VALUES (new.id, new.search_key);
END;
CREATE TRIGGER products_words_delete AFTER DELETE ON products BEGIN
  INSERT INTO products_words(products_words, rowid, words) VALUES ('delete', old.id, old.search_key);
END;
CREATE TRIGGER products_words_update AFTER UPDATE OF id, search_key ON products BEGIN
  INSERT INTO products_words(products_words, rowid, words) VALUES ('delete', old.id, old.search_key);
  INSERT INTO products_words(rowid, words) VALUES (new.id, new.search_key);
END;
CREATE VIRTUAL TABLE programmes_words USING fts5(words, content='', detail=none, columnsize=0, tokenize='ascii', prefix='1 2 3 4 5 6 7');
INSERT INTO programmes_words(rowid, words) SELECT id, search_key FROM programmes;
CREATE TRIGGER programmes_words_insert AFTER INSERT ON programmes BEGIN
  INSERT INTO programmes_words(rowid, words) VALUES (new.id, new.search_key);
END;
CREATE TRIGGER programmes_words_delete AFTER DELETE ON programmes BEGIN
  INSERT INTO programmes_words(programmes_words, rowid, words) VALUES ('delete', old.id, old.search_key);
END;
CREATE TRIGGER programmes_words_update AFTER UPDATE OF id, search_key ON programmes BEGIN
  INSERT INTO programmes_words(programmes_words, rowid, words) VALUES ('delete', old.id, old.search_key);
  INSERT INTO programmes_words(rowid, words) VALUES (new.id, new.search_key);
END;
CREATE VIRTUAL TABLE project_events_words USING fts5(words, content='', detail=none, columnsize=0, tokenize='ascii', prefix='1 2 3 4 5 6 7');
INSERT INTO project_events_words(rowid, words) SELECT id, search_key FROM project_events;
CREATE TRIGGER project_events_words_insert AFTER INSERT ON project_events BEGIN
  INSERT INTO project_events_words(rowid, words) VALUES (new.id, new.search_key);
END;
CREATE TRIGGER project_events_words_delete AFTER DELETE ON project_events BEGIN
  INSERT INTO project_events_words(project_events_words, rowid, words) VALUES ('delete', old.id, old.search_key);
END;
CREATE TRIGGER project_events_words_update AFTER UPDATE OF id, search_key ON project_events BEGIN
  INSERT INTO project_events_words(project_events_words, rowid, words) VALUES ('delete', old.id, old.search_key);
  INSERT INTO project_events_words(rowid, words) VALUES (new.id, new.search_key);
END;
CREATE VIRTUAL TABLE projects_words USING fts5(words, content='', detail=none, columnsize=0, tokenize='ascii', prefix='1 2 3 4 5 6 7');
INSERT INTO projects_words(rowid, words) SELECT id, search_key FROM projects;
CREATE TRIGGER projects_words_insert AFTER INSERT ON projects BEGIN
  INSERT INTO projects_words(rowid, words) VALUES (new.id, new.search_key);
END;
CREATE TRIGGER projects_words_delete AFTER DELETE ON projects BEGIN
  INSERT INTO projects_words(projects_words, rowid, words) VALUES ('delete', old.id, old.search_key);
END;
CREATE TRIGGER projects_words_update AFTER UPDATE OF id, search_key ON projects BEGIN
  INSERT INTO projects_words(projects_words, rowid, words) VALUES ('delete', old.id, old.search_key);
  INSERT INTO projects_words(rowid, words) VALUES (new.id, new.search_key);
END;
CREATE VIRTUAL TABLE proposals_words USING fts5(words, content='', detail=none, columnsize=0, tokenize='ascii', prefix='1 2 3 4 5 6 7');
INSERT INTO proposals_words(rowid, words) SELECT id, search_key FROM proposals;
CREATE TRIGGER proposals_words_insert AFTER INSERT ON proposals BEGIN
  INSERT INTO proposals_words(rowid, words) VALUES (new.id, new.search_key);
END;
CREATE TRIGGER proposals_words_delete AFTER DELETE ON proposals BEGIN
  INSERT INTO proposals_words(proposals_words, rowid, words) VALUES ('delete', old.id, old.search_key);
END;
CREATE TRIGGER proposals_words_update AFTER UPDATE OF id, search_key ON proposals BEGIN
  INSERT INTO proposals_words(proposals_words, rowid, words) VALUES ('delete', old.id, old.search_key);
  INSERT INTO proposals_words(rowid, words) VALUES (new.id, new.search_key);
END;
CREATE VIRTUAL TABLE support_caps_words USING fts5(words, content='', detail=none, columnsize=0, tokenize='ascii', prefix='1 2 3 4 5 6 7');
INSERT INTO support_caps_words(rowid, words) SELECT id, search_key FROM support_caps;
CREATE TRIGGER support_caps_words_insert AFTER INSERT ON support_caps BEGIN
  INSERT INTO support_caps_words(rowid, words) VALUES (new.id, new.search_key);
END;
CREATE TRIGGER support_caps_words_delete AFTER DELETE ON support_caps BEGIN
  INSERT INTO support_caps_words(support_caps_words, rowid, words) VALUES ('delete', old.id, old.search_key);
END;
CREATE TRIGGER support_caps_words_update AFTER UPDATE OF id, search_key ON support_caps BEGIN
  INSERT INTO support_caps_words(support_caps_words, rowid, words) VALUES ('delete', old.id, old.search_key);
  INSERT INTO support_caps_words(rowid, words) VALUES (new.id, new.search_key);
END;
CREATE VIRTUAL TABLE targets_words USING fts5(words, content='', detail=none, columnsize=0, tokenize='ascii', prefix='1 2 3 4 5 6 7');
INSERT INTO targets_words(rowid, words) SELECT id, search_key FROM targets;
CREATE TRIGGER targets_words_insert AFTER INSERT ON targets BEGIN
  INSERT INTO targets_words(rowid, words) VALUES (new.id, new.search_key);
END;
CREATE TRIGGER targets_words_delete AFTER DELETE ON targets BEGIN
  INSERT INTO targets_words(targets_words, rowid, words) VALUES ('delete', old.id, old.search_key);
END;
CREATE TRIGGER targets_words_update AFTER UPDATE OF id, search_key ON targets BEGIN
  INSERT INTO targets_words(targets_words, rowid, words) VALUES ('delete', old.id, old.search_key);
  INSERT INTO targets_words(rowid, words) VALUES (new.id, new.search_key);
END;
CREATE VIRTUAL TABLE trade_fairs_words USING fts5(words, content='', detail=none, columnsize=0, tokenize='ascii', prefix='1 2 3 4 5 6 7');
INSERT INTO trade_fairs_words(rowid, words) SELECT id, search_key FROM trade_fairs;
CREATE TRIGGER trade_fairs_words_insert AFTER INSERT ON trade_fairs BEGIN
  INSERT INTO trade_fairs_words(rowid, words) VALUES (new.id, new.search_key);
END;
CREATE TRIGGER trade_fairs_words_delete AFTER DELETE ON trade_fairs BEGIN
  INSERT INTO trade_fairs_words(trade_fairs_words, rowid, words) VALUES ('delete', old.id, old.search_key);
END;
CREATE TRIGGER trade_fairs_words_update AFTER UPDATE OF id, search_key ON trade_fairs BEGIN
  INSERT INTO trade_fairs_words(trade_fairs_words, rowid, words) VALUES ('delete', old.id, old.search_key);
  INSERT INTO trade_fairs_words(rowid, words) VALUES (new.id, new.search_key);
END;
CREATE VIRTUAL TABLE training_classes_words USING fts5(words, content='', detail=none, columnsize=0, tokenize='ascii', prefix='1 2 3 4 5 6 7');
INSERT INTO training_classes_words(rowid, words) SELECT id, search_key FROM training_classes;
CREATE TRIGGER training_classes_words_insert AFTER INSERT ON training_classes BEGIN
  INSERT INTO training_classes_words(rowid, words) VALUES (new.id, new.search_key);
END;
CREATE TRIGGER training_classes_words_delete AFTER DELETE ON training_classes BEGIN
  INSERT INTO training_classes_words(training_classes_words, rowid, words) VALUES ('delete', old.id, old.search_key);
END;
CREATE TRIGGER training_classes_words_update AFTER UPDATE OF id, search_key ON training_classes BEGIN
  INSERT INTO training_classes_words(training_classes_words, rowid, words) VALUES ('delete', old.id, old.search_key);
  INSERT INTO training_classes_words(rowid, words) VALUES (new.id, new.search_key);
END;
CREATE VIRTUAL TABLE village_years_words USING fts5(words, content='', detail=none, columnsize=0, tokenize='ascii', prefix='1 2 3 4 5 6 7');
INSERT INTO village_years_words(rowid, words) SELECT id, search_key FROM village_years;
CREATE TRIGGER village_years_words_insert AFTER INSERT ON village_years BEGIN
  INSERT INTO village_years_words(rowid, words) VALUES (new.id, new.search_key);
END;
CREATE TRIGGER village_years_words_delete AFTER DELETE ON village_years BEGIN
  INSERT INTO village_years_words(village_years_words, rowid, words) VALUES ('delete', old.id, old.search_key);
END;
CREATE TRIGGER village_years_words_update AFTER UPDATE OF id, search_key ON village_years BEGIN
  INSERT INTO village_years_words(village_years_words, rowid, words) VALUES ('delete', old.id, old.search_key);
  INSERT INTO village_years_words(rowid, words) VALUES (new.id, new.search_key);
END;
CREATE VIRTUAL TABLE villages_words USING fts5(words, content='', detail=none, columnsize=0, tokenize='ascii', prefix='1 2 3 4 5 6 7');
INSERT INTO villages_words(rowid, words) SELECT id, search_key FROM villages;
CREATE TRIGGER villages_words_insert AFTER INSERT ON villages BEGIN
  INSERT INTO villages_words(rowid, words) VALUES (new.id, new.search_key);
END;
CREATE TRIGGER villages_words_delete AFTER DELETE ON villages BEGIN
  INSERT INTO villages_words(villages_words, rowid, words) VALUES ('delete', old.id, old.search_key);
END;
CREATE TRIGGER villages_words_update AFTER UPDATE OF id, search_key ON villages BEGIN
  INSERT INTO villages_words(villages_words, rowid, words) VALUES ('delete', old.id, old.search_key);
  INSERT INTO villages_words(rowid, words) VALUES (new.id, new.search_key);
END;
