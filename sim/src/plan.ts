// The simulator's plan: every simulated device (identity, kind, OS, modules,
// users, sleep pattern, offline stretches, clones) and, in virtual mode,
// every usage record it will send, frame by frame. Pure and deterministic:
// the same options give the same plan, byte for byte.
import { MAX_DAYS_BEFORE_ENROLMENT, type IDeviceFacts, type IModuleState } from '../../proto/index.ts';
import { Rng } from './rng.ts';

export const SECONDS_PER_DAY = 86_400;
const MS_PER_DAY = 86_400_000;

export type Platform = 'windows' | 'darwin' | 'linux';
export type SleepPattern = 'always_on' | 'office' | 'laptop' | 'vdi' | 'rare';
export type CloneKind =
  /** A clone of a golden image: same OS image (machine id), new hardware; the agent enrols it as a new device. */
  | 'reimaged'
  /** A disk copy that kept the template's device key: both connect at once with one key, different hardware. */
  | 'shared_key';

export interface PlanOptions {
  seed: number;
  agents: number;
  /** UTC month "YYYY-MM" whose past days are simulated (virtual mode). */
  month: string;
  /** Days since epoch of "today" (UTC): only days before it are simulated. */
  todayUtcDay: number;
  /** Usage records per frame (one UsageBatch per frame). */
  batchSize: number;
  /** At most this many records per device-day (a day's awake time cut into increments, as an agent's report interval does). */
  recordsPerDay: number;
  /** Share of devices that are clones of an earlier device. */
  cloneRate: number;
  /** Share of devices with an offline stretch (records held, folded per day, sent after reconnecting). */
  offlineRate: number;
  /** Share of devices whose connection is cut once after a frame was sent, before its ack: the frame is resent. */
  dropRate: number;
}

export const DEFAULT_PLAN: Omit<PlanOptions, 'seed' | 'agents' | 'month' | 'todayUtcDay'> = {
  batchSize: 4,
  recordsPerDay: 3,
  cloneRate: 0.03,
  offlineRate: 0.1,
  dropRate: 0.05,
};

export interface PlannedRecord {
  seq: number;
  utcDay: number;
  awakeSeconds: number;
  bootId: string;
}

export interface PlannedFrame {
  records: PlannedRecord[];
  /** Close the connection and reconnect (with the device key) before this frame: the end of an offline stretch. */
  reconnectBefore: boolean;
  /** Cut the connection right after sending this frame, before its ack; reconnect and send it again. */
  dropAfterSend: boolean;
}

export interface DeviceProfile {
  hostname: string;
  platform: Platform;
  role: 'server' | 'workstation';
  virtual: boolean;
  virtKind: string;
  pattern: SleepPattern;
  modules: string[];
  users: string[];
}

export interface PlannedAgent {
  index: number;
  instanceId: string;
  stream: string;
  profile: DeviceProfile;
  facts: IDeviceFacts;
  clone: { of: number; kind: CloneKind } | null;
  /** Offline days [fromDay, toDay): usage of these days is folded per day and sent after a reconnect. */
  offline: { fromDay: number; toDay: number } | null;
  frames: PlannedFrame[];
  /** Awake seconds this agent sends per UTC day (its own records only). */
  expectedByDay: Record<number, number>;
}

export interface Plan {
  options: PlanOptions;
  /** The first day simulated: the month's first, or the earliest day an agent enrolling today may report. */
  monthFirstDay: number;
  /** Exclusive: the first day not simulated (end of month, or today). */
  monthEndDay: number;
  agents: PlannedAgent[];
}

export function parseMonthId(month: string): { firstDay: number; endDay: number } {
  const m = /^(\d{4})-(0[1-9]|1[0-2])$/.exec(month);
  if (!m) throw new RangeError(`month must be YYYY-MM, got ${JSON.stringify(month)}`);
  const y = Number(m[1]);
  const mo = Number(m[2]) - 1;
  return { firstDay: Date.UTC(y, mo, 1) / MS_PER_DAY, endDay: Date.UTC(y, mo + 1, 1) / MS_PER_DAY };
}

