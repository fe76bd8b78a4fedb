-- 0022: a reported figure may be the total of its groups (issue 16). "Tổng"
-- (scope 'total') marks it: the figures of its place and period that name a
-- breakdown it leaves empty are its parts, and what they leave of it is
-- "khác / chưa phân loại". Without it a figure is one part among the others.
ALTER TABLE figures ADD COLUMN scope TEXT;
