// The heavier variant of collector-kill.test.ts: the real collector process is
// killed with SIGKILL again and again while 50 in-process raw-protocol agents
// send usage batches with their own sequence numbers and resend whatever was
// not acknowledged after each reconnect, exactly as the agent does.
//   - After every kill, with the collector down, every acknowledged second is
//     in the database file (no acknowledgement without a commit).
//   - At the end, with every record acknowledged, each device's stored awake
//     seconds equal what its agent sent: nothing lost, nothing counted twice.
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { COLLECTOR_BIN, runCommand, startCollectorProcess, type Proc, freePort } from '../helpers/processes.ts';
import { SimAgent, checkBooks, storedSeconds, sumAnswers } from '../reliability/lib/sim-agent.ts';
import { AGENT_WS_PATH } from '../../proto/index.ts';

const AGENTS = 50;
const KILLS = 6;
const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms));

const running: Proc[] = [];
const dirs: string[] = [];
afterAll(async () => {
  for (const p of running.splice(0)) await p.stop('SIGKILL');
  for (const d of dirs.splice(0)) rmSync(d, { recursive: true, force: true });
});


describe('collector killed with SIGKILL while 50 raw-protocol agents send and resend', () => {
  it(`survives ${KILLS} kills: every acknowledged record stored, and at the end stored == sent for every device`, async () => {
    const dir = mkdtempSync(join(tmpdir(), 'tally-kill-many-'));
    dirs.push(dir);
    const db = join(dir, 'tally.db');
    const token = runCommand(COLLECTOR_BIN, ['token', 'create', '--company', 'Kill Many', '--init', '--db', db]);
    const port = await freePort();
    const url = `ws://127.0.0.1:${port}${AGENT_WS_PATH}`;
    const serve = async () => {
      const p = await startCollectorProcess(db, ['--port', String(port)]);
      running.push(p);
      return p;
    };
    let collector = await serve();
    const agents: SimAgent[] = [];
    for (let i = 0; i < AGENTS; i++) agents.push(await SimAgent.enrol(url, token, `sim-${i}`));

    let stopping = false;
    const loops = agents.map((a) => a.run(() => stopping, 400));
    const checks: string[] = [];
    for (let k = 0; k < KILLS; k++) {
      await sleep(2_000 + (k % 3) * 400);
      collector.child.kill('SIGKILL');
      await collector.exited;
      // The collector is down: what it acknowledged must already be in the file.
      checks.push(...checkBooks(agents, await storedSeconds(db), false).map((p) => `after kill ${k + 1}: ${p}`));
      await sleep(200 + k * 100);
      collector = await serve();
    }
    await sleep(1_500);
    stopping = true;
    await Promise.all(loops);
    const deadline = Date.now() + 30_000;
    await Promise.all(agents.map((a) => a.drain(deadline)));
    await collector.stop('SIGTERM');

    const stored = await storedSeconds(db);
    const problems = [...checks, ...checkBooks(agents, stored, true)];
    const sent = agents.reduce((n, a) => n + a.sentSeconds, 0);
    const records = agents.reduce((n, a) => n + (a as unknown as { nextSeq: number }).nextSeq - 1, 0);
    console.log(`[reliability] kill -9 x${KILLS} with ${AGENTS} agents: ${records} records (${sent} s) sent, ` +
      `${[...stored.values()].reduce((a, b) => a + b, 0)} s stored, records lost: ${problems.length ? 'SEE FAILURES' : 0}; agents were answered ${JSON.stringify(sumAnswers(agents))}`);
    expect(problems).toEqual([]);
    // The agents did meet the kills (they were not idle while the collector died).
    const failures = sumAnswers(agents);
    expect(Object.values(failures).reduce((a, b) => a + b, 0)).toBeGreaterThan(0);
  }, 150_000);
});
