// Who is acting: the one shape every credential (API key, console session,
// the local CLI, the collector's own schedulers) becomes. Surfaces never look
// at credentials after this point; they pass the principal to commands and
// reads, which decide with `can` and the principal's scope.
import { TallyError } from '../errors.ts';
import type { AdminReadStore } from '../storage/types.ts';
import { roleCan, type Permission, type Role } from './roles.ts';
import { Scope } from './scope.ts';

export interface Principal {
  /** What the audit log records: `user:<id>`, `api-key:<id>`, `cli`, `system:<job>`. */
  readonly actor: string;
  readonly kind: 'user' | 'api_key' | 'cli' | 'system';
  /** The API key's id, for kind 'api_key'. */
  readonly keyId: string | null;
  /** The person: the user (kind 'user'), or the user who created the acting key; null otherwise. */
  readonly userId: string | null;
  readonly role: Role;
  readonly scope: Scope;
  /** A label to show (the user's name, the key's label). */
  readonly label: string;
}

export const can = (p: Principal, permission: Permission): boolean => roleCan(p.role, permission);

/** Throws forbidden unless the principal holds the permission. */
export function requirePermission(p: Principal, permission: Permission): void {
  if (can(p, permission)) return;
  throw new TallyError('forbidden', p.kind === 'api_key' && p.role === 'auditor'
    ? 'this API key is read-only'
    : `the ${p.role.replace('_', ' ')} role may not do this (needs ${permission})`);
}

/** The local operator (tally-collector commands on the collector's own machine): the whole installation. */
export async function cliPrincipal(reader: Pick<AdminReadStore, 'listCompanies'>): Promise<Principal> {
  return { actor: 'cli', kind: 'cli', keyId: null, userId: null, role: 'owner', scope: await Scope.load(reader, null), label: 'command line' };
}

/** The collector acting on its own (schedules, month finalization). */
export async function systemPrincipal(reader: Pick<AdminReadStore, 'listCompanies'>, job: string): Promise<Principal> {
  return { actor: `system:${job}`, kind: 'system', keyId: null, userId: null, role: 'owner', scope: await Scope.load(reader, null), label: job };
}
