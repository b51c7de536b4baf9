// Admin users (people, not keys), their console sessions in the database,
// single sign-on providers, and who owns an API key (issue 20).
import type { SharedMigration } from '../migrate.ts';

export const adminUsers0007: SharedMigration = {
  version: 7,
  name: 'admin_users',
  up: (db, { types }) => [
    db.schema.createTable('admin_users')
      .addColumn('id', types.key, (c) => c.primaryKey())
      // Lower-cased; one person, one e-mail address.
      .addColumn('email', types.key, (c) => c.notNull().unique())
      .addColumn('name', types.text, (c) => c.notNull())
      .addColumn('role', types.text, (c) => c.notNull())
      // NULL: the whole installation; else the partner (and its subtree) or the customer company.
      .addColumn('company_id', types.key)
      // argon2id (PHC string); NULL for users who sign in only through SSO.
      .addColumn('password_hash', types.text)
      .addColumn('must_change_password', types.flag, (c) => c.notNull().defaultTo(false))
      .addColumn('totp_secret', types.text)
      .addColumn('totp_enabled_at', types.integer)
      // JSON array of SHA-256 hashes of the unused recovery codes.
      .addColumn('recovery_codes', types.text, (c) => c.notNull().defaultTo('[]'))
      .addColumn('failed_logins', types.integer, (c) => c.notNull().defaultTo(0))
      .addColumn('locked_until', types.integer)
      .addColumn('sso_provider_id', types.key)
      .addColumn('sso_subject', types.text)
      .addColumn('created_at', types.integer, (c) => c.notNull())
      .addColumn('created_by', types.text, (c) => c.notNull())
      .addColumn('disabled_at', types.integer)
      .addColumn('last_login_at', types.integer),
    db.schema.createIndex('admin_users_sso').on('admin_users').columns(['sso_provider_id', 'sso_subject']).unique(),
    db.schema.createIndex('admin_users_company').on('admin_users').column('company_id'),

    // A console session: the cookie holds a random token, the database its SHA-256.
    db.schema.createTable('console_sessions')
      .addColumn('id', types.key, (c) => c.primaryKey())
      .addColumn('token_hash', types.key, (c) => c.notNull().unique())
      .addColumn('user_id', types.key)
      // Sessions opened with an API key (bootstrap, before any user exists).
      .addColumn('api_key_id', types.key)
      // 'active', or a step of signing in still to do: 'password' (set a new one), 'mfa_setup', 'mfa'.
      .addColumn('stage', types.text, (c) => c.notNull())
      .addColumn('csrf_token', types.text, (c) => c.notNull())
      .addColumn('created_at', types.integer, (c) => c.notNull())
      .addColumn('last_used_at', types.integer, (c) => c.notNull())
      .addColumn('user_agent', types.text, (c) => c.notNull())
      .addColumn('address', types.text, (c) => c.notNull()),
    db.schema.createIndex('console_sessions_user').on('console_sessions').columns(['user_id', 'created_at']),
    db.schema.createIndex('console_sessions_key').on('console_sessions').columns(['api_key_id', 'created_at']),

    // OpenID Connect providers, per installation (company_id NULL) or per partner.
    db.schema.createTable('sso_providers')
      .addColumn('id', types.key, (c) => c.primaryKey())
      .addColumn('company_id', types.key)
      .addColumn('name', types.text, (c) => c.notNull())
      .addColumn('issuer', types.text, (c) => c.notNull())
      .addColumn('client_id', types.text, (c) => c.notNull())
      .addColumn('client_secret', types.text, (c) => c.notNull())
      // The ID token claim whose values map to a role and a scope.
      .addColumn('claim', types.text, (c) => c.notNull())
      // JSON: [{ value, role, companyId }]
      .addColumn('mappings', types.text, (c) => c.notNull())
      .addColumn('created_at', types.integer, (c) => c.notNull())
      .addColumn('updated_at', types.integer, (c) => c.notNull())
      .addColumn('disabled_at', types.integer),

    // Sign-ins under way at the identity provider (state, PKCE verifier, nonce): any collector may get the callback.
    db.schema.createTable('sso_logins')
      .addColumn('state', types.key, (c) => c.primaryKey())
      .addColumn('provider_id', types.key, (c) => c.notNull())
      .addColumn('code_verifier', types.text, (c) => c.notNull())
      .addColumn('nonce', types.text, (c) => c.notNull())
      .addColumn('next', types.text, (c) => c.notNull())
      .addColumn('created_at', types.integer, (c) => c.notNull()),

    // Installation-wide sign-in settings (e.g. two-factor required).
    db.schema.createTable('auth_settings')
      .addColumn('name', types.key, (c) => c.primaryKey())
      .addColumn('value', types.text, (c) => c.notNull()),

    // Keys created by a user: never more than their creator (auth/authenticate.ts). NULL role: as before (read_only).
    db.schema.alterTable('api_keys').addColumn('created_by_user_id', types.key),
    db.schema.alterTable('api_keys').addColumn('role', types.text),
    // The person behind an action (a user, or the user who owns the acting key).
    db.schema.alterTable('audit_log').addColumn('user_id', types.key),
  ],
};
