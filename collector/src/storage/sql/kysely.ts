// Kysely's runtime, loaded from its CommonJS build. The collector runs its
// TypeScript through tsx's loader hooks, and Kysely's ES module build is ~300
// files: through the hooks that import cost ~450 ms of CPU at every start
// (the collector, every CLI command, every month child of the benchmark);
// the CommonJS build loads in ~90 ms. Import Kysely's VALUES from here only,
// never from 'kysely' (two copies of its classes would not recognise each
// other); types may come from 'kysely' directly (they are erased).
import { createRequire } from 'node:module';
import type * as KyselyModule from 'kysely';

const kysely = createRequire(import.meta.url)('kysely') as typeof KyselyModule;

export const {
  Kysely, sql, PostgresDialect, DummyDriver, CompiledQuery,
  SqliteAdapter, SqliteIntrospector, SqliteQueryCompiler, PostgresAdapter, PostgresIntrospector, PostgresQueryCompiler,
} = kysely;
