// `tally-agent status`: where this device is enrolled and how its link to the
// collector is doing, from the credentials, the outbox lock and the running
// agent's status.json. Reads only; never opens the outbox.
import { loadCredentials } from '../credentials.ts';
import { acquireLock, OutboxLockedError } from '../outbox/index.ts';
import { join } from 'node:path';
import { readStatus, type AgentStatus } from './status-file.ts';
import { readUpdateState } from '../update/state.ts';

export interface StatusReport {
  stateDir: string;
  agentVersion: string;
  enrolled: boolean;
  collectorUrl: string | null;
  deviceId: string | null;
  companyId: string | null;
  enrolledAt: string | null;
  /** Whether an agent holds this state directory now, and its pid when known. */
  running: boolean;
  runningPid: number | null;
  runningVersion: string | null;
  proxy: string | null;
  connected: boolean | null;
  lastConnectedAt: string | null;
  lastAckAt: string | null;
  outboxRecords: number | null;
  oldestWaitingAt: string | null;
  lastError: { reason: string; code: string; message: string; hint: string; at: string } | null;
  statusUpdatedAt: string | null;
  /** Auto-update: the update under way, and the last outcome with its reason (`tally-agent update status` has the rest). */
  update: { underWay: string | null; last: { outcome: string; version: string | null; reason: string; at: string } | null };
}

const iso = (ms: number | null | undefined) => (ms ? new Date(ms).toISOString() : null);

export function agentStatus(stateDir: string, agentVersion: string): StatusReport {
  const creds = loadCredentials(stateDir);
  const status: AgentStatus | null = readStatus(stateDir);
  const lock = probeLock(stateDir);
  return {
    stateDir,
    agentVersion,
    enrolled: creds !== null,
    collectorUrl: creds?.collectorUrl ?? status?.collectorUrl ?? null,
    deviceId: creds?.deviceId ?? null,
    companyId: creds?.companyId ?? null,
    enrolledAt: iso(creds?.enrolledAtMs),
    running: lock.running,
    runningPid: lock.running ? (lock.pid ?? status?.pid ?? null) : null,
    runningVersion: lock.running ? (status?.agentVersion ?? null) : null,
    proxy: status?.proxy ?? null,
    connected: status ? lock.running && status.connected : null,
    lastConnectedAt: iso(status?.lastConnectedAtMs),
    lastAckAt: iso(status?.lastAckAtMs),
    outboxRecords: status?.outboxRecords ?? null,
    oldestWaitingAt: iso(status?.oldestWaitingMs),
    lastError: status?.lastError ? { ...status.lastError, at: iso(status.lastError.atMs)! } : null,
    statusUpdatedAt: iso(status?.updatedAtMs),
    update: updateSummary(stateDir),
  };
}

function updateSummary(stateDir: string): StatusReport['update'] {
  const u = readUpdateState(stateDir);
  return {
    underWay: u.pending ? `${u.pending.fromVersion} -> ${u.pending.toVersion} (${u.pending.phase})` : null,
    last: u.last ? { outcome: u.last.outcome, version: u.last.version, reason: u.last.reason, at: iso(u.last.atMs)! } : null,
  };
}

/** Is an agent running on this state directory? Taking and at once releasing the lock answers it without a pid guess. */
function probeLock(stateDir: string): { running: boolean; pid?: number } {
  try {
    acquireLock(join(stateDir, 'outbox', 'outbox.lock')).release();
    return { running: false };
  } catch (err) {
    if (err instanceof OutboxLockedError) return { running: true, pid: err.ownerPid > 0 ? err.ownerPid : undefined };
    return { running: false }; // no outbox folder: nothing ever ran here
  }
}

export function formatStatus(r: StatusReport): string {
  const lines: [string, string][] = [
    ['agent version', r.agentVersion + (r.runningVersion && r.runningVersion !== r.agentVersion ? ` (running agent: ${r.runningVersion})` : '')],
    ['state directory', r.stateDir],
    ['enrolled to', r.enrolled ? r.collectorUrl! : 'not enrolled'],
    ['device id', r.deviceId ?? '-'],
    ['company id', r.companyId ?? '-'],
    ['agent running', r.running ? `yes${r.runningPid ? ` (pid ${r.runningPid})` : ''}` : 'no'],
    ['proxy', r.proxy ?? 'none'],
    ['connected', r.connected === null ? 'unknown' : r.connected ? 'yes' : 'no'],
    ['last connected', r.lastConnectedAt ?? 'never'],
    ['last acknowledgement', r.lastAckAt ?? 'never'],
    ['outbox', r.outboxRecords === null ? 'unknown' : `${r.outboxRecords} record(s) waiting${r.oldestWaitingAt ? `, oldest from ${r.oldestWaitingAt}` : ''}`],
    ['update', r.update.underWay ?? (r.update.last ? `${r.update.last.outcome} ${r.update.last.version ?? ''} at ${r.update.last.at}: ${r.update.last.reason}` : 'none')],
    ['last error', r.lastError ? `${r.lastError.reason} (${r.lastError.code}) at ${r.lastError.at}: ${r.lastError.message} (${r.lastError.hint})` : 'none'],
  ];
  return lines.map(([k, v]) => `${k.padEnd(21)} ${v}`).join('\n');
}
