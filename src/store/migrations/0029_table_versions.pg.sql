-- 0029: the version of each table a statistic reads (PostgreSQL; see
-- 0029_table_versions.sqlite.sql). One bump per transaction and table (TRUNCATE
-- counts too): a transaction-local setting remembers the tables it bumped,
-- for each UPDATE of one row leaves a new row version behind, and the
-- thousands of statements of a units load made each next one walk them all.
-- A bump holds its row until the transaction ends, so
-- each table has 8 slots and a writer takes the first one no other
-- transaction holds (SKIP LOCKED): a long import does not make every other
-- writer of its table wait, and two writers of two tables cannot deadlock on
-- them (unless all 8 are held: then a writer waits for slot 0). Each
-- committed bump adds 1 to one slot, so the SUM a reader sees grows with
-- every commit that wrote the table.
CREATE TABLE table_versions (name TEXT NOT NULL, slot INTEGER NOT NULL DEFAULT 0,
	version BIGINT NOT NULL DEFAULT 0, PRIMARY KEY (name, slot));
CREATE FUNCTION kc_table_version_bump() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
	IF current_setting('kc_table_version.' || TG_TABLE_NAME, true) = '1' THEN
		RETURN NULL;
	END IF;
	PERFORM set_config('kc_table_version.' || TG_TABLE_NAME, '1', true);
	UPDATE table_versions SET version = version + 1
	 WHERE (name, slot) = (SELECT name, slot FROM table_versions WHERE name = TG_TABLE_NAME
	                        ORDER BY slot LIMIT 1 FOR UPDATE SKIP LOCKED);
	IF NOT FOUND THEN
		UPDATE table_versions SET version = version + 1 WHERE name = TG_TABLE_NAME AND slot = 0;
	END IF;
	RETURN NULL;
