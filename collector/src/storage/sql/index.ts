// The admin stores, written once for both backends (Kysely; dialect.ts holds
// what differs), and the unit of work that binds them to one transaction.
// The ingest and enrolment stores stay per backend (sqlite/agents.ts,
// postgres/agents.ts): row-wise SQLite and set-based PostgreSQL differ there
// for good reasons.
import type { Kysely } from 'kysely';
import type { AdminStores } from '../types.ts';
import { sqlAdminStores as adminStores } from './admin.ts';
import { sqlAuditStore } from './audit.ts';
import { sqlBillingStore } from './billing.ts';
import type { SqlContext } from './context.ts';
import type { SqlDialect } from './dialect.ts';
import { sqlReportStore } from './reports.ts';
import type { Database } from './schema.ts';
import { sqlTenancyStore } from './tenancy.ts';
import { sqlSessionStore, sqlUserStore } from './users.ts';
import { sqlIdentityStore } from './identity.ts';
import { sqlHookStore } from './hooks.ts';
import { sqlPsaStore } from './psa.ts';
import { sqlReleaseStore } from './releases.ts';

export function sqlStores(ctx: SqlContext): AdminStores {
  return { ...adminStores(ctx), tenancy: sqlTenancyStore(ctx), billing: sqlBillingStore(ctx), audit: sqlAuditStore(ctx), reports: sqlReportStore(ctx),
    devices: sqlIdentityStore(ctx), users: sqlUserStore(ctx), sessions: sqlSessionStore(ctx), releases: sqlReleaseStore(ctx), hooks: sqlHookStore(ctx), psa: sqlPsaStore(ctx) };
}

/**
 * Storage.unitOfWork: fn's store calls all run in one transaction (a writing
 * one: BEGIN IMMEDIATE on SQLite, which also holds the connection's gate
 * throughout). What fn throws passes through unchanged once the transaction
 * is rolled back (even if the rollback itself failed: nothing was committed
 * either way); a failure to begin or commit is storage_unavailable.
 */
export function sqlUnitOfWork(db: Kysely<Database>, dialect: SqlDialect) {
  return async <T>(fn: (tx: AdminStores) => Promise<T>): Promise<T> => {
    let thrown: { error: unknown } | null = null;
    try {
      return await db.transaction().execute(async (trx) => {
        try {
          return await fn(sqlStores({ db: trx, dialect, inUnitOfWork: true }));
        } catch (error) {
          thrown = { error };
          throw error;
        }
      });
    } catch (err) {
      if (thrown) throw (thrown as { error: unknown }).error;
      return dialect.failure(err);
    }
  };
}
