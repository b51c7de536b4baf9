// The storage contract on PostgreSQL, plus what only PostgreSQL has:
// migrations under an advisory lock with several collectors starting at once.
// Needs a server: TALLY_TEST_PG_URL (skipped with a warning when unset,
// a failure when CI=true). The run gets its own database, dropped at the end;
// tests start from empty tables (TRUNCATE), which is much faster than a
// database per test.
import pg from 'pg';
import { shouldRun } from '../../helpers/requirements.ts';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { openPostgresStorage } from '../../../collector/src/storage/postgres/index.ts';
import { applyMigrations, loadMigrations } from '../../../collector/src/storage/postgres/migrate.ts';
import { createPool, inTransaction } from '../../../collector/src/storage/postgres/db.ts';
import { StorageError, type Storage } from '../../../collector/src/storage/types.ts';
import { createTestDatabase, pgServerConfigured, pgTestSetting, PG_URL_VAR, testPool, type TestDatabase } from '../../helpers/postgres.ts';
import { DAY, NOW, storageContract } from './contract.ts';
import { postgresDedupeMarks } from './dedupe-marks.ts';
import { postgresBillingOracle } from '../../helpers/billing-oracle.ts';
import { BIG_INSTANT, NOTES_MIGRATION } from './shared-migrations.ts';
import { seedCustomer } from '../../helpers/seed.ts';

const setting = pgTestSetting();

// Outside CI without a server the suite is skipped with a warning; under CI a missing or
// unreachable server fails it (.ci/run starts one and sets TALLY_TEST_PG_URL).
const run = shouldRun('PostgreSQL storage', pgServerConfigured(setting));

