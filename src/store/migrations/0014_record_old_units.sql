-- 0014: the old units (before 2025-07-01) of every record, not only the old
-- province: old_district_code and old_commune_code beside old_province_code,
-- and old_split saying why a level is unknown ('commune': today's commune was
-- formed from several old communes; 'province': today's province from several
-- old provinces) rather than a guess. These are derived, like province_code,
-- from the record's own facts (its old_unit_id, own unit, establishment's or
-- craft village's commune, province) by model/unit_attr.c on every write that
-- changes them (docs/units.md). old_unit_id is the old unit a user gave
-- explicitly ("Đơn vị hành chính cũ"; old:36, Xã Yên Tiến, Huyện Ý Yên).
ALTER TABLE villages ADD COLUMN old_district_code TEXT;
ALTER TABLE villages ADD COLUMN old_commune_code TEXT;
ALTER TABLE villages ADD COLUMN old_split TEXT;
ALTER TABLE establishments ADD COLUMN old_district_code TEXT;
ALTER TABLE establishments ADD COLUMN old_commune_code TEXT;
ALTER TABLE establishments ADD COLUMN old_split TEXT;
ALTER TABLE village_years ADD COLUMN old_district_code TEXT;
ALTER TABLE village_years ADD COLUMN old_commune_code TEXT;
ALTER TABLE village_years ADD COLUMN old_split TEXT;
ALTER TABLE programmes ADD COLUMN old_district_code TEXT;
ALTER TABLE programmes ADD COLUMN old_commune_code TEXT;
ALTER TABLE programmes ADD COLUMN old_split TEXT;
ALTER TABLE targets ADD COLUMN old_district_code TEXT;
ALTER TABLE targets ADD COLUMN old_commune_code TEXT;
ALTER TABLE targets ADD COLUMN old_split TEXT;
ALTER TABLE plans ADD COLUMN old_district_code TEXT;
ALTER TABLE plans ADD COLUMN old_commune_code TEXT;
ALTER TABLE plans ADD COLUMN old_split TEXT;
ALTER TABLE projects ADD COLUMN old_district_code TEXT;
ALTER TABLE projects ADD COLUMN old_commune_code TEXT;
ALTER TABLE projects ADD COLUMN old_split TEXT;
ALTER TABLE project_events ADD COLUMN old_district_code TEXT;
ALTER TABLE project_events ADD COLUMN old_commune_code TEXT;
ALTER TABLE project_events ADD COLUMN old_split TEXT;
ALTER TABLE beneficiaries ADD COLUMN old_district_code TEXT;
ALTER TABLE beneficiaries ADD COLUMN old_commune_code TEXT;
ALTER TABLE beneficiaries ADD COLUMN old_split TEXT;
ALTER TABLE training_classes ADD COLUMN old_district_code TEXT;
ALTER TABLE training_classes ADD COLUMN old_commune_code TEXT;
ALTER TABLE training_classes ADD COLUMN old_split TEXT;
ALTER TABLE demo_models ADD COLUMN old_district_code TEXT;
ALTER TABLE demo_models ADD COLUMN old_commune_code TEXT;
ALTER TABLE demo_models ADD COLUMN old_split TEXT;
ALTER TABLE machinery ADD COLUMN old_district_code TEXT;
ALTER TABLE machinery ADD COLUMN old_commune_code TEXT;
ALTER TABLE machinery ADD COLUMN old_split TEXT;
ALTER TABLE trade_fairs ADD COLUMN old_district_code TEXT;
ALTER TABLE trade_fairs ADD COLUMN old_commune_code TEXT;
ALTER TABLE trade_fairs ADD COLUMN old_split TEXT;
ALTER TABLE awards ADD COLUMN old_district_code TEXT;
ALTER TABLE awards ADD COLUMN old_commune_code TEXT;
ALTER TABLE awards ADD COLUMN old_split TEXT;
ALTER TABLE other_support ADD COLUMN old_district_code TEXT;
ALTER TABLE other_support ADD COLUMN old_commune_code TEXT;
ALTER TABLE other_support ADD COLUMN old_split TEXT;
ALTER TABLE consultants ADD COLUMN old_district_code TEXT;
ALTER TABLE consultants ADD COLUMN old_commune_code TEXT;
ALTER TABLE consultants ADD COLUMN old_split TEXT;
ALTER TABLE consultant_assignments ADD COLUMN old_district_code TEXT;
ALTER TABLE consultant_assignments ADD COLUMN old_commune_code TEXT;
ALTER TABLE consultant_assignments ADD COLUMN old_split TEXT;
ALTER TABLE proposals ADD COLUMN old_district_code TEXT;
ALTER TABLE proposals ADD COLUMN old_commune_code TEXT;
ALTER TABLE proposals ADD COLUMN old_split TEXT;
ALTER TABLE figures ADD COLUMN old_district_code TEXT;
ALTER TABLE figures ADD COLUMN old_commune_code TEXT;
ALTER TABLE figures ADD COLUMN old_split TEXT;
ALTER TABLE products ADD COLUMN old_district_code TEXT;
ALTER TABLE products ADD COLUMN old_commune_code TEXT;
ALTER TABLE products ADD COLUMN old_split TEXT;
ALTER TABLE lots ADD COLUMN old_district_code TEXT;
ALTER TABLE lots ADD COLUMN old_commune_code TEXT;
ALTER TABLE lots ADD COLUMN old_split TEXT;
ALTER TABLE lot_events ADD COLUMN old_district_code TEXT;
ALTER TABLE lot_events ADD COLUMN old_commune_code TEXT;
ALTER TABLE lot_events ADD COLUMN old_split TEXT;
ALTER TABLE plans ADD COLUMN old_unit_id BIGINT REFERENCES units(id);
ALTER TABLE projects ADD COLUMN old_unit_id BIGINT REFERENCES units(id);
ALTER TABLE training_classes ADD COLUMN old_unit_id BIGINT REFERENCES units(id);
ALTER TABLE demo_models ADD COLUMN old_unit_id BIGINT REFERENCES units(id);
ALTER TABLE machinery ADD COLUMN old_unit_id BIGINT REFERENCES units(id);
ALTER TABLE trade_fairs ADD COLUMN old_unit_id BIGINT REFERENCES units(id);
ALTER TABLE awards ADD COLUMN old_unit_id BIGINT REFERENCES units(id);
ALTER TABLE other_support ADD COLUMN old_unit_id BIGINT REFERENCES units(id);
ALTER TABLE proposals ADD COLUMN old_unit_id BIGINT REFERENCES units(id);
-- Records stored before this migration get their old units once, on the next
-- opening of the database (record_upkeep, model/record.h): the attribution
-- needs the succession table, which SQL here cannot walk portably.
CREATE TABLE upkeep (
  task TEXT PRIMARY KEY
);
INSERT INTO upkeep (task) VALUES ('old_units');
