// Billing reads for a month, and the month closing: finalized snapshots, the
// late-data marks, and the append-only adjustment log, for both backends.
import type { Kysely } from 'kysely';
import { gunzipSync, gzipSync } from 'node:zlib';
import { DAY_MS, parseMonth, treeBefore, type BillingUser, type Company as BillingCompany, type XdrCategory } from '../../billing/index.ts';
import { groupDevicePage, toCompany, toMonthSummaries, toSubscriptionVersion } from '../rows.ts';
import { StorageError, type BillingContext, type BillingStore, type MonthAdjustment, type MonthDevicePageQuery, type MonthSnapshot, type StoredMonthFigures } from '../types.ts';
import { snapshot, statement, writing, type SqlContext } from './context.ts';
import { arrayRows, jsonArray } from './dialect.ts';
import { CompiledQuery } from './kysely.ts';
import { DEVICE_BILLING_INDEX_NAME } from './migrations/0017_device_billing_index.ts';
import { sqlMonthRuns } from './month-runs.ts';
import type { Database } from './schema.ts';

const pack = (s: MonthSnapshot) => gzipSync(Buffer.from(JSON.stringify(s)));
const unpack = (b: Buffer) => JSON.parse(gunzipSync(b).toString('utf8')) as MonthSnapshot;

/**
 * A page of month summaries, read by position (rows.ts toMonthSummaries).
 * What nearly always repeats another column comes as NULL (one string less
 * per row): the device's company now and the last row's company when they
 * are the summary's, the last row's modules when they are the month's, no
 * Central Scan platforms. SQLite names the covering index of migration 0017
 * (its planner prefers the primary key's, which does not cover). `d.id >
 * after` says again what the join implies: PostgreSQL merge-joins the two
 * ranges, and without it reads the devices from the first one on every page
 * (quadratic in the month's devices).
 */
export const summaryPageStatement = (backend: 'sqlite' | 'postgres'): { text: string; params(month: number, after: string, limit: number): unknown[] } => {
  const pg = backend === 'postgres';
  const [p1, p2, p2again, p3] = pg ? ['$1', '$2', '$2', '$3'] : ['?', '?', '?', '?'];
  return { text: summaryPageText(pg, p1, p2, p2again, p3), params: pg ? (month, after, limit) => [month, after, limit] : (month, after, limit) => [month, after, after, limit] };
};

function summaryPageText(pg: boolean, p1: string, p2: string, p2again: string, p3: string): string {
  return `SELECT s.device_id, NULLIF(d.company_id, s.company_id), s.company_id, s.active_days, s.awake_seconds, s.last_active_day, s.modules,
      NULLIF(s.vcs_platforms, ${pg ? "'{}'::text[]" : "'[]'"}), s.l_virtual, s.l_role, s.l_platform,
      CASE WHEN s.l_modules = s.modules THEN NULL ELSE COALESCE(s.l_modules, ${pg ? "'{}'::text[]" : "'[]'"}) END,
      s.l_im_tier, s.l_user_id, s.l_ownership, s.l_awake, d.uninstalled_at, d.retired_at, NULLIF(s.l_company_id, s.company_id)
    FROM device_month_summaries s JOIN devices d${pg ? '' : ` INDEXED BY ${DEVICE_BILLING_INDEX_NAME}`} ON d.id = s.device_id
    WHERE s.month_day = ${p1} AND s.device_id > ${p2} AND d.id > ${p2again} ORDER BY s.device_id LIMIT ${p3}`;
}

/** The select list of a device page, in the order rows.ts groupDevicePage reads it (d: devices, dd: device_days). */
const DEVICE_PAGE_COLUMNS = ['d.id', 'd.company_id', 'd.uninstalled_at', 'dd.company_id', 'dd.utc_day', 'dd.awake_seconds',
  'dd.virtual', 'dd.role', 'dd.platform', 'dd.modules', 'dd.im_tier', 'dd.user_id', 'dd.ownership', 'd.retired_at'] as const;

