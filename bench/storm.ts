// Reconnect storm: a collector process holding N agents (15,000 by default) is
// restarted (SIGTERM, a new process on the same port); every agent reconnects
// on the agent's own backoff (1 s doubling to 4 s here, equal jitter), says
// hello and resends its last record (its ack "lost") with a new one. Figures:
// time from the restart to every agent reconnected and acknowledged, the
// shutdown's part of it, and the books (stored == acknowledged, each resent
// record once). The fleet runs in this process (test/helpers/storm.ts), over
// 8 loopback source addresses. There is no baseline process for a restart;
// the time is set against the same agents' first connect in the same run.
import Database from 'better-sqlite3';
import { rmSync } from 'node:fs';
import { join } from 'node:path';
import { AGENT_WS_PATH } from '../proto/index.ts';
import { SECONDS_PER_RECORD, StormAgent, inParallel, seedDevices } from '../test/helpers/storm.ts';
import { freePort } from '../test/helpers/processes.ts';
import { BENCH_DIR, startCollectorServe, type Figure } from './lib.ts';

const BACKOFF = { initialMs: 1_000, maxMs: 4_000 };

export async function stormBench(o: { agents: number }): Promise<Figure[]> {
  const db = join(BENCH_DIR, `storm-${o.agents}.db`);
  for (const f of [db, `${db}-wal`, `${db}-shm`]) rmSync(f, { force: true });
  const keys = await seedDevices(db, o.agents);
  const port = await freePort();
  const url = `ws://127.0.0.1:${port}${AGENT_WS_PATH}`;
  const args = ['--grace-hours', '744', '--port', String(port)];
  let collector = await startCollectorServe(db, args);
  const agents = keys.map((k, i) => new StormAgent(url, k, i, `127.0.0.${1 + (i % 8)}`));
  try {
    const t0 = Date.now();
    await inParallel(agents, 200, async (a) => {
      await a.connect(Date.now() + 120_000, BACKOFF);
      await a.report();
    });
    const firstMs = Date.now() - t0;

    const t1 = Date.now();
    const back = agents.map((a) => a.conn!.closed.then(async () => {
      await a.connect(Date.now() + 300_000, BACKOFF);
      await a.report(1);
    }));
    await collector.stop();
    const downMs = Date.now() - t1;
    collector = await startCollectorServe(db, args);
    const upMs = Date.now() - t1;
    await Promise.all(back);
    const stormMs = Date.now() - t1;
    const failed = agents.reduce((n, a) => n + a.failedAttempts, 0);
    for (const a of agents) a.conn?.cut();
    await collector.stop();

    const read = new Database(db, { readonly: true });
    const stored = new Map((read.prepare('SELECT device_id, SUM(awake_seconds) AS s FROM device_days GROUP BY device_id').all() as { device_id: string; s: number }[])
      .map((r) => [r.device_id, r.s]));
    read.close();
    const wrong = agents.filter((a) => a.welcomes !== 2 || a.acked.size !== 2 || stored.get(a.deviceId) !== a.acked.size * SECONDS_PER_RECORD).length;
    return [
      { bench: 'storm', name: `restart under ${o.agents} agents: all reconnected and acknowledged`, value: stormMs / 1000, unit: 's', baseline: firstMs / 1000,
        ratio: stormMs / firstMs, met: wrong === 0,
        note: `baseline: the same agents' first connect + report; old process gone after ${(downMs / 1000).toFixed(1)} s, new one listening after ${(upMs / 1000).toFixed(1)} s; ` +
          `${failed} refused attempts; books: ${wrong === 0 ? 'stored == acknowledged for every device, resent records once' : `${wrong} devices WRONG`}` },
    ];
  } finally {
    for (const a of agents) a.conn?.cut();
    await collector.stop();
  }
}