const WINDOWS_VERSIONS: readonly (readonly [string, string])[] = [['Windows 11 Pro', '10.0.22631'], ['Windows 10 Enterprise', '10.0.19045'], ['Windows 11 Enterprise multi-session', '10.0.22631']];
const WINDOWS_SERVER: readonly (readonly [string, string])[] = [['Windows Server 2022 Standard', '10.0.20348'], ['Windows Server 2019 Datacenter', '10.0.17763']];
const MACOS: readonly (readonly [string, string])[] = [['macOS Sonoma', '14.6.1'], ['macOS Sequoia', '15.1']];
const LINUX: readonly (readonly [string, string])[] = [['Ubuntu 22.04.4 LTS', '22.04'], ['Ubuntu 24.04.1 LTS', '24.04'], ['Red Hat Enterprise Linux 9.4', '9.4'], ['Debian GNU/Linux 12', '12']];
const OPTIONAL_MODULES = ['advanced_threat_control', 'firewall', 'content_control', 'device_control', 'network_attack_defense',
  'edr_sensor', 'full_disk_encryption', 'patch_management', 'integrity_monitoring'];

function profileOf(rng: Rng, index: number): DeviceProfile {
  const role = rng.chance(0.15) ? 'server' : 'workstation';
  const platform: Platform = role === 'server'
    ? rng.weighted([['windows', 55], ['linux', 45]] as const)
    : rng.weighted([['windows', 75], ['darwin', 18], ['linux', 7]] as const);
  const virtual = platform === 'darwin' ? rng.chance(0.02) : role === 'server' ? rng.chance(0.7) : rng.chance(0.12);
  const virtKind = !virtual ? '' : platform === 'darwin' ? 'apple' : rng.pick(['vmware', 'kvm', 'microsoft', 'amazon', 'xen']);
  const pattern: SleepPattern = role === 'server' ? 'always_on'
    : virtual ? rng.weighted([['vdi', 70], ['always_on', 30]] as const)
    : rng.weighted([['office', 50], ['laptop', 40], ['rare', 10]] as const);
  const modules = ['antimalware', ...OPTIONAL_MODULES.filter(() => rng.chance(0.3))];
  const users = role === 'server' ? [] : Array.from({ length: rng.int(1, 2) }, () => platform === 'windows'
    ? `S-1-5-21-${rng.int(1e8, 4e9)}-${rng.int(1e8, 4e9)}-${rng.int(1e8, 4e9)}-${rng.int(1000, 9999)}`
    : `user${rng.int(1, 99999)}@corp.example`);
  const prefix = role === 'server' ? 'srv' : platform === 'darwin' ? 'mac' : virtual ? 'vdi' : 'ws';
  return { hostname: `${prefix}-${String(index).padStart(6, '0')}`, platform, role, virtual, virtKind, pattern, modules, users };
}

