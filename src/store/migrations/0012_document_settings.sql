-- 0012: what the periodic report needs to be an administrative document
-- (Decree 30/2020/NĐ-CP): per province (its two-digit code of today) or for
-- the ministry ('national'), the issuing body, the symbol, the place, the
-- recipients and the signer. One row per field that differs from the
-- default (model/letterhead.c lists the fields and their defaults).
CREATE TABLE document_settings (
  scope TEXT NOT NULL,
  field TEXT NOT NULL,
  value TEXT NOT NULL,
  updated_at TEXT NOT NULL,
  PRIMARY KEY (scope, field)
);
