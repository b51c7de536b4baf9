-- PostgreSQL twin of sqlite/migrations/0003_security.sql.
-- Clone detection: the hardware a device key was last presented from, and
-- when the key was caught on two machines at once.
ALTER TABLE devices
  ADD COLUMN hw_fingerprint TEXT,
  ADD COLUMN clone_suspected_at BIGINT,
  ADD COLUMN clone_refusals INTEGER NOT NULL DEFAULT 0;

-- Who changed what, and when: subscriptions, keys, tokens, companies, months.
CREATE TABLE audit_log (
  id          BIGINT GENERATED ALWAYS AS IDENTITY PRIMARY KEY,
  at          BIGINT NOT NULL,
  -- The API key that acted (its id, never the secret), or 'cli' for local commands.
  actor       TEXT NOT NULL,
  action      TEXT NOT NULL,
  target_type TEXT NOT NULL,
  target_id   TEXT NOT NULL,
  -- The company the change concerns, for scoping reads; NULL: installation-wide.
  company_id  TEXT COLLATE "C",
  -- JSON text (see devices.facts_json for why not JSONB).
  details     TEXT NOT NULL
);
CREATE INDEX audit_log_company ON audit_log(company_id, id);
