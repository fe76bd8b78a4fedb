-- 0002: administrative units before the 2025 reform ('old': 63 provinces,
-- districts, communes) and after it ('new' from 2025-07-01: 34 provinces,
-- communes), their other spellings and the succession old -> new.
-- Filled from the reference data compiled into the binary (data/units/) by
-- unit_load_all(); see docs/units.md and data/units/RECONCILIATION.md.

CREATE TABLE unit_regions (
  id INTEGER PRIMARY KEY,
  name TEXT NOT NULL,
  name_en TEXT NOT NULL
);

-- One row per unit and version: a unit whose name or type changed within its
-- era (Đồng Nai: Tỉnh until 2026-04-29, Thành phố from 2026-04-30) has one
-- row per version; is_current marks the latest one. valid_from of an old
-- unit is the date of the list it comes from (2025-03-01), not its creation.
CREATE TABLE units (
  id {{ID}},
  era TEXT NOT NULL CHECK (era IN ('old', 'new')),
  level TEXT NOT NULL CHECK (level IN ('province', 'district', 'commune')),
  code TEXT NOT NULL,
  name TEXT NOT NULL,
  full_name TEXT NOT NULL,
  name_en TEXT NOT NULL DEFAULT '',
  type_name TEXT NOT NULL,
  province_code TEXT NOT NULL,
  district_code TEXT,
  region_id INTEGER,
  valid_from TEXT NOT NULL,
  valid_to TEXT,
  is_current INTEGER NOT NULL DEFAULT 1,
  new_province_code TEXT,
  fold_key TEXT NOT NULL,
  UNIQUE (era, level, code, valid_from)
);
CREATE INDEX units_code ON units(code, level, era);
CREATE INDEX units_fold ON units(fold_key);
CREATE INDEX units_province ON units(province_code, level);
CREATE INDEX units_new_province ON units(new_province_code, level);
CREATE INDEX units_district ON units(district_code);

-- Other spellings of a unit's name (kind 'name': the 2026-04-30 list's tone
-- placement, the NSO table's spellings) and codes other publications use for
-- it (kind 'code': Xã Ba Chẽ 06970 -> 06978).
CREATE TABLE unit_aliases (
  id {{ID}},
  unit_id BIGINT NOT NULL REFERENCES units(id),
  kind TEXT NOT NULL CHECK (kind IN ('name', 'code')),
  name TEXT NOT NULL,
  fold_key TEXT NOT NULL,
  source TEXT NOT NULL,
  UNIQUE (unit_id, kind, name)
);
CREATE INDEX unit_aliases_fold ON unit_aliases(fold_key);

-- What an old unit became on 2025-07-01, from the NSO conversion table
-- ("Ghi chú" column in note) and the province merger list.
CREATE TABLE unit_succession (
  old_unit_id BIGINT NOT NULL REFERENCES units(id),
  new_unit_id BIGINT NOT NULL REFERENCES units(id),
  kind TEXT NOT NULL CHECK (kind IN ('whole', 'part', 'unchanged', 'part_area',
    'part_area_all_population', 'part_population', 'renamed', 'type_changed')),
  note TEXT NOT NULL DEFAULT '',
  source TEXT NOT NULL,
  PRIMARY KEY (old_unit_id, new_unit_id)
);
CREATE INDEX unit_succession_new ON unit_succession(new_unit_id);

-- What the loader found while reconciling the sources: corrections applied,
-- spellings accepted by code, disagreements and items it could not resolve.
CREATE TABLE unit_notes (
  id {{ID}},
  category TEXT NOT NULL,
  ref TEXT NOT NULL,
  message TEXT NOT NULL
);
CREATE INDEX unit_notes_category ON unit_notes(category);
