-- 0019: an establishment's proposal as an exchange. A proposal gets its
-- reference (ĐX-YEAR-NNNN) and the date it was first sent; every message of
-- either side is kept in proposal_messages (a status change with its note, or
-- a reply), not only the department's latest comment (review_note stays the
-- latest for lists). notifications are the in-app notices of an account (a
-- status change, a message); read_at marks them read. product_photos keep the
-- photo as sent (original_*) when the shown photo is a resized copy.
ALTER TABLE proposals ADD COLUMN reference TEXT;
ALTER TABLE proposals ADD COLUMN submitted_on TEXT;
CREATE TABLE proposal_messages (
  id {{ID}},
  proposal_id BIGINT NOT NULL REFERENCES proposals(id),
  created_at TEXT NOT NULL,
  username TEXT NOT NULL,
  side TEXT NOT NULL CHECK (side IN ('establishment', 'department')),
  status TEXT,
  body TEXT NOT NULL DEFAULT ''
);
CREATE INDEX proposal_messages_proposal ON proposal_messages(proposal_id, id);
CREATE TABLE notifications (
  id {{ID}},
  user_id BIGINT NOT NULL REFERENCES users(id),
  created_at TEXT NOT NULL,
  message TEXT NOT NULL,
  link TEXT NOT NULL,
  read_at TEXT
);
CREATE INDEX notifications_user ON notifications(user_id, read_at);
ALTER TABLE product_photos ADD COLUMN original_type TEXT;
ALTER TABLE product_photos ADD COLUMN original_bytes BIGINT;
ALTER TABLE product_photos ADD COLUMN original_data TEXT;
-- The files sent with a proposal (quotations, licences): kept in the
-- database like product photos, the type read from the content.
CREATE TABLE proposal_files (
  id {{ID}},
  proposal_id BIGINT NOT NULL REFERENCES proposals(id),
  created_at TEXT NOT NULL,
  username TEXT NOT NULL,
  side TEXT NOT NULL CHECK (side IN ('establishment', 'department')),
  name TEXT NOT NULL,
  content_type TEXT NOT NULL,
  bytes BIGINT NOT NULL,
  sha256 TEXT NOT NULL,
  data TEXT NOT NULL
);
CREATE INDEX proposal_files_proposal ON proposal_files(proposal_id, id);
