// PSA sync commands: the connection (credentials encrypted under the admin's
// key, checked against the PSA before anything is stored), the mappings
// (Tally company -> PSA company and agreement; Tally SKU -> PSA product) and
// the sync itself (dry run or for real). Connections and syncs cover the
// whole installation; see psa/README.md.
import { z } from 'zod';
import { TallyError } from '../errors.ts';
import { redactCredentials, requireKey } from '../psa/secrets.ts';
import { runSync } from '../psa/sync.ts';
import { CREDENTIAL_FIELDS, PSA_KINDS, type PsaKind } from '../psa/types.ts';
import { defineCommand, type AuditRecord, type RunContext } from './command.ts';
import { idParam, monthParam } from './schemas.ts';

const kindTarget = z.object({ kind: z.enum(PSA_KINDS) }).strict();
const credential = z.string().trim().min(1).max(500);
const psaId = z.union([z.string().trim().min(1).max(100), z.number().int().nonnegative().transform(String)]);

const CREDENTIALS: Record<PsaKind, z.ZodType<Record<string, string>>> = {
  connectwise: z.object({ companyId: credential, publicKey: credential, privateKey: credential, clientId: credential }).strict(),
  autotask: z.object({ userName: credential, secret: credential, integrationCode: credential }).strict(),
  halopsa: z.object({ clientId: credential, clientSecret: credential, tenant: credential.optional() }).strict(),
};

const baseUrl = z.string().trim().max(500).url('expected the PSA API URL, e.g. https://api-na.myconnectwise.net/v4_6_release/apis/3.0/')
  .refine((u) => /^https?:$/.test(new URL(u).protocol), 'expected an http(s) URL');

function services(ctx: RunContext) {
  if (!ctx.services.psa) throw new TallyError('internal', 'PSA sync is not available here');
  return ctx.services.psa;
}

export const setPsaConnection = defineCommand({
  name: 'psa.connection.set',
  summary: 'Connect a PSA: its API URL and credentials (stored encrypted; checked against the PSA first)',
  permission: 'psa.write',
  target: kindTarget,
  input: z.object({
    baseUrl,
    credentials: z.record(z.string(), z.unknown()),
    /** How often the open month is synced on schedule, in hours (0: only on demand). */
    syncHours: z.number().int().min(0).max(24 * 31).default(24),
    /** Check the credentials with one read before storing them (default true). */
    verify: z.boolean().default(true),
  }).strict(),
  // Checking the credentials is a call to the PSA: not inside a database transaction.
  transactional: false,
  async run(ctx, { kind }, input) {
    ctx.principal.scope.requireInstallation('connecting a PSA (it covers every company)');
    const psa = services(ctx);
    const parsed = CREDENTIALS[kind].safeParse(input.credentials);
    if (!parsed.success) {
      const issue = parsed.error.issues[0];
      const field = ['credentials', ...issue.path.map(String)].join('.');
      // The message names the field, never the value.
      throw new TallyError('invalid_request', `${field}: ${issue.message} (${kind} takes ${CREDENTIAL_FIELDS[kind].map((f) => f.field).join(', ')})`, { field });
    }
    const key = requireKey(psa.key);
    if (input.verify) await psa.connectors(kind, input.baseUrl, parsed.data).verify();
    const shown = redactCredentials(kind, parsed.data);
    await ctx.stores.psa.putConnection({ kind, baseUrl: input.baseUrl, encryptedCredentials: key.encrypt(kind, parsed.data), shown, syncHours: input.syncHours, updatedAtMs: ctx.nowMs });
    return {
      result: { kind, baseUrl: input.baseUrl, credentials: shown, syncHours: input.syncHours, verified: input.verify },
      audit: { targetType: 'psa_connection', targetId: kind, companyId: null, details: { baseUrl: input.baseUrl, credentials: shown, syncHours: input.syncHours, verified: input.verify } },
    };
  },
});

const companyMapping = z.object({
  companyId: idParam, psaCompanyId: psaId, psaCompanyName: z.string().trim().max(200).default(''), agreementId: psaId, agreementName: z.string().trim().max(200).default(''),
}).strict();
const productMapping = z.object({ sku: z.string().trim().min(1).max(100), productId: psaId, productName: z.string().trim().max(200).default('') }).strict();

