-- 0003: the Vietnam Standard Industrial Classification (VSIC), editions 2018
-- (Decision 27/2018/QĐ-TTg; levels 1-2 shipped) and 2025 (Decision
-- 36/2025/QĐ-TTg; levels 1-5). Filled from the reference data compiled into
-- the binary (data/vsic/) by industry_load_all(); see data/vsic/README.md.
-- level: 1 section (a letter), 2 division, 3 group, 4 class, 5 subclass (2-5
-- digits). parent_code is NULL for a section. fold_key is vtext_fold(name).

CREATE TABLE industries (
  edition TEXT NOT NULL CHECK (edition IN ('2018', '2025')),
  code TEXT NOT NULL,
  level INTEGER NOT NULL,
  name TEXT NOT NULL,
  parent_code TEXT,
  fold_key TEXT NOT NULL,
  PRIMARY KEY (edition, code)
);
CREATE INDEX industries_parent ON industries(edition, parent_code);
CREATE INDEX industries_code ON industries(code);
