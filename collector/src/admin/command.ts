// The one write path. Every admin action is a Command: one schema for what it
// acts on (`target`: ids, from the URL or the method's params) and one for
// the change (`input`: the body), one permission, one `run` that applies the
// rules and writes, and one audit entry, all in one unit of work. REST
// routes, JSON-RPC methods, console forms and CLI subcommands only translate
// their input into (target, input), call executeCommand, and render the
// result or the TallyError.
import type { z } from 'zod';
import type { Logger } from '../../../common/log.ts';
import { TallyError } from '../errors.ts';
import { requirePermission, type Principal } from '../auth/principal.ts';
import type { Permission } from '../auth/roles.ts';
import type { AdminStores, Storage } from '../storage/types.ts';
import type { MonthCloser } from '../usage/index.ts';
import type { ReportJobs } from '../report-jobs/jobs.ts';
import type { WebhookWorker } from '../hooks/delivery.ts';
import { firstIssue } from './schemas.ts';
import type { KeyObject } from 'node:crypto';
import type { ReleaseArtifacts } from '../releases/artifacts.ts';
import type { PsaServices } from '../psa/sync.ts';
import type { OutboundPolicy } from '../outbound.ts';

/** What a command's audit entry says; the action defaults to the command's name. */
export interface AuditRecord {
  action?: string;
  targetType: string;
  targetId: string;
  /** The company the change concerns; null for installation-wide changes. */
  companyId: string | null;
  details?: unknown;
}

export interface CommandOutcome<O> {
  result: O;
  audit: AuditRecord;
}

/** What commands may use besides the stores of their unit of work. */
export interface CommandServices {
  storage: Pick<Storage, 'unitOfWork'> & AdminStores;
  now: () => number;
  logger: Logger;
  /** Month finalization (month.close). */
  closer?: MonthCloser;
  /** Report generation (report.create). */
  reports?: ReportJobs;
  /** Webhook delivery (webhook.test_send). */
  webhooks?: WebhookWorker;
  /** The release public keys a published release must be signed with (release.publish). */
  releaseKeys?: readonly KeyObject[];
  /** Where release artifacts are kept (release.publish checks they were uploaded). */
  releaseArtifacts?: ReleaseArtifacts;
  /** PSA connectors, the credentials key and the month reader (psa.*). */
  psa?: PsaServices;
  /** Which addresses webhook receivers, PSAs and identity providers may have (outbound.ts; default: public internet only). */
  outbound?: OutboundPolicy;
}

export interface RunContext {
  principal: Principal;
  /** The stores, bound to the command's transaction when it has one. */
  stores: AdminStores;
  /** One instant for the whole command. */
  nowMs: number;
  services: CommandServices;
}

export interface Command<T extends z.ZodType = z.ZodType, I extends z.ZodType = z.ZodType, O = unknown> {
  /** Stable name, also the audit action: 'company.create'. */
  readonly name: string;
  readonly summary: string;
  readonly permission: Permission;
  readonly target: T;
  readonly input: I;
  /**
   * false for the few commands whose work cannot sit in one transaction
   * (finalizing a month computes for minutes; a report job runs in the
   * background): they write through the storage itself, and their audit
   * entry follows their success.
   */
  readonly transactional?: boolean;
  run(ctx: RunContext, target: z.output<T>, input: z.output<I>): Promise<CommandOutcome<O>>;
}

export function defineCommand<T extends z.ZodType, I extends z.ZodType, O>(c: Command<T, I, O>): Command<T, I, O> {
  return c;
}

export type CommandResult<C> = C extends Command<z.ZodType, z.ZodType, infer O> ? O : never;

function parse<S extends z.ZodType>(schema: S, raw: unknown, prefix?: string): z.output<S> {
  const parsed = schema.safeParse(raw ?? {});
  if (parsed.success) return parsed.data;
  const { field, message } = firstIssue(parsed.error, prefix);
  throw new TallyError('invalid_request', message, { field });
}

/**
 * Runs a command for a principal: permission, then the target's and the
 * input's schemas (nothing is read before the input is known to be valid),
 * then the rules and the write, then the audit entry, in one unit of work.
 */
export async function executeCommand<T extends z.ZodType, I extends z.ZodType, O>(
  command: Command<T, I, O>, services: CommandServices, principal: Principal, rawTarget: unknown, rawInput: unknown,
): Promise<O> {
  requirePermission(principal, command.permission);
  const target = parse(command.target, rawTarget);
  const input = parse(command.input, rawInput);
  const nowMs = services.now();
  const audit = (stores: AdminStores, record: AuditRecord) => stores.audit.append({
    atMs: nowMs, actor: principal.actor, userId: principal.userId, action: record.action ?? command.name, targetType: record.targetType, targetId: record.targetId,
    companyId: record.companyId, details: record.details ?? {},
  });
  if (command.transactional === false) {
    const outcome = await command.run({ principal, stores: services.storage, nowMs, services }, target, input);
    await audit(services.storage, outcome.audit);
    return outcome.result;
  }
  return services.storage.unitOfWork(async (stores) => {
    const outcome = await command.run({ principal, stores, nowMs, services }, target, input);
    await audit(stores, outcome.audit);
    return outcome.result;
  });
}