async function requireConnection(ctx: RunContext, kind: PsaKind) {
  if (!(await ctx.stores.psa.getConnection(kind))) throw new TallyError('not_found', `no ${kind} connection is set up (psa.connection.set)`, { field: 'kind' });
}

export const setPsaMapping = defineCommand({
  name: 'psa.mapping.set',
  summary: 'Map a Tally company to a PSA company and agreement, or a Tally SKU to a PSA product (the admin confirms a suggestion here)',
  permission: 'psa.write',
  target: kindTarget,
  input: z.union([companyMapping, productMapping]),
  async run(ctx, { kind }, input): Promise<{ result: Record<string, unknown>; audit: AuditRecord }> {
    ctx.principal.scope.requireInstallation('PSA mappings (the connection covers every company)');
    await requireConnection(ctx, kind);
    if ('companyId' in input) {
      const company = ctx.principal.scope.company(input.companyId, 'companyId');
      await ctx.stores.psa.putCompanyMap({ kind, ...input, companyId: company.id, updatedAtMs: ctx.nowMs, updatedBy: ctx.principal.actor });
      return { result: { kind, ...input }, audit: { targetType: 'psa_company_map', targetId: `${kind}:${company.id}`, companyId: company.id, details: input } };
    }
    await ctx.stores.psa.putProductMap({ kind, ...input, updatedAtMs: ctx.nowMs, updatedBy: ctx.principal.actor });
    return { result: { kind, ...input }, audit: { targetType: 'psa_product_map', targetId: `${kind}:${input.sku}`, companyId: null, details: input } };
  },
});

export const deletePsaMapping = defineCommand({
  name: 'psa.mapping.delete',
  summary: 'Remove a company or SKU mapping (its lines become unmapped; nothing is written to the PSA)',
  permission: 'psa.write',
  target: kindTarget,
  input: z.union([z.object({ companyId: idParam }).strict(), z.object({ sku: z.string().trim().min(1).max(100) }).strict()]),
  async run(ctx, { kind }, input) {
    ctx.principal.scope.requireInstallation('PSA mappings (the connection covers every company)');
    const removed = 'companyId' in input ? await ctx.stores.psa.deleteCompanyMap(kind, input.companyId) : await ctx.stores.psa.deleteProductMap(kind, input.sku);
    if (!removed) throw new TallyError('not_found', `no ${kind} mapping for ${'companyId' in input ? `company ${input.companyId}` : `SKU ${input.sku}`}`);
    const id = 'companyId' in input ? input.companyId : input.sku;
    return {
      result: { kind, removed: input },
      audit: { targetType: 'companyId' in input ? 'psa_company_map' : 'psa_product_map', targetId: `${kind}:${id}`, companyId: 'companyId' in input ? input.companyId : null },
    };
  },
});

export const runPsaSync = defineCommand({
  name: 'psa.sync.run',
  summary: 'Push a month\'s billable quantities to the PSA (dryRun: only show the diff); a finalized month\'s corrections become PSA adjustments',
  permission: 'psa.write',
  target: kindTarget,
  input: z.object({ month: monthParam, dryRun: z.boolean().default(false), overwrite: z.boolean().default(false) }).strict(),
  // Calls to the PSA, line by line, each recorded as it lands: never one database transaction.
  transactional: false,
  async run(ctx, { kind }, { month, dryRun, overwrite }) {
    ctx.principal.scope.requireInstallation('a PSA sync (it covers every company)');
    const outcome = await runSync({ psa: services(ctx), stores: ctx.services.storage, nowMs: ctx.nowMs, actor: ctx.principal.actor, userId: ctx.principal.userId },
      kind, month, { dryRun, overwrite });
    return {
      result: outcome,
      audit: {
        action: dryRun ? 'psa.sync.dry_run' : 'psa.sync.run', targetType: 'psa_connection', targetId: kind, companyId: null,
        details: { month, dryRun, overwrite, written: outcome.written, adjusted: outcome.adjusted, unchanged: outcome.unchanged, failed: outcome.failed.length },
      },
    };
  },
});
