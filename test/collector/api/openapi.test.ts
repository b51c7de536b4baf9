import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { declaredApiRoutes } from '../../helpers/app-routes.ts';
import { startTestCollector, type TestCollector } from '../../helpers/collector.ts';

let c: TestCollector;
beforeAll(async () => {
  c = await startTestCollector();
});
afterAll(async () => {
  await c.dispose();
});

describe('GET /api/v1/openapi.json', () => {
  it('is served without a key and describes every admin route the app declares', async () => {
    const res = await fetch(`${c.url}/api/v1/openapi.json`);
    expect(res.status).toBe(200);
    const doc = (await res.json()) as any;
    expect(doc.openapi).toBe('3.1.0');
    const declared = declaredApiRoutes(c.storage)
      .filter((r) => r.path !== '/api/v1/openapi.json')
      .map((r) => `${r.method.toLowerCase()} ${r.path.slice('/api/v1'.length).replace(/:(\w+)/g, '{$1}')}`);
    expect(declared.length).toBeGreaterThan(20);
    const described = Object.entries(doc.paths).flatMap(([path, ops]) => Object.keys(ops as object).map((m) => `${m} ${path}`));
    expect(declared.filter((r) => !described.includes(r))).toEqual([]);
  });

  it('carries the request schemas the server validates with', async () => {
    const doc = (await (await fetch(`${c.url}/api/v1/openapi.json`)).json()) as any;
    const create = doc.paths['/companies'].post.requestBody.content['application/json'].schema;
    expect(create.required).toEqual(expect.arrayContaining(['name', 'type']));
    expect(create.properties.type.enum).toEqual(['partner', 'customer']);
    const monthly = doc.paths['/usage/monthly'].get.parameters.find((p: any) => p.name === 'month');
    expect(monthly.required).toBe(true);
    expect(monthly.schema.pattern).toBeDefined();
  });
});
