// What each role may do. One table, enforced in one place (the admin command
// runner and the read routes check `can`); every surface (REST, JSON-RPC,
// console, exports) goes through it.
//
// Admin users (people) hold one role within their scope. API keys hold one
// too: a key created by a user has a role no larger than its creator's
// (roleCovers); keys from before roles are owners, or auditors when read-only.

export const ROLES = ['owner', 'billing_admin', 'viewer', 'auditor'] as const;
export type Role = (typeof ROLES)[number];

export const PERMISSIONS = [
  /** Companies, devices, usage, months, reports: everything a viewer sees. */
  'read',
  /** The audit log. */
  'audit.read',
  /** Companies, user groups, users, device bindings, XDR deployments. */
  'tenancy.write',
  /** Subscriptions and trials. */
  'subscriptions.write',
  /** Finalizing months. */
  'months.write',
  /** Generating and scheduling reports. */
  'reports.write',
  /** API keys and enrolment tokens. */
  'keys.write',
  /** Device lifecycle: move, merge, retire, exclude. */
  'devices.write',
  /** Admin users, their sessions, single sign-on providers and sign-in settings: who has access. */
  'users.read',
  'users.write',
  /** Agent releases: publishing, rollouts, pausing (installation-wide: what every agent installs). */
  'releases.write',
  /** PSA connections, mappings and syncs (the PSA's credentials are set installation-wide only). */
  'psa.write',
  /** One's own account: password, two-factor authentication, sessions. Every signed-in person has it. */
  'account.write',
] as const;
export type Permission = (typeof PERMISSIONS)[number];

export const ROLE_PERMISSIONS: Readonly<Record<Role, readonly Permission[]>> = {
  owner: PERMISSIONS,
  billing_admin: ['read', 'subscriptions.write', 'months.write', 'reports.write', 'psa.write', 'account.write'],
  viewer: ['read', 'account.write'],
  auditor: ['read', 'audit.read', 'users.read', 'account.write'],
};

export const ROLE_LABELS: Readonly<Record<Role, string>> = {
  owner: 'Owner', billing_admin: 'Billing admin', viewer: 'Viewer', auditor: 'Auditor',
};

export const ROLE_SUMMARIES: Readonly<Record<Role, string>> = {
  owner: 'everything in its scope, including users, sign-in and keys',
  billing_admin: 'subscriptions, months, reports, PSA sync; reads everything else',
  viewer: 'reads companies, devices, usage and reports; changes nothing',
  auditor: 'reads everything, including the audit log and who has access; changes nothing',
};

export const isRole = (v: unknown): v is Role => typeof v === 'string' && (ROLES as readonly string[]).includes(v);

export const roleCan = (role: Role, permission: Permission): boolean => ROLE_PERMISSIONS[role].includes(permission);

/** Whether `holder` may do everything `granted` may: a user hands out (to a user or a key) only a role their own covers. */
export const roleCovers = (holder: Role, granted: Role): boolean => ROLE_PERMISSIONS[granted].every((p) => roleCan(holder, p));
