-- 0027: files attached to a record (a project's decisions and minutes, a
-- plan's approval, an establishment's papers) or to a periodic report (the
-- signed letter), as binary in the database: parent names the collection
-- ("projects", "plans", "establishments", "submissions") and parent_id the
-- row. The type is read from the content (model/attachment.c); name is only
-- text; sha256 is of data. {{BLOB}} is SQLite's BLOB, PostgreSQL's BYTEA.
CREATE TABLE attachments (
  id {{ID}},
  parent TEXT NOT NULL,
  parent_id BIGINT NOT NULL,
  name TEXT NOT NULL,
  content_type TEXT NOT NULL,
  bytes BIGINT NOT NULL,
  sha256 TEXT NOT NULL,
  created_at TEXT NOT NULL,
  username TEXT NOT NULL,
  data {{BLOB}} NOT NULL
);
CREATE INDEX attachments_parent ON attachments(parent, parent_id, id);