function factsOf(rng: Rng, p: DeviceProfile, instanceId: string, osMachineId: string): IDeviceFacts {
  const [name, version] = p.platform === 'windows' ? rng.pick(p.role === 'server' ? WINDOWS_SERVER : WINDOWS_VERSIONS)
    : p.platform === 'darwin' ? rng.pick(MACOS) : rng.pick(LINUX);
  const macs = Array.from({ length: rng.int(1, 2) }, () => rng.hex(6).match(/../g)!.join(':')).sort();
  const modules: IModuleState[] = p.modules.map((m) => ({
    name: m, installed: true, source: 'policy+present', tier: m === 'integrity_monitoring' ? rng.pick(['90d', '180d', '1y']) : '',
  }));
  return {
    identity: {
      hardwareUuid: rng.uuid(), systemSerial: rng.hex(5).toUpperCase(), osMachineId, macs, agentInstanceId: instanceId,
      cloudInstanceId: p.virtKind === 'amazon' ? `aws:i-0${rng.hex(8)}` : '',
    },
    hostname: p.hostname,
    os: { platform: p.platform, name, version, arch: rng.chance(0.1) ? 'arm64' : 'x64', kernel: version },
    virtualization: p.virtual ? { virtual: true, kind: p.virtKind, category: 'vm', evidence: [`dmi:${p.virtKind}`] } : { virtual: false },
    role: { role: p.role, evidence: ['simulated'] },
    hardware: { manufacturer: p.virtual ? p.virtKind : rng.pick(['Dell Inc.', 'LENOVO', 'HP', 'Apple Inc.']), model: 'Simulated', cpuCores: rng.pick([2, 4, 8, 16]), memoryBytes: rng.pick([8, 16, 32]) * 2 ** 30 },
    modules,
    users: p.users.map((u, i) => ({ userId: u, primary: i === 0 })),
    joinState: p.platform === 'windows' ? 'domain:CORP' : 'workgroup',
    ownership: 'corporate',
  };
}

/** Awake seconds of one day for a sleep pattern (0 = device off or asleep all day). */
function daySeconds(rng: Rng, pattern: SleepPattern, utcDay: number): number {
  const weekday = ((utcDay + 4) % 7 + 7) % 7; // 1970-01-01 was a Thursday (4)
  const weekend = weekday === 0 || weekday === 6;
  switch (pattern) {
    case 'always_on': return rng.chance(0.1) ? SECONDS_PER_DAY - rng.int(30, 900) : SECONDS_PER_DAY; // a reboot now and then
    case 'office': return weekend ? (rng.chance(0.1) ? rng.int(600, 7200) : 0) : rng.int(7 * 3600, 10 * 3600);
    case 'laptop': return rng.chance(weekend ? 0.3 : 0.8) ? rng.int(3600, 12 * 3600) : 0;
    case 'vdi': return weekend ? 0 : rng.int(6 * 3600, 9 * 3600);
    case 'rare': return rng.chance(0.2) ? rng.int(1800, 5 * 3600) : 0;
  }
}

/** Cuts a day's seconds into 1..max increments, split over one or two boots. */
function splitDay(rng: Rng, seconds: number, max: number, bootBase: string): { seconds: number; bootId: string }[] {
  const n = Math.max(1, Math.min(max, rng.int(1, max), seconds));
  const cuts = Array.from({ length: n - 1 }, () => rng.int(1, seconds - 1)).sort((a, b) => a - b);
  const out: { seconds: number; bootId: string }[] = [];
  let prev = 0;
  const secondBoot = n > 1 && rng.chance(0.3) ? rng.int(1, n - 1) : n;
  [...cuts, seconds].forEach((c, i) => {
    out.push({ seconds: c - prev, bootId: `${bootBase}-${i >= secondBoot ? 1 : 0}` });
    prev = c;
  });
  return out.filter((r) => r.seconds > 0);
}

