-- 0015: ids are never reused (SQLite). Without AUTOINCREMENT SQLite gives a
-- new row the largest id + 1, so deleting the newest record handed its id to
-- the next one: three different records were once "training-classes #4" in
-- the audit trail. AUTOINCREMENT changes nothing stored, only how the next id
-- is chosen (from sqlite_sequence), so the tables' definitions are edited in
-- place rather than rebuilt; the CREATE/DROP that follows makes SQLite create
-- sqlite_sequence and reload the schema, and each table's largest id so far
-- is written there (else the first delete before any insert would still hand
-- its id on; login_failures is left out: 0017 rebuilds it without ids). New
-- databases get AUTOINCREMENT from the driver's id column. PostgreSQL's
-- identity columns never reuse a value: it has nothing to do here.
PRAGMA writable_schema = ON;
UPDATE sqlite_master
   SET sql = replace(sql, 'id INTEGER PRIMARY KEY,', 'id INTEGER PRIMARY KEY AUTOINCREMENT,')
 WHERE type = 'table' AND sql LIKE '%id INTEGER PRIMARY KEY,%' AND sql NOT LIKE '%AUTOINCREMENT%';
PRAGMA writable_schema = RESET;
CREATE TABLE kc_autoincrement_on (id INTEGER PRIMARY KEY AUTOINCREMENT);
DROP TABLE kc_autoincrement_on;
INSERT INTO sqlite_sequence (name, seq) SELECT 'audit', COALESCE(MAX(id), 0) FROM audit
 WHERE NOT EXISTS (SELECT 1 FROM sqlite_sequence WHERE name = 'audit');
INSERT INTO sqlite_sequence (name, seq) SELECT 'awards', COALESCE(MAX(id), 0) FROM awards
 WHERE NOT EXISTS (SELECT 1 FROM sqlite_sequence WHERE name = 'awards');
INSERT INTO sqlite_sequence (name, seq) SELECT 'beneficiaries', COALESCE(MAX(id), 0) FROM beneficiaries
 WHERE NOT EXISTS (SELECT 1 FROM sqlite_sequence WHERE name = 'beneficiaries');
INSERT INTO sqlite_sequence (name, seq) SELECT 'consultant_assignments', COALESCE(MAX(id), 0) FROM consultant_assignments
 WHERE NOT EXISTS (SELECT 1 FROM sqlite_sequence WHERE name = 'consultant_assignments');
INSERT INTO sqlite_sequence (name, seq) SELECT 'consultants', COALESCE(MAX(id), 0) FROM consultants
 WHERE NOT EXISTS (SELECT 1 FROM sqlite_sequence WHERE name = 'consultants');
INSERT INTO sqlite_sequence (name, seq) SELECT 'demo_models', COALESCE(MAX(id), 0) FROM demo_models
 WHERE NOT EXISTS (SELECT 1 FROM sqlite_sequence WHERE name = 'demo_models');
INSERT INTO sqlite_sequence (name, seq) SELECT 'establishments', COALESCE(MAX(id), 0) FROM establishments
 WHERE NOT EXISTS (SELECT 1 FROM sqlite_sequence WHERE name = 'establishments');
INSERT INTO sqlite_sequence (name, seq) SELECT 'figures', COALESCE(MAX(id), 0) FROM figures
 WHERE NOT EXISTS (SELECT 1 FROM sqlite_sequence WHERE name = 'figures');
INSERT INTO sqlite_sequence (name, seq) SELECT 'jobs', COALESCE(MAX(id), 0) FROM jobs
 WHERE NOT EXISTS (SELECT 1 FROM sqlite_sequence WHERE name = 'jobs');
INSERT INTO sqlite_sequence (name, seq) SELECT 'lot_events', COALESCE(MAX(id), 0) FROM lot_events
 WHERE NOT EXISTS (SELECT 1 FROM sqlite_sequence WHERE name = 'lot_events');
INSERT INTO sqlite_sequence (name, seq) SELECT 'lots', COALESCE(MAX(id), 0) FROM lots
 WHERE NOT EXISTS (SELECT 1 FROM sqlite_sequence WHERE name = 'lots');
INSERT INTO sqlite_sequence (name, seq) SELECT 'machinery', COALESCE(MAX(id), 0) FROM machinery
 WHERE NOT EXISTS (SELECT 1 FROM sqlite_sequence WHERE name = 'machinery');
INSERT INTO sqlite_sequence (name, seq) SELECT 'other_support', COALESCE(MAX(id), 0) FROM other_support
 WHERE NOT EXISTS (SELECT 1 FROM sqlite_sequence WHERE name = 'other_support');