describe.skipIf(!run)('PostgreSQL storage', () => {
  const serverUrl = setting.run ? setting.url : '';
  let db: TestDatabase;
  let raw: pg.Pool;

  beforeAll(async () => {
    db = await createTestDatabase(serverUrl);
    raw = testPool(db.url);
    // Schema once for the run; every test then starts from empty tables.
    await (await openPostgresStorage({ url: db.url, nowMs: NOW })).close();
  });
  afterAll(async () => {
    await raw?.end();
    await db?.drop();
  });

  /** Children before parents. DELETE, not TRUNCATE: on tables this small it is several times faster. */
  const TABLES_IN_DELETE_ORDER = [
    'webhook_attempts', 'webhook_deliveries', 'webhook_events', 'webhook_endpoints', 'alert_states', 'alert_rules',
    'report_jobs', 'report_schedules', 'psa_ledger', 'psa_company_maps', 'psa_product_maps', 'psa_connections',
    'month_adjustments', 'months_with_late_data', 'finalized_months', 'month_runs', 'month_company_rows', 'month_endpoint_lines', 'month_user_lines', 'unbilled_late_usage', 'xdr_deployments', 'subscription_versions',
    'user_group_members', 'user_groups', 'device_events', 'device_streams', 'device_month_summaries', 'device_days', 'receipts', 'stream_floors',
    'device_hardware_ids', 'device_duplicates', 'device_exclusions', 'device_history', 'devices', 'users',
    'enrolment_tokens', 'api_keys', 'console_sessions', 'sso_logins', 'admin_users', 'sso_providers', 'auth_settings', 'company_moves', 'companies', 'audit_log',
    'release_rollouts', 'agent_releases',
  ];

  async function emptyAllTables() {
    await raw.query(TABLES_IN_DELETE_ORDER.map((t) => `DELETE FROM ${t};`).join('\n'));
  }

  it('empties every table between tests (a new migration table must be added to the list above)', async () => {
    const tables = (await raw.query<{ tablename: string }>("SELECT tablename FROM pg_tables WHERE schemaname = 'public' AND tablename <> 'schema_migrations'")).rows;
    expect(tables.map((t) => t.tablename).sort()).toEqual([...TABLES_IN_DELETE_ORDER].sort());
  });

  storageContract('PostgreSQL', async () => {
    await emptyAllTables();
    const handles: Storage[] = [await openPostgresStorage({ url: db.url, nowMs: NOW })];
    return {
      storage: handles[0],
      peer: async () => {
        const s = await openPostgresStorage({ url: db.url, nowMs: NOW });
        handles.push(s);
        return s;
      },
      receipts: (deviceId) => postgresDedupeMarks(raw, deviceId),
      billingInputs: postgresBillingOracle(raw).billingInputs,
      dispose: async () => {
        for (const h of handles) await h.close();
      },
    };
  });

  describe('PostgreSQL specifics', () => {
    it('migrates once when several collectors start at the same moment', async () => {
      const other = await createTestDatabase(serverUrl);
      try {
        const opened = await Promise.all(Array.from({ length: 4 }, () => openPostgresStorage({ url: other.url, nowMs: NOW })));
        for (const s of opened) await s.close();
        const c = new pg.Client({ connectionString: other.url });
        await c.connect();
        const rows = (await c.query<{ version: number; name: string }>('SELECT version, name FROM schema_migrations ORDER BY version')).rows;
        await c.end();
        expect(rows).toEqual(loadMigrations().map((m) => ({ version: m.version, name: m.name })));
        expect(rows.length).toBeGreaterThanOrEqual(3);
      } finally {
        await other.drop();
      }
    });

    it('keeps receipts written before migration 0005 as receipts: resends of them stay duplicates, new seqs are stored', async () => {
      const old = await createTestDatabase(serverUrl);
      const pool = testPool(old.url);
      try {
        // A database as the previous version left it: receipts per record, floors without a run.
        await applyMigrations(pool, loadMigrations().filter((m) => m.version < 5), NOW);
        await pool.query(`INSERT INTO companies (id, name, type, parent_id, path, registered_at) VALUES ('c1', 'Acme', 'customer', NULL, 'c1', $1)`, [NOW]);
        await pool.query(`INSERT INTO devices (id, company_id, key_hash, instance_id, hostname, agent_version, enrolled_at) VALUES ('d1', 'c1', 'h', 'i', 'host', '0.1.0', $1)`, [NOW]);
        await pool.query(`INSERT INTO stream_floors (device_id, stream, floor) VALUES ('d1', 's', 5)`);
        await pool.query(`INSERT INTO receipts (device_id, stream, seq) VALUES ('d1', 's', 5), ('d1', 's', 6), ('d1', 't', 1), ('d1', 't', 2)`);
        const storage = await openPostgresStorage({ url: old.url, nowMs: NOW });
        try {
          const rows = (await pool.query('SELECT stream, floor::int, stored_below::int, receipts_upto::int FROM stream_floors ORDER BY stream')).rows;
          expect(rows).toEqual([{ stream: 's', floor: 5, stored_below: 5, receipts_upto: 6 }, { stream: 't', floor: 0, stored_below: 1, receipts_upto: 2 }]);
          const rec = (seq: number, stream = 's') => ({ stream, seq, utcDay: DAY, awakeSeconds: 1, bootId: 'b' });
          const r = await storage.ingest.ingestUsage('d1', 'c1', [rec(4), rec(5), rec(6), rec(7), rec(1, 't'), rec(2, 't'), rec(3, 't')], [], NOW, { adjustableFromDay: 0 });
          expect(r.outcomes).toEqual(['duplicate', 'duplicate', 'duplicate', 'stored', 'duplicate', 'duplicate', 'stored']);
          expect((await postgresDedupeMarks(pool, 'd1')).map((m) => `${m.stream}:${m.seq}`)).toEqual(['s:5', 's:6', 's:7', 't:1', 't:2', 't:3']);
        } finally {
          await storage.close();
        }
      } finally {
        await pool.end();
        await old.drop();
      }
    });

    it('runs a migration written once in TypeScript after the .sql history, once under the lock, and a collector without it refuses the database', async () => {
      const other = await createTestDatabase(serverUrl);
      const pools = [testPool(other.url), testPool(other.url)];
      try {
        const sequence = loadMigrations(undefined, [NOTES_MIGRATION]);
        expect(sequence.map((m) => m.version)).toEqual([1, 2, 3, 4, 5, 6]);
        // Two collectors at once: one applies everything, the other nothing.
        const told: string[][] = [[], []];
        const runs = await Promise.all(pools.map((p, i) => applyMigrations(p, sequence, NOW, (m) => told[i].push(`${m.phase} ${m.version} ${m.index + 1}/${m.count}`))));
        expect(runs.map((r) => r.applied).sort((a, b) => a.length - b.length)).toEqual([[], [1, 2, 3, 4, 5, 6]]);
        // Progress is told by the collector that applies them, for each one; the one that waited for the lock tells nothing.
        expect(told.sort((a, b) => a.length - b.length)).toEqual([[], [1, 2, 3, 4, 5, 6].flatMap((v) => [`start ${v} ${v}/6`, `done ${v} ${v}/6`])]);
        expect((await pools[0].query('SELECT version, name FROM schema_migrations WHERE version = 6')).rows).toEqual([{ version: 6, name: 'test_notes' }]);
        expect((await pools[0].query('SELECT id, at::text, pinned, body FROM test_notes')).rows)
          .toEqual([{ id: 'n1', at: String(BIG_INSTANT), pinned: true, body: Buffer.from('note') }]);
        await expect(openPostgresStorage({ url: other.url, nowMs: NOW })).rejects.toMatchObject({ code: 'unknown_migration', message: expect.stringMatching(/migration 6 \(test_notes\)/) });
      } finally {
        for (const p of pools) await p.end();
        await other.drop();
      }
    });

    it('refuses a database holding a migration it does not know', async () => {
      await raw.query("INSERT INTO schema_migrations (version, name, applied_at) VALUES (999, 'from_the_future', 0)");
      try {
        let caught: unknown;
        try {
          await openPostgresStorage({ url: db.url, nowMs: NOW });
        } catch (err) {
          caught = err;
        }
        expect(caught).toBeInstanceOf(StorageError);
        expect((caught as StorageError).code).toBe('unknown_migration');
        expect((caught as Error).message).toMatch(/migration 999 \(from_the_future\)/);
      } finally {
        await raw.query('DELETE FROM schema_migrations WHERE version = 999');
      }
    });

    it('keeps ms timestamps and sequences beyond 32 bits exact (BIGINT read back as numbers)', async () => {
      await emptyAllTables();
      const storage = await openPostgresStorage({ url: db.url, nowMs: NOW });
      try {
        const companyId = (await seedCustomer(storage, 'Acme', NOW)).id;
        await storage.enrolment.enrolDevice({ deviceId: 'd1', companyId, keyHash: 'h', instanceId: 'i', hostname: 'h', facts: null, agentVersion: 'v', nowMs: NOW });
        const bigSeq = 2 ** 53 - 1;
        const r = await storage.ingest.ingestUsage('d1', companyId, [{ stream: 's', seq: bigSeq, utcDay: DAY, awakeSeconds: 5, bootId: 'b' }], [], NOW, { adjustableFromDay: 0 });
        expect(r.outcomes).toEqual(['stored']);
        const again = await storage.ingest.ingestUsage('d1', companyId, [{ stream: 's', seq: bigSeq, utcDay: DAY, awakeSeconds: 5, bootId: 'b' }], [], NOW, { adjustableFromDay: 0 });
        expect(again.outcomes).toEqual(['duplicate']);
        const [device] = (await storage.adminRead.listDevices({ after: null, limit: 1 })).items;
        expect(device.enrolledAtMs).toBe(NOW);
        expect(typeof device.lastSeenAtMs).toBe('number');
      } finally {
        await storage.close();
      }
    });

    it('fails a unit of work whose connection the server ends as storage_unavailable, and goes on with a new connection', async () => {
      // Without a listener on the checked-out client, the connection's end is
      // an uncaught 'error' event: the whole collector would crash (vitest
      // reports it as an unhandled error, failing the run).
      const pool = createPool({ url: db.url, max: 1 });
      try {
        const work = inTransaction(pool, async (q) => {
          const { pid } = (await q.query<{ pid: number }>('SELECT pg_backend_pid() AS pid')).rows[0];
          expect((await raw.query('SELECT pg_terminate_backend($1) AS ok', [pid])).rows).toEqual([{ ok: true }]);
          // The socket closes while this unit of work still holds the client.
          await new Promise((r) => setTimeout(r, 300));
          await q.query('SELECT 1');
        });
        await expect(work).rejects.toMatchObject({ code: 'storage_unavailable' });
        // The broken client was discarded: the next unit of work (on a pool of one) gets a working one.
        expect(await inTransaction(pool, async (q) => (await q.query<{ n: number }>('SELECT 1 AS n')).rows[0].n)).toBe(1);
      } finally {
        await pool.end();
      }
    });

    it('fails an admin unit of work whose connection the server ends as storage_unavailable, and goes on with a new connection (Kysely holds the client)', async () => {
      await emptyAllTables();
      // One connection: the next unit of work can only succeed if the broken client was discarded.
      const storage = await openPostgresStorage({ url: db.url, nowMs: NOW, poolSize: 1 });
      try {
        const work = storage.unitOfWork(async (tx) => {
          await tx.tenancy.createCompany({ id: 'p1', name: 'Partner', type: 'partner', parentId: null, externalId: null, nowMs: NOW });
          const ended = await raw.query(`SELECT pg_terminate_backend(pid) AS ok FROM pg_stat_activity
            WHERE datname = current_database() AND application_name = 'tally-collector' AND state = 'idle in transaction'`);
          expect(ended.rows).toEqual([{ ok: true }]);
          // The socket closes while Kysely still holds the client: without a listener its 'error' would crash the collector.
          await new Promise((r) => setTimeout(r, 300));
          await tx.audit.append({ atMs: NOW, actor: 'cli', action: 'a', targetType: 't', targetId: 'x', companyId: null, details: {} });
        });
        await expect(work).rejects.toMatchObject({ code: 'storage_unavailable' });
        expect(await storage.unitOfWork((tx) => tx.tenancy.getCompany('p1'))).toBeNull();
        expect((await storage.adminRead.listCompanies()).map((c) => c.id)).toEqual([]);
      } finally {
        await storage.close();
      }
    });

    it('reports an unreachable server as storage_unavailable within the connect timeout', async () => {
      const started = Date.now();
      // Port 1 on loopback: refused at once; the open fails with the driver error, not a hang.
      await expect(openPostgresStorage({ url: 'postgres://postgres@127.0.0.1:1/postgres', nowMs: NOW, connectTimeoutMs: 1000 }))
        .rejects.toMatchObject({ code: 'storage_unavailable' });
      expect(Date.now() - started).toBeLessThan(5000);
    });
  });
});
