-- PostgreSQL twin of sqlite/migrations/0002_billing.sql. What the billing
-- core needs beyond seconds: device attributes per day, users and groups,
-- subscription history, XDR sensors, and month closing.

-- The device's current attributes, from its latest hello/inventory. Copied
-- onto each device-day row at ingest, so a month is billed with what the
-- device was that day, not with what it is now.
ALTER TABLE devices
  ADD COLUMN virtual BOOLEAN,
  ADD COLUMN role TEXT,
  ADD COLUMN platform TEXT,
  -- Sorted module names (byte order).
  ADD COLUMN modules TEXT[] NOT NULL DEFAULT '{}',
  ADD COLUMN im_tier TEXT,
  ADD COLUMN ownership TEXT,
  -- The user from the agent's bindings (primary user), and an admin's override.
  ADD COLUMN reported_user_id TEXT COLLATE "C",
  ADD COLUMN assigned_user_id TEXT COLLATE "C",
  ADD COLUMN user_assigned BOOLEAN NOT NULL DEFAULT false;

ALTER TABLE device_days
  ADD COLUMN virtual BOOLEAN,
  ADD COLUMN role TEXT,
  ADD COLUMN platform TEXT,
  -- Module names present that day (union over the day's reports), sorted.
  ADD COLUMN modules TEXT[] NOT NULL DEFAULT '{}',
  ADD COLUMN im_tier TEXT,
  ADD COLUMN user_id TEXT COLLATE "C",
  ADD COLUMN ownership TEXT;

CREATE TABLE users (
  id             TEXT COLLATE "C" PRIMARY KEY,
  company_id     TEXT COLLATE "C" NOT NULL REFERENCES companies(id),
  -- Stable id: SID, UPN or uid@domain. Never a display name.
  external_id    TEXT COLLATE "C" NOT NULL,
  display_name   TEXT,
  created_at     BIGINT NOT NULL,
  last_active_at BIGINT,
  UNIQUE (company_id, external_id)
);

CREATE TABLE user_groups (
  id         TEXT COLLATE "C" PRIMARY KEY,
  company_id TEXT COLLATE "C" NOT NULL REFERENCES companies(id),
  name       TEXT COLLATE "C" NOT NULL,
  created_at BIGINT NOT NULL,
  UNIQUE (company_id, name)
);

CREATE TABLE user_group_members (
  group_id TEXT COLLATE "C" NOT NULL REFERENCES user_groups(id),
  user_id  TEXT COLLATE "C" NOT NULL REFERENCES users(id),
  added_at BIGINT NOT NULL,
  PRIMARY KEY (group_id, user_id)
);
CREATE INDEX user_group_members_user ON user_group_members(user_id);

-- Effective-dated subscription history: a change is a new version, never an
-- edit, so a past month is always billed with the terms it had. terms is the
-- JSON text as written (not JSONB, which would reorder its keys).
CREATE TABLE subscription_versions (
  subscription_id TEXT COLLATE "C" NOT NULL,
  version         INTEGER NOT NULL,
  company_id      TEXT COLLATE "C" NOT NULL REFERENCES companies(id),
  effective_from  BIGINT NOT NULL,
  effective_until BIGINT,
  terms           TEXT NOT NULL,
  created_at      BIGINT NOT NULL,
  PRIMARY KEY (subscription_id, version)
);
CREATE INDEX subscription_versions_company ON subscription_versions(company_id);

CREATE TABLE xdr_deployments (
  company_id  TEXT COLLATE "C" NOT NULL REFERENCES companies(id),
  month       TEXT COLLATE "C" NOT NULL,
  category    TEXT NOT NULL,
  recorded_at BIGINT NOT NULL,
  PRIMARY KEY (company_id, month, category)
);

-- A finalized month: immutable. snapshot is gzip'd JSON of every report. The
-- primary key is what makes finalization safe with several collectors: two
-- that race to finalize insert the same month, exactly one commits.
CREATE TABLE finalized_months (
  month        TEXT COLLATE "C" PRIMARY KEY,
  finalized_at BIGINT NOT NULL,
  hash         TEXT NOT NULL,
  snapshot     BYTEA NOT NULL
);

CREATE TABLE month_adjustments (
  id          BIGINT GENERATED ALWAYS AS IDENTITY PRIMARY KEY,
  month       TEXT COLLATE "C" NOT NULL REFERENCES finalized_months(month),
  created_at  BIGINT NOT NULL,
  hash_before TEXT NOT NULL,
  hash_after  TEXT NOT NULL,
  lines       TEXT NOT NULL,
  snapshot    BYTEA NOT NULL
);
CREATE INDEX month_adjustments_month ON month_adjustments(month, id);

-- Finalized months that received late data since their last snapshot.
CREATE TABLE months_with_late_data (
  month TEXT COLLATE "C" PRIMARY KEY,
  since BIGINT NOT NULL
);

-- Usage for finalized months beyond the adjustment window: recorded, not billed.
CREATE TABLE unbilled_late_usage (
  device_id     TEXT COLLATE "C" NOT NULL,
  stream        TEXT COLLATE "C" NOT NULL,
  seq           BIGINT NOT NULL,
  utc_day       INTEGER NOT NULL,
  awake_seconds INTEGER NOT NULL,
  received_at   BIGINT NOT NULL,
  PRIMARY KEY (device_id, stream, seq)
);
