// The REST adapter's plumbing: the request's principal, JSON bodies with a
// size limit, query strings through a schema, and a route that runs an
// admin command. Handlers translate; rules live in admin/.
import type { Context, Handler } from 'hono';
import type { ContentfulStatusCode } from 'hono/utils/http-status';
import type { z } from 'zod';
import type { Principal } from '../auth/principal.ts';
import { requirePermission } from '../auth/principal.ts';
import type { Permission } from '../auth/roles.ts';
import { executeCommand, type Command, type CommandServices } from '../admin/index.ts';
import { firstIssue } from '../admin/schemas.ts';
import { TallyError } from '../errors.ts';

export type ApiEnv = { Variables: { principal: Principal } };

/** Bodies above this are refused before parsing. */
export const MAX_BODY_BYTES = 256 * 1024;

const tooLarge = () => new TallyError('payload_too_large', `request body larger than ${MAX_BODY_BYTES} bytes`);

/** The raw JSON body ({} when empty); invalid JSON or an oversized body is refused before anything else. */
export async function jsonBody(c: Context): Promise<unknown> {
  if (Number(c.req.header('content-length') ?? '0') > MAX_BODY_BYTES) throw tooLarge();
  const text = await c.req.text();
  if (text.length > MAX_BODY_BYTES) throw tooLarge();
  if (text.trim() === '') return {};
  try {
    return JSON.parse(text);
  } catch (err) {
    throw new TallyError('invalid_request', `body is not valid JSON: ${(err as Error).message}`, { field: 'body' });
  }
}

export function queryParams<S extends z.ZodType>(c: Context, schema: S): z.output<S> {
  const parsed = schema.safeParse(c.req.query());
  if (parsed.success) return parsed.data;
  const { field, message } = firstIssue(parsed.error);
  throw new TallyError('invalid_request', message, { field });
}

/** A read route: the permission is checked before the handler runs. */
export function read(permission: Permission, handler: Handler<ApiEnv>): Handler<ApiEnv> {
  return (c, next) => {
    requirePermission(c.get('principal'), permission);
    return handler(c, next);
  };
}

/**
 * A route that runs one command: target from the path (and `target`), input
 * from the JSON body, the result rendered as JSON (or 204).
 */
export function commandRoute<T extends z.ZodType, I extends z.ZodType, O>(
  command: Command<T, I, O>, services: CommandServices,
  opts: { target?: (c: Context<ApiEnv>) => Record<string, unknown>; status: ContentfulStatusCode | 204; render?: (result: O) => unknown },
): Handler<ApiEnv> {
  return async (c) => {
    // Permission before the body is even read: a read-only key learns nothing from its input's fate.
    requirePermission(c.get('principal'), command.permission);
    const body = await jsonBody(c);
    const result = await executeCommand(command, services, c.get('principal'), opts.target?.(c) ?? {}, body);
    if (opts.status === 204) return c.body(null, 204);
    return c.json((opts.render ? await opts.render(result) : result) as object, opts.status);
  };
}
