-- 0031: comments per section when the ministry returns a submission (issue
-- 14, docs/reporting.md): each belongs to the step (event) that returned it
-- and names a section of the report as it was last sent. Only ever inserted,
-- like the events themselves.
CREATE TABLE submission_section_notes (
  id {{ID}},
  event_id BIGINT NOT NULL REFERENCES submission_events(id),
  section TEXT NOT NULL,
  note TEXT NOT NULL
);
CREATE INDEX submission_section_notes_event ON submission_section_notes(event_id, id);
-- An attached file removed by someone allowed to change its parent is kept,
-- marked with when and by whom (the audit row names it too): lists,
-- downloads and `export --all` leave it out, backups keep it.
ALTER TABLE attachments ADD COLUMN removed_at TEXT;
ALTER TABLE attachments ADD COLUMN removed_by TEXT;
