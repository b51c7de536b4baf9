// Companies, user groups, users, XDR sensor deployments.
import { Hono } from 'hono';
import { randomUUID } from 'node:crypto';
import { z } from 'zod';
import { listingRetention } from '../billing/index.ts';
import type { Storage } from '../storage/types.ts';
import { ApiError } from './errors.ts';
import { companyJson, groupJson, userJson } from './serialize.ts';
import { idParam, jsonBody, monthParam } from './validate.ts';
import type { ApiEnv } from './routes.ts';
import { audited } from './audit.ts';

const name = z.string().trim().min(1).max(200);
export const CreateCompany = z.object({
  name,
  type: z.enum(['partner', 'customer']),
  parentId: idParam.nullable().default(null),
  externalId: z.string().trim().min(1).max(200).nullable().default(null),
}).strict();
export const PatchCompany = z.object({
  name: name.optional(),
  externalId: z.string().trim().min(1).max(200).nullable().optional(),
  active: z.boolean().optional(),
}).strict();
export const CreateGroup = z.object({ name }).strict();
export const CreateUser = z.object({
  // Stable id only: SID, UPN, or uid@domain. Display names change; ids do not.
  externalId: z.string().trim().min(1).max(256),
  displayName: z.string().trim().min(1).max(200).nullable().default(null),
  groupIds: z.array(idParam).max(100).default([]),
}).strict();
export const AddMember = z.object({ userId: idParam }).strict();
export const XdrDeployment = z.object({
  category: z.enum(['identity_providers', 'productivity', 'network', 'cloud_workloads']),
  month: monthParam.optional(),
}).strict();

export function companyRoutes(storage: Storage, now: () => number) {
  const api = new Hono<ApiEnv>();

  api.get('/companies', async (c) => {
    const scope = c.get('scope');
    return c.json({ companies: [...scope.companies.values()].filter((co) => scope.canSee(co.id)).map(companyJson) });
  });

  api.post('/companies', async (c) => {
    const scope = c.get('scope');
    const body = await jsonBody(c, CreateCompany);
    if (body.parentId === null) scope.requireInstallation('creating a top-level company');
    else scope.writable(body.parentId);
    const created = await storage.tenancy.createCompany({ id: randomUUID(), ...body, nowMs: now() });
    await audited(c, storage, now, { action: 'company.create', targetType: 'company', targetId: created.id, companyId: created.id, details: body });
    return c.json(companyJson(created), 201);
  });

  api.get('/companies/:id', async (c) => c.json(companyJson(c.get('scope').company(c.req.param('id')))));

  api.patch('/companies/:id', async (c) => {
    const id = c.req.param('id');
    const scope = c.get('scope');
    scope.writable(id);
    const body = await jsonBody(c, PatchCompany);
    if (body.active !== undefined && id === scope.key.companyId) throw new ApiError(403, 'forbidden', 'a key cannot inactivate or reactivate its own company');
    if (body.name !== undefined || body.externalId !== undefined) await storage.tenancy.updateCompany(id, { name: body.name, externalId: body.externalId });
    // Inactivating stops billing from now on and refuses the company's agents; its data stays.
    const updated = body.active === undefined ? (await storage.tenancy.getCompany(id))! : await storage.tenancy.setCompanyActive(id, body.active, now());
    await audited(c, storage, now, { action: body.active === false ? 'company.inactivate' : body.active === true ? 'company.reactivate' : 'company.update', targetType: 'company', targetId: id, companyId: id, details: body });
    return c.json(companyJson(updated));
  });

  api.get('/companies/:id/user-groups', async (c) => {
    c.get('scope').company(c.req.param('id'));
    return c.json({ userGroups: (await storage.tenancy.listUserGroups(c.req.param('id'))).map(groupJson) });
  });

  api.post('/companies/:id/user-groups', async (c) => {
    const co = c.get('scope').writable(c.req.param('id'));
    if (co.type !== 'customer') throw new ApiError(400, 'invalid_request', 'user groups belong to customer companies');
    const body = await jsonBody(c, CreateGroup);
    const group = await storage.tenancy.createUserGroup({ id: randomUUID(), companyId: co.id, name: body.name, nowMs: now() });
    await audited(c, storage, now, { action: 'user_group.create', targetType: 'user_group', targetId: group.id, companyId: co.id, details: body });
    return c.json(groupJson(group), 201);
  });

  api.get('/companies/:id/users', async (c) => {
    const co = c.get('scope').company(c.req.param('id'));
    const includeRetired = c.req.query('includeRetired') === 'true';
    const at = now();
    // "Inactive Users: Remain visible in the dashboard for 150 days before automatic removal." (seed 000)
    const users = (await storage.tenancy.listUsers(co.id))
      .filter((u) => includeRetired || u.lastActiveAtMs === null || listingRetention({ kind: 'user', lastActivityMs: u.lastActiveAtMs }, at).visible);
    return c.json({ users: users.map(userJson) });
  });

  api.post('/companies/:id/users', async (c) => {
    const co = c.get('scope').writable(c.req.param('id'));
    if (co.type !== 'customer') throw new ApiError(400, 'invalid_request', 'users belong to customer companies');
    const body = await jsonBody(c, CreateUser);
    // Check every group first, so a bad id never leaves a half-made user behind.
    const groups = new Set((await storage.tenancy.listUserGroups(co.id)).map((g) => g.id));
    const unknown = body.groupIds.find((g) => !groups.has(g));
    if (unknown) throw new ApiError(400, 'invalid_request', `groupIds: ${unknown} is not a user group of this company`);
    const user = await storage.tenancy.upsertUser({ id: randomUUID(), companyId: co.id, externalId: body.externalId, displayName: body.displayName, nowMs: now() });
    for (const groupId of body.groupIds) await storage.tenancy.addGroupMember(groupId, user.id, now());
    const fresh = (await storage.tenancy.listUsers(co.id)).find((u) => u.id === user.id)!;
    await audited(c, storage, now, { action: 'user.create', targetType: 'user', targetId: user.id, companyId: co.id, details: body });
    return c.json(userJson(fresh), 201);
  });

  api.post('/companies/:id/user-groups/:groupId/members', async (c) => {
    const co = c.get('scope').writable(c.req.param('id'));
    const body = await jsonBody(c, AddMember);
    const groupId = c.req.param('groupId');
    if (!(await storage.tenancy.listUserGroups(co.id)).some((g) => g.id === groupId)) throw new ApiError(404, 'not_found', `user group ${groupId} does not exist in this company`);
    await storage.tenancy.addGroupMember(groupId, body.userId, now());
    await audited(c, storage, now, { action: 'user_group.add_member', targetType: 'user_group', targetId: groupId, companyId: co.id, details: body });
    return c.body(null, 204);
  });

  api.post('/companies/:id/xdr-deployments', async (c) => {
    const co = c.get('scope').writable(c.req.param('id'));
    const body = await jsonBody(c, XdrDeployment);
    const month = body.month ?? new Date(now()).toISOString().slice(0, 7);
    await storage.tenancy.recordXdrDeployment({ companyId: co.id, month, category: body.category, nowMs: now() });
    await audited(c, storage, now, { action: 'xdr.record_deployment', targetType: 'company', targetId: co.id, companyId: co.id, details: { month, category: body.category } });
    return c.json({ companyId: co.id, month, category: body.category }, 201);
  });

  return api;
}
