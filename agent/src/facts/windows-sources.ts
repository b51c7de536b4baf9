// The Windows adapter's real sources. No persistent PowerShell session and no
// systeminformation: systeminformation's session writes to the child's stdin
// with no error listener, so a PowerShell that exited (blocked by AppLocker or
// WDAC, killed by an EDR, or a stub) turned the next write into an unhandled
// EPIPE that took the whole agent down; its per-call mode spawns PowerShell
// with no deadline. Here every PowerShell query is its own process with stdin
// closed (nothing to write to, so nothing to break), a hard deadline and a
// kill; what Node itself knows (CPUs, memory, NICs) comes from node:os, and
// the registry is read with reg.exe, so most facts survive without PowerShell.
import { spawn } from 'node:child_process';
import { existsSync } from 'node:fs';
import { arch, cpus, networkInterfaces, release, totalmem } from 'node:os';
import { join } from 'node:path';
import type { Systeminformation } from 'systeminformation';
import { errorReason } from './sources.ts';
import type { CommandResult, PowerShellRunner, SystemInfoSource } from './types.ts';

/** UTF-8 output whatever the console code page (names with accents, Cyrillic SIDs' profile paths). */
const UTF8_OUTPUT = '[Console]::OutputEncoding = [System.Text.Encoding]::UTF8; ';

/** Windows PowerShell by its full path (a `powershell.exe` planted in the working folder or PATH is never run), else PATH. */
export function windowsPowerShellPath(env: NodeJS.ProcessEnv = process.env): string {
  const systemRoot = env.SystemRoot ?? env.windir ?? 'C:\\Windows';
  const full = join(systemRoot, 'System32', 'WindowsPowerShell', 'v1.0', 'powershell.exe');
  return existsSync(full) ? full : 'powershell.exe';
}

/**
 * Runs each script in a powershell process of its own: stdin closed, killed at
 * the deadline. Never throws. A process that exits non-zero with nothing on
 * stdout failed (blocked by policy, broken); its first stderr line is the reason.
 */
export function createPowerShellRunner(options: { command?: string; timeoutMs: number }): PowerShellRunner {
  const command = options.command ?? windowsPowerShellPath();
  return (script) => runBounded(command, ['-NoProfile', '-NonInteractive', '-NoLogo', '-ExecutionPolicy', 'Bypass', '-Command', UTF8_OUTPUT + script], options.timeoutMs);
}

export function runBounded(command: string, args: string[], timeoutMs: number): Promise<CommandResult> {
  return new Promise((resolve) => {
    let settled = false;
    const finish = (result: CommandResult) => {
      if (settled) return;
      settled = true;
      clearTimeout(timer);
      resolve(result);
    };
    let stdout = '';
    let stderr = '';
    const child = spawn(command, args, { stdio: ['ignore', 'pipe', 'pipe'], windowsHide: true });
    const timer = setTimeout(() => {
      child.kill('SIGKILL');
      // Resolve now: a grandchild holding the pipes must not keep us waiting.
      child.stdout.destroy();
      child.stderr.destroy();
      finish({ ok: false, reason: `timed out after ${timeoutMs} ms` });
    }, timeoutMs);
    timer.unref();
    child.stdout.setEncoding('utf8').on('data', (d: string) => {
      if (stdout.length < 8 * 1024 * 1024) stdout += d;
    });
    child.stderr.setEncoding('utf8').on('data', (d: string) => {
      if (stderr.length < 4096) stderr += d;
    });
    child.on('error', (err) => finish({ ok: false, reason: errorReason(err) }));
    child.on('close', (code, signal) => {
      if (code === 0 || stdout.trim() !== '') return finish({ ok: true, stdout, exitCode: code ?? 1 });
      const why = stderr.trim().split(/\r?\n/)[0]?.slice(0, 200);
      finish({ ok: false, reason: `exited with ${code ?? signal}${why ? `: ${why}` : ''}` });
    });
  });
}

/** MAC prefixes of hypervisor vNICs (VMware, Hyper-V, VirtualBox, QEMU/KVM, Xen, Parallels). */
const HYPERVISOR_OUIS = ['00:05:69', '00:0c:29', '00:1c:14', '00:50:56', '00:15:5d', '08:00:27', '0a:00:27', '52:54:00', '00:16:3e', '00:1c:42'];

/**
 * What systeminformation gave the Windows adapter, from node:os alone: CPU,
 * memory, NICs and the kernel version. SMBIOS and OS names come from the
 * registry and CIM queries instead, so these are left empty.
 */
export const nodeOsSystemInfo: SystemInfoSource = {
  system: async () => ({ manufacturer: '', model: '', version: '', serial: '', uuid: '', sku: '', virtual: false }),
  baseboard: async () => ({ manufacturer: '', model: '', version: '', serial: '', assetTag: '', memMax: null, memSlots: null }),
  chassis: async () => ({ manufacturer: '', model: '', type: '', version: '', serial: '', assetTag: '', sku: '' }),
  osInfo: async () => ({ distro: '', release: release(), build: release().split('.')[2] ?? '', arch: arch(), kernel: release() }) as Systeminformation.OsData,
  cpu: async () => {
    const list = cpus();
    return { manufacturer: '', brand: list[0]?.model.trim() ?? '', cores: list.length, physicalCores: 0 } as unknown as Systeminformation.CpuData;
  },
  mem: async () => ({ total: totalmem() }) as Systeminformation.MemData,
  networkInterfaces: async () =>
    Object.entries(networkInterfaces()).map(([name, addresses]) => {
      const list = addresses ?? [];
      const mac = list[0]?.mac ?? '';
      return {
        iface: name, ifaceName: name, mac, internal: list.some((a) => a.internal),
        virtual: HYPERVISOR_OUIS.includes(mac.slice(0, 8).toLowerCase()),
        ip4: list.find((a) => a.family === 'IPv4')?.address ?? '', ip6: list.find((a) => a.family === 'IPv6')?.address ?? '',
      } as Systeminformation.NetworkInterfacesData;
    }),
  users: async () => [],
};
