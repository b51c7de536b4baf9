// Report jobs and schedules, for both backends. The job rows are the queue
// (report-jobs/queue.ts runs it): a job is `pending` until finished; while a
// collector works on it, it holds a lease (lease_owner, lease_until). A
// pending job with no lease, or one whose lease ran out, is claimable once
// its run_after has passed.
//
// Claim order is fair between tenants: each waiting job is ranked within its
// tenant (1 = the tenant's oldest), plus the tenant's jobs already running,
// and the lowest rank goes first; among equal ranks, the tenant whose last
// job started longest ago. A partner with 300 jobs queued and one running
// ranks its next job 2; another partner's single job ranks 1 and runs next;
// when the first partner's job finishes, the other partner (served less
// recently) still goes first. A tenant at its concurrency limit is not
// claimed from.
//
// Concurrency: on SQLite one writer at a time (BEGIN IMMEDIATE) makes every
// claim and enqueue atomic. On PostgreSQL a claim takes the queue's named
// lock (the per-tenant running counts it reads must not change under it),
// then locks its candidate rows FOR UPDATE SKIP LOCKED and leases the first
// that is still claimable: two collectors never lease one job. Enqueueing
// takes the tenant's named lock, so two at once cannot both pass the limit.
import type { Kysely } from 'kysely';
import { sql } from './kysely.ts';
import { toJob, toSchedule } from '../rows.ts';
import type { EnqueueOutcome, JobClaim, NewReportJob, ReportJob, ReportSchedule, ReportStore } from '../types.ts';
import { inScope } from './admin.ts';
import { statement, writing, type SqlContext } from './context.ts';
import type { Database } from './schema.ts';

/** How deep a company tree may be walked to find its partner (the tree is far shallower; a cycle cannot loop). */
const MAX_TREE_DEPTH = 64;

/** The nearest partner at or above the company; the company itself when no partner is above it. */
async function tenantOf(db: Kysely<Database>, companyId: string): Promise<string> {
  let id: string | null = companyId;
  for (let depth = 0; id !== null && depth < MAX_TREE_DEPTH; depth++) {
    const c: { id: string; type: string; parent_id: string | null } | undefined =
      await db.selectFrom('companies').select(['id', 'type', 'parent_id']).where('id', '=', id).executeTakeFirst();
    if (!c) break;
    if (c.type === 'partner') return c.id;
    id = c.parent_id;
  }
  return companyId;
}

/** Checks the tenant's queue under its lock; the caller inserts in the same transaction when there is room. */
async function roomFor(ctx: SqlContext, db: Kysely<Database>, companyId: string, max: number): Promise<EnqueueOutcome> {
  const tenantId = await tenantOf(db, companyId);
  await ctx.dialect.serialize(db, `report_jobs:tenant:${tenantId}`);
  const { n } = await db.selectFrom('report_jobs').select((eb) => eb.fn.countAll<number>().as('n'))
    .where('tenant_id', '=', tenantId).where('status', '=', 'pending').executeTakeFirstOrThrow();
  return Number(n) >= max ? { queued: false, tenantId, waiting: Number(n) } : { queued: true, tenantId };
}

async function insertJob(db: Kysely<Database>, j: NewReportJob, tenantId: string): Promise<void> {
  await db.insertInto('report_jobs').values({
    id: j.id, company_id: j.companyId, requested_by: j.requestedBy, name: j.name, month: j.month, format: j.format, options: JSON.stringify(j.options),
    status: 'pending', created_at: j.createdAtMs, tenant_id: tenantId, run_after: 0, attempts: 0,
    schedule_id: j.scheduleId ?? null, email_to: j.emailTo?.length ? JSON.stringify(j.emailTo) : null,
  }).execute();
}

/** Among equal turns, the tenant served longest ago goes first; a tenant not served within this window counts as never served. */
const RECENTLY_SERVED_MS = 3_600_000;

/** Candidates looked at per claim: more than one, so rows another collector has locked are skipped, not waited for. */
const CLAIM_CANDIDATES = 8;

