// Device identity, written once for both backends: hardware evidence by
// partner tree, enrolment token limits, re-enrolment, possible duplicates,
// and an admin's device lifecycle (move, merge, retire, exclude). The rules
// are devices/identity.ts and admin/devices.ts; this stores.
import { monthPairs, recomputeSummaries, removeSummaries } from './summaries.ts';
import { randomUUID } from 'node:crypto';
import type { Kysely } from 'kysely';
import { compareIds, monthOfDay } from '../../billing/index.ts';
import { StorageError } from '../types.ts';
import type {
  DeviceExclusion, DeviceHistoryEntry, DeviceHistoryKind, DeviceIdentityStore, DeviceLifecycle, DeviceMoveResult, DuplicatePair, IdentityCandidateRecord,
} from '../types.ts';
import { statement, writing, type SqlContext } from './context.ts';
import { evidenceToWrite } from '../evidence.ts';
import type { Database } from './schema.ts';

const SECONDS_PER_DAY = 86_400;

/** Orders history entries written at the same instant by this process. */
let historySeq = 0;

/** A duplicate pair is stored once, its ids in order. */
const pair = (x: string, y: string): [string, string] => (compareIds(x, y) <= 0 ? [x, y] : [y, x]);

const parseList = (text: string): string[] => {
  try {
    const v: unknown = JSON.parse(text);
    return Array.isArray(v) ? v.filter((x): x is string => typeof x === 'string') : [];
  } catch {
    return [];
  }
};

