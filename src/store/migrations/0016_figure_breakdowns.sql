-- 0016: a reported figure carries the breakdowns its source gives (issue 16):
-- the funding source (national / local / counterpart / other) and the kind of
-- establishment, beside its content type. They are part of its identity: "15
-- local projects" and "2 national projects" of one province and year are two
-- figures. An empty breakdown means the figure covers every value of it.
ALTER TABLE figures ADD COLUMN funding TEXT;
ALTER TABLE figures ADD COLUMN establishment_kind TEXT;
CREATE INDEX figures_cell ON figures(indicator, province_code, period_from);