export function sqlBillingStore(ctx: SqlContext): BillingStore {
  const { dialect } = ctx;
  const summaryPage = summaryPageStatement(dialect.name);

  const contextOf = async (db: Kysely<Database>, month: string): Promise<BillingContext> => {
    const rows = (await db.selectFrom('companies').selectAll().orderBy('path').execute()).map(toCompany);
    const names = new Map(rows.map((c) => [c.id, c.name]));
    // The tree as it stood at the month's end: moves made since are undone (billing/hierarchy.ts treeBefore).
    const monthEndMs = parseMonth(month).endDay * DAY_MS;
    const laterMoves = (await db.selectFrom('company_moves').selectAll().where('moved_at', '>=', monthEndMs).execute())
      .map((m) => ({ companyId: m.company_id, fromParentId: m.from_parent_id, toParentId: m.to_parent_id, atMs: m.moved_at }));
    const tree = laterMoves.length ? treeBefore(rows, laterMoves) : null;
    const companies: BillingCompany[] = rows.map((c) => ({
      id: c.id, name: c.name, type: c.type, parentId: tree ? tree.get(c.id)!.parentId : c.parentId, registeredAtMs: c.registeredAtMs, inactiveSinceMs: c.inactiveSinceMs,
      // The report's Path column shows where the company sits in the tree, by name.
      path: (tree ? tree.get(c.id)!.path : c.path).map((id) => names.get(id) ?? id),
      ...(c.externalId ? { externalId: c.externalId } : {}),
      ...(c.inactivePeriods.length ? { inactivePeriods: c.inactivePeriods } : {}),
    }));
    const users: BillingUser[] = (await db.selectFrom('users as u').select(['u.id', 'u.company_id', dialect.groupIdsOf('u.id').as('group_ids')]).execute())
      .map((u) => ({ userId: u.id, companyId: u.company_id, groupIds: jsonArray(u.group_ids).sort(), primaryDeviceId: null }));
    const subscriptions = (await db.selectFrom('subscription_versions').selectAll().orderBy('subscription_id').orderBy('version').execute())
      .map(toSubscriptionVersion);
    const xdrSensorDeployments = (await db.selectFrom('xdr_deployments').select(['company_id', 'category']).where('month', '=', month).execute())
      .map((x) => ({ companyId: x.company_id, month, category: x.category as XdrCategory }));
    return { companies, subscriptions, xdrSensorDeployments, users };
  };

  /** The month's current hash: its latest adjustment's, else the finalized one; null if not finalized. */
  const currentHash = async (db: Kysely<Database>, month: string): Promise<string | null> => (await db.selectNoFrom((eb) => eb.fn.coalesce(
    eb.selectFrom('month_adjustments').select('hash_after').where('month', '=', month).orderBy('id', 'desc').limit(1),
    eb.selectFrom('finalized_months').select('hash').where('month', '=', month),
  ).as('hash')).executeTakeFirstOrThrow()).hash;

  const clearLate = (db: Kysely<Database>, month: string, lateDataBeforeMs: number) =>
    db.deleteFrom('months_with_late_data').where('month', '=', month).where('since', '<', lateDataBeforeMs).execute();

  return {
    // One snapshot: the companies, subscriptions and users belong together even while other collectors write.
    billingContext: (month: string) => snapshot(ctx, (db) => contextOf(db, month)),
    monthDevicePage: (q: MonthDevicePageQuery) => statement(ctx, async (db) => {
      // A page of devices by id (their primary key), then each device's rows of
      // the range by the device_days primary key (device_id, utc_day): one seek
      // per device, in key order, however many other months the table holds.
      // LEFT JOIN keeps devices without rows, so the page's end is known.
      // Device ids sort in byte order on both backends (PostgreSQL: COLLATE "C").
      const page = db.selectFrom('devices').select(['id', 'company_id', 'uninstalled_at', 'retired_at']).where('id', '>', q.after ?? '')
        .$if(q.deviceIds !== undefined, (s) => s.where(dialect.inList('id', q.deviceIds!)))
        .$if(q.deviceIds === undefined && q.currentCompanyId !== undefined, (s) => s.where('company_id', '=', q.currentCompanyId!))
        .orderBy('id').limit(q.limit);
      const rows = await arrayRows(db, db.selectFrom(page.as('d'))
        .leftJoin('device_days as dd', (join) => join.onRef('dd.device_id', '=', 'd.id').on('dd.utc_day', '>=', q.fromDay).on('dd.utc_day', '<', q.toDay))
        .select(DEVICE_PAGE_COLUMNS).orderBy('d.id').orderBy('dd.utc_day'));
      const grouped = groupDevicePage(rows, q.limit, dialect.deviceDayDecoding());
      // An admin's exclusions from billing of the page's devices (few: most pages have none).
      if (grouped.devices.length) {
        const fromMs = q.fromDay * 86_400_000;
        const exclusions = await db.selectFrom('device_exclusions').select(['device_id', 'from_ms', 'until_ms', 'reason'])
          .where(dialect.inList('device_id', grouped.devices.map((d) => d.deviceId)))
          .where((eb) => eb.or([eb('until_ms', 'is', null), eb('until_ms', '>', fromMs)])).orderBy('device_id').orderBy('from_ms').execute();
        for (const e of exclusions) {
          const device = grouped.devices.find((d) => d.deviceId === e.device_id)!;
          (device.exclusions ??= []).push({ fromMs: e.from_ms, untilMs: e.until_ms, reason: e.reason });
        }
      }
      return grouped;
    }),
    monthSummaryPage: (q) => statement(ctx, async (db) => {
      // One range of the summaries' primary key (month_day, device_id), in device order, each joined to its device
      // (its company now, uninstall, retirement) through the index that holds those (migration 0017).
      const month = parseMonth(q.month);
      const fromMs = month.firstDay * DAY_MS;
      const rows = await arrayRows(db, { compile: () => CompiledQuery.raw(summaryPage.text, summaryPage.params(month.firstDay, q.after ?? '', q.limit)) });
      const devices = toMonthSummaries(rows, dialect.deviceDayDecoding());
      if (devices.length) {
        // The exclusions that may touch the month of the page's range of devices: one range read (nearly always nothing).
        const counts = await db.selectFrom('device_exclusions').select(['device_id', (eb) => eb.fn.countAll().as('n')])
          .where('device_id', '>=', devices[0].summary.deviceId).where('device_id', '<=', devices[devices.length - 1].summary.deviceId)
          .where((eb) => eb.or([eb('until_ms', 'is', null), eb('until_ms', '>', fromMs)])).groupBy('device_id').execute();
        if (counts.length) {
          const byDevice = new Map(counts.map((c) => [c.device_id, Number(c.n)]));
          for (const d of devices) d.exclusions = byDevice.get(d.summary.deviceId) ?? 0;
        }
      }
      return { devices, next: rows.length === q.limit ? devices[devices.length - 1].summary.deviceId : null };
    }),
    ...sqlMonthRuns(ctx),
    getFinalizedMonth: (month: string) => statement(ctx, async (db) => {
      const r = await db.selectFrom('finalized_months').select(['finalized_at', 'hash', 'run_id']).where('month', '=', month).executeTakeFirst();
      return r ? { hash: r.hash, finalizedAtMs: r.finalized_at, runId: r.run_id } : null;
    }),
    listFinalizedMonths: () => statement(ctx, async (db) =>
      (await db.selectFrom('finalized_months').select(['month', 'finalized_at', 'hash']).orderBy('month').execute())
        .map((r) => ({ month: r.month, finalizedAtMs: r.finalized_at, hash: r.hash }))),
    saveFinalizedMonth: (s: MonthSnapshot, nowMs: number) => statement(ctx, async (db) => {
      // The primary key decides a race between collectors: the loser waits for the winner's commit, then inserts nothing.
      const r = await db.insertInto('finalized_months').values({ month: s.month, finalized_at: nowMs, hash: s.hash, snapshot: pack(s) })
        .onConflict((oc) => oc.column('month').doNothing()).executeTakeFirst();
      if (r.numInsertedOrUpdatedRows !== 1n) throw new StorageError('conflict', `month ${s.month} is already finalized`);
    }),
    monthsWithLateData: () => statement(ctx, async (db) =>
      (await db.selectFrom('months_with_late_data').select('month').orderBy('month').execute()).map((r) => r.month)),
    saveAdjustment: (i: Parameters<BillingStore['saveAdjustment']>[0]) =>
      writing(ctx, async (db): Promise<MonthAdjustment> => {
        // Locking the finalized row serializes adjustments of one month across collectors.
        const finalized = await dialect.forUpdate(db.selectFrom('finalized_months').select('month').where('month', '=', i.month)).executeTakeFirst();
        if (!finalized) throw new StorageError('not_found', `month ${i.month} is not finalized`);
        // The log is a chain: each adjustment starts from the previous one's
        // figures. One computed from stale figures (another collector, or an
        // overlapping run, adjusted the month meanwhile) would fork it.
        const current = await currentHash(db, i.month);
        if (current !== i.hashBefore) throw new StorageError('conflict', `month ${i.month} changed since this adjustment was computed (current hash ${current})`);
        // The recomputed figures: a sealed month run (rows), or a snapshot document (the form before months were rows).
        let hashAfter: string;
        if (i.runId !== undefined) {
          const run = await db.selectFrom('month_runs').select(['month', 'hash']).where('id', '=', i.runId).executeTakeFirst();
          if (!run || run.month !== i.month || run.hash === null) throw new StorageError('not_found', `month run ${i.runId} of ${i.month} is not sealed`);
          hashAfter = run.hash;
        } else {
          hashAfter = i.snapshot.hash;
        }
        const { id } = await db.insertInto('month_adjustments').values({
          month: i.month, created_at: i.nowMs, hash_before: i.hashBefore, hash_after: hashAfter, lines: JSON.stringify(i.lines),
          snapshot: i.snapshot ? pack(i.snapshot) : Buffer.alloc(0), run_id: i.runId ?? null,
        }).returning('id').executeTakeFirstOrThrow();
        await clearLate(db, i.month, i.lateDataBeforeMs);
        return { id, month: i.month, createdAtMs: i.nowMs, hashBefore: i.hashBefore, hashAfter, lines: i.lines };
      }),
    clearLateMark: (month: string, lateDataBeforeMs: number) => statement(ctx, async (db) => {
      await clearLate(db, month, lateDataBeforeMs);
    }),
    markLateIfWrittenSince: (month: string, fromDay: number, toDay: number, sinceMs: number, nowMs: number) => statement(ctx, async (db) => {
      const r = await db.insertInto('months_with_late_data').columns(['month', 'since'])
        .expression(db.selectNoFrom((eb) => [eb.val(month).as('month'), eb.val(nowMs).as('since')])
          .where((eb) => eb.exists(eb.selectFrom('device_days').select(eb.lit(1).as('x'))
            .where('utc_day', '>=', fromDay).where('utc_day', '<', toDay).where('last_at', '>=', sinceMs))))
        // `since` holds the LATEST late arrival, so a recomputation knows whether it saw everything.
        .onConflict((oc) => oc.column('month').doUpdateSet((eb) => ({ since: dialect.greatest(eb.ref('months_with_late_data.since'), eb.ref('excluded.since')) })))
        .executeTakeFirst();
      return r.numInsertedOrUpdatedRows! > 0n;
    }),
    listAdjustments: (month: string) => statement(ctx, async (db) =>
      (await db.selectFrom('month_adjustments').select(['id', 'month', 'created_at', 'hash_before', 'hash_after', 'lines']).where('month', '=', month)
        .orderBy('id').execute())
        .map((r) => ({ id: r.id, month: r.month, createdAtMs: r.created_at, hashBefore: r.hash_before, hashAfter: r.hash_after, lines: JSON.parse(r.lines) }))),
    currentSnapshot: (month: string) => snapshot(ctx, async (db): Promise<StoredMonthFigures | null> => {
      // The latest adjustment's figures, else the finalized ones (one read snapshot: an adjustment committing meanwhile is either seen or not).
      const adjusted = await db.selectFrom('month_adjustments').select(['hash_after as hash', 'run_id']).where('month', '=', month).orderBy('id', 'desc').limit(1).executeTakeFirst();
      const current = adjusted ?? await db.selectFrom('finalized_months').select(['hash', 'run_id']).where('month', '=', month).executeTakeFirst();
      if (!current) return null;
      if (current.run_id !== null) return { month, hash: current.hash, runId: current.run_id, snapshot: null };
      // Stored whole (before months were rows): read the document only now.
      const blob = adjusted
        ? (await db.selectFrom('month_adjustments').select('snapshot').where('month', '=', month).orderBy('id', 'desc').limit(1).executeTakeFirstOrThrow()).snapshot
        : (await db.selectFrom('finalized_months').select('snapshot').where('month', '=', month).executeTakeFirstOrThrow()).snapshot;
      return { month, hash: current.hash, runId: null, snapshot: unpack(blob) };
    }),
    countUnbilledLateRecords: () => statement(ctx, async (db) =>
      Number((await db.selectFrom('unbilled_late_usage').select((eb) => eb.fn.countAll().as('n')).executeTakeFirstOrThrow()).n)),
  };
}
