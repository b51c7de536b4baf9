-- What the billing core needs beyond seconds: device attributes per day,
-- users and groups, subscription history, XDR sensors, and month closing.

-- The device's current attributes, from its latest hello/inventory. Copied
-- onto each device-day row at ingest, so a month is billed with what the
-- device was that day, not with what it is now.
ALTER TABLE devices ADD COLUMN virtual INTEGER;
ALTER TABLE devices ADD COLUMN role TEXT;
ALTER TABLE devices ADD COLUMN platform TEXT;
ALTER TABLE devices ADD COLUMN modules TEXT NOT NULL DEFAULT '[]';
ALTER TABLE devices ADD COLUMN im_tier TEXT;
ALTER TABLE devices ADD COLUMN ownership TEXT;
-- The user from the agent's bindings (primary user), and an admin's override.
ALTER TABLE devices ADD COLUMN reported_user_id TEXT;
ALTER TABLE devices ADD COLUMN assigned_user_id TEXT;
ALTER TABLE devices ADD COLUMN user_assigned INTEGER NOT NULL DEFAULT 0;

ALTER TABLE device_days ADD COLUMN virtual INTEGER;
ALTER TABLE device_days ADD COLUMN role TEXT;
ALTER TABLE device_days ADD COLUMN platform TEXT;
-- JSON array of module names present that day (union over the day's reports).
ALTER TABLE device_days ADD COLUMN modules TEXT NOT NULL DEFAULT '[]';
ALTER TABLE device_days ADD COLUMN im_tier TEXT;
ALTER TABLE device_days ADD COLUMN user_id TEXT;
ALTER TABLE device_days ADD COLUMN ownership TEXT;

CREATE TABLE users (
  id             TEXT PRIMARY KEY,
  company_id     TEXT NOT NULL REFERENCES companies(id),
  -- Stable id: SID, UPN or uid@domain. Never a display name.
  external_id    TEXT NOT NULL,
  display_name   TEXT,
  created_at     INTEGER NOT NULL,
  last_active_at INTEGER,
  UNIQUE (company_id, external_id)
);

CREATE TABLE user_groups (
  id         TEXT PRIMARY KEY,
  company_id TEXT NOT NULL REFERENCES companies(id),
  name       TEXT NOT NULL,
  created_at INTEGER NOT NULL,
  UNIQUE (company_id, name)
);

CREATE TABLE user_group_members (
  group_id TEXT NOT NULL REFERENCES user_groups(id),
  user_id  TEXT NOT NULL REFERENCES users(id),
  added_at INTEGER NOT NULL,
  PRIMARY KEY (group_id, user_id)
) WITHOUT ROWID;

-- Effective-dated subscription history: a change is a new version, never an
-- edit, so a past month is always billed with the terms it had.
CREATE TABLE subscription_versions (
  subscription_id TEXT NOT NULL,
  version         INTEGER NOT NULL,
  company_id      TEXT NOT NULL REFERENCES companies(id),
  effective_from  INTEGER NOT NULL,
  effective_until INTEGER,
  terms           TEXT NOT NULL,
  created_at      INTEGER NOT NULL,
  PRIMARY KEY (subscription_id, version)
);
CREATE INDEX subscription_versions_company ON subscription_versions(company_id);

CREATE TABLE xdr_deployments (
  company_id  TEXT NOT NULL REFERENCES companies(id),
  month       TEXT NOT NULL,
  category    TEXT NOT NULL,
  recorded_at INTEGER NOT NULL,
  PRIMARY KEY (company_id, month, category)
) WITHOUT ROWID;

-- A finalized month: immutable. snapshot is gzip'd JSON of every report.
CREATE TABLE finalized_months (
  month        TEXT PRIMARY KEY,
  finalized_at INTEGER NOT NULL,
  hash         TEXT NOT NULL,
  snapshot     BLOB NOT NULL
);

CREATE TABLE month_adjustments (
  id          INTEGER PRIMARY KEY AUTOINCREMENT,
  month       TEXT NOT NULL REFERENCES finalized_months(month),
  created_at  INTEGER NOT NULL,
  hash_before TEXT NOT NULL,
  hash_after  TEXT NOT NULL,
  lines       TEXT NOT NULL,
  snapshot    BLOB NOT NULL
);
CREATE INDEX month_adjustments_month ON month_adjustments(month, id);

-- Finalized months that received late data since their last snapshot.
CREATE TABLE months_with_late_data (
  month TEXT PRIMARY KEY,
  since INTEGER NOT NULL
);

-- Usage for finalized months beyond the adjustment window: recorded, not billed.
CREATE TABLE unbilled_late_usage (
  device_id     TEXT NOT NULL,
  stream        TEXT NOT NULL,
  seq           INTEGER NOT NULL,
  utc_day       INTEGER NOT NULL,
  awake_seconds INTEGER NOT NULL,
  received_at   INTEGER NOT NULL,
  PRIMARY KEY (device_id, stream, seq)
) WITHOUT ROWID;