export function sqlIdentityStore(ctx: SqlContext): DeviceIdentityStore {
  const { dialect } = ctx;

  /** Marks the finalized months among `days` late: their recomputation becomes an adjustment. */
  const markFinalizedLate = async (db: Kysely<Database>, days: Iterable<number>, nowMs: number): Promise<string[]> => {
    const months = [...new Set([...days].map((d) => monthOfDay(d).id))];
    if (months.length === 0) return [];
    const finalized = (await db.selectFrom('finalized_months').select('month').where(dialect.inList('month', months)).execute()).map((r) => r.month).sort();
    for (const month of finalized) {
      await db.insertInto('months_with_late_data').values({ month, since: nowMs })
        .onConflict((oc) => oc.column('month').doUpdateSet((eb) => ({ since: dialect.greatest(eb.ref('months_with_late_data.since'), eb.ref('excluded.since')) })))
        .execute();
    }
    return finalized;
  };

  /** Moves a device's rows of a table keyed by (device, stream, seq) or (device, stream) to another device. */
  const moveKeyed = async (db: Kysely<Database>, table: 'receipts' | 'stream_floors' | 'device_events' | 'unbilled_late_usage', from: string, to: string) => {
    const columns: Record<typeof table, string[]> = {
      receipts: ['stream', 'seq'],
      stream_floors: ['stream', 'floor', 'stored_below', 'receipts_upto'],
      device_events: ['stream', 'seq', 'occurred_at', 'kind', 'payload', 'received_at'],
      unbilled_late_usage: ['stream', 'seq', 'utc_day', 'awake_seconds', 'received_at'],
    };
    const cols = columns[table];
    // Streams are per agent journal (a random epoch each): two devices never share one, so nothing is lost on a conflict.
    await (db as Kysely<any>).insertInto(table).columns(['device_id', ...cols])
      .expression((eb: any) => eb.selectFrom(table).select([eb.val(to).as('device_id'), ...cols]).where('device_id', '=', from))
      .onConflict((oc: any) => oc.doNothing()).execute();
    await (db as Kysely<any>).deleteFrom(table).where('device_id', '=', from).execute();
  };

  const store: DeviceIdentityStore = {
    candidates: (treeRoot, keys) => statement(ctx, async (db): Promise<IdentityCandidateRecord[]> => {
      if (keys.length === 0) return [];
      const ids = (await db.selectFrom('device_hardware_ids').select('device_id').distinct()
        .where('tree_root', '=', treeRoot).where(dialect.inList('id_key', keys)).execute()).map((r) => r.device_id);
      if (ids.length === 0) return [];
      const [evidence, devices] = await Promise.all([
        db.selectFrom('device_hardware_ids').select(['device_id', 'id_key', 'strength']).where('tree_root', '=', treeRoot).where(dialect.inList('device_id', ids)).execute(),
        db.selectFrom('devices').select(['id', 'company_id', 'last_seen_at', 'merged_into', 'retired_at', 'connected_since']).where(dialect.inList('id', ids)).execute(),
      ]);
      return devices.map((d) => ({
        deviceId: d.id, companyId: d.company_id, lastSeenAtMs: d.last_seen_at, mergedInto: d.merged_into, retiredAtMs: d.retired_at, connectedSinceMs: d.connected_since,
        strong: evidence.filter((e) => e.device_id === d.id && e.strength === 'strong').map((e) => e.id_key).sort(),
        weak: evidence.filter((e) => e.device_id === d.id && e.strength === 'weak').map((e) => e.id_key).sort(),
      })).sort((a, b) => compareIds(a.deviceId, b.deviceId));
    }),

    keyHolders: (treeRoot, keys, cap) => statement(ctx, async (db) => {
      const counts = new Map<string, number>();
      for (const k of new Set(keys)) {
        const held = await db.selectFrom('device_hardware_ids').select('device_id')
          .where('tree_root', '=', treeRoot).where('id_key', '=', k).limit(cap).execute();
        counts.set(k, held.length);
      }
      return counts;
    }),

    setEvidence: (deviceId, treeRoot, evidence) => writing(ctx, async (db) => {
      const have = (await db.selectFrom('device_hardware_ids').select(['tree_root', 'id_key', 'strength']).where('device_id', '=', deviceId).execute());
      const rows = evidenceToWrite(have, treeRoot, evidence);
      if (rows === null) return false;
      await db.deleteFrom('device_hardware_ids').where('device_id', '=', deviceId).execute();
      if (rows.length) await db.insertInto('device_hardware_ids').values(rows.map((r) => ({ ...r, device_id: deviceId }))).onConflict((oc) => oc.doNothing()).execute();
      return true;
    }),

    hasEvidence: (deviceId) => statement(ctx, async (db) =>
      (await db.selectFrom('device_hardware_ids').select('device_id').where('device_id', '=', deviceId).limit(1).executeTakeFirst()) !== undefined),

    takeEnrolment: (tokenId, nowMs) => writing(ctx, async (db) => {
      // The upgrade checked the token; it may have been revoked or deleted, or expired, in the moments since.
      const token = await db.selectFrom('enrolment_tokens').select(['revoked_at', 'expires_at']).where('id', '=', tokenId).executeTakeFirst();
      if (!token || token.revoked_at !== null || (token.expires_at !== null && token.expires_at <= nowMs)) return 'invalid' as const;
      const taken = await db.updateTable('enrolment_tokens').set((eb) => ({ enrolments: eb('enrolments', '+', 1) }))
        .where('id', '=', tokenId)
        .where((eb) => eb.or([eb('max_enrolments', 'is', null), eb('enrolments', '<', eb.ref('max_enrolments'))]))
        .executeTakeFirst();
      if (taken.numUpdatedRows !== 1n) return 'exhausted' as const;
      const reached = await db.updateTable('enrolment_tokens').set({ limit_hit_at: nowMs })
        .where('id', '=', tokenId).where('limit_hit_at', 'is', null).where('max_enrolments', 'is not', null).where((eb) => eb('enrolments', '>=', eb.ref('max_enrolments')))
        .executeTakeFirst();
      return reached.numUpdatedRows === 1n ? 'last' as const : 'ok' as const;
    }),

    reenrol: (input) => writing(ctx, async (db) => {
      const device = await dialect.forUpdate(db.selectFrom('devices').select(['company_id', 'enrolments']).where('id', '=', input.deviceId)).executeTakeFirst();
      if (!device) throw new StorageError('not_found', `device ${input.deviceId} does not exist`);
      await db.updateTable('devices').set({
        key_hash: input.keyHash, company_id: input.companyId, instance_id: input.instanceId, agent_version: input.agentVersion,
        last_enrolled_at: input.nowMs, last_seen_at: input.nowMs, uninstalled_at: null, enrolment_token_id: input.tokenId,
        first_run_at: input.firstRunAtMs, enrolments: Number(device.enrolments) + 1,
      }).where('id', '=', input.deviceId).execute();
      return { previousCompanyId: device.company_id };
    }),

    flagDuplicates: (deviceId, of, why, evidence, nowMs) => writing(ctx, async (db) => {
      for (const other of of) {
        if (other === deviceId) continue;
        const [a, b] = pair(deviceId, other);
        await db.insertInto('device_duplicates').values({ device_a: a, device_b: b, why, evidence: JSON.stringify([...evidence].sort()), found_at: nowMs })
          .onConflict((oc) => oc.columns(['device_a', 'device_b']).doNothing()).execute();
      }
    }),

    listDuplicates: (companyIds) => statement(ctx, async (db): Promise<DuplicatePair[]> => {
      let q = db.selectFrom('device_duplicates as p')
        .innerJoin('devices as da', 'da.id', 'p.device_a').innerJoin('devices as db', 'db.id', 'p.device_b')
        .select(['p.device_a', 'p.device_b', 'p.why', 'p.evidence', 'p.found_at', 'p.dismissed_at', 'da.company_id as company_a', 'db.company_id as company_b'])
        .where('p.dismissed_at', 'is', null).where('da.merged_into', 'is', null).where('db.merged_into', 'is', null);
      if (companyIds) q = q.where((eb) => eb.and([dialect.inList('da.company_id', companyIds), dialect.inList('db.company_id', companyIds)]));
      return (await q.orderBy('p.found_at').orderBy('p.device_a').orderBy('p.device_b').execute()).map((r) => ({
        deviceA: r.device_a, deviceB: r.device_b, companyA: r.company_a, companyB: r.company_b, why: r.why, evidence: parseList(r.evidence),
        foundAtMs: r.found_at, dismissedAtMs: r.dismissed_at,
      }));
    }),

    dismissDuplicate: (deviceA, deviceB, nowMs, actor) => statement(ctx, async (db) => {
      const [a, b] = pair(deviceA, deviceB);
      const r = await db.updateTable('device_duplicates').set({ dismissed_at: nowMs, dismissed_by: actor })
        .where('device_a', '=', a).where('device_b', '=', b).where('dismissed_at', 'is', null).executeTakeFirst();
      return r.numUpdatedRows === 1n;
    }),

    appendHistory: (entries) => statement(ctx, async (db) => {
      if (entries.length === 0) return;
      await db.insertInto('device_history').values(entries.map((e) => ({
        // Ordered ids: entries of the same instant read back in the order they were written.
        id: `${String(e.atMs).padStart(15, '0')}-${String(++historySeq % 1e9).padStart(9, '0')}-${randomUUID().slice(0, 8)}`, device_id: e.deviceId, at: e.atMs, kind: e.kind, actor: e.actor, details: JSON.stringify(e.details ?? {}),
      }))).execute();
    }),

    history: (deviceId) => statement(ctx, async (db): Promise<DeviceHistoryEntry[]> =>
      (await db.selectFrom('device_history').selectAll().where('device_id', '=', deviceId).orderBy('at').orderBy('id').execute()).map((r) => ({
        deviceId: r.device_id, atMs: r.at, kind: r.kind as DeviceHistoryKind, actor: r.actor, details: JSON.parse(r.details) as Record<string, unknown>,
      }))),

    moveDevice: (deviceId, companyId, fromDay, nowMs) => writing(ctx, async (db): Promise<DeviceMoveResult> => {
      const device = await dialect.forUpdate(db.selectFrom('devices').select('company_id').where('id', '=', deviceId)).executeTakeFirst();
      if (!device) throw new StorageError('not_found', `device ${deviceId} does not exist`);
      const days = (await db.selectFrom('device_days').select('utc_day').where('device_id', '=', deviceId).where('utc_day', '>=', fromDay)
        .where('company_id', '!=', companyId).execute()).map((r) => r.utc_day);
      await db.updateTable('devices').set({ company_id: companyId }).where('id', '=', deviceId).execute();
      if (days.length) await db.updateTable('device_days').set({ company_id: companyId }).where('device_id', '=', deviceId).where('utc_day', '>=', fromDay).execute();
      await recomputeSummaries(db, dialect.name, monthPairs(days.map((d): [string, number] => [deviceId, d])));
      return { fromCompanyId: device.company_id, daysMoved: days.length, finalizedMonthsTouched: await markFinalizedLate(db, days, nowMs) };
    }),

    mergeDevices: ({ survivorId, duplicateId, keys, nowMs }) => writing(ctx, async (db) => {
      if (survivorId === duplicateId) throw new StorageError('conflict', 'a device cannot be merged into itself');
      const devices = await dialect.forUpdate(db.selectFrom('devices')
        .select(['id', 'merged_into', 'last_seen_at', 'uninstalled_at', 'retired_at', 'enrolments'])
        .where(dialect.inList('id', [survivorId, duplicateId]))).execute();
      const survivor = devices.find((d) => d.id === survivorId);
      const duplicate = devices.find((d) => d.id === duplicateId);
      if (!survivor || !duplicate) throw new StorageError('not_found', `device ${!survivor ? survivorId : duplicateId} does not exist`);
      if (survivor.merged_into || duplicate.merged_into) throw new StorageError('conflict', `device ${survivor.merged_into ? survivorId : duplicateId} was already merged into another`);

      // Days both devices have: folded into the survivor's row.
      const dayColumns = ['utc_day', 'company_id', 'awake_seconds', 'first_at', 'last_at', 'virtual', 'role', 'platform', 'modules', 'im_tier', 'user_id', 'ownership'] as const;
      const dupDays = await db.selectFrom('device_days').select(dayColumns).where('device_id', '=', duplicateId).execute();
      const survivorDays = new Map((await db.selectFrom('device_days').select(dayColumns).where('device_id', '=', survivorId).execute()).map((r) => [r.utc_day, r]));
      const decode = dialect.deviceDayDecoding();
      let folded = 0;
      for (const d of dupDays) {
        const s = survivorDays.get(d.utc_day);
        if (!s) continue;
        // Seconds add up (a re-image: the old agent ran part of the day, the new one the rest), never past a day's length.
        const richer = d.awake_seconds > s.awake_seconds ? d : s;
        const modules = [...new Set([...decode.modules(s.modules), ...decode.modules(d.modules)])].sort();
        await db.updateTable('device_days').set({
          awake_seconds: Math.min(SECONDS_PER_DAY, s.awake_seconds + d.awake_seconds), company_id: richer.company_id,
          first_at: Math.min(s.first_at, d.first_at), last_at: Math.max(s.last_at, d.last_at),
          role: richer.role, platform: richer.platform, im_tier: richer.im_tier, user_id: richer.user_id, ownership: richer.ownership,
          virtual: decode.virtual(richer.virtual) as never, modules: dialect.moduleList(modules) as never,
        }).where('device_id', '=', survivorId).where('utc_day', '=', d.utc_day).execute();
        await db.deleteFrom('device_days').where('device_id', '=', duplicateId).where('utc_day', '=', d.utc_day).execute();
        folded++;
      }
      await db.updateTable('device_days').set({ device_id: survivorId }).where('device_id', '=', duplicateId).execute();
      // The duplicate's months now belong to the survivor: both sides' summaries recomputed (the duplicate's are left with no rows: removed).
      await recomputeSummaries(db, dialect.name, monthPairs(dupDays.map((d): [string, number] => [survivorId, d.utc_day])));
      await removeSummaries(db, monthPairs(dupDays.map((d): [string, number] => [duplicateId, d.utc_day])));
      for (const table of ['receipts', 'stream_floors', 'device_events', 'unbilled_late_usage'] as const) await moveKeyed(db, table, duplicateId, survivorId);
      // The survivor is found by either machine's evidence from now on.
      await db.insertInto('device_hardware_ids').columns(['tree_root', 'id_key', 'device_id', 'strength'])
        .expression((eb) => eb.selectFrom('device_hardware_ids').select(['tree_root', 'id_key', eb.val(survivorId).as('device_id'), 'strength']).where('device_id', '=', duplicateId))
        .onConflict((oc) => oc.doNothing()).execute();
      await db.deleteFrom('device_hardware_ids').where('device_id', '=', duplicateId).execute();
      const [a, b] = pair(survivorId, duplicateId);
      await db.updateTable('device_duplicates').set({ dismissed_at: nowMs, dismissed_by: 'merged' }).where('device_a', '=', a).where('device_b', '=', b).where('dismissed_at', 'is', null).execute();
      // The device's state is the one of whichever was seen last (the live agent's).
      const later = (duplicate.last_seen_at ?? 0) > (survivor.last_seen_at ?? 0) ? duplicate : survivor;
      await db.updateTable('devices').set({
        last_seen_at: later.last_seen_at, uninstalled_at: later.uninstalled_at, retired_at: later.retired_at,
        enrolments: Number(survivor.enrolments) + Number(duplicate.enrolments),
        ...(keys === 'duplicate' || keys === 'none' ? { key_hash: `revoked:${survivorId}:${nowMs}` } : {}),
      }).where('id', '=', survivorId).execute();
      await db.updateTable('devices').set({
        merged_into: survivorId,
        ...(keys === 'survivor' || keys === 'none' ? { key_hash: `revoked:${duplicateId}:${nowMs}` } : {}),
      }).where('id', '=', duplicateId).execute();
      return { daysFolded: folded, finalizedMonthsTouched: await markFinalizedLate(db, dupDays.map((d) => d.utc_day), nowMs) };
    }),

    setRetired: (deviceId, retiredAtMs) => statement(ctx, async (db) => {
      const r = await db.updateTable('devices').set({ retired_at: retiredAtMs }).where('id', '=', deviceId).executeTakeFirst();
      if (r.numUpdatedRows !== 1n) throw new StorageError('not_found', `device ${deviceId} does not exist`);
    }),

    addExclusion: (e: DeviceExclusion) => statement(ctx, async (db) => {
      const r = await db.insertInto('device_exclusions').values({
        device_id: e.deviceId, from_ms: e.fromMs, until_ms: e.untilMs, reason: e.reason, created_at: e.createdAtMs, created_by: e.createdBy,
      }).onConflict((oc) => oc.columns(['device_id', 'from_ms']).doNothing()).executeTakeFirst();
      if (r.numInsertedOrUpdatedRows !== 1n) throw new StorageError('conflict', `device ${e.deviceId} already has an exclusion from that instant`);
    }),

    endExclusion: (deviceId, untilMs) => statement(ctx, async (db) => {
      const r = await db.updateTable('device_exclusions').set({ until_ms: untilMs }).where('device_id', '=', deviceId).where('until_ms', 'is', null).executeTakeFirst();
      return r.numUpdatedRows > 0n;
    }),

    exclusions: (deviceIds) => statement(ctx, async (db): Promise<DeviceExclusion[]> => {
      if (deviceIds.length === 0) return [];
      return (await db.selectFrom('device_exclusions').selectAll().where(dialect.inList('device_id', deviceIds)).orderBy('device_id').orderBy('from_ms').execute())
        .map((r) => ({ deviceId: r.device_id, fromMs: r.from_ms, untilMs: r.until_ms, reason: r.reason, createdAtMs: r.created_at, createdBy: r.created_by }));
    }),

    lifecycle: (deviceId) => statement(ctx, async (db): Promise<DeviceLifecycle | null> => {
      const r = await db.selectFrom('devices').select(['enrolled_at', 'last_enrolled_at', 'first_run_at', 'uninstalled_at', 'retired_at']).where('id', '=', deviceId).executeTakeFirst();
      return r ? { enrolledAtMs: r.enrolled_at, lastEnrolledAtMs: r.last_enrolled_at, firstRunAtMs: r.first_run_at, uninstalledAtMs: r.uninstalled_at, retiredAtMs: r.retired_at } : null;
    }),

    admitStreams: async (deviceId, streams, nowMs, bound) => {
      const refused = new Set<string>();
      const wanted = [...new Set(streams)];
      if (!wanted.length) return refused;
      const knownOf = async (db: Kysely<Database>) =>
        new Set((await db.selectFrom('device_streams').select('stream').where('device_id', '=', deviceId).where('stream', 'in', wanted).execute()).map((r) => r.stream));
      // Names the device already has (every frame after the first of a connection): a read, no write lock.
      const known = await statement(ctx, knownOf);
      if (wanted.every((s) => known.has(s))) return refused;
      return writing(ctx, async (db) => {
        const now = await knownOf(db);
        const fresh = wanted.filter((s) => !now.has(s)).sort();
        if (!fresh.length) return refused;
        const recent = await db.selectFrom('device_streams').select((eb) => eb.fn.countAll<number>().as('n'))
          .where('device_id', '=', deviceId).where('first_seen_at', '>', nowMs - bound.windowMs).executeTakeFirstOrThrow();
        const room = Math.max(0, bound.max - Number(recent.n));
        const admitted = fresh.slice(0, room);
        for (const s of fresh.slice(room)) refused.add(s);
        if (admitted.length) {
          await db.insertInto('device_streams').values(admitted.map((stream) => ({ device_id: deviceId, stream, first_seen_at: nowMs })))
            .onConflict((oc) => oc.doNothing()).execute();
        }
        return refused;
      });
    },

    purgeEvents: (beforeMs, maxRows) => writing(ctx, async (db) => {
      // A bounded batch (oldest first, by the received_at index): a purge never holds the database for long.
      const victims = db.selectFrom('device_events').select(['device_id', 'stream', 'seq']).where('received_at', '<', beforeMs).orderBy('received_at').limit(maxRows);
      const r = await db.deleteFrom('device_events')
        .where((eb) => eb(eb.refTuple('device_id', 'stream', 'seq'), 'in', victims.$asTuple('device_id', 'stream', 'seq')))
        .executeTakeFirst();
      return Number(r.numDeletedRows);
    }),

    markConnected: (deviceId, sinceMs) => statement(ctx, async (db) => {
      await db.updateTable('devices').set({ connected_since: sinceMs }).where('id', '=', deviceId).execute();
    }),

    markDisconnected: (deviceId, sinceMs) => statement(ctx, async (db) => {
      await db.updateTable('devices').set({ connected_since: null }).where('id', '=', deviceId).where('connected_since', '<=', sinceMs).execute();
    }),

    markDisconnectedMany: (marks) => writing(ctx, async (db) => {
      for (const m of marks) {
        await db.updateTable('devices').set({ connected_since: null }).where('id', '=', m.deviceId).where('connected_since', '<=', m.sinceMs).execute();
      }
    }),

    clearUninstall: (deviceId) => statement(ctx, async (db) =>
      (await db.updateTable('devices').set({ uninstalled_at: null }).where('id', '=', deviceId).where('uninstalled_at', 'is not', null).executeTakeFirst()).numUpdatedRows === 1n),
  };
  return store;
}