export function buildPlan(options: PlanOptions): Plan {
  if (!Number.isInteger(options.agents) || options.agents < 1) throw new RangeError('agents must be at least 1');
  const { firstDay: monthFirst, endDay: monthEnd } = parseMonthId(options.month);
  // The simulated fleet enrols today: the collector takes no usage from more than
  // MAX_DAYS_BEFORE_ENROLMENT days before that (OUT_OF_RANGE), so none is planned.
  const firstDay = Math.max(monthFirst, options.todayUtcDay - MAX_DAYS_BEFORE_ENROLMENT);
  const endDay = Math.min(monthEnd, options.todayUtcDay);
  const root = new Rng(options.seed);
  const agents: PlannedAgent[] = [];
  for (let index = 0; index < options.agents; index++) {
    const rng = root.fork(`agent/${index}`);
    let clone: PlannedAgent['clone'] = null;
    if (index > 0 && rng.chance(options.cloneRate)) {
      const of = rng.int(0, index - 1);
      // A clone of a clone is a clone of the first template.
      clone = { of: agents[of].clone?.of ?? of, kind: rng.chance(0.5) ? 'reimaged' : 'shared_key' };
    }
    const template = clone ? agents[clone.of] : null;
    const profile = template ? { ...template.profile, hostname: `${template.profile.hostname}-c${index}` } : profileOf(rng, index);
    // A clone's disk carries the template's OS machine id; a shared-key clone also keeps its instance id.
    const instanceId = clone?.kind === 'shared_key' ? template!.instanceId : rng.uuid();
    const osMachineId = template ? template.facts.identity!.osMachineId! : rng.hex(16);
    const facts = factsOf(rng, profile, instanceId, osMachineId);
    const stream = `usage/${rng.uuid()}`;
    const days = Math.max(0, endDay - firstDay);
    let offline: PlannedAgent['offline'] = null;
    if (days >= 4 && rng.chance(options.offlineRate)) {
      const len = rng.int(2, Math.min(7, days - 2));
      const from = firstDay + rng.int(1, days - len - 1);
      offline = { fromDay: from, toDay: from + len };
    }
    const expectedByDay: Record<number, number> = {};
    const frames: PlannedFrame[] = [];
    let seq = 1;
    let pending: PlannedRecord[] = [];
    let reconnectNext = false;
    const flush = () => {
      for (let i = 0; i < pending.length; i += options.batchSize) {
        frames.push({ records: pending.slice(i, i + options.batchSize), reconnectBefore: reconnectNext, dropAfterSend: false });
        reconnectNext = false;
      }
      pending = [];
    };
    const held: PlannedRecord[] = [];
    for (let day = firstDay; day < endDay; day++) {
      const seconds = daySeconds(rng, profile.pattern, day);
      if (seconds === 0) continue;
      expectedByDay[day] = seconds;
      const inOffline = offline && day >= offline.fromDay && day < offline.toDay;
      if (inOffline) {
        // The agent's outbox folds a long outage into one record per day.
        held.push({ seq: 0, utcDay: day, awakeSeconds: seconds, bootId: 'folded' });
        continue;
      }
      if (held.length) {
        flush();
        reconnectNext = true;
        for (const h of held) pending.push({ ...h, seq: seq++ });
        held.length = 0;
        flush();
      }
      for (const part of splitDay(rng, seconds, options.recordsPerDay, `boot-${index}-${day}`)) {
        pending.push({ seq: seq++, utcDay: day, awakeSeconds: part.seconds, bootId: part.bootId });
      }
    }
    if (held.length) {
      flush();
      reconnectNext = true;
      for (const h of held) pending.push({ ...h, seq: seq++ });
    }
    flush();
    if (frames.length > 1 && rng.chance(options.dropRate)) frames[rng.int(0, frames.length - 1)].dropAfterSend = true;
    agents.push({ index, instanceId, stream, profile, facts, clone, offline, frames, expectedByDay });
  }
  return { options, monthFirstDay: firstDay, monthEndDay: endDay, agents };
}

/** Totals of a plan: records and seconds, for reports and tests. */
export function planTotals(plan: Plan): { agents: number; frames: number; records: number; seconds: number; clones: Record<CloneKind, number>; offline: number; drops: number } {
  let frames = 0, records = 0, seconds = 0, offline = 0, drops = 0;
  const clones: Record<CloneKind, number> = { reimaged: 0, shared_key: 0 };
  for (const a of plan.agents) {
    frames += a.frames.length;
    for (const f of a.frames) {
      records += f.records.length;
      if (f.dropAfterSend) drops++;
      for (const r of f.records) seconds += r.awakeSeconds;
    }
    if (a.clone) clones[a.clone.kind]++;
    if (a.offline) offline++;
  }
  return { agents: plan.agents.length, frames, records, seconds, clones, offline, drops };
}
