-- PostgreSQL twin of sqlite/migrations/0004_reports.sql.
-- Generated reports kept for download (the files live in the reports
-- directory; the rows say what they are), and report schedules.
CREATE TABLE report_jobs (
  id           TEXT COLLATE "C" PRIMARY KEY,
  company_id   TEXT COLLATE "C" NOT NULL REFERENCES companies(id),
  -- The API key that asked (or the schedule that ran it).
  requested_by TEXT NOT NULL,
  name         TEXT NOT NULL,
  month        TEXT NOT NULL,
  format       TEXT NOT NULL,
  options      TEXT NOT NULL,
  status       TEXT NOT NULL CHECK (status IN ('pending', 'ready', 'failed')),
  error        TEXT,
  file_name    TEXT,
  size_bytes   BIGINT,
  created_at   BIGINT NOT NULL,
  finished_at  BIGINT
);
CREATE INDEX report_jobs_company ON report_jobs(company_id, created_at);

CREATE TABLE report_schedules (
  id             TEXT COLLATE "C" PRIMARY KEY,
  company_id     TEXT COLLATE "C" NOT NULL REFERENCES companies(id),
  created_by     TEXT NOT NULL,
  name           TEXT NOT NULL,
  format         TEXT NOT NULL,
  options        TEXT NOT NULL,
  -- Runs for the previous month on this day of the month, at this UTC hour.
  day_of_month   INTEGER NOT NULL CHECK (day_of_month BETWEEN 1 AND 28),
  hour_utc       INTEGER NOT NULL CHECK (hour_utc BETWEEN 0 AND 23),
  email_to       TEXT NOT NULL DEFAULT '[]',
  -- 'YYYY-MM' compares in month order in byte order.
  last_run_month TEXT COLLATE "C",
  created_at     BIGINT NOT NULL
);
