-- 0034: product photos (the one shown and the one as sent) and the files of
-- proposals as binary in the database, like attachments (0027): {{BLOB}} is
-- SQLite's BLOB, PostgreSQL's BYTEA, read and written through the store as
-- bytes. They were base64 text (0006, 0019). The text columns are renamed
-- here and the binary ones added; the C step of this migration
-- (store/migrate_steps.c) then decodes every row into its binary column and
-- drops the text ones, in the same transaction: a migration stopped half-way
-- leaves the database as it was.
ALTER TABLE product_photos RENAME COLUMN data TO data_base64;
ALTER TABLE product_photos RENAME COLUMN original_data TO original_base64;
ALTER TABLE product_photos ADD COLUMN data {{BLOB}};
ALTER TABLE product_photos ADD COLUMN original_data {{BLOB}};
ALTER TABLE proposal_files RENAME COLUMN data TO data_base64;
ALTER TABLE proposal_files ADD COLUMN data {{BLOB}};
