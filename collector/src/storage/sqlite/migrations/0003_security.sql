-- Clone detection: the hardware a device key was last presented from, and
-- when the key was caught on two machines at once.
ALTER TABLE devices ADD COLUMN hw_fingerprint TEXT;
ALTER TABLE devices ADD COLUMN clone_suspected_at INTEGER;
ALTER TABLE devices ADD COLUMN clone_refusals INTEGER NOT NULL DEFAULT 0;

-- Who changed what, and when: subscriptions, keys, tokens, companies, months.
CREATE TABLE audit_log (
  id          INTEGER PRIMARY KEY AUTOINCREMENT,
  at          INTEGER NOT NULL,
  -- The API key that acted (its id, never the secret), or 'cli' for local commands.
  actor       TEXT NOT NULL,
  action      TEXT NOT NULL,
  target_type TEXT NOT NULL,
  target_id   TEXT NOT NULL,
  -- The company the change concerns, for scoping reads; NULL: installation-wide.
  company_id  TEXT,
  details     TEXT NOT NULL
);
CREATE INDEX audit_log_company ON audit_log(company_id, id);
