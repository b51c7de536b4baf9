// What every console route file shares: cookie names, the request's
// variables, where a form may send the browser next, and the Origin check.
import type { Context } from 'hono';
import type { Principal } from '../auth/principal.ts';
import type { Scope } from '../auth/scope.ts';
import type { RequestMeta } from '../auth/sign-in.ts';
import type { ConsoleSessionRecord } from '../storage/types.ts';
import { BASE, type Viewer } from './layout.tsx';

export const SESSION_COOKIE = 'tally_console_session';
export const LOGIN_COOKIE = 'tally_console_login';

export type ConsoleEnv = { Variables: { session: ConsoleSessionRecord; principal: Principal; scope: Scope; viewer: Viewer; publicUrl: string } };

/** Only paths inside the console; never another origin (open redirect). */
export function safeNext(next: unknown): string {
  return typeof next === 'string' && /^\/console(\/[A-Za-z0-9_\-./?=&%:+]*)?$/.test(next) && !next.includes('//') ? next : `${BASE}/overview`;
}

export const isHttps = (c: Context) => new URL(c.req.url).protocol === 'https:' || c.req.header('x-forwarded-proto') === 'https';

/**
 * This server's address as people reach it: the configured public URL (public-url.ts), never the request's Host
 * (a redirect URI built from `Host: attacker.example` would send the sign-in's code there).
 */
export function publicOrigin(c: Context<ConsoleEnv>): string {
  return c.get('publicUrl');
}

/**
 * A POST whose Origin (when the browser sends one) is not this server's is refused. This server's: the configured
 * public URL's origin (behind a proxy that rewrites Host, the only one the browser shows), or the address the
 * request was sent to.
 */
export function sameOrigin(c: Context<ConsoleEnv>): boolean {
  const origin = c.req.header('origin');
  if (!origin) return true;
  if (origin === new URL(c.get('publicUrl')).origin) return true;
  const self = new URL(c.req.url);
  const forwarded = c.req.header('x-forwarded-proto');
  return origin === self.origin || (forwarded !== undefined && origin === `${forwarded}://${self.host}`);
}

/** What a session records about where it was opened. */
export function requestMeta(c: Context): RequestMeta {
  const env = c.env as { incoming?: { socket?: { remoteAddress?: string } } } | undefined;
  return { userAgent: c.req.header('user-agent') ?? '', address: env?.incoming?.socket?.remoteAddress ?? '' };
}
