// What the webhook and alert tests share: a collector (in process, on
// loopback) over SQLite or a throwaway PostgreSQL database, with the webhook
// worker's timings shortened; and a real HTTP receiver on 127.0.0.1 whose
// answer each test chooses per path.
import { randomUUID } from 'node:crypto';
import { mkdtempSync, rmSync } from 'node:fs';
import { createServer, type IncomingMessage, type Server, type ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { silentLogger } from '../../../common/log.ts';
import { hashSecret, newSecret } from '../../../collector/src/auth/secrets.ts';
import { startCollector, type CollectorOptions, type RunningCollector } from '../../../collector/src/server.ts';
import { LOOPBACK_ALLOWED } from '../../helpers/outbound.ts';
import { openPostgresStorage } from '../../../collector/src/storage/postgres/index.ts';
import { openSqliteStorage } from '../../../collector/src/storage/sqlite/index.ts';
import type { Storage } from '../../../collector/src/storage/types.ts';
import { createTestDatabase, pgServerConfigured, pgTestSetting } from '../../helpers/postgres.ts';
import { shouldRun } from '../../helpers/requirements.ts';

export interface Backend {
  name: 'sqlite' | 'postgres';
  run: boolean;
  open(dir: string, nowMs: number): Promise<{ storage: Storage; drop(): Promise<void> }>;
}

const pg = pgTestSetting();

export const BACKENDS: Backend[] = [
  { name: 'sqlite', run: true, open: async (dir, nowMs) => ({ storage: openSqliteStorage({ path: join(dir, 'tally.db'), nowMs }), drop: async () => {} }) },
  {
    name: 'postgres',
    run: shouldRun('webhooks and alerts on PostgreSQL', pgServerConfigured(pg)),
    open: async (_dir, nowMs) => {
      const db = await createTestDatabase(pg.run ? pg.url : '');
      return { storage: await openPostgresStorage({ url: db.url, nowMs }), drop: () => db.drop() };
    },
  },
];

export interface HookCollector extends RunningCollector {
  storage: Storage;
  dir: string;
  installationKey: string;
  keyFor(companyId: string): Promise<string>;
  token(companyId: string): Promise<string>;
  call(method: string, path: string, body?: unknown, key?: string): Promise<{ status: number; body: any }>;
  dispose(): Promise<void>;
}

export async function startHookCollector(backend: Backend, opts: Partial<CollectorOptions> = {}): Promise<HookCollector> {
  const dir = mkdtempSync(join(tmpdir(), 'tally-hooks-'));
  const now = opts.now ?? Date.now;
  const { storage, drop } = await backend.open(dir, now());
  const running = await startCollector({
    storage, logger: silentLogger, host: '127.0.0.1', port: 0, now, reportsDir: join(dir, 'reports'), billingIntervalMs: 0, reportScheduleIntervalMs: 0,
    alertIntervalMs: 0, webhooks: { intervalMs: 25, timeoutMs: 400, maxAttempts: 3, backoffBaseMs: 50, backoffMaxMs: 200 }, outbound: LOOPBACK_ALLOWED, ...opts,
  });
  const keyFor = async (companyId: string | null) => {
    const key = newSecret('api_key');
    await storage.adminWrite.createApiKey({ id: randomUUID(), keyHash: hashSecret(key), label: 'test', companyId, readOnly: false, nowMs: now() });
    return key;
  };
  const installationKey = await keyFor(null);
  return {
    ...running, storage, dir, installationKey, keyFor,
    token: async (companyId) => {
      const token = newSecret('enrolment_token');
      await storage.adminWrite.createEnrolmentToken({ id: randomUUID(), companyId, tokenHash: hashSecret(token), expiresAtMs: null, nowMs: now() });
      return token;
    },
    call: async (method, path, body, key = installationKey) => {
      const res = await fetch(`${running.url}/api/v1${path}`, {
        method, headers: { authorization: `Bearer ${key}`, ...(body === undefined ? {} : { 'content-type': 'application/json' }) },
        body: body === undefined ? undefined : JSON.stringify(body),
      });
      const text = await res.text();
      return { status: res.status, body: text ? JSON.parse(text) : null };
    },
    dispose: async () => {
      await running.stop();
      await storage.close();
      await drop();
      rmSync(dir, { recursive: true, force: true });
    },
  };
}

export interface Received {
  path: string;
  headers: Record<string, string>;
  body: string;
}

/** How the receiver answers a request to a path: a status, or 'hang' (never answers). */
export type Answer = number | 'hang' | { redirect: string };

/** A real HTTP server on 127.0.0.1 that records every request and answers as `plan` says (per path, in order; the last answer repeats). */
export class Receiver {
  readonly requests: Received[] = [];
  private readonly plans = new Map<string, Answer[]>();
  private readonly hanging = new Set<ServerResponse>();
  private server!: Server;
  url = '';

  async start(): Promise<this> {
    this.server = createServer((req: IncomingMessage, res: ServerResponse) => {
      let body = '';
      req.on('data', (d: Buffer) => (body += d.toString('utf8')));
      req.on('end', () => {
        const path = req.url ?? '/';
        this.requests.push({ path, headers: Object.fromEntries(Object.entries(req.headers).map(([k, v]) => [k, String(v)])), body });
        const plan = this.plans.get(path) ?? [200];
        const answer = plan.length > 1 ? plan.shift()! : plan[0];
        if (answer === 'hang') {
          this.hanging.add(res);
          return;
        }
        if (typeof answer === 'object') {
          res.writeHead(302, { location: answer.redirect }).end();
          return;
        }
        res.writeHead(answer, { 'content-type': 'text/plain' }).end(answer < 300 ? 'ok' : 'no');
      });
    });
    await new Promise<void>((r) => this.server.listen(0, '127.0.0.1', () => r()));
    this.url = `http://127.0.0.1:${(this.server.address() as AddressInfo).port}`;
    return this;
  }

  answer(path: string, ...answers: Answer[]): string {
    this.plans.set(path, answers.length ? answers : [200]);
    return `${this.url}${path}`;
  }

  at(path: string): Received[] {
    return this.requests.filter((r) => r.path === path);
  }

  async stop(): Promise<void> {
    for (const res of this.hanging) res.destroy();
    this.server.closeAllConnections();
    await new Promise<void>((r) => this.server.close(() => r()));
  }
}
