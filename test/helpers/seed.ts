// The one way tests (and benchmarks) put companies, subscriptions, devices
// and usage into a real store: straight through the storage interfaces the
// collector itself writes with, so what a test reads back went the same way
// as production data. Tests that exercise the admin surfaces seed through
// those surfaces instead (REST, JSON-RPC, console, CLI).
import { randomUUID } from 'node:crypto';
import type { IDeviceFacts } from '../../proto/index.ts';
import type { SubscriptionVersion } from '../../collector/src/billing/index.ts';
import { reportedFacts } from '../../collector/src/devices/attributes.ts';
import { latePolicyAt } from '../../collector/src/ingest/late-policy.ts';
import type { Company, Storage } from '../../collector/src/storage/types.ts';
import { subscription } from '../collector/billing/fixtures.ts';

const DAY_MS = 86_400_000;

type SeedStorage = Pick<Storage, 'tenancy' | 'enrolment' | 'ingest'>;

/** A customer company at the top of the tree, named `name` (a new one each call). */
export function seedCustomer(storage: Pick<Storage, 'tenancy'>, name: string, nowMs: number): Promise<Company> {
  return storage.tenancy.createCompany({ id: randomUUID(), name, type: 'customer', parentId: null, externalId: null, nowMs });
}

export interface SeedCompany {
  id?: string;
  type?: 'partner' | 'customer';
  parentId?: string | null;
  externalId?: string | null;
  /** When the company was registered (and its subscription added). */
  atMs: number;
  /** A subscription version for it (billing/fixtures.ts `subscription` with these overrides, or those made from its id); none when absent. */
  subscription?: SubscriptionOverrides | ((companyId: string) => SubscriptionOverrides);
}

type SubscriptionOverrides = NonNullable<Parameters<typeof subscription>[1]>;

export interface SeedDevice {
  id?: string;
  facts?: IDeviceFacts | null;
  hostname?: string;
  /** When it enrolled. */
  atMs: number;
}

/**
 * Seeds one store. `nowMs` is the clock usage is ingested at (and judged
 * late against); tests with a fixed clock pass it, others Date.now.
 */
export class Seeder {
  private seq = 0;

  constructor(private readonly storage: SeedStorage, private readonly nowMs: () => number = Date.now) {}

  async company(name: string, o: SeedCompany): Promise<Company> {
    const c = await this.storage.tenancy.createCompany({
      id: o.id ?? randomUUID(), name, type: o.type ?? 'customer', parentId: o.parentId ?? null, externalId: o.externalId ?? null, nowMs: o.atMs,
    });
    const over = typeof o.subscription === 'function' ? o.subscription(c.id) : o.subscription;
    if (over) await this.storage.tenancy.addSubscriptionVersion(this.subscriptionOf(c.id, over), o.atMs);
    return c;
  }

  /** A subscription version with a fresh id (two versions of one test never collide). */
  subscriptionOf(companyId: string, over: SubscriptionOverrides = {}): SubscriptionVersion {
    return subscription(companyId, { subscriptionId: randomUUID(), ...over });
  }

  async device(companyId: string, o: SeedDevice): Promise<string> {
    const id = o.id ?? randomUUID();
    const facts = o.facts ?? null;
    await this.storage.enrolment.enrolDevice({
      deviceId: id, companyId, keyHash: `key-${id}`, instanceId: id, hostname: o.hostname ?? facts?.hostname ?? id.slice(0, 8),
      facts: facts && reportedFacts(facts), agentVersion: 'test', nowMs: o.atMs,
    });
    return id;
  }

  /** `seconds` awake on the UTC day containing `dayMs`, as one usage record of the device's own stream. */
  awake(deviceId: string, companyId: string, dayMs: number, seconds: number) {
    return this.awakeDays(deviceId, companyId, [{ dayMs, seconds }]);
  }

  /** Several days in one frame (one ingest call), as an agent sends them. */
  async awakeDays(deviceId: string, companyId: string, days: readonly { dayMs: number; seconds: number }[]) {
    const now = this.nowMs();
    return this.storage.ingest.ingestUsage(deviceId, companyId,
      days.map((d) => ({ stream: `s-${deviceId}`, seq: ++this.seq, utcDay: Math.floor(d.dayMs / DAY_MS), awakeSeconds: d.seconds, bootId: 'b' })), [], now, latePolicyAt(now));
  }
}
