-- 0018: the reason a project's national funds exceed a support cap where
-- the law lets it with a justification (a group project's amount per
-- establishment); required by the project's rules, audited like any field.
ALTER TABLE projects ADD COLUMN cap_reason TEXT;
