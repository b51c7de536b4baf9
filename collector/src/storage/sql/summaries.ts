// Device-month summaries (issue 22): one row per (device, month) holding the
// aggregates of that device's device-day rows of the month, so an open month
// is read one row per device (billing/device-month-summary.ts says what each
// column means and when the core may use it instead of the rows).
//
// Every writer of device_days keeps the summaries of the (device, month)
// pairs it touched inside its own transaction. Most recompute them from the
// device's rows of the month with one statement (an upsert; ingest's group
// commit on PostgreSQL, a device move, a merge) and the migration does so for
// every pair at once; recomputing reads the device's few rows of the month
// through the device_days primary key (device_id, utc_day). SQLite ingest's
// fast path patches them instead, one delta statement per (device, month)
// (sqlite/agents.ts), and recomputes what it cannot patch.
//
// Plain aggregates only (count, sum, max, the union of modules, the last
// row with awake time): whether a day counts, what is billed and where is the
// core's (deviceMonthOfSummary).
import type { Kysely } from 'kysely';
import { monthOfDay } from '../../billing/index.ts';
import { CompiledQuery } from './kysely.ts';
import type { Database } from './schema.ts';

export const SUMMARY_COLUMNS = ['month_day', 'device_id', 'company_id', 'active_days', 'awake_seconds', 'last_active_day', 'modules', 'vcs_platforms',
  'l_company_id', 'l_virtual', 'l_role', 'l_platform', 'l_modules', 'l_im_tier', 'l_user_id', 'l_ownership', 'l_awake'] as const;

type Backend = 'sqlite' | 'postgres';

/** The first day of the month of `day` (a utc_day expression), and the first day of the next month. */
function monthBounds(backend: Backend, day: string): { from: string; to: string } {
  if (backend === 'sqlite') {
    const start = (extra: string) => `CAST(julianday(date(${day} * 86400, 'unixepoch', 'start of month'${extra})) - 2440587.5 AS INTEGER)`;
    return { from: start(''), to: start(", '+1 month'") };
  }
  const start = `date_trunc('month', (DATE '1970-01-01' + ${day}::integer)::timestamp)`;
  return { from: `(${start}::date - DATE '1970-01-01')`, to: `((${start} + interval '1 month')::date - DATE '1970-01-01')` };
}

/**
 * The INSERT of the summaries of the groups `agg` yields. `agg` is a query
 * (alias agg) with device_id, from_day, to_day, company_id, active_days,
 * awake_seconds, last_active_day, one_modules (the modules when every active
 * row has the same, else NULL) and any_vcs (some active row virtual with
 * Central Scan).
 */
function insertFrom(backend: Backend, agg: string): string {
  const pg = backend === 'postgres';
  const rowsOf = `x.device_id = agg.device_id AND x.utc_day >= agg.from_day AND x.utc_day < agg.to_day AND x.awake_seconds > 0`;
  // The union only where the active rows differ (rare: a module installed during the month).
  const modules = pg
    ? `COALESCE(agg.one_modules, ARRAY(SELECT DISTINCT m COLLATE "C" FROM device_days x, unnest(x.modules) AS m WHERE ${rowsOf} ORDER BY 1))`
    : `COALESCE(agg.one_modules, (SELECT json_group_array(m) FROM (SELECT DISTINCT j.value AS m FROM device_days x, json_each(x.modules) j WHERE ${rowsOf} ORDER BY 1)))`;
  const vcs = pg
    ? `CASE WHEN agg.any_vcs THEN ARRAY(SELECT DISTINCT COALESCE(x.platform, '') COLLATE "C" FROM device_days x WHERE ${rowsOf} AND x.virtual AND 'central_scan' = ANY(x.modules) ORDER BY 1) ELSE '{}'::text[] END`
    : `CASE WHEN agg.any_vcs THEN (SELECT json_group_array(p) FROM (SELECT DISTINCT COALESCE(x.platform, '') AS p FROM device_days x WHERE ${rowsOf} AND x.virtual = 1 AND instr(x.modules, '"central_scan"') > 0 ORDER BY 1)) ELSE '[]' END`;
  return `INSERT INTO device_month_summaries (${SUMMARY_COLUMNS.join(', ')})
    SELECT agg.from_day, agg.device_id, agg.company_id, agg.active_days, agg.awake_seconds, agg.last_active_day, ${modules}, ${vcs},
      l.company_id, l.virtual, l.role, l.platform, l.modules, l.im_tier, l.user_id, l.ownership, l.awake_seconds
    FROM ${agg} LEFT JOIN device_days l ON l.device_id = agg.device_id AND l.utc_day = agg.last_active_day
    WHERE true
    ON CONFLICT (month_day, device_id) DO UPDATE SET ${SUMMARY_COLUMNS.slice(2).map((c) => `${c} = excluded.${c}`).join(', ')}`;
}

