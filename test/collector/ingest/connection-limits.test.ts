// Connection limits on the agent endpoint, over real sockets on loopback:
// one live connection per device key (a newer one replaces the older, which
// closes with 4410 and CONNECTION_REPLACED), and a cap per source address
// (refused with 429 address_connection_limit while another address still
// connects). Each limit is counted in /metrics.
import Database from 'better-sqlite3';
import { join } from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import { CLOSE, ErrorCode, UPGRADE_ERROR, utcDayOf } from '../../../proto/index.ts';
import { RawConnection, UpgradeRefused } from '../../../proto/raw-client.ts';
import { startTestCollector, type TestCollector } from '../../helpers/collector.ts';
import { pollUntil } from '../../helpers/processes.ts';

let c: TestCollector;
afterEach(async () => {
  await c.dispose();
});

const metric = async (name: string) => {
  const text = await (await fetch(`${c.url}/metrics`)).text();
  return Number(new RegExp(`^${name.replace(/[{}]/g, (m) => `\\${m}`)} (\\S+)$`, 'm').exec(text)?.[1] ?? 0);
};
const hello = (a: RawConnection, hostname = 'pc-1') => a.send({ hello: { agentVersion: '1', instanceId: 'inst-1', facts: { hostname } } });
const usage = (seq: number, stream = 'usage/a') => ({ header: { stream, seq }, utcDay: utcDayOf(Date.now()), awakeSeconds: 60, bootId: 'b' });

/** An enrolled device's key (enrolled over the protocol from an address of its own, then disconnected). */
async function deviceKey(): Promise<{ key: string; deviceId: string }> {
  const { token } = await c.enrolmentToken();
  const a = await RawConnection.open(c.wsUrl, token, { localAddress: '127.0.0.9' });
  hello(a);
  const w = (await a.next()).welcome!;
  a.close();
  await a.closed;
  return { key: w.deviceKey!, deviceId: w.deviceId! };
}

describe('one live connection per device key', () => {
  it('a second connection with the same key replaces the first: the first is told and closed with 4410, the second carries on', async () => {
    c = await startTestCollector();
    const { key, deviceId } = await deviceKey();
    const first = await RawConnection.open(c.wsUrl, key);
    hello(first);
    expect((await first.next()).welcome!.deviceId).toBe(deviceId);
    first.send({ usage: { records: [usage(1)] } });
    expect((await first.next()).ack!.seqs).toEqual([1]);

    const second = await RawConnection.open(c.wsUrl, key);
    hello(second);
    expect((await second.next()).welcome!.deviceId).toBe(deviceId);
    expect((await first.next()).error!.code).toBe(ErrorCode.CONNECTION_REPLACED);
    expect((await first.closed).code).toBe(CLOSE.replaced);

    // The newer connection works, and what the first stored is kept once: seq 1 again is a duplicate.
    second.send({ usage: { records: [usage(1), usage(2)] } });
    expect((await second.next()).ack!.seqs).toEqual([1, 2]);
    const day = utcDayOf(Date.now());
    const page = await c.storage.adminRead.usageForDays(day, day + 1, { after: null, limit: 10 });
    expect(page.items.map((d) => d.awakeSeconds)).toEqual([120]);
    // The replaced connection's close leaves the device marked connected (the newer one holds the mark).
    await new Promise((r) => setTimeout(r, 100)); // the first connection's close handler has run
    const db = new Database(join(c.dir, 'tally.db'), { readonly: true });
    const mark = (db.prepare('SELECT connected_since FROM devices WHERE id = ?').get(deviceId) as { connected_since: number | null }).connected_since;
    db.close();
    expect(mark).not.toBeNull();
    expect(await metric('tally_agent_connections_replaced_total')).toBe(1);
    expect(await metric('tally_agent_connections')).toBe(1);
    second.close();
  });

  it('a key that opens many connections without a hello holds at most one of them: each newer one replaces the older', async () => {
    c = await startTestCollector();
    const { key } = await deviceKey();
    const opened: RawConnection[] = [];
    for (let i = 0; i < 5; i++) opened.push(await RawConnection.open(c.wsUrl, key));
    const closes = await Promise.all(opened.slice(0, 4).map((a) => a.closed));
    expect(closes.map((x) => x.code)).toEqual([4410, 4410, 4410, 4410]);
    await pollUntil(async () => (await metric('tally_agent_connections')) === 1, 5_000, 'one connection left');
    // The last one is a normal connection.
    hello(opened[4]);
    expect((await opened[4].next()).welcome).toBeTruthy();
    expect(await metric('tally_agent_connections_replaced_total')).toBe(4);
    opened[4].close();
  });

  it('a clone (other hardware while the device is connected) is still refused as a clone, and does not replace the original', async () => {
    c = await startTestCollector();
    const { key } = await deviceKey();
    const original = await RawConnection.open(c.wsUrl, key);
    original.send({ hello: { agentVersion: '1', instanceId: 'inst-1', facts: { hostname: 'pc-1', identity: { hardwareUuid: 'aaaaaaaa-1111-2222-3333-444444444444' } } } });
    expect((await original.next()).welcome).toBeTruthy();
    const clone = await RawConnection.open(c.wsUrl, key);
    clone.send({ hello: { agentVersion: '1', instanceId: 'inst-2', facts: { hostname: 'pc-2', identity: { hardwareUuid: 'bbbbbbbb-1111-2222-3333-444444444444' } } } });
    expect((await clone.next()).error!.code).toBe(ErrorCode.CLONE_DETECTED);
    expect((await clone.closed).code).toBe(CLOSE.clone);
    // The original was not replaced: it still stores usage.
    original.send({ usage: { records: [usage(1)] } });
    expect((await original.next()).ack!.seqs).toEqual([1]);
    expect(await metric('tally_agent_connections_replaced_total')).toBe(0);
    original.close();
  });
});

