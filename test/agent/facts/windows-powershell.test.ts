// The Windows adapter with PowerShell missing, blocked, exiting at once (as
// Wine's stub does) or hanging: fake `powershell` and `reg` executables on
// PATH, run through the adapter's real process runners on Linux. Collection
// finishes within its bound, leaves a note per missing source, keeps what the
// registry says, and an agent collecting this way keeps running and reporting.
import { chmodSync, mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { spawnSync } from 'node:child_process';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest';
import { silentLogger } from '../../../common/log.ts';
import { collectDeviceFacts, toProtoDeviceFacts } from '../../../agent/src/facts/index.ts';
import { createCommandRunner, createFileReader } from '../../../agent/src/facts/sources.ts';
import type { AdapterSources } from '../../../agent/src/facts/types.ts';
import { WINDOWS_QUERIES, WINDOWS_REGISTRY_KEYS } from '../../../agent/src/facts/windows.ts';
import { createPowerShellRunner, nodeOsSystemInfo } from '../../../agent/src/facts/windows-sources.ts';
import { FactsLoop } from '../../../agent/src/facts-loop.ts';
import { AwakeMeter, systemClocks, systemTickTimer } from '../../../agent/src/meter/index.ts';
import { Outbox } from '../../../agent/src/outbox/index.ts';
import { AgentRuntime } from '../../../agent/src/runtime.ts';
import { startTestCollector } from '../../helpers/collector.ts';
import { pollUntil } from '../../helpers/processes.ts';

const TIMEOUT_MS = 1_500;
const HANG_SECONDS = 37; // a distinctive `sleep 37`, to check it was killed
const FAKES: Record<string, string> = {
  'exits at once': 'exit 0',
  'blocked by policy': 'echo "Program \'powershell.exe\' failed to run: This program is blocked by group policy." >&2; exit 1',
  hangs: `exec sleep ${HANG_SECONDS}`,
};
const REG_OUTPUT: Record<string, string> = {
  [WINDOWS_REGISTRY_KEYS.productOptions]: '    ProductType    REG_SZ    WinNT',
  [WINDOWS_REGISTRY_KEYS.bios]: '    SystemManufacturer    REG_SZ    Dell Inc.\n    SystemProductName    REG_SZ    Latitude 7440\n    BIOSVendor    REG_SZ    Dell Inc.',
  [WINDOWS_REGISTRY_KEYS.currentVersion]: '    ProductName    REG_SZ    Windows 10 Pro\n    DisplayVersion    REG_SZ    23H2\n    CurrentBuildNumber    REG_SZ    22631\n    UBR    REG_DWORD    0xd77',
};

let root: string;
const savedPath = process.env.PATH;
beforeAll(() => {
  root = mkdtempSync(join(tmpdir(), 'tally-fake-powershell-'));
});
afterEach(() => {
  process.env.PATH = savedPath;
});
afterAll(() => rmSync(root, { recursive: true, force: true }));

function script(dir: string, name: string, body: string): void {
  writeFileSync(join(dir, name), `#!/bin/sh\n${body}\n`);
  chmodSync(join(dir, name), 0o755);
}

/** A PATH whose `powershell` behaves as named (absent when 'missing') and with or without a working `reg`. */
function fakeWindowsPath(powershell: string, withRegistry: boolean): void {
  const dir = mkdtempSync(join(root, 'bin-'));
  if (powershell !== 'missing') script(dir, 'powershell', FAKES[powershell]!);
  if (withRegistry) {
    const cases = Object.entries(REG_OUTPUT).map(([key, values], i) => {
      writeFileSync(join(dir, `reg-${i}.txt`), `\r\n${key.replace('HKLM', 'HKEY_LOCAL_MACHINE')}\r\n${values.replace(/\n/g, '\r\n')}\r\n\r\n`);
      return `  '${key}') cat '${join(dir, `reg-${i}.txt`)}' ;;`;
    });
    script(dir, 'reg', `case "$2" in\n${cases.join('\n')}\n  *) echo "ERROR: The system was unable to find the specified registry key or value." >&2; exit 1 ;;\nesac`);
  }
  process.env.PATH = `${dir}:/usr/bin:/bin`;
}

function windowsSources(): AdapterSources {
  return {
    reader: createFileReader('/'),
    run: createCommandRunner(TIMEOUT_MS),
    si: nodeOsSystemInfo,
    readMachineId: async () => '6f3a9d2e-5b1c-4e8f-9a7d-2c4b6e8f0a1b',
    powerShell: createPowerShellRunner({ command: 'powershell', timeoutMs: TIMEOUT_MS }),
    hostname: () => 'WIN-FAKE',
    now: Date.now,
    timeoutMs: TIMEOUT_MS,
  };
}

const collect = (stateDir: string) => collectDeviceFacts({ agentVersion: '0.0.0-test', stateDir, sources: windowsSources(), platform: 'win32' });

describe('Windows facts without a working PowerShell', () => {
  it.each([
    ['missing', 'not found'],
    ['exits at once', 'empty output'],
    ['blocked by policy', 'exited with 1: Program \'powershell.exe\' failed to run: This program is blocked by group policy.'],
    ['hangs', `timed out after ${TIMEOUT_MS} ms`],
  ])('PowerShell %s: a note per CIM query, and the registry still tells OS, role and hardware', async (variant, reason) => {
    fakeWindowsPath(variant, true);
    const started = Date.now();
    const { facts } = await collect(mkdtempSync(join(root, 'state-')));
    expect(Date.now() - started).toBeLessThan(4 * TIMEOUT_MS);
    for (const label of Object.keys(WINDOWS_QUERIES)) expect(facts.notes).toContain(`powershell ${label}: ${reason}`);
    expect(facts.notes).toContain('command dsregcmd /status: not found');
    expect(facts.os).toMatchObject({ platform: 'windows', name: 'Windows 10 Pro', version: '23H2', build: '22631.3447' });
    expect(facts.role).toEqual({ role: 'workstation', evidence: ['ProductType: 1', 'OperatingSystemSKU: ?'] });
    expect(facts.virtualization).toMatchObject({ virtual: false, evidence: ['Manufacturer: Dell Inc.', 'Model: Latitude 7440'] });
    expect(facts.hardware).toMatchObject({ manufacturer: 'Dell Inc.', model: 'Latitude 7440' });
    expect(facts.hardware.memoryBytes).toBeGreaterThan(0);
    expect(facts.identity.osMachineId).toBe('6f3a9d2e-5b1c-4e8f-9a7d-2c4b6e8f0a1b');
    if (variant === 'hangs') {
      // Killed at the deadline, not left behind (one per query, every collection, would pile up).
      await new Promise((r) => setTimeout(r, 200));
      expect(spawnSync('pgrep', ['-f', `sleep ${HANG_SECONDS}`]).status).toBe(1);
    }
  });

  it('with neither WMI nor the registry answering, virtualization and role are unknown, not "physical workstation"', async () => {
    fakeWindowsPath('exits at once', false);
    const { facts } = await collect(mkdtempSync(join(root, 'state-')));
    expect(facts.virtualization).toEqual({ virtual: null, kind: '', category: '', evidence: ['Manufacturer and Model unreadable (WMI and registry): unknown'] });
    expect(facts.role).toEqual({ role: 'unknown', evidence: ['ProductType: ?', 'OperatingSystemSKU: ?', 'ProductType unreadable (WMI and registry): unknown'] });
    expect(facts.notes).toEqual(expect.arrayContaining([expect.stringMatching(/^command reg query HKLM\\SYSTEM\\CurrentControlSet\\Control\\ProductOptions \/reg:64: /)]));
    // On the wire: no Virtualization message and an empty role, which the collector stores as unknown.
    const proto = toProtoDeviceFacts(facts);
    expect(proto.virtualization).toBeNull();
    expect(proto.role).toEqual({ role: '', evidence: facts.role.evidence });
  });

  it.each(['exits at once', 'hangs'])('an agent whose PowerShell %s keeps running: it enrols, reports usage and sends its inventory', async (variant) => {
    fakeWindowsPath(variant, true);
    const collector = await startTestCollector();
    const stateDir = mkdtempSync(join(root, 'agent-'));
    const { token } = await collector.enrolmentToken('PowerShell-less Co');
    mkdirSync(join(stateDir, 'outbox'));
    const outbox = Outbox.open(join(stateDir, 'outbox'));
    const meter = new AwakeMeter({ clocks: systemClocks, bootId: 'boot-1' });
    const inventories: number[] = [];
    const loop = new FactsLoop({
      stateDir, agentVersion: '0.0.0-test', instanceId: 'instance-1', logger: silentLogger, intervalMs: 60_000, config: {},
      collect: { sources: windowsSources(), platform: 'win32' },
    });
    const runtime = new AgentRuntime({
      stateDir, collectorUrl: new URL(collector.wsUrl), enrolmentToken: token, usageIntervalMs: 200, agentVersion: '0.0.0-test', instanceId: 'instance-1',
      facts: () => loop.facts(), meter, outbox, logger: silentLogger, onInventoryAcked: (seq) => { inventories.push(seq); loop.inventoryAcked(seq); },
    });
    try {
      meter.start(systemTickTimer);
      runtime.start();
      loop.start(runtime);
      await pollUntil(async () => runtime.deviceId, 10_000, 'enrolment');
      await pollUntil(async () => inventories.length > 0, 15_000, 'the inventory to be acknowledged');
      expect(loop.facts()?.role?.role).toBe('workstation');
      expect(loop.facts()?.os?.name).toBe('Windows 10 Pro');
    } finally {
      await loop.stop();
      await runtime.stop(500);
      await collector.dispose();
    }
  }, 30_000);
});
