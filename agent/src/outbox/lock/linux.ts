// Linux: a process's start token is the boot id plus its start time in clock
// ticks since boot (field 22 of /proc/PID/stat). Both together name one
// process instance: a reused pid, a restarted container's pid 1, or the same
// pid in a later boot all get another token.
import { readFileSync } from 'node:fs';

export function linuxProcessStart(pid: number, procRoot = '/proc'): string | undefined {
  try {
    const stat = readFileSync(`${procRoot}/${pid}/stat`, 'utf8');
    const startTicks = parseStartTicks(stat);
    if (startTicks === undefined) return undefined;
    const bootId = readFileSync(`${procRoot}/sys/kernel/random/boot_id`, 'utf8').trim();
    return `${bootId}:${startTicks}`;
  } catch {
    return undefined; // gone, or /proc not mounted
  }
}

/** Field 22 of /proc/PID/stat. The command name (field 2) may hold spaces and parentheses, so fields are counted after its last ')'. */
export function parseStartTicks(stat: string): string | undefined {
  const afterName = stat.slice(stat.lastIndexOf(')') + 2).split(' ');
  // afterName[0] is field 3 (state); field 22 is afterName[19].
  const ticks = afterName[19];
  return ticks !== undefined && /^\d+$/.test(ticks) ? ticks : undefined;
}
