// Agent releases and their staged rollouts, for both backends.
import type { Kysely } from 'kysely';
import type { AgentRelease, ReleaseStore, RolloutRule } from '../types.ts';
import { statement, writing, type SqlContext } from './context.ts';
import type { AgentReleasesTable, Database } from './schema.ts';

const EVERYONE = '*';

type Row = { [K in keyof AgentReleasesTable]: AgentReleasesTable[K] extends import('kysely').ColumnType<infer S, unknown, unknown> ? S : AgentReleasesTable[K] };

async function withRollouts(db: Kysely<Database>, rows: Row[]): Promise<AgentRelease[]> {
  if (rows.length === 0) return [];
  const rules = await db.selectFrom('release_rollouts').selectAll().where('release_sequence', 'in', rows.map((r) => Number(r.sequence))).execute();
  const bySeq = new Map<number, RolloutRule[]>();
  for (const r of rules) {
    const list = bySeq.get(Number(r.release_sequence)) ?? [];
    list.push({ companyId: r.target === EVERYONE ? null : r.target, percent: Number(r.percent), updatedAtMs: Number(r.updated_at) });
    bySeq.set(Number(r.release_sequence), list);
  }
  return rows.map((r) => ({
    sequence: Number(r.sequence), version: r.version, channel: r.channel, signed: JSON.parse(r.signed) as unknown,
    publishedAtMs: Number(r.published_at), publishedBy: r.published_by, pausedAtMs: r.paused_at === null ? null : Number(r.paused_at),
    rollout: (bySeq.get(Number(r.sequence)) ?? []).sort((a, b) => (a.companyId ?? '').localeCompare(b.companyId ?? '')),
  }));
}

export function sqlReleaseStore(ctx: SqlContext): ReleaseStore {
  return {
    publish: (r) => statement(ctx, async (db) => {
      const res = await db.insertInto('agent_releases').values({
        sequence: r.sequence, version: r.version, channel: r.channel, signed: JSON.stringify(r.signed), published_at: r.publishedAtMs, published_by: r.publishedBy,
      }).onConflict((oc) => oc.column('sequence').doNothing()).executeTakeFirst();
      return Number(res.numInsertedOrUpdatedRows ?? 0n) === 1;
    }),
    get: (sequence) => statement(ctx, async (db) =>
      (await withRollouts(db, await db.selectFrom('agent_releases').selectAll().where('sequence', '=', sequence).execute()))[0] ?? null),
    list: (limit) => statement(ctx, async (db) =>
      withRollouts(db, await db.selectFrom('agent_releases').selectAll().orderBy('sequence', 'desc').limit(limit).execute())),
    offerable: (channels, limit) => statement(ctx, async (db) => channels.length === 0 ? [] : withRollouts(db,
      await db.selectFrom('agent_releases').selectAll().where('paused_at', 'is', null).where('channel', 'in', [...channels]).orderBy('sequence', 'desc').limit(limit).execute())),
    latestOfVersion: (version) => statement(ctx, async (db) =>
      (await withRollouts(db, await db.selectFrom('agent_releases').selectAll().where('version', '=', version).orderBy('sequence', 'desc').limit(1).execute()))[0] ?? null),
    setRollout: (sequence, companyId, percent, nowMs) => writing(ctx, async (db) => {
      const target = companyId ?? EVERYONE;
      await db.insertInto('release_rollouts').values({ release_sequence: sequence, target, percent, updated_at: nowMs })
        .onConflict((oc) => oc.columns(['release_sequence', 'target']).doUpdateSet({ percent, updated_at: nowMs })).execute();
    }),
    setPaused: (sequence, pausedAtMs) => statement(ctx, async (db) => {
      await db.updateTable('agent_releases').set({ paused_at: pausedAtMs }).where('sequence', '=', sequence).execute();
    }),
    highestSequence: () => statement(ctx, async (db) => {
      const r = await db.selectFrom('agent_releases').select((eb) => eb.fn.max('sequence').as('max')).executeTakeFirst();
      return Number(r?.max ?? 0);
    }),
  };
}
