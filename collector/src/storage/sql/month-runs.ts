// Month runs: a month's figures written as rows (finalization, adjustments),
// for both backends. A run is written page by page in short transactions
// (on SQLite one transaction for the whole month would hold the only write
// lock for minutes and stop ingest), read back in primary-key order to be
// hashed, sealed, and published by one short transaction that points the
// month at it. Until then no reader sees it; a run never published is
// discarded (by its writer, or later as stale).
//
// The line tables keep rows in write order (SQLite: rowid tables since
// migration 0018; PostgreSQL: heaps) with the key as a unique index: a
// batch of lines sorted by company scatters only small index entries over
// the companies, and the reads below walk that index in key order.
import { randomUUID } from 'node:crypto';
import type { Kysely, SqlBool } from 'kysely';
import { StorageError, type BillingStore, type MonthRowKind, type MonthRunRows } from '../types.ts';
import { statement, writing, type SqlContext } from './context.ts';
import { sql } from './kysely.ts';
import type { Database } from './schema.ts';

/** Rows per INSERT statement on SQLite (one parameter per column at most: dialect.textRows): a few MB per statement. */
const INSERT_CHUNK = 5000;
/** Rows per INSERT statement on PostgreSQL (one bind parameter per value: 10,000 parameters of the 65,535 allowed at most). */
const PG_INSERT_CHUNK = 2000;
/** Rows deleted per transaction when a run is discarded: a short hold of the write lock each. */
const DELETE_CHUNK = 5000;

type RunMethods = Pick<BillingStore, 'startMonthRun' | 'writeMonthRunRows' | 'monthRunCompanyRows' | 'monthRunEndpointLines' | 'monthRunUserLines'
  | 'sealMonthRun' | 'publishFinalizedMonth' | 'discardMonthRun' | 'discardStaleMonthRuns'>;

/**
 * Inserts text rows in chunks: no statement grows with the rows. SQLite: one
 * INSERT ... SELECT over one JSON parameter (json_each). PostgreSQL: a
 * multi-row VALUES, each value its own bind parameter: an array literal per
 * column (unnest) made the server parse every line's JSON again with its
 * quotes escaped, 2-2.5x slower for month lines (BENCHMARKS.md, Finalize).
 */
async function insertChunked(ctx: SqlContext, db: Kysely<Database>, table: string, columns: readonly string[], rows: readonly (readonly string[])[]): Promise<void> {
  const cols = sql.join(columns.map((c) => sql.ref(c)));
  if (ctx.dialect.name === 'postgres') {
    for (let i = 0; i < rows.length; i += PG_INSERT_CHUNK) {
      const chunk = rows.slice(i, i + PG_INSERT_CHUNK);
      await sql`INSERT INTO ${sql.table(table)} (${cols}) VALUES ${sql.join(chunk.map((r) => sql`(${sql.join(r)})`))}`.execute(db);
    }
    return;
  }
  for (let i = 0; i < rows.length; i += INSERT_CHUNK) {
    const chunk = rows.slice(i, i + INSERT_CHUNK);
    await sql`INSERT INTO ${sql.table(table)} (${cols})
      SELECT ${sql.join(columns.map((_, n) => sql.ref(`c${n}`)))} FROM ${ctx.dialect.textRows(columns.length, chunk)} AS r`.execute(db);
  }
}

/** Whether a run is the figures of a month (finalized or adjusted): such a run is never discarded. */
const published = (db: Kysely<Database>, runId: string) => db.selectNoFrom((eb) => eb.or([
  eb.exists(eb.selectFrom('finalized_months').select('month').where('run_id', '=', runId)),
  eb.exists(eb.selectFrom('month_adjustments').select('id').where('run_id', '=', runId)),
]).as('published')).executeTakeFirstOrThrow().then((r) => r.published === true || r.published === 1);

