-- 0020: support caps become records a province keeps itself. Besides the
-- national caps (Circular 28/2018/TT-BTC, no province), each province sets
-- the levels of its local khuyến công funds by a resolution of its People's
-- Council: a row of source 'local' with the province's code of today, its
-- validity and the resolution in legal_basis. The table gets the columns
-- every record type has (version, times, scope, search key; model/record.c),
-- so caps are read, written, audited and scoped like any record.
ALTER TABLE support_caps ADD COLUMN version INTEGER NOT NULL DEFAULT 1;
ALTER TABLE support_caps ADD COLUMN created_at TEXT NOT NULL DEFAULT '';
ALTER TABLE support_caps ADD COLUMN updated_at TEXT NOT NULL DEFAULT '';
ALTER TABLE support_caps ADD COLUMN province_code TEXT;
ALTER TABLE support_caps ADD COLUMN old_province_code TEXT;
ALTER TABLE support_caps ADD COLUMN old_district_code TEXT;
ALTER TABLE support_caps ADD COLUMN old_commune_code TEXT;
ALTER TABLE support_caps ADD COLUMN old_split TEXT;
ALTER TABLE support_caps ADD COLUMN search_key TEXT NOT NULL DEFAULT '';
ALTER TABLE support_caps ADD COLUMN province TEXT;
ALTER TABLE support_caps ADD COLUMN note TEXT;
-- The two national caps seeded by 0004: when they took effect, and the key
-- a search finds them by (model/record.c folds the legal basis the same way).
UPDATE support_caps SET created_at = valid_from || 'T00:00:00Z', updated_at = valid_from || 'T00:00:00Z',
  search_key = 'thong tu 28/2018/tt-btc'
 WHERE created_at = '';
CREATE INDEX support_caps_province ON support_caps(province_code, source, content_type);