/** The aggregate columns over device_days `dd` (grouped by the caller). */
function aggregates(backend: Backend): string {
  const pg = backend === 'postgres';
  const active = 'dd.awake_seconds > 0';
  return `CASE WHEN MIN(dd.company_id) = MAX(dd.company_id) THEN MIN(dd.company_id) END AS company_id,
    ${pg ? `COUNT(*) FILTER (WHERE ${active})` : `SUM(${active})`} AS active_days,
    SUM(dd.awake_seconds) AS awake_seconds,
    MAX(CASE WHEN ${active} THEN dd.utc_day END) AS last_active_day,
    CASE WHEN MIN(CASE WHEN ${active} THEN dd.modules END) = MAX(CASE WHEN ${active} THEN dd.modules END) THEN MIN(CASE WHEN ${active} THEN dd.modules END) END AS one_modules,
    ${pg ? `COALESCE(bool_or(${active} AND dd.virtual AND 'central_scan' = ANY(dd.modules)), false)`
    : `COALESCE(MAX(${active} AND dd.virtual = 1 AND instr(dd.modules, '"central_scan"') > 0), 0)`} AS any_vcs`;
}

/** Every summary from every device-day row: the migration's backfill (and the bench generator's). */
export function rebuildAllStatements(backend: Backend): string[] {
  const { from, to } = monthBounds(backend, 'dd.utc_day');
  // Grouped in the primary key's order: each device's rows are one run, its months consecutive.
  const agg = `(SELECT dd.device_id AS device_id, ${from} AS from_day, MIN(${to}) AS to_day, ${aggregates(backend)}
      FROM device_days dd GROUP BY dd.device_id, ${from}) agg`;
  return ['DELETE FROM device_month_summaries', insertFrom(backend, agg)];
}

/**
 * The statement that recomputes the summaries of some (device, month) pairs
 * that have rows (an upsert: every writer of device_days adds or changes
 * rows of the pairs it names; a merge removes the duplicate's own with
 * removeSummaries), with its parameters: SQLite takes one JSON array of
 * [device, fromDay, toDay] as `?`; PostgreSQL three arrays as $1..$3.
 */
export function recomputeStatement(backend: Backend): string {
  const pairs = backend === 'postgres'
    ? 'SELECT * FROM unnest($1::text[], $2::integer[], $3::integer[]) AS p(device_id, from_day, to_day)'
    : `SELECT json_extract(value, '$[0]') AS device_id, json_extract(value, '$[1]') AS from_day, json_extract(value, '$[2]') AS to_day FROM json_each(?)`;
  const agg = `(SELECT p.device_id AS device_id, p.from_day AS from_day, p.to_day AS to_day, ${aggregates(backend)}
      FROM (${pairs}) p JOIN device_days dd ON dd.device_id = p.device_id AND dd.utc_day >= p.from_day AND dd.utc_day < p.to_day
      GROUP BY p.device_id, p.from_day, p.to_day) agg`;
  return insertFrom(backend, agg);
}

/** (device, month) pairs as [deviceId, fromDay, toDay], one per month the days fall in. */
export function monthPairs(deviceDays: Iterable<[string, number]>): [string, number, number][] {
  const seen = new Map<string, [string, number, number]>();
  for (const [deviceId, utcDay] of deviceDays) {
    const month = monthOfDay(utcDay);
    const key = `${deviceId}\n${month.firstDay}`;
    if (!seen.has(key)) seen.set(key, [deviceId, month.firstDay, month.endDay]);
  }
  return [...seen.values()];
}

/** Recomputes the summaries of the pairs with the shared stores' Kysely (moves, merges), inside the caller's transaction. */
export async function recomputeSummaries(db: Kysely<Database>, backend: Backend, pairs: readonly [string, number, number][]): Promise<void> {
  if (pairs.length === 0) return;
  const params: unknown[] = backend === 'postgres'
    ? [pairs.map((p) => p[0]), pairs.map((p) => p[1]), pairs.map((p) => p[2])]
    : [JSON.stringify(pairs)];
  await db.executeQuery(CompiledQuery.raw(recomputeStatement(backend), params));
}

/** Removes the summaries of (device, month) pairs left without rows (a merged duplicate's), one primary-key delete each. */
export async function removeSummaries(db: Kysely<Database>, pairs: readonly [string, number, number][]): Promise<void> {
  for (const [deviceId, monthDay] of pairs) await db.deleteFrom('device_month_summaries').where('month_day', '=', monthDay).where('device_id', '=', deviceId).execute();
}
