-- 0012: hardening (issue 11).
--
-- The natural keys an import looks rows up by (src/io/import_formats.c) get
-- an index each where none led with all their columns: establishments and
-- craft villages without a tax code are found by name within their commune,
-- and with only the commune indexed every row scanned the commune's earlier
-- rows (a file of one commune took quadratic time).
CREATE INDEX establishments_commune_name ON establishments(commune_id, name);
CREATE INDEX villages_commune_name ON villages(commune_id, name);
