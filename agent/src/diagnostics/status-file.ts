// status.json in the state directory: what the running agent last knew about
// its link to the collector, for `tally-agent status` (which runs as another
// process and must not touch the outbox). Written on changes and at most
// about once a minute otherwise; losing it loses nothing but this view.
import { readFileSync, renameSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import type { ConnectFailure } from '../transport/failure.ts';

export const STATUS_FILE = 'status.json';

export interface AgentStatus {
  agentVersion: string;
  pid: number;
  startedAtMs: number;
  collectorUrl: string;
  /** Redacted: never the password. */
  proxy: string | null;
  deviceId: string | null;
  connected: boolean;
  lastConnectedAtMs: number | null;
  lastAckAtMs: number | null;
  lastError: (Omit<ConnectFailure, 'message'> & { message: string; atMs: number }) | null;
  outboxRecords: number;
  oldestWaitingMs: number | null;
  stopped: boolean;
  updatedAtMs: number;
}

export function writeStatus(stateDir: string, status: AgentStatus): void {
  const path = join(stateDir, STATUS_FILE);
  const tmp = `${path}.${process.pid}.tmp`;
  try {
    writeFileSync(tmp, JSON.stringify(status, null, 2) + '\n', { mode: 0o600 });
    renameSync(tmp, path);
  } catch {
    // A view for people, not state: the agent goes on without it.
  }
}

export function readStatus(stateDir: string): AgentStatus | null {
  try {
    const parsed = JSON.parse(readFileSync(join(stateDir, STATUS_FILE), 'utf8')) as AgentStatus;
    return typeof parsed === 'object' && parsed !== null && typeof parsed.updatedAtMs === 'number' ? parsed : null;
  } catch {
    return null;
  }
}
