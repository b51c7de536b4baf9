// Events from the agent endpoint, on SQLite and PostgreSQL: real agent
// connections (the raw protocol client) enrol, re-enrol, move, trip the
// clone check, enrol a look-alike and uninstall; each is published once,
// delivered signed to the endpoints whose scope covers the company, and to
// no other partner's.
import { Webhook } from 'standardwebhooks';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { AGENT_WS_PATH, ErrorCode, type IIdentity } from '../../../proto/index.ts';
import { connectOk, type RawAgent } from '../../helpers/raw-agent.ts';
import { pollUntil } from '../../helpers/processes.ts';
import { Seeder } from '../../helpers/seed.ts';
import { BACKENDS, Receiver, startHookCollector, type HookCollector } from './harness.ts';

const DELL: IIdentity = { hardwareUuid: '4c4c4544-0042-3510-8052-b4c04f4e3232', systemSerial: 'B5R2NN2', macs: ['3c:52:82:11:22:33'] };
const HP: IIdentity = { hardwareUuid: '7d1e4b2a-93c5-4f0e-8a61-0c2b9d3e4f51', systemSerial: 'CZC1234XYZ', macs: ['9c:8e:99:01:02:03'] };

for (const backend of BACKENDS) {
  describe.skipIf(!backend.run)(`events from the agent endpoint (${backend.name})`, () => {
    let c: HookCollector;
    let rx: Receiver;
    const ids = {} as Record<'partner' | 'dental' | 'legal' | 'other' | 'elsewhere', string>;
    const secrets = {} as Record<'all' | 'legal' | 'other', string>;
    const ws = () => `ws://127.0.0.1:${c.port}${AGENT_WS_PATH}`;

    const enrol = async (secret: string, identity: IIdentity, instanceId: string): Promise<{ agent: RawAgent; deviceId: string; deviceKey: string }> => {
      const agent = await connectOk(ws(), secret);
      agent.send({ hello: { agentVersion: '2.0', instanceId, firstRunMs: Date.now() - 86_400_000, facts: { hostname: `pc-${instanceId}`, identity } } });
      const reply = await agent.next();
      if (!reply.welcome) throw new Error(`no welcome: ${JSON.stringify(reply)}`);
      return { agent, deviceId: reply.welcome.deviceId!, deviceKey: reply.welcome.deviceKey! };
    };

    beforeAll(async () => {
      c = await startHookCollector(backend);
      rx = await new Receiver().start();
      const seed = new Seeder(c.storage);
      const at = Date.now() - 86_400_000;
      ids.partner = (await seed.company('MSP', { type: 'partner', atMs: at })).id;
      ids.dental = (await seed.company('Dental', { parentId: ids.partner, atMs: at })).id;
      ids.legal = (await seed.company('Legal', { parentId: ids.partner, atMs: at })).id;
      ids.other = (await seed.company('Other MSP', { type: 'partner', atMs: at })).id;
      ids.elsewhere = (await seed.company('Elsewhere', { parentId: ids.other, atMs: at })).id;
      const make = async (path: string, companyId: string | null) => (await c.call('POST', '/webhooks', { url: rx.answer(path), companyId })).body.secret as string;
      secrets.all = await make('/all', null);
      secrets.legal = await make('/legal', ids.legal);
      secrets.other = await make('/other', ids.other);
    }, 30_000);

    afterAll(async () => {
      await rx?.stop();
      await c?.dispose();
    });

    it('enrolled, possible duplicate, clone detected, uninstalled, re-enrolled and moved: once each, by scope', async () => {
      const dental = await c.token(ids.dental);
      const original = await enrol(dental, DELL, 'inst-1');
      // The same hardware while the original is connected: a new device, flagged as a possible duplicate.
      const twin = await enrol(dental, DELL, 'inst-2');
      // A clone presenting the original's key from other hardware while the original is connected: refused.
      const clone = await connectOk(ws(), original.deviceKey);
      clone.send({ hello: { agentVersion: '2.0', instanceId: 'inst-1', facts: { identity: HP } } });
      expect((await clone.next()).error?.code).toBe(ErrorCode.CLONE_DETECTED);
      original.agent.send({ events: { events: [{ header: { stream: 'events/s', seq: 1 }, occurredAtMs: Date.now(), uninstalled: { reason: 'removed by RMM' } }] } });
      expect((await original.agent.next()).ack?.seqs).toEqual([1]);
      // The same uninstall again (a resend): stored once, published once.
      original.agent.send({ events: { events: [{ header: { stream: 'events/s', seq: 1 }, occurredAtMs: Date.now(), uninstalled: { reason: 'removed by RMM' } }] } });
      await original.agent.next();
      await Promise.all([original.agent.close(), twin.agent.close()]);

      // Another machine enrols at Dental, is wiped, and enrols again with Legal's token: re-enrolled and moved, at Legal.
      const hp = await enrol(dental, HP, 'inst-3');
      await hp.agent.close();
      const moved = await enrol(await c.token(ids.legal), HP, 'inst-4');
      expect(moved.deviceId).toBe(hp.deviceId);
      await moved.agent.close();

      const expected = [
        ['device.enrolled', original.deviceId, ids.dental],
        ['device.enrolled', twin.deviceId, ids.dental],
        ['device.possible_duplicate', twin.deviceId, ids.dental],
        ['device.clone_detected', original.deviceId, ids.dental],
        ['device.uninstalled', original.deviceId, ids.dental],
        ['device.enrolled', hp.deviceId, ids.dental],
        ['device.re_enrolled', hp.deviceId, ids.legal],
        ['device.moved', hp.deviceId, ids.legal],
      ];
      await pollUntil(async () => rx.at('/all').length >= expected.length, 8_000, 'every event at the installation endpoint');
      const verified = rx.at('/all').map((r) => new Webhook(secrets.all).verify(r.body, r.headers) as { type: string; data: { deviceId: string; companyId: string } & Record<string, unknown> });
      const got = verified.map((e) => [e.type, e.data.deviceId, e.data.companyId]);
      expect(new Set(got.map((g) => JSON.stringify(g)))).toEqual(new Set(expected.map((e) => JSON.stringify(e))));
      expect(got).toHaveLength(expected.length);
      const dupe = verified.find((e) => e.type === 'device.possible_duplicate')!;
      expect(dupe.data).toMatchObject({ of: [original.deviceId], why: 'active' });
      expect(verified.find((e) => e.type === 'device.moved')!.data).toMatchObject({ from: ids.dental, to: ids.legal, by: 'enrolment' });
      const dentalTokenId = (await c.storage.adminWrite.listEnrolmentTokens([ids.dental]))[0].id;
      expect(verified.filter((e) => e.type === 'device.enrolled').map((e) => e.data.tokenId)).toEqual([dentalTokenId, dentalTokenId, dentalTokenId]);

      // Legal's endpoint gets Legal's events only; the other partner's gets nothing.
      await pollUntil(async () => (await c.storage.hooks.undispatchedEvents(10)).length === 0, 5_000, 'all dispatched');
      await pollUntil(async () => rx.at('/legal').length === 2, 5_000, "Legal's events");
      expect(rx.at('/legal').map((r) => (new Webhook(secrets.legal).verify(r.body, r.headers) as { type: string }).type).sort()).toEqual(['device.moved', 'device.re_enrolled']);
      expect(rx.at('/other')).toHaveLength(0);
    }, 30_000);
  });
}
