-- 0005: village yearly figures can be marked illustrative like the other
-- detailed records, so demo examples never move a statistic.
ALTER TABLE village_years ADD COLUMN illustrative BIGINT;
CREATE INDEX village_years_illustrative ON village_years(illustrative);