END
$$;
INSERT INTO table_versions (name, slot) SELECT 'awards', s FROM generate_series(0, 7) s;
INSERT INTO table_versions (name, slot) SELECT 'beneficiaries', s FROM generate_series(0, 7) s;
INSERT INTO table_versions (name, slot) SELECT 'consultant_assignments', s FROM generate_series(0, 7) s;
INSERT INTO table_versions (name, slot) SELECT 'consultants', s FROM generate_series(0, 7) s;
INSERT INTO table_versions (name, slot) SELECT 'demo_models', s FROM generate_series(0, 7) s;
INSERT INTO table_versions (name, slot) SELECT 'establishments', s FROM generate_series(0, 7) s;
INSERT INTO table_versions (name, slot) SELECT 'figures', s FROM generate_series(0, 7) s;
INSERT INTO table_versions (name, slot) SELECT 'industries', s FROM generate_series(0, 7) s;
INSERT INTO table_versions (name, slot) SELECT 'lot_events', s FROM generate_series(0, 7) s;
INSERT INTO table_versions (name, slot) SELECT 'lots', s FROM generate_series(0, 7) s;
INSERT INTO table_versions (name, slot) SELECT 'machinery', s FROM generate_series(0, 7) s;
INSERT INTO table_versions (name, slot) SELECT 'other_support', s FROM generate_series(0, 7) s;
INSERT INTO table_versions (name, slot) SELECT 'plans', s FROM generate_series(0, 7) s;
INSERT INTO table_versions (name, slot) SELECT 'products', s FROM generate_series(0, 7) s;
INSERT INTO table_versions (name, slot) SELECT 'programmes', s FROM generate_series(0, 7) s;
INSERT INTO table_versions (name, slot) SELECT 'project_events', s FROM generate_series(0, 7) s;
INSERT INTO table_versions (name, slot) SELECT 'projects', s FROM generate_series(0, 7) s;
INSERT INTO table_versions (name, slot) SELECT 'proposals', s FROM generate_series(0, 7) s;
INSERT INTO table_versions (name, slot) SELECT 'reporting_periods', s FROM generate_series(0, 7) s;
INSERT INTO table_versions (name, slot) SELECT 'support_caps', s FROM generate_series(0, 7) s;
INSERT INTO table_versions (name, slot) SELECT 'targets', s FROM generate_series(0, 7) s;
INSERT INTO table_versions (name, slot) SELECT 'trade_fairs', s FROM generate_series(0, 7) s;
INSERT INTO table_versions (name, slot) SELECT 'training_classes', s FROM generate_series(0, 7) s;
INSERT INTO table_versions (name, slot) SELECT 'unit_aliases', s FROM generate_series(0, 7) s;
INSERT INTO table_versions (name, slot) SELECT 'unit_notes', s FROM generate_series(0, 7) s;
INSERT INTO table_versions (name, slot) SELECT 'unit_regions', s FROM generate_series(0, 7) s;
INSERT INTO table_versions (name, slot) SELECT 'unit_succession', s FROM generate_series(0, 7) s;
INSERT INTO table_versions (name, slot) SELECT 'units', s FROM generate_series(0, 7) s;
INSERT INTO table_versions (name, slot) SELECT 'village_years', s FROM generate_series(0, 7) s;
INSERT INTO table_versions (name, slot) SELECT 'villages', s FROM generate_series(0, 7) s;
CREATE TRIGGER awards_version AFTER INSERT OR UPDATE OR DELETE OR TRUNCATE ON awards FOR EACH STATEMENT EXECUTE FUNCTION kc_table_version_bump();
CREATE TRIGGER beneficiaries_version AFTER INSERT OR UPDATE OR DELETE OR TRUNCATE ON beneficiaries FOR EACH STATEMENT EXECUTE FUNCTION kc_table_version_bump();
CREATE TRIGGER consultant_assignments_version AFTER INSERT OR UPDATE OR DELETE OR TRUNCATE ON consultant_assignments FOR EACH STATEMENT EXECUTE FUNCTION kc_table_version_bump();
CREATE TRIGGER consultants_version AFTER INSERT OR UPDATE OR DELETE OR TRUNCATE ON consultants FOR EACH STATEMENT EXECUTE FUNCTION kc_table_version_bump();
CREATE TRIGGER demo_models_version AFTER INSERT OR UPDATE OR DELETE OR TRUNCATE ON demo_models FOR EACH STATEMENT EXECUTE FUNCTION kc_table_version_bump();
CREATE TRIGGER establishments_version AFTER INSERT OR UPDATE OR DELETE OR TRUNCATE ON establishments FOR EACH STATEMENT EXECUTE FUNCTION kc_table_version_bump();
CREATE TRIGGER figures_version AFTER INSERT OR UPDATE OR DELETE OR TRUNCATE ON figures FOR EACH STATEMENT EXECUTE FUNCTION kc_table_version_bump();
CREATE TRIGGER industries_version AFTER INSERT OR UPDATE OR DELETE OR TRUNCATE ON industries FOR EACH STATEMENT EXECUTE FUNCTION kc_table_version_bump();
CREATE TRIGGER lot_events_version AFTER INSERT OR UPDATE OR DELETE OR TRUNCATE ON lot_events FOR EACH STATEMENT EXECUTE FUNCTION kc_table_version_bump();
CREATE TRIGGER lots_version AFTER INSERT OR UPDATE OR DELETE OR TRUNCATE ON lots FOR EACH STATEMENT EXECUTE FUNCTION kc_table_version_bump();
CREATE TRIGGER machinery_version AFTER INSERT OR UPDATE OR DELETE OR TRUNCATE ON machinery FOR EACH STATEMENT EXECUTE FUNCTION kc_table_version_bump();
CREATE TRIGGER other_support_version AFTER INSERT OR UPDATE OR DELETE OR TRUNCATE ON other_support FOR EACH STATEMENT EXECUTE FUNCTION kc_table_version_bump();
CREATE TRIGGER plans_version AFTER INSERT OR UPDATE OR DELETE OR TRUNCATE ON plans FOR EACH STATEMENT EXECUTE FUNCTION kc_table_version_bump();
CREATE TRIGGER products_version AFTER INSERT OR UPDATE OR DELETE OR TRUNCATE ON products FOR EACH STATEMENT EXECUTE FUNCTION kc_table_version_bump();
CREATE TRIGGER programmes_version AFTER INSERT OR UPDATE OR DELETE OR TRUNCATE ON programmes FOR EACH STATEMENT EXECUTE FUNCTION kc_table_version_bump();
CREATE TRIGGER project_events_version AFTER INSERT OR UPDATE OR DELETE OR TRUNCATE ON project_events FOR EACH STATEMENT EXECUTE FUNCTION kc_table_version_bump();
CREATE TRIGGER projects_version AFTER INSERT OR UPDATE OR DELETE OR TRUNCATE ON projects FOR EACH STATEMENT EXECUTE FUNCTION kc_table_version_bump();
CREATE TRIGGER proposals_version AFTER INSERT OR UPDATE OR DELETE OR TRUNCATE ON proposals FOR EACH STATEMENT EXECUTE FUNCTION kc_table_version_bump();
CREATE TRIGGER reporting_periods_version AFTER INSERT OR UPDATE OR DELETE OR TRUNCATE ON reporting_periods FOR EACH STATEMENT EXECUTE FUNCTION kc_table_version_bump();
CREATE TRIGGER support_caps_version AFTER INSERT OR UPDATE OR DELETE OR TRUNCATE ON support_caps FOR EACH STATEMENT EXECUTE FUNCTION kc_table_version_bump();
CREATE TRIGGER targets_version AFTER INSERT OR UPDATE OR DELETE OR TRUNCATE ON targets FOR EACH STATEMENT EXECUTE FUNCTION kc_table_version_bump();
CREATE TRIGGER trade_fairs_version AFTER INSERT OR UPDATE OR DELETE OR TRUNCATE ON trade_fairs FOR EACH STATEMENT EXECUTE FUNCTION kc_table_version_bump();
CREATE TRIGGER training_classes_version AFTER INSERT OR UPDATE OR DELETE OR TRUNCATE ON training_classes FOR EACH STATEMENT EXECUTE FUNCTION kc_table_version_bump();
CREATE TRIGGER unit_aliases_version AFTER INSERT OR UPDATE OR DELETE OR TRUNCATE ON unit_aliases FOR EACH STATEMENT EXECUTE FUNCTION kc_table_version_bump();
CREATE TRIGGER unit_notes_version AFTER INSERT OR UPDATE OR DELETE OR TRUNCATE ON unit_notes FOR EACH STATEMENT EXECUTE FUNCTION kc_table_version_bump();
CREATE TRIGGER unit_regions_version AFTER INSERT OR UPDATE OR DELETE OR TRUNCATE ON unit_regions FOR EACH STATEMENT EXECUTE FUNCTION kc_table_version_bump();
CREATE TRIGGER unit_succession_version AFTER INSERT OR UPDATE OR DELETE OR TRUNCATE ON unit_succession FOR EACH STATEMENT EXECUTE FUNCTION kc_table_version_bump();
CREATE TRIGGER units_version AFTER INSERT OR UPDATE OR DELETE OR TRUNCATE ON units FOR EACH STATEMENT EXECUTE FUNCTION kc_table_version_bump();
CREATE TRIGGER village_years_version AFTER INSERT OR UPDATE OR DELETE OR TRUNCATE ON village_years FOR EACH STATEMENT EXECUTE FUNCTION kc_table_version_bump();
CREATE TRIGGER villages_version AFTER INSERT OR UPDATE OR DELETE OR TRUNCATE ON villages FOR EACH STATEMENT EXECUTE FUNCTION kc_table_version_bump();
