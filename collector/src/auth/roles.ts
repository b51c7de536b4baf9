// What each role may do. One table, enforced in one place (the admin command
// runner and the read routes check `can`); every surface (REST, JSON-RPC,
// console, exports) goes through it.
//
// API keys carry a role today: a full key is an owner of its scope, a
// read-only key an auditor (read-only, with the audit log). People with
// roles of their own come with admin users.

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
] as const;
export type Permission = (typeof PERMISSIONS)[number];

export const ROLE_PERMISSIONS: Readonly<Record<Role, readonly Permission[]>> = {
  owner: PERMISSIONS,
  billing_admin: ['read', 'subscriptions.write', 'months.write', 'reports.write'],
  viewer: ['read'],
  auditor: ['read', 'audit.read'],
};

export const roleCan = (role: Role, permission: Permission): boolean => ROLE_PERMISSIONS[role].includes(permission);