/** The claim itself: one writing transaction (see the top of this file). */
function claimNext(ctx: SqlContext, c: JobClaim): Promise<ReportJob | null> {
  return writing(ctx, async (db) => {
    await ctx.dialect.serialize(db, 'report_jobs:claim');
    // A job whose collector died maxAttempts times is not tried again: it may be what kills them.
    await db.updateTable('report_jobs').set({
      status: 'failed', finished_at: c.nowMs, lease_owner: null, lease_until: null,
      error: `gave up after ${c.maxAttempts} attempts: the collector running it stopped before it finished each time`,
    }).where('status', '=', 'pending').where('lease_until', '<', c.nowMs).where('attempts', '>=', c.maxAttempts).execute();
    const { rows: ranked } = await sql<{ id: string }>`
      WITH running AS (
        SELECT tenant_id, COUNT(*) AS n FROM report_jobs
        WHERE status = 'pending' AND lease_until >= ${c.nowMs} GROUP BY tenant_id
      ), served AS (
        SELECT tenant_id, MAX(started_at) AS last FROM (
          SELECT tenant_id, started_at FROM report_jobs WHERE status = 'pending' AND started_at IS NOT NULL
          UNION ALL
          SELECT tenant_id, started_at FROM report_jobs WHERE finished_at >= ${c.nowMs - RECENTLY_SERVED_MS}
        ) recent GROUP BY tenant_id
      ), waiting AS (
        SELECT id, tenant_id, created_at, ROW_NUMBER() OVER (PARTITION BY tenant_id ORDER BY created_at, id) AS turn
        FROM report_jobs
        WHERE status = 'pending' AND run_after <= ${c.nowMs} AND (lease_until IS NULL OR lease_until < ${c.nowMs})
      )
      SELECT w.id FROM waiting w LEFT JOIN running r ON r.tenant_id = w.tenant_id LEFT JOIN served s ON s.tenant_id = w.tenant_id
      WHERE COALESCE(r.n, 0) < ${c.maxRunningPerTenant}
      ORDER BY w.turn + COALESCE(r.n, 0), COALESCE(s.last, 0), w.created_at, w.id
      LIMIT ${CLAIM_CANDIDATES}`.execute(db);
    if (!ranked.length) return null;
    const order = ranked.map((r) => r.id);
    // Locks the candidates another transaction does not hold, re-checked as they are now.
    const { rows: free } = await sql<{ id: string }>`
      SELECT id FROM report_jobs
      WHERE ${ctx.dialect.inList('id', order)} AND status = 'pending' AND (lease_until IS NULL OR lease_until < ${c.nowMs})
      ${ctx.dialect.skipLocked}`.execute(db);
    const freeIds = new Set(free.map((r) => r.id));
    const id = order.find((x) => freeIds.has(x));
    if (id === undefined) return null;
    await db.updateTable('report_jobs').set((eb) => ({
      lease_owner: c.owner, lease_until: c.nowMs + c.leaseMs, started_at: c.nowMs, attempts: eb('attempts', '+', 1),
    })).where('id', '=', id).execute();
    const row = await db.selectFrom('report_jobs').selectAll().where('id', '=', id).executeTakeFirstOrThrow();
    return toJob(row);
  });
}

