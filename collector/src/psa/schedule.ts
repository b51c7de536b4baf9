// The scheduled PSA sync: every connection whose syncHours have passed since
// its last sync is synced, the previous month first when it is finalized
// (its final quantities, or its late-data corrections as PSA adjustments),
// then the open month. Runs as `system:psa-sync` through the same command
// as every surface, so it is audited and resumes the same way. A failure is
// logged and recorded on the connection; the next tick tries again.
import type { Logger } from '../../../common/log.ts';
import { executeCommand, COMMANDS, type CommandServices } from '../admin/index.ts';
import { systemPrincipal } from '../auth/principal.ts';
import { addMonths, monthContaining } from '../billing/index.ts';
import { toTallyError } from '../errors.ts';
import type { PsaKind } from './types.ts';

export async function runDuePsaSyncs(commands: CommandServices, logger: Logger): Promise<string[]> {
  if (!commands.psa) return [];
  const now = commands.now();
  const ran: string[] = [];
  for (const conn of await commands.storage.psa.listConnections()) {
    if (conn.syncHours <= 0) continue;
    if (conn.lastSyncAtMs !== null && now - conn.lastSyncAtMs < conn.syncHours * 3_600_000) continue;
    const principal = await systemPrincipal(commands.storage.adminRead, 'psa-sync');
    const current = monthContaining(now);
    const previous = addMonths(current, -1).id;
    const months = (await commands.storage.billing.getFinalizedMonth(previous)) ? [previous, current.id] : [current.id];
    for (const month of months) {
      try {
        await executeCommand(COMMANDS.runPsaSync, commands, principal, { kind: conn.kind as PsaKind }, { month });
        ran.push(`${conn.kind}:${month}`);
      } catch (err) {
        const e = toTallyError(err);
        logger.warn('scheduled psa sync failed', { kind: conn.kind, month, code: e.code, message: e.code === 'internal' ? 'internal error' : e.message });
        break;
      }
    }
  }
  return ran;
}

export function startPsaSchedule(commands: CommandServices, logger: Logger, intervalMs: number): { stop(): void } {
  let running = false;
  const timer = setInterval(() => {
    if (running) return;
    running = true;
    void runDuePsaSyncs(commands, logger).catch((err) => logger.error('psa schedule failed', { err })).finally(() => { running = false; });
  }, intervalMs);
  timer.unref();
  return { stop: () => clearInterval(timer) };
}
