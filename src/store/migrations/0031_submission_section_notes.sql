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