export function sqlReportStore(ctx: SqlContext): ReportStore {
  return {
    enqueueJob: (j, max) => writing(ctx, async (db) => {
      const room = await roomFor(ctx, db, j.companyId, max);
      if (room.queued) await insertJob(db, j, room.tenantId);
      return room;
    }),

    queueScheduleRun: (scheduleId, month, j, max) => writing(ctx, async (db) => {
      const room = await roomFor(ctx, db, j.companyId, max);
      if (!room.queued) return 'queue_full';
      // One UPDATE: when collectors claim the same run at once, the second
      // re-checks the row after the first commits and matches nothing.
      const claimed = (await db.updateTable('report_schedules').set({ last_run_month: month }).where('id', '=', scheduleId)
        .where((eb) => eb.or([eb('last_run_month', 'is', null), eb('last_run_month', '<', month)])).executeTakeFirst()).numUpdatedRows === 1n;
      if (!claimed) return 'already_ran';
      await insertJob(db, { ...j, scheduleId }, room.tenantId);
      return 'queued';
    }),

    claimJob: async (c: JobClaim) => {
      // An idle queue answers from one indexed read, without a writing transaction (SQLite's one writer is shared with ingest).
      const any = await statement(ctx, (db) => db.selectFrom('report_jobs').select('id').where('status', '=', 'pending')
        .where((eb) => eb.or([eb('lease_until', 'is', null), eb('lease_until', '<', c.nowMs)])).limit(1).executeTakeFirst());
      return any ? claimNext(ctx, c) : null;
    },

    renewLease: (id, owner, nowMs, leaseMs) => statement(ctx, async (db) =>
      (await db.updateTable('report_jobs').set({ lease_until: nowMs + leaseMs })
        .where('id', '=', id).where('lease_owner', '=', owner).where('status', '=', 'pending').executeTakeFirst()).numUpdatedRows === 1n),

    finishJob: (id, owner, o, nowMs) => statement(ctx, async (db) =>
      (await db.updateTable('report_jobs').set({
        status: o.status, error: o.error ?? null, file_name: o.status === 'ready' ? o.fileName : null,
        size_bytes: o.status === 'ready' ? o.sizeBytes : null, finished_at: nowMs, lease_owner: null, lease_until: null,
      }).where('id', '=', id).where('lease_owner', '=', owner).where('status', '=', 'pending').executeTakeFirst()).numUpdatedRows === 1n),

    releaseJob: (id, owner, o) => statement(ctx, async (db) =>
      (await db.updateTable('report_jobs').set((eb) => ({
        lease_owner: null, lease_until: null, run_after: o.runAfterMs, error: o.error,
        ...(o.uncountAttempt ? { attempts: eb('attempts', '-', 1) } : {}),
      })).where('id', '=', id).where('lease_owner', '=', owner).where('status', '=', 'pending').executeTakeFirst()).numUpdatedRows === 1n),

    finishedBefore: (beforeMs, limit) => statement(ctx, async (db) =>
      (await db.selectFrom('report_jobs').select(['id', 'file_name']).where('status', '<>', 'pending').where('finished_at', '<', beforeMs)
        .orderBy('finished_at').orderBy('id').limit(limit).execute()).map((r) => ({ id: r.id, fileName: r.file_name }))),

    deleteJobs: (ids) => statement(ctx, async (db) =>
      ids.length ? Number((await db.deleteFrom('report_jobs').where(ctx.dialect.inList('id', ids)).executeTakeFirst()).numDeletedRows) : 0),

    queueDepth: (nowMs) => statement(ctx, async (db) => {
      const r = await db.selectFrom('report_jobs').select((eb) => [
        eb.fn.countAll<number>().as('total'),
        eb.fn.count<number>(eb.case().when('lease_until', '>=', nowMs).then(1).end()).as('running'),
      ]).where('status', '=', 'pending').executeTakeFirstOrThrow();
      return { waiting: Number(r.total) - Number(r.running), running: Number(r.running) };
    }),

    getJob: (id: string) => statement(ctx, async (db) => {
      const r = await db.selectFrom('report_jobs').selectAll().where('id', '=', id).executeTakeFirst();
      return r ? toJob(r) : null;
    }),
    listJobs: (companyIds: readonly string[] | null, limit: number) => statement(ctx, async (db) =>
      (await db.selectFrom('report_jobs').selectAll().$call(inScope(ctx, 'company_id', companyIds)).orderBy('created_at', 'desc').limit(limit).execute()).map(toJob)),
    createSchedule: (sc: Omit<ReportSchedule, 'lastRunMonth'>) => statement(ctx, async (db) => {
      await db.insertInto('report_schedules').values({
        id: sc.id, company_id: sc.companyId, created_by: sc.createdBy, name: sc.name, format: sc.format, options: JSON.stringify(sc.options),
        day_of_month: sc.dayOfMonth, hour_utc: sc.hourUtc, email_to: JSON.stringify(sc.emailTo), created_at: sc.createdAtMs,
      }).execute();
    }),
    listSchedules: (companyIds: readonly string[] | null) => statement(ctx, async (db) =>
      (await db.selectFrom('report_schedules').selectAll().$call(inScope(ctx, 'company_id', companyIds)).orderBy('created_at').execute()).map(toSchedule)),
    deleteSchedule: (id: string) => statement(ctx, async (db) =>
      (await db.deleteFrom('report_schedules').where('id', '=', id).executeTakeFirst()).numDeletedRows === 1n),
  };
}

export type { ReportJob };