INSERT INTO sqlite_sequence (name, seq) SELECT 'plans', COALESCE(MAX(id), 0) FROM plans
 WHERE NOT EXISTS (SELECT 1 FROM sqlite_sequence WHERE name = 'plans');
INSERT INTO sqlite_sequence (name, seq) SELECT 'product_photos', COALESCE(MAX(id), 0) FROM product_photos
 WHERE NOT EXISTS (SELECT 1 FROM sqlite_sequence WHERE name = 'product_photos');
INSERT INTO sqlite_sequence (name, seq) SELECT 'products', COALESCE(MAX(id), 0) FROM products
 WHERE NOT EXISTS (SELECT 1 FROM sqlite_sequence WHERE name = 'products');
INSERT INTO sqlite_sequence (name, seq) SELECT 'programmes', COALESCE(MAX(id), 0) FROM programmes
 WHERE NOT EXISTS (SELECT 1 FROM sqlite_sequence WHERE name = 'programmes');
INSERT INTO sqlite_sequence (name, seq) SELECT 'project_events', COALESCE(MAX(id), 0) FROM project_events
 WHERE NOT EXISTS (SELECT 1 FROM sqlite_sequence WHERE name = 'project_events');
INSERT INTO sqlite_sequence (name, seq) SELECT 'projects', COALESCE(MAX(id), 0) FROM projects
 WHERE NOT EXISTS (SELECT 1 FROM sqlite_sequence WHERE name = 'projects');
INSERT INTO sqlite_sequence (name, seq) SELECT 'proposals', COALESCE(MAX(id), 0) FROM proposals
 WHERE NOT EXISTS (SELECT 1 FROM sqlite_sequence WHERE name = 'proposals');
INSERT INTO sqlite_sequence (name, seq) SELECT 'support_caps', COALESCE(MAX(id), 0) FROM support_caps
 WHERE NOT EXISTS (SELECT 1 FROM sqlite_sequence WHERE name = 'support_caps');
INSERT INTO sqlite_sequence (name, seq) SELECT 'targets', COALESCE(MAX(id), 0) FROM targets
 WHERE NOT EXISTS (SELECT 1 FROM sqlite_sequence WHERE name = 'targets');
INSERT INTO sqlite_sequence (name, seq) SELECT 'trade_fairs', COALESCE(MAX(id), 0) FROM trade_fairs
 WHERE NOT EXISTS (SELECT 1 FROM sqlite_sequence WHERE name = 'trade_fairs');
INSERT INTO sqlite_sequence (name, seq) SELECT 'training_classes', COALESCE(MAX(id), 0) FROM training_classes
 WHERE NOT EXISTS (SELECT 1 FROM sqlite_sequence WHERE name = 'training_classes');
INSERT INTO sqlite_sequence (name, seq) SELECT 'unit_aliases', COALESCE(MAX(id), 0) FROM unit_aliases
 WHERE NOT EXISTS (SELECT 1 FROM sqlite_sequence WHERE name = 'unit_aliases');
INSERT INTO sqlite_sequence (name, seq) SELECT 'unit_notes', COALESCE(MAX(id), 0) FROM unit_notes
 WHERE NOT EXISTS (SELECT 1 FROM sqlite_sequence WHERE name = 'unit_notes');
INSERT INTO sqlite_sequence (name, seq) SELECT 'unit_regions', COALESCE(MAX(id), 0) FROM unit_regions
 WHERE NOT EXISTS (SELECT 1 FROM sqlite_sequence WHERE name = 'unit_regions');
INSERT INTO sqlite_sequence (name, seq) SELECT 'units', COALESCE(MAX(id), 0) FROM units
 WHERE NOT EXISTS (SELECT 1 FROM sqlite_sequence WHERE name = 'units');
INSERT INTO sqlite_sequence (name, seq) SELECT 'users', COALESCE(MAX(id), 0) FROM users
 WHERE NOT EXISTS (SELECT 1 FROM sqlite_sequence WHERE name = 'users');
INSERT INTO sqlite_sequence (name, seq) SELECT 'village_years', COALESCE(MAX(id), 0) FROM village_years
 WHERE NOT EXISTS (SELECT 1 FROM sqlite_sequence WHERE name = 'village_years');
INSERT INTO sqlite_sequence (name, seq) SELECT 'villages', COALESCE(MAX(id), 0) FROM villages
 WHERE NOT EXISTS (SELECT 1 FROM sqlite_sequence WHERE name = 'villages');
