// PSA sync (issue 19): one connection per PSA (credentials encrypted under
// the admin's key), the admin's mappings (Tally company -> PSA company and
// agreement; Tally SKU -> PSA product), and the sync ledger: per month,
// connection, company and SKU, what Tally last made the PSA hold, so a
// repeated sync writes nothing and a broken one resumes where it stopped.
import type { SharedMigration } from '../migrate.ts';

export const PSA_SYNC: SharedMigration = {
  version: 13,
  name: 'psa_sync',
  up: (db, { types: t }) => [
    db.schema.createTable('psa_connections')
      .addColumn('kind', t.key, (c) => c.primaryKey())
      .addColumn('base_url', t.text, (c) => c.notNull())
      // v1:<key fingerprint>:<iv>:<tag>:<ciphertext> (psa/secrets.ts); never the clear credentials.
      .addColumn('credentials', t.text, (c) => c.notNull())
      // Identifiers (not secrets) shown back to the admin, JSON.
      .addColumn('shown', t.text, (c) => c.notNull())
      .addColumn('sync_hours', t.integer, (c) => c.notNull())
      .addColumn('last_sync_at', t.integer)
      .addColumn('last_sync_status', t.text)
      // One sync per connection at a time, across collectors: the holder's lease ends then (a crashed holder's lease runs out).
      .addColumn('sync_lease_until', t.integer)
      .addColumn('created_at', t.integer, (c) => c.notNull())
      .addColumn('updated_at', t.integer, (c) => c.notNull()),
    db.schema.createTable('psa_company_maps')
      .addColumn('kind', t.key, (c) => c.notNull())
      .addColumn('company_id', t.key, (c) => c.notNull().references('companies.id'))
      .addColumn('psa_company_id', t.text, (c) => c.notNull())
      .addColumn('psa_company_name', t.text, (c) => c.notNull())
      .addColumn('agreement_id', t.text, (c) => c.notNull())
      .addColumn('agreement_name', t.text, (c) => c.notNull())
      .addColumn('updated_at', t.integer, (c) => c.notNull())
      .addColumn('updated_by', t.text, (c) => c.notNull())
      .addPrimaryKeyConstraint('psa_company_maps_pk', ['kind', 'company_id']),
    db.schema.createTable('psa_product_maps')
      .addColumn('kind', t.key, (c) => c.notNull())
      .addColumn('sku', t.key, (c) => c.notNull())
      .addColumn('product_id', t.text, (c) => c.notNull())
      .addColumn('product_name', t.text, (c) => c.notNull())
      .addColumn('updated_at', t.integer, (c) => c.notNull())
      .addColumn('updated_by', t.text, (c) => c.notNull())
      .addPrimaryKeyConstraint('psa_product_maps_pk', ['kind', 'sku']),
    db.schema.createTable('psa_ledger')
      .addColumn('kind', t.key, (c) => c.notNull())
      .addColumn('month', t.key, (c) => c.notNull())
      .addColumn('company_id', t.key, (c) => c.notNull())
      .addColumn('sku', t.key, (c) => c.notNull())
      .addColumn('agreement_id', t.text, (c) => c.notNull())
      .addColumn('product_id', t.text, (c) => c.notNull())
      .addColumn('line_id', t.text)
      // What the PSA holds for this month as Tally last made it (or found it equal).
      .addColumn('quantity', t.integer, (c) => c.notNull())
      // The month's final quantities are in: later differences are adjustments.
      .addColumn('final', t.flag, (c) => c.notNull().defaultTo(false))
      // Sum of the adjustments pushed after finalization.
      .addColumn('adjusted', t.integer, (c) => c.notNull().defaultTo(0))
      // An adjustment sent whose answer is not recorded yet: its marker and difference (resume checks the PSA first).
      .addColumn('pending_marker', t.text)
      .addColumn('pending_delta', t.integer)
      .addColumn('updated_at', t.integer, (c) => c.notNull())
      .addPrimaryKeyConstraint('psa_ledger_pk', ['kind', 'month', 'company_id', 'sku']),
  ],
};
