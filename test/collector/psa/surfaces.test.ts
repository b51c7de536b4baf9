// PSA sync through a running collector's surfaces (REST, JSON-RPC, the CLI
// as a real process), against the emulated PSAs on loopback: suggestions by
// name, mappings, unmapped companies and SKUs, the dry run, the sync, the
// reconciliation as CSV. And the credentials: never in an API answer, the
// audit log, the collector's logs, the CLI's output, or the database file.
import { execFile } from 'node:child_process';
import { readFileSync } from 'node:fs';
import { promisify } from 'node:util';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { COMMANDS } from '../../../collector/src/admin/index.ts';
import { startCollector, type RunningCollector } from '../../../collector/src/server.ts';
import { rest, rpc } from '../../helpers/http.ts';
import { LOOPBACK_ALLOWED } from '../../helpers/outbound.ts';
import { ConnectWiseEmulator } from '../../psa-emulators/connectwise.ts';
import { HaloEmulator } from '../../psa-emulators/halopsa.ts';
import { ALL_SECRETS, BACKENDS, BASE_URL, CREDS, EDR_SKU, ENDPOINT_SKU, KEY_HEX, world, type World } from './fixture.ts';

const run = promisify(execFile);

for (const backend of BACKENDS) {
  describe.skipIf(backend.skip)(`PSA sync surfaces (${backend.name})`, () => {
    let w: World;
    let col: RunningCollector;
    let key: string;
    const answers: string[] = [];
    const call = async (method: string, path: string, body?: unknown) => {
      const r = await rest(col.url, key, method, path, body);
      answers.push(r.text);
      return r;
    };

    beforeEach(async () => {
      w = await world(backend);
      col = await startCollector({
        storage: w.storage, logger: w.logger, host: '127.0.0.1', port: 0, now: () => w.clock.now, billingIntervalMs: 0, reportScheduleIntervalMs: 0,
        psaScheduleIntervalMs: 0, psaKey: w.psa.key, psaHttp: { backoffMs: 5 }, outbound: LOOPBACK_ALLOWED, reportsDir: `/tmp/tally-psa-reports-${process.pid}`,
      });
      key = (await w.run(COMMANDS.createApiKey, {}, { label: 'psa test', companyId: null, readOnly: false }) as { key: string }).key;
    });
    afterEach(async () => {
      await col.stop();
      await w.close();
    });

    it('connects, suggests, maps, syncs and reconciles over REST and JSON-RPC; credentials never come back', async () => {
      // Wrong credentials: a clear error, nothing stored.
      const bad = await call('PUT', '/psa/connectwise/connection', { baseUrl: BASE_URL.connectwise(w), credentials: { ...CREDS.connectwise, privateKey: 'wrong' } });
      expect(bad.status).toBe(502);
      expect(bad.body.error.code).toBe('psa_auth_failed');
      expect((await call('GET', '/psa')).body).toEqual({ connections: [] });

      const set = await call('PUT', '/psa/connectwise/connection', { baseUrl: BASE_URL.connectwise(w), credentials: CREDS.connectwise, syncHours: 12 });
      expect(set.status).toBe(200);
      expect(set.body.credentials).toEqual({ companyId: 'tallymsp', publicKey: 'pubKEY123', privateKey: '********', clientId: 'client-guid-0001' });
      const halo = await call('PUT', '/psa/halopsa/connection', { baseUrl: BASE_URL.halopsa(w), credentials: CREDS.halopsa });
      expect(halo.body.credentials.clientSecret).toBe('********');
      expect((await call('GET', '/psa')).body.connections.map((c: any) => [c.kind, c.syncHours])).toEqual([['connectwise', 12], ['halopsa', 24]]);

      // Suggestions by normalized name: "ACME Corp" ~ "Acme Corporation", "Globex" ~ "Globex, LLC"; Umbrella has none.
      const sug = (await call('GET', '/psa/connectwise/suggestions')).body;
      const byName = Object.fromEntries(sug.suggestions.map((s: any) => [s.companyName, [s.psaCompanyName, s.match]]));
      expect(byName).toEqual({ 'ACME Corp': ['Acme Corporation', 'exact'], Globex: ['Globex, LLC', 'exact'], Initech: ['Initech', 'exact'] });
      const catalog = (await call('GET', '/psa/connectwise/catalog?psaCompanyId=250')).body;
      expect(catalog.agreements).toEqual([{ id: '9001', name: 'Acme Managed Security', cancelled: false }]);
      expect(catalog.products.map((p: any) => p.name)).toEqual(['ES-ENDPOINT', 'ES-PATCH', 'EDR-ENDPOINT']);

      // The admin confirms two suggestions and maps one SKU: the rest is listed as unmapped.
      for (const [company, psaCompanyId, agreementId] of [[w.acme.id, '250', '9001'], [w.globex.id, '251', '9002']]) {
        expect((await call('PUT', '/psa/connectwise/mappings', { companyId: company, psaCompanyId, agreementId })).status).toBe(200);
      }
      expect((await call('PUT', '/psa/connectwise/mappings', { sku: ENDPOINT_SKU, productId: 700, productName: 'ES-ENDPOINT' })).status).toBe(200);
      const overview = (await call('GET', '/psa/connectwise?month=2026-10')).body;
      expect(overview.unmappedCompanies.map((c: any) => [c.name, c.billableThisMonth])).toEqual([['Initech', true], ['Umbrella', false]]);
      expect(overview.unmappedSkus).toEqual([EDR_SKU]);
      expect(overview.productMappings).toMatchObject([{ sku: ENDPOINT_SKU, productId: '700', productName: 'ES-ENDPOINT' }]);

      // Dry run, then the sync, then the reconciliation as CSV.
      const dry = await call('POST', '/psa/connectwise/sync', { month: '2026-10', dryRun: true });
      expect(dry.body.rows.find((r: any) => r.companyId === w.acme.id && r.sku === ENDPOINT_SKU)).toMatchObject({ tally: 3, psa: 0, change: 3, action: 'create' });
      expect(dry.body.rows.find((r: any) => r.companyId === w.globex.id && r.sku === EDR_SKU).flags).toEqual(['product_unmapped']);
      expect(w.cw.writes).toHaveLength(0);
      const done = await call('POST', '/psa/connectwise/sync', { month: '2026-10' });
      expect(done.body).toMatchObject({ written: 1, adjusted: 0, failed: [] });
      w.cw.line(9001, 700)!.quantity = 5;
      const csv = await call('GET', '/psa/connectwise/reconciliation?month=2026-10&format=csv');
      expect(csv.headers.get('content-type')).toMatch(/^text\/csv/);
      const lines = csv.text.trim().split(/\r?\n/);
      expect(lines[0]).toBe('month,company_id,company_name,sku,psa_company_id,agreement_id,product_id,tally_quantity,usage,psa_quantity,last_pushed,change,action,flags');
      expect(lines).toContain(`2026-10,${w.acme.id},ACME Corp,${ENDPOINT_SKU},250,9001,700,3,3,5,3,-2,none,hand_edited`);
      expect(lines).toContain(`2026-10,${w.umbrella.id},Umbrella,TALLY-UNLICENSED-ENDPOINTS,,,,0,1,,,0,none,unlicensed_activity company_unmapped`);

      // JSON-RPC: the same reconciliation, and the sync (overwrite puts the hand edit back).
      const rec = await rpc(col.url, key, 'psa', 'getReconciliation', { kind: 'connectwise', month: '2026-10' });
      answers.push(rec.text);
      expect(rec.body.result.rows.find((r: any) => r.sku === ENDPOINT_SKU && r.companyId === w.acme.id).flags).toEqual(['hand_edited']);
      const synced = await rpc(col.url, key, 'psa', 'runSync', { kind: 'connectwise', month: '2026-10', overwrite: true });
      answers.push(synced.text);
      expect(synced.body.result.written).toBe(1);
      expect(w.cw.line(9001, 700)!.quantity).toBe(3);
      const refused = await rpc(col.url, key, 'psa', 'setConnection', { kind: 'autotask', baseUrl: BASE_URL.autotask(w), credentials: { ...CREDS.autotask, secret: 'x' } });
      expect(refused.body.error.data.code).toBe('psa_auth_failed');

      // Scheduled syncs are on the connection; the audit log says who pushed what, with masked credentials only.
      const audit = await call('GET', '/audit?limit=200');
      expect(audit.body.entries.map((e: any) => e.action)).toEqual(expect.arrayContaining(['psa.connection.set', 'psa.mapping.set', 'psa.sync.dry_run', 'psa.sync.run', 'psa.push']));
      const metrics = await (await fetch(`${col.url}/metrics`)).text();
      expect(metrics).toMatch(/tally_psa_pushes_total\{kind="connectwise",outcome="written"\} 2/);

      // Nowhere: API answers, logs, and (SQLite) the database file itself.
      const everything = [...answers, ...w.logs].join('\n');
      for (const secret of ALL_SECRETS) expect(everything).not.toContain(secret);
      if (w.dbPath) {
        const bytes = readFileSync(w.dbPath).toString('latin1') + (() => { try { return readFileSync(`${w.dbPath}-wal`).toString('latin1'); } catch { return ''; } })();
        expect(bytes).toContain('psa_connections');
        for (const secret of [ConnectWiseEmulator.CREDS.privateKey, HaloEmulator.CREDS.clientSecret]) expect(bytes).not.toContain(secret);
      }
    });

    it.skipIf(backend.name !== 'SQLite')('the CLI connects, shows and reconciles with the key from the environment, never printing a secret', async () => {
      const { writeFileSync } = await import('node:fs');
      const credsFile = `${w.dbPath}.creds.json`;
      writeFileSync(credsFile, JSON.stringify(CREDS.connectwise));
      const env = { ...process.env, TALLY_PSA_KEY: KEY_HEX };
      // The emulator is on loopback: refused unless the operator allows that network (outbound.ts), and nothing is saved.
      const refused = await run(process.execPath, ['bin/tally-collector.js', 'psa', 'connect', 'connectwise', '--url', BASE_URL.connectwise(w), '--credentials-file', credsFile, '--db', w.dbPath!],
        { env, timeout: 20_000 }).catch((e) => e);
      expect(refused.code).toBe(2);
      expect(refused.stderr).toMatch(/127\.0\.0\.1 is not public internet addresses?.*--outbound-allow CIDR \[psa_address_refused\]/);
      expect(await w.storage.psa.getConnection('connectwise')).toBeNull();
      const cli = (...args: string[]) => run(process.execPath, ['bin/tally-collector.js', 'psa', ...args, '--db', w.dbPath!, '--outbound-allow', '127.0.0.0/8'], { env, timeout: 20_000 });
      const connected = await cli('connect', 'connectwise', '--url', BASE_URL.connectwise(w), '--credentials-file', credsFile);
      expect(JSON.parse(connected.stdout).credentials.privateKey).toBe('********');
      await cli('map', 'connectwise', '--company', 'ACME Corp', '--psa-company', '250', '--agreement', '9001');
      await cli('map', 'connectwise', '--sku', ENDPOINT_SKU, '--product', '700');
      const shown = await cli('show', 'connectwise', '--month', '2026-10');
      expect(JSON.parse(shown.stdout).companyMappings.map((m: any) => m.companyId)).toEqual([w.acme.id]);
      const rec = await cli('reconcile', 'connectwise', '--month', '2026-10', '--csv');
      expect(rec.stdout).toContain(`${w.acme.id},ACME Corp,${ENDPOINT_SKU},250,9001,700,3,3,0,,3,create,line_missing`);
      // Without the key: a clear error with its code, and the exit code of the error table.
      const noKey = await run(process.execPath, ['bin/tally-collector.js', 'psa', 'reconcile', 'connectwise', '--month', '2026-10', '--db', w.dbPath!],
        { env: { ...process.env, TALLY_PSA_KEY: '' }, timeout: 20_000 }).catch((e) => e);
      expect(noKey.code).toBe(2);
      expect(noKey.stderr).toContain('[psa_key_missing]');
      for (const out of [connected, shown, rec, noKey]) for (const secret of ALL_SECRETS) expect(out.stdout + out.stderr).not.toContain(secret);
    });
  });
}
