-- 0007: files sent to the web import (/import), kept between the dry run and
-- the commit so that any server may continue (src/web/page_import.c). The
-- token is stored only as its hash; meta is JSON (kind, sheet, encoding) and
-- data the file's bytes in base64. Rows older than a day are deleted.

CREATE TABLE import_uploads (
  token_hash TEXT PRIMARY KEY,
  user_id BIGINT NOT NULL,
  created_at BIGINT NOT NULL,
  meta TEXT NOT NULL,
  data TEXT NOT NULL
);
CREATE INDEX import_uploads_created ON import_uploads(created_at);
