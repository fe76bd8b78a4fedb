-- 0017: hardening (issue 11).
--
-- The natural keys an import looks rows up by (src/io/import_formats.c) get
-- an index each where none led with all their columns: establishments and
-- craft villages without a tax code are found by name within their commune,
-- and with only the commune indexed every row scanned the commune's earlier
-- rows (a file of one commune took quadratic time).
CREATE INDEX establishments_commune_name ON establishments(commune_id, name);
CREATE INDEX villages_commune_name ON villages(commune_id, name);

-- Failed logins are kept as one row per (address, account) with a count
-- instead of one row per attempt, so that a client guessing from one
-- address cannot grow the database (src/model/session.c): failures counts
-- the attempts whose password was checked, refused those turned away while
-- throttled (the row of username '' holds an address's refused attempts
-- with names it has not failed with).
DROP TABLE login_failures;
CREATE TABLE login_failures (
  username TEXT NOT NULL,
  addr TEXT NOT NULL,
  failures BIGINT NOT NULL,
  refused BIGINT NOT NULL,
  last_at BIGINT NOT NULL,
  PRIMARY KEY (username, addr)
);
CREATE INDEX login_failures_addr ON login_failures(addr, last_at);
