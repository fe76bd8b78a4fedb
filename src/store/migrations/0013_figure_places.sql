-- 0013: a reported figure's place may be the nation (VN) or one of the six
-- socio-economic regions (R1..R6), which are no administrative units: their
-- code is kept here and unit_id stays empty (docs/units.md, model/place.h).
-- A figure of an old district keeps the district in unit_id as before.
ALTER TABLE figures ADD COLUMN place_code TEXT;
CREATE INDEX figures_place_code ON figures(place_code);
