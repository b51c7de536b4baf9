// The real Linux adapter on this machine (a container), plus the bounds that
// keep collection from ever hanging the agent.
import { existsSync } from 'node:fs';
import { mkdtemp } from 'node:fs/promises';
import { hostname, tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { collectDeviceFacts, decideStartupIdentity, collectIdentityEvidence } from '../../../agent/src/facts/index.ts';
import { collectLinux } from '../../../agent/src/facts/linux.ts';
import { createCommandRunner } from '../../../agent/src/facts/sources.ts';
import type { AdapterSources } from '../../../agent/src/facts/types.ts';
import { loadFixture } from './fixture-sources.ts';

const onLinux = process.platform === 'linux';

describe.runIf(onLinux)('real Linux collection on this machine', () => {
  it('reports what is verifiably true here, within a bound', async () => {
    const stateDir = await mkdtemp(join(tmpdir(), 'tally-real-'));
    const started = Date.now();
    const result = await collectDeviceFacts({ agentVersion: '0.0.0-test', stateDir, config: { modules: { antimalware: true } } });
    expect(Date.now() - started).toBeLessThan(15_000);
    const { facts } = result;
    expect(facts.platform).toBe('linux');
    expect(facts.hostname).toBe(hostname());
    expect(['server', 'workstation']).toContain(facts.role.role);
    if (existsSync('/.dockerenv')) {
      expect(facts.virtualization).toMatchObject({ virtual: true, kind: 'docker', category: 'container' });
      expect(facts.virtualization.evidence).toContain('/.dockerenv exists');
    }
    expect(facts.os.kernel.length).toBeGreaterThan(0);
    expect(facts.hardware.cpuCores).toBeGreaterThan(0);
    expect(facts.hardware.memoryBytes).toBeGreaterThan(0);
    // Policy-only module (no modules dir here) is reported, and an install event is produced once.
    expect(facts.modules).toEqual([expect.objectContaining({ name: 'antimalware', installed: true, source: 'policy' })]);
    expect(result.moduleEvents).toHaveLength(1);
    await result.commit();
    const again = await collectDeviceFacts({ agentVersion: '0.0.0-test', stateDir, config: { modules: { antimalware: true } } });
    expect(again.moduleEvents).toEqual([]);
    expect(again.fingerprint).toBe(result.fingerprint);
  });

  it('startup decision on a fresh state dir creates the instance id that facts then report', async () => {
    const stateDir = await mkdtemp(join(tmpdir(), 'tally-real-'));
    const decision = await decideStartupIdentity(stateDir, await collectIdentityEvidence());
    expect(decision.action).toBe('proceed');
    const { facts } = await collectDeviceFacts({ agentVersion: '0.0.0-test', stateDir });
    expect(facts.identity.agentInstanceId).toBe(decision.action === 'proceed' ? decision.instanceId : '');
  });

  it('a command that does not exist degrades to a reason, not a throw', async () => {
    const run = createCommandRunner(1_000);
    expect(await run('tally-no-such-tool', [])).toEqual({ ok: false, reason: 'not found' });
    expect(await run('sleep', ['5'])).toEqual({ ok: false, reason: 'timed out after 1000 ms' });
  });
});

describe('bounded collection', () => {
  it('sources that hang or throw become notes; the adapter still returns within the bound', async () => {
    const { sources } = await loadFixture('ubuntu-desktop');
    const never = () => new Promise<never>(() => {});
    const hanging: AdapterSources = {
      ...sources,
      timeoutMs: 200,
      run: () => never(),
      reader: { readText: (path) => (path === '/proc/cpuinfo' ? never() : sources.reader.readText(path)), stat: sources.reader.stat },
      si: { ...sources.si, cpu: () => never(), users: () => Promise.reject(Object.assign(new Error('EACCES'), { code: 'EACCES' })) },
    };
    const started = Date.now();
    const raw = await collectLinux(hanging, {});
    expect(Date.now() - started).toBeLessThan(2_000);
    expect(raw.common.notes).toEqual(
      expect.arrayContaining([
        'command last --time-format iso -w: timed out after 200 ms',
        'file /proc/cpuinfo: timed out after 200 ms',
        'systeminformation cpu: timed out after 200 ms',
        'systeminformation users: permission denied',
      ]),
    );
    expect(raw.common.hostname).toBe('anna-desktop');
    expect(raw.common.cpuModel).toBe('');
  });
});