describe('connections per source address', () => {
  it('refuses an address over its cap with 429 address_connection_limit while another address still connects, and frees the slot on close', async () => {
    c = await startTestCollector({ sockets: { limits: { maxConnectionsPerIp: 2 } } });
    const keys = [await deviceKey(), await deviceKey(), await deviceKey(), await deviceKey()];
    const a = await RawConnection.open(c.wsUrl, keys[0].key, { localAddress: '127.0.0.1' });
    const b = await RawConnection.open(c.wsUrl, keys[1].key, { localAddress: '127.0.0.1' });
    const refused = await RawConnection.open(c.wsUrl, keys[2].key, { localAddress: '127.0.0.1' }).then(() => null, (err: unknown) => err);
    expect(refused).toBeInstanceOf(UpgradeRefused);
    expect([(refused as UpgradeRefused).status, (refused as UpgradeRefused).code]).toEqual([429, UPGRADE_ERROR.addressLimit]);
    // Another address is not held back by the first one's connections.
    const other = await RawConnection.open(c.wsUrl, keys[3].key, { localAddress: '127.0.0.2' });
    hello(other, 'pc-other');
    expect((await other.next()).welcome).toBeTruthy();
    expect(await metric('tally_agent_connection_limit_refusals_total{limit="per_ip"}')).toBe(1);
    expect(await metric('tally_agent_upgrades_rejected_total{code="address_connection_limit"}')).toBe(1);
    // A slot of the first address frees when one of its connections ends.
    a.close();
    await a.closed;
    const again = await pollUntil(async () => RawConnection.open(c.wsUrl, keys[2].key, { localAddress: '127.0.0.1' }).catch(() => null), 5_000, 'a free slot for 127.0.0.1');
    hello(again!);
    expect((await again!.next()).welcome).toBeTruthy();
    for (const x of [b, other, again!]) x.close();
  });

  it('defaults to half of maxConnections, so one address never holds every slot', async () => {
    c = await startTestCollector({ sockets: { limits: { maxConnections: 4 } } });
    const keys = [await deviceKey(), await deviceKey(), await deviceKey(), await deviceKey()];
    const held = [await RawConnection.open(c.wsUrl, keys[0].key), await RawConnection.open(c.wsUrl, keys[1].key)];
    const third = await RawConnection.open(c.wsUrl, keys[2].key).then(() => null, (err: unknown) => err);
    expect((third as UpgradeRefused).code).toBe(UPGRADE_ERROR.addressLimit);
    const other = await RawConnection.open(c.wsUrl, keys[3].key, { localAddress: '127.0.0.2' });
    for (const x of [...held, other]) x.close();
  });
});