export function sqlMonthRuns(ctx: SqlContext): RunMethods {
  const discard = async (runId: string): Promise<void> => {
    if (await statement(ctx, (db) => published(db, runId))) throw new StorageError('conflict', `month run ${runId} holds a month's figures: it is never discarded`);
    // Bounded batches, each its own transaction: a month of lines is millions of rows.
    const tables = [
      ['month_endpoint_lines', ['product_type', 'company_id', 'device_id']],
      ['month_user_lines', ['company_id', 'kind', 'ref_id']],
      ['month_company_rows', ['kind', 'company_id']],
    ] as const;
    for (const [table, key] of tables) {
      for (let round = 0; round < 1_000_000; round++) {
        const n = await writing(ctx, async (db) => {
          const cols = sql.join(key.map((k) => sql.ref(k)));
          const r = await sql`DELETE FROM ${sql.table(table)} WHERE run_id = ${runId} AND (${cols}) IN (SELECT ${cols} FROM ${sql.table(table)} WHERE run_id = ${runId} LIMIT ${DELETE_CHUNK})`.execute(db);
          return Number(r.numAffectedRows ?? 0n);
        });
        if (n < DELETE_CHUNK) break;
      }
    }
    await statement(ctx, (db) => db.deleteFrom('month_runs').where('id', '=', runId).execute());
  };

  return {
    startMonthRun: (month, nowMs) => statement(ctx, async (db) => {
      const id = randomUUID();
      await db.insertInto('month_runs').values({ id, month, started_at: nowMs, touched_at: nowMs, hashes: null, hash: null }).execute();
      return id;
    }),
    writeMonthRunRows: (runId: string, rows: MonthRunRows, nowMs: number) => writing(ctx, async (db) => {
      const touched = await db.updateTable('month_runs').set({ touched_at: nowMs }).where('id', '=', runId).where('hash', 'is', null).executeTakeFirst();
      // Discarded meanwhile (stale to another collector), or already sealed: nothing may be added.
      if (touched.numUpdatedRows !== 1n) throw new StorageError('conflict', `month run ${runId} is no longer being written`);
      await insertChunked(ctx, db, 'month_endpoint_lines', ['run_id', 'product_type', 'company_id', 'device_id', 'body'],
        rows.endpointLines.map((l) => [runId, l.productType, l.companyId, l.deviceId, l.body]));
      await insertChunked(ctx, db, 'month_user_lines', ['run_id', 'company_id', 'kind', 'ref_id', 'body'], rows.userLines.map((l) => [runId, l.companyId, l.kind, l.refId, l.body]));
      await insertChunked(ctx, db, 'month_company_rows', ['run_id', 'kind', 'company_id', 'body'], rows.companyRows.map((r) => [runId, r.kind, r.companyId, r.body]));
    }),
    monthRunCompanyRows: (runId) => statement(ctx, async (db) =>
      (await db.selectFrom('month_company_rows').select(['kind', 'company_id', 'body']).where('run_id', '=', runId).orderBy('kind').orderBy('company_id').execute())
        .map((r) => ({ kind: r.kind as MonthRowKind, companyId: r.company_id, body: r.body }))),
    monthRunEndpointLines: (q) => statement(ctx, async (db) =>
      (await db.selectFrom('month_endpoint_lines').select(['company_id', 'device_id', 'body'])
        .where('run_id', '=', q.runId).where('product_type', '=', q.productType)
        .$if(q.companyId !== undefined, (s) => s.where('company_id', '=', q.companyId!))
        .$if(q.deviceId !== undefined, (s) => s.where('device_id', '=', q.deviceId!))
        .$if(q.after !== null, (s) => s.where(sql<SqlBool>`(company_id, device_id) > (${q.after!.companyId}, ${q.after!.deviceId})`))
        .orderBy('company_id').orderBy('device_id').limit(q.limit).execute())
        .map((r) => ({ companyId: r.company_id, deviceId: r.device_id, body: r.body }))),
    monthRunUserLines: (q) => statement(ctx, async (db) =>
      (await db.selectFrom('month_user_lines').select(['company_id', 'kind', 'ref_id', 'body'])
        .where('run_id', '=', q.runId)
        .$if(q.companyId !== undefined, (s) => s.where('company_id', '=', q.companyId!))
        .$if(q.after !== null, (s) => s.where(sql<SqlBool>`(company_id, kind, ref_id) > (${q.after!.companyId}, ${q.after!.kind}, ${q.after!.refId})`))
        .orderBy('company_id').orderBy('kind').orderBy('ref_id').limit(q.limit).execute())
        .map((r) => ({ companyId: r.company_id, kind: r.kind as 'd' | 'u', refId: r.ref_id, body: r.body }))),
    sealMonthRun: (runId, hashes, hash) => statement(ctx, async (db) => {
      const r = await db.updateTable('month_runs').set({ hashes: JSON.stringify(hashes), hash }).where('id', '=', runId).where('hash', 'is', null).executeTakeFirst();
      if (r.numUpdatedRows !== 1n) throw new StorageError('conflict', `month run ${runId} is no longer being written`);
    }),
    publishFinalizedMonth: (i) => writing(ctx, async (db) => {
      const run = await db.selectFrom('month_runs').select(['month', 'hash']).where('id', '=', i.runId).executeTakeFirst();
      if (!run || run.month !== i.month || run.hash === null) throw new StorageError('not_found', `month run ${i.runId} of ${i.month} is not sealed`);
      // The primary key decides a race between collectors: the loser waits for the winner's commit, then inserts nothing.
      const r = await db.insertInto('finalized_months').values({ month: i.month, finalized_at: i.nowMs, hash: run.hash, snapshot: Buffer.alloc(0), run_id: i.runId })
        .onConflict((oc) => oc.column('month').doNothing()).executeTakeFirst();
      if (r.numInsertedOrUpdatedRows !== 1n) throw new StorageError('conflict', `month ${i.month} is already finalized`);
      return { hash: run.hash };
    }),
    discardMonthRun: discard,
    discardStaleMonthRuns: async (touchedBeforeMs) => {
      const stale = await statement(ctx, (db) => db.selectFrom('month_runs').select('id').where('touched_at', '<', touchedBeforeMs)
        .where((eb) => eb.not(eb.exists(eb.selectFrom('finalized_months').select('month').whereRef('finalized_months.run_id', '=', 'month_runs.id'))))
        .where((eb) => eb.not(eb.exists(eb.selectFrom('month_adjustments').select('id').whereRef('month_adjustments.run_id', '=', 'month_runs.id'))))
        .orderBy('id').limit(100).execute());
      for (const { id } of stale) await discard(id);
      return stale.length;
    },
  };
}
