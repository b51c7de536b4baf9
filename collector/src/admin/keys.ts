// API keys and enrolment tokens. Secrets are shown once, in the command's
// result, and stored hashed; listings never carry them.
import { randomUUID } from 'node:crypto';
import { z } from 'zod';
import { hashSecret, newSecret } from '../auth/secrets.ts';
import { TallyError, forbidden, invalid } from '../errors.ts';
import { ROLES, ROLE_PERMISSIONS, roleCovers } from '../auth/roles.ts';
import { defineCommand } from './command.ts';
import { idParam } from './schemas.ts';

export const CreateKeyInput = z.object({
  label: z.string().trim().min(1).max(100),
  /** null: installation-wide (only an installation principal may create one). */
  companyId: idParam.nullable().default(null),
  /** Shorthand for role auditor (keys from before roles). */
  readOnly: z.boolean().default(false),
  /** The key's role: at most its creator's. Default: owner, or auditor when readOnly. */
  role: z.enum(ROLES).optional(),
}).strict();

export const createApiKey = defineCommand({
  name: 'api_key.create',
  summary: 'Create an API key for a company in scope (or the installation); the key is shown once',
  permission: 'keys.write',
  target: z.object({}).strict(),
  input: CreateKeyInput,
  async run({ principal, stores, nowMs }, _t, input) {
    // A principal never hands out more than it has: scoped principals only create keys inside their tree, with a role their own covers.
    if (input.companyId === null) principal.scope.requireInstallation('an installation-wide API key');
    else principal.scope.company(input.companyId);
    if (input.readOnly && input.role !== undefined && input.role !== 'auditor') throw invalid('role', 'a read-only key has the auditor role');
    const role = input.role ?? (input.readOnly ? 'auditor' : principal.role);
    if (!roleCovers(principal.role, role)) throw forbidden(`the ${principal.role.replace('_', ' ')} role cannot create a key with the ${role.replace('_', ' ')} role`);
    const readOnly = !ROLE_PERMISSIONS[role].some((p) => p.endsWith('.write') && p !== 'account.write');
    const key = newSecret('api_key');
    const id = randomUUID();
    // Owned by the person behind the principal (a user, or the user who owns the acting key): it never outlives what they may do.
    await stores.adminWrite.createApiKey({ id, keyHash: hashSecret(key), label: input.label, companyId: input.companyId, readOnly, role, createdByUserId: principal.userId, nowMs });
    return {
      result: { id, key, label: input.label, companyId: input.companyId, readOnly, role, createdByUserId: principal.userId },
      audit: { targetType: 'api_key', targetId: id, companyId: input.companyId, details: input },
    };
  },
});

export const revokeApiKey = defineCommand({
  name: 'api_key.revoke',
  summary: 'Revoke an API key',
  permission: 'keys.write',
  target: z.object({ keyId: idParam }).strict(),
  input: z.object({}).strict(),
  async run({ principal, stores, nowMs }, { keyId }) {
    const mine = (await stores.adminWrite.listApiKeys(principal.scope.companyIds())).find((k) => k.id === keyId);
    if (!mine) throw new TallyError('not_found', `API key ${keyId} does not exist`, { field: 'keyId' });
    await stores.adminWrite.revokeApiKey(keyId, nowMs);
    return { result: { id: keyId }, audit: { targetType: 'api_key', targetId: keyId, companyId: mine.companyId } };
  },
});

export const CreateTokenInput = z.object({
  /** Lifetime; null: no expiry (an RMM policy that onboards new machines for years). */
  expiresInDays: z.number().int().min(1).max(3650).nullable().default(null),
  /** At most this many enrolments (new devices and re-enrolments); null: no limit. Size it to the fleet it deploys. */
  maxEnrolments: z.number().int().min(1).max(10_000_000).nullable().default(null),
}).strict();

export const createEnrolmentToken = defineCommand({
  name: 'enrolment_token.create',
  summary: 'Create an enrolment token for a customer company; shown once',
  permission: 'keys.write',
  target: z.object({ companyId: idParam }).strict(),
  input: CreateTokenInput,
  async run({ principal, stores, nowMs }, { companyId }, input) {
    const co = principal.scope.company(companyId);
    if (co.type !== 'customer') throw invalid('companyId', 'agents enrol into customer companies, not partners');
    const token = newSecret('enrolment_token');
    const id = randomUUID();
    const expiresAtMs = input.expiresInDays === null ? null : nowMs + input.expiresInDays * 86_400_000;
    await stores.adminWrite.createEnrolmentToken({ id, companyId: co.id, tokenHash: hashSecret(token), expiresAtMs, maxEnrolments: input.maxEnrolments, nowMs });
    return {
      result: { id, token, companyId: co.id, companyName: co.name, expiresAtMs, maxEnrolments: input.maxEnrolments },
      audit: { targetType: 'enrolment_token', targetId: id, companyId: co.id, details: { expiresInDays: input.expiresInDays, maxEnrolments: input.maxEnrolments } },
    };
  },
});

export const revokeEnrolmentToken = defineCommand({
  name: 'enrolment_token.revoke',
  summary: 'Revoke an enrolment token',
  permission: 'keys.write',
  target: z.object({ tokenId: idParam }).strict(),
  input: z.object({}).strict(),
  async run({ principal, stores, nowMs }, { tokenId }) {
    const mine = (await stores.adminWrite.listEnrolmentTokens(principal.scope.companyIds())).find((t) => t.id === tokenId);
    if (!mine) throw new TallyError('not_found', `enrolment token ${tokenId} does not exist`, { field: 'tokenId' });
    await stores.adminWrite.revokeEnrolmentToken(tokenId, nowMs);
    return { result: { id: tokenId }, audit: { targetType: 'enrolment_token', targetId: tokenId, companyId: mine.companyId } };
  },
});
