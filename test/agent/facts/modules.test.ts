import { mkdtemp } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { currentModules, diffModules, loadModuleRecord, parseModulesPolicy, saveModuleRecord, windowsModulesDir, type CurrentModule } from '../../../agent/src/facts/modules.ts';
import { v1 } from '../../../proto/index.ts';

const T0 = Date.parse('2024-05-01T00:00:00Z');
const T1 = Date.parse('2024-05-02T00:00:00Z');
const present = (name: CurrentModule['name'], extra: Partial<CurrentModule> = {}): CurrentModule => ({ name, installed: true, tier: '', source: 'present', ...extra });

describe('diffModules', () => {
  it('first observation: each installed module is an install event dated by its marker when plausible', () => {
    const { events, record } = diffModules({ modules: [] }, [present('antimalware', { sinceMs: T0 - 5_000 }), present('edr_sensor', { sinceMs: T1 + 99 })], T1);
    expect(events.map((e) => [e.moduleChanged.module.name, e.occurredAtMs])).toEqual([
      ['antimalware', T0 - 5_000],
      ['edr_sensor', T1], // a marker dated in the future is not believed
    ]);
    expect(record.modules.every((m) => m.installed)).toBe(true);
  });

  it('no change, no event; the install time is kept', () => {
    const first = diffModules({ modules: [] }, [present('firewall', { sinceMs: T0 })], T0);
    const second = diffModules(first.record, [present('firewall', { sinceMs: T0 + 1 })], T1);
    expect(second.events).toEqual([]);
    expect(second.record.modules[0]!.changedAtMs).toBe(T0);
  });

  it('a module that disappears is a removal at `now`, and stays listed as not installed', () => {
    const first = diffModules({ modules: [] }, [present('patch_management', { sinceMs: T0 })], T0);
    const second = diffModules(first.record, [], T1);
    expect(second.events).toEqual([{ occurredAtMs: T1, moduleChanged: { module: { name: 'patch_management', installed: false, tier: '', changedAtMs: T1, source: 'present' } } }]);
    expect(diffModules(second.record, [], T1 + 1).events).toEqual([]);
  });

  it('a retention tier change is an event', () => {
    const first = diffModules({ modules: [] }, [present('integrity_monitoring', { tier: '90d', sinceMs: T0 })], T0);
    const second = diffModules(first.record, [present('integrity_monitoring', { tier: '1y' })], T1);
    expect(second.events.map((e) => [e.moduleChanged.module.tier, e.occurredAtMs])).toEqual([['1y', T1]]);
  });

  it('events encode as proto AgentEvent.module_changed', () => {
    const { events } = diffModules({ modules: [] }, [present('central_scan', { sinceMs: T0 })], T1);
    const bytes = v1.AgentEvent.encode({ header: { stream: 'events/1', seq: 1 }, ...events[0] }).finish();
    const decoded = v1.AgentEvent.decode(bytes);
    expect(decoded.kind).toBe('moduleChanged');
    expect(decoded.moduleChanged?.module?.name).toBe('central_scan');
    expect(Number(decoded.occurredAtMs)).toBe(T0);
  });
});

describe('policy and presence', () => {
  it('parses booleans and objects, reports unknown names and tiers', () => {
    const { modules, problems } = parseModulesPolicy({ antimalware: true, integrity_monitoring: { enabled: true, retention: '2y' }, edr_sensor: { retention: '90d' }, quantum_shield: true });
    expect(modules).toEqual([
      { name: 'antimalware', enabled: true, tier: '' },
      { name: 'integrity_monitoring', enabled: true, tier: '' },
      { name: 'edr_sensor', enabled: true, tier: '' }, // tiers exist only for integrity monitoring
    ]);
    expect(problems).toEqual(['policy: module "integrity_monitoring" has unknown retention "2y"', 'policy: unknown module "quantum_shield"']);
  });

  it('presence wins over policy when the modules dir could be probed', () => {
    const policy = parseModulesPolicy({ antimalware: true, firewall: true }).modules;
    const result = currentModules(policy, { probed: true, dir: '/opt/tally/modules', present: [{ name: 'antimalware', sinceMs: T0 }, { name: 'hyperdetect' }] });
    expect(result.map((m) => [m.name, m.installed, m.source])).toEqual([
      ['antimalware', true, 'policy+present'],
      ['firewall', false, 'policy'],
      ['hyperdetect', true, 'present'],
    ]);
  });

  it('the record survives a round trip through the state dir, and a missing one is empty', async () => {
    const dir = await mkdtemp(join(tmpdir(), 'tally-modules-'));
    expect(await loadModuleRecord(dir)).toEqual({ modules: [] });
    const { record } = diffModules({ modules: [] }, [present('antimalware', { sinceMs: T0 })], T1);
    await saveModuleRecord(dir, record);
    expect(await loadModuleRecord(dir)).toEqual(record);
  });
});

describe('the Windows modules folder', () => {
  it('follows %ProgramFiles% instead of assuming C:\\Program Files', () => {
    expect(windowsModulesDir({ ProgramFiles: 'D:\\Programme' })).toBe('D:\\Programme\\Tally\\modules');
    expect(windowsModulesDir({ ProgramW6432: 'E:\\Apps', ProgramFiles: 'E:\\Apps (x86)' })).toBe('E:\\Apps\\Tally\\modules');
    expect(windowsModulesDir({})).toBe('C:\\Program Files\\Tally\\modules');
  });
});
