// Batched reads for connecting agents. An upgrade reads the device its key
// authenticates and the company's standing (the company and every company
// above it); a hello reads the standing again (the company may have been
// inactivated since the upgrade) and the device's stored hardware and
// lifecycle. One at a time that is one read per company on the path plus the
// device's, each a round trip on PostgreSQL; here the reads of every upgrade
// (or hello) waiting are one statement (EnrolmentStore.devicesByKeyHashes,
// IngestStore.helloReads), as the hellos' writes are one transaction
// (hello-batcher.ts). Nothing is cached: every read happens after its upgrade
// or hello arrived, so an inactivation committed before it refuses it.
//
// A batch that fails for any reason but an unavailable database is retried
// one read at a time: one bad read fails alone (group-commit.ts runBatchOrEach).
import type { Company, DeviceAtHello, DeviceAuth, Storage } from '../storage/types.ts';
import { GroupCommitQueue, runBatchOrEach, type Settleable } from './group-commit.ts';

export interface HelloReadsOptions {
  storage: Pick<Storage, 'enrolment' | 'ingest'>;
  /** How long the first read of a batch waits for others (default 0: the next turn of the event loop). */
  maxDelayMs?: number;
  /** Reads in one statement at most (default 1,000). */
  maxReads?: number;
  /** Batches in flight at once, per kind (default 2: while one is in the server, the next gathers). */
  maxConcurrent?: number;
}

/** What an upgrade reads: the key's device (null: unknown key) and its company with every company on its path. */
export interface KeyRead { device: DeviceAuth | null; companies: ReadonlyMap<string, Company> }
/** What a hello reads: its company with every company on its path, and its device (null: none, or an enrolment). */
export interface HelloRead { companies: ReadonlyMap<string, Company>; device: DeviceAtHello | null }
export interface HelloReadKey { companyId: string; deviceId: string | null }

interface Waiting<K, R> extends Settleable<R> { key: K }

function readQueue<K, B, R>(o: Required<Omit<HelloReadsOptions, 'storage'>>, read: (keys: K[]) => Promise<B>, pick: (batch: B, key: K) => R) {
  return new GroupCommitQueue<Waiting<K, R>>({
    maxDelayMs: o.maxDelayMs, maxWeight: o.maxReads, maxConcurrent: o.maxConcurrent,
    weight: () => 1,
    take: (waiting) => Math.min(waiting.length, o.maxReads),
    commit: (batch) => runBatchOrEach<Waiting<K, R>, B, R>(batch, (items) => read(items.map((w) => w.key)), (b, w) => pick(b, w.key)),
  });
}

/** The reads of one upgrade, unbatched (no HelloReads: tests, the update route). */
export async function readKey(enrolment: Pick<Storage['enrolment'], 'devicesByKeyHashes'>, keyHash: string): Promise<KeyRead> {
  const r = await enrolment.devicesByKeyHashes([keyHash]);
  return { device: r.devices.get(keyHash) ?? null, companies: r.companies };
}

/** The reads of one hello, unbatched. */
export async function readHello(ingest: Pick<Storage['ingest'], 'helloReads'>, key: HelloReadKey): Promise<HelloRead> {
  const r = await ingest.helloReads([key.companyId], key.deviceId === null ? [] : [key.deviceId]);
  return { companies: r.companies, device: key.deviceId === null ? null : r.devices.get(key.deviceId) ?? null };
}

export class HelloReads {
  private readonly keys: GroupCommitQueue<Waiting<string, KeyRead>>;
  private readonly hellos: GroupCommitQueue<Waiting<HelloReadKey, HelloRead>>;

  constructor(opts: HelloReadsOptions) {
    const o = { maxDelayMs: opts.maxDelayMs ?? 0, maxReads: opts.maxReads ?? 1_000, maxConcurrent: Math.max(1, opts.maxConcurrent ?? 2) };
    const { enrolment, ingest } = opts.storage;
    this.keys = readQueue(o, (hashes: string[]) => enrolment.devicesByKeyHashes([...new Set(hashes)]),
      (b, hash): KeyRead => ({ device: b.devices.get(hash) ?? null, companies: b.companies }));
    this.hellos = readQueue(o,
      (keys: HelloReadKey[]) => ingest.helloReads([...new Set(keys.map((k) => k.companyId))], [...new Set(keys.flatMap((k) => (k.deviceId === null ? [] : [k.deviceId])))]),
      (b, k): HelloRead => ({ companies: b.companies, device: k.deviceId === null ? null : b.devices.get(k.deviceId) ?? null }));
  }

  /** An upgrade's reads for a device key's hash, batched with the other upgrades waiting. */
  key(keyHash: string): Promise<KeyRead> {
    return new Promise((resolve, reject) => this.keys.add({ key: keyHash, resolve, reject }));
  }

  /** A hello's reads, batched with the other hellos waiting. */
  hello(key: HelloReadKey): Promise<HelloRead> {
    return new Promise((resolve, reject) => this.hellos.add({ key, resolve, reject }));
  }

  /** Resolves when no read is waiting or in flight. */
  async drain(): Promise<void> {
    await Promise.all([this.keys.drain(), this.hellos.drain()]);
  }
}
