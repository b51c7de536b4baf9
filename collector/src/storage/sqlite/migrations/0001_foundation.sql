-- Companies: partners and customers in one tree. path is the '/'-joined ids
-- from the root down to the company itself, so a subtree is a prefix match.
CREATE TABLE companies (
  id            TEXT PRIMARY KEY,
  name          TEXT NOT NULL,
  type          TEXT NOT NULL CHECK (type IN ('partner', 'customer')),
  parent_id     TEXT REFERENCES companies(id),
  path          TEXT NOT NULL,
  registered_at INTEGER NOT NULL,
  -- NULL while active. An instant, not a flag: recomputing a month from
  -- before the inactivation must give the same bill as before.
  inactive_since INTEGER,
  -- The MSP's own id for the company (PSA / accounting), optional.
  external_id   TEXT
);
CREATE INDEX companies_parent ON companies(parent_id);
CREATE INDEX companies_path ON companies(path);

-- Keys and tokens are stored as SHA-256 hashes only; the clear value is shown once.
CREATE TABLE api_keys (
  id         TEXT PRIMARY KEY,
  key_hash   TEXT NOT NULL UNIQUE,
  label      TEXT NOT NULL,
  company_id TEXT REFERENCES companies(id),
  read_only  INTEGER NOT NULL DEFAULT 0,
  created_at INTEGER NOT NULL,
  revoked_at INTEGER
);

CREATE TABLE enrolment_tokens (
  id         TEXT PRIMARY KEY,
  token_hash TEXT NOT NULL UNIQUE,
  company_id TEXT NOT NULL REFERENCES companies(id),
  created_at INTEGER NOT NULL,
  expires_at INTEGER,
  revoked_at INTEGER
);

CREATE TABLE devices (
  id            TEXT PRIMARY KEY,
  company_id    TEXT NOT NULL REFERENCES companies(id),
  key_hash      TEXT NOT NULL UNIQUE,
  instance_id   TEXT NOT NULL,
  hostname      TEXT NOT NULL,
  agent_version TEXT NOT NULL,
  facts_json    TEXT,
  enrolled_at   INTEGER NOT NULL,
  last_seen_at  INTEGER,
  -- Set by the agent's "uninstalled" event: the device stays visible, unbilled from then on.
  uninstalled_at INTEGER
);
CREATE INDEX devices_company ON devices(company_id);

-- Device-day facts: the unit everything monthly is computed from. The owning
-- company is recorded at ingest time, so a device that moves keeps its history.
CREATE TABLE device_days (
  device_id     TEXT NOT NULL REFERENCES devices(id),
  utc_day       INTEGER NOT NULL,
  company_id    TEXT NOT NULL REFERENCES companies(id),
  awake_seconds INTEGER NOT NULL,
  first_at      INTEGER NOT NULL,
  last_at       INTEGER NOT NULL,
  PRIMARY KEY (device_id, utc_day)
) WITHOUT ROWID;
CREATE INDEX device_days_day ON device_days(utc_day);

-- Dedupe marks: one per record still in the agent's window. Receipts below
-- the agent's reported floor are settled and deleted; the floor remembers
-- them, so storage stays bounded by what is in flight.
CREATE TABLE receipts (
  device_id TEXT NOT NULL,
  stream    TEXT NOT NULL,
  seq       INTEGER NOT NULL,
  PRIMARY KEY (device_id, stream, seq)
) WITHOUT ROWID;

CREATE TABLE stream_floors (
  device_id TEXT NOT NULL,
  stream    TEXT NOT NULL,
  floor     INTEGER NOT NULL,
  PRIMARY KEY (device_id, stream)
) WITHOUT ROWID;

-- Agent events (uninstalled, module changes, sign-ins), deduplicated by the
-- same receipts as usage records.
CREATE TABLE device_events (
  device_id   TEXT NOT NULL REFERENCES devices(id),
  stream      TEXT NOT NULL,
  seq         INTEGER NOT NULL,
  occurred_at INTEGER NOT NULL,
  kind        TEXT NOT NULL,
  payload     TEXT NOT NULL,
  received_at INTEGER NOT NULL,
  PRIMARY KEY (device_id, stream, seq)
) WITHOUT ROWID;
