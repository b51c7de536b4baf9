-- PostgreSQL twin of sqlite/migrations/0001_foundation.sql: the same tables,
-- numbered the same, so "schema version N" means one thing on both backends.
-- Timestamps are BIGINT milliseconds since the epoch, like SQLite's INTEGER.
-- Keys and anything listed in order use COLLATE "C": byte order, the same as
-- SQLite's BINARY, so pages, cursors and paths sort identically on both.

-- Companies: partners and customers in one tree. path is the '/'-joined ids
-- from the root down to the company itself, so a subtree is a prefix match.
CREATE TABLE companies (
  id             TEXT COLLATE "C" PRIMARY KEY,
  name           TEXT NOT NULL,
  type           TEXT NOT NULL CHECK (type IN ('partner', 'customer')),
  parent_id      TEXT COLLATE "C" REFERENCES companies(id),
  path           TEXT COLLATE "C" NOT NULL,
  registered_at  BIGINT NOT NULL,
  -- NULL while active. An instant, not a flag: recomputing a month from
  -- before the inactivation must give the same bill as before.
  inactive_since BIGINT,
  -- The MSP's own id for the company (PSA / accounting), optional.
  external_id    TEXT
);
CREATE INDEX companies_parent ON companies(parent_id);
CREATE INDEX companies_path ON companies(path);
CREATE INDEX companies_name ON companies(name);

-- Keys and tokens are stored as SHA-256 hashes only; the clear value is shown once.
CREATE TABLE api_keys (
  id         TEXT COLLATE "C" PRIMARY KEY,
  key_hash   TEXT NOT NULL UNIQUE,
  label      TEXT NOT NULL,
  company_id TEXT COLLATE "C" REFERENCES companies(id),
  read_only  BOOLEAN NOT NULL DEFAULT false,
  created_at BIGINT NOT NULL,
  revoked_at BIGINT
);

CREATE TABLE enrolment_tokens (
  id         TEXT COLLATE "C" PRIMARY KEY,
  token_hash TEXT NOT NULL UNIQUE,
  company_id TEXT COLLATE "C" NOT NULL REFERENCES companies(id),
  created_at BIGINT NOT NULL,
  expires_at BIGINT,
  revoked_at BIGINT
);

CREATE TABLE devices (
  id             TEXT COLLATE "C" PRIMARY KEY,
  company_id     TEXT COLLATE "C" NOT NULL REFERENCES companies(id),
  key_hash       TEXT NOT NULL UNIQUE,
  instance_id    TEXT NOT NULL,
  hostname       TEXT NOT NULL,
  agent_version  TEXT NOT NULL,
  -- The agent's last reported facts, kept verbatim (TEXT, not JSONB: JSONB
  -- refuses the \u0000 escape an agent string may carry).
  facts_json     TEXT,
  enrolled_at    BIGINT NOT NULL,
  last_seen_at   BIGINT,
  -- Set by the agent's "uninstalled" event: the device stays visible, unbilled from then on.
  uninstalled_at BIGINT
);
CREATE INDEX devices_company ON devices(company_id);

-- Device-day facts: the unit everything monthly is computed from. The owning
-- company is recorded at ingest time, so a device that moves keeps its history.
CREATE TABLE device_days (
  device_id     TEXT COLLATE "C" NOT NULL REFERENCES devices(id),
  utc_day       INTEGER NOT NULL,
  company_id    TEXT COLLATE "C" NOT NULL REFERENCES companies(id),
  -- Never above a day's length, whatever concurrent ingests add up to.
  awake_seconds INTEGER NOT NULL CHECK (awake_seconds BETWEEN 0 AND 86400),
  first_at      BIGINT NOT NULL,
  last_at       BIGINT NOT NULL,
  PRIMARY KEY (device_id, utc_day)
);
CREATE INDEX device_days_day ON device_days(utc_day);

-- Dedupe marks: one per record still in the agent's window. Receipts below
-- the agent's reported floor are settled and deleted; the floor remembers
-- them, so storage stays bounded by what is in flight.
CREATE TABLE receipts (
  device_id TEXT COLLATE "C" NOT NULL,
  stream    TEXT COLLATE "C" NOT NULL,
  seq       BIGINT NOT NULL,
  PRIMARY KEY (device_id, stream, seq)
);

CREATE TABLE stream_floors (
  device_id TEXT COLLATE "C" NOT NULL,
  stream    TEXT COLLATE "C" NOT NULL,
  floor     BIGINT NOT NULL,
  PRIMARY KEY (device_id, stream)
);

-- Agent events (uninstalled, module changes, sign-ins), deduplicated by
-- (device, stream, seq).
CREATE TABLE device_events (
  device_id   TEXT COLLATE "C" NOT NULL REFERENCES devices(id),
  stream      TEXT COLLATE "C" NOT NULL,
  seq         BIGINT NOT NULL,
  occurred_at BIGINT NOT NULL,
  kind        TEXT NOT NULL,
  payload     TEXT NOT NULL,
  received_at BIGINT NOT NULL,
  PRIMARY KEY (device_id, stream, seq)
);
