// Commands on the company tree and its people: companies, user groups,
// users, group membership, XDR sensor deployments.
import { randomUUID } from 'node:crypto';
import { z } from 'zod';
import { monthContaining } from '../billing/index.ts';
import { forbidden, invalid, TallyError } from '../errors.ts';
import type { Company, UserGroupRecord, UserRecord } from '../storage/types.ts';
import { defineCommand } from './command.ts';
import { idParam, monthParam, nameParam, nothing } from './schemas.ts';

const externalId = z.string().trim().min(1).max(200).nullable();
const companyTarget = z.object({ companyId: idParam }).strict();

/** A company in scope, else not_found; inactive ones included (they stay editable). */
export const CreateCompanyInput = z.object({
  name: nameParam,
  type: z.enum(['partner', 'customer']),
  /** The partner above; null for a top-level company (installation only). */
  parentId: idParam.nullable().default(null),
  externalId: externalId.default(null),
}).strict();

export const createCompany = defineCommand({
  name: 'company.create',
  summary: 'Create a partner or customer under a partner (or at the top, installation only)',
  permission: 'tenancy.write',
  target: nothing,
  input: CreateCompanyInput,
  async run({ principal, stores, nowMs }, _t, input) {
    if (input.parentId === null) principal.scope.requireInstallation('creating a top-level company');
    else {
      const parent = principal.scope.company(input.parentId, 'parentId');
      // "Partners are the ones who enable license entitlements ... to Customer companies" (seed 002): only partners have children.
      if (parent.type !== 'partner') throw new TallyError('conflict', `company ${parent.id} is a customer; only partners have companies below them`, { field: 'parentId' });
    }
    const created = await stores.tenancy.createCompany({ id: randomUUID(), ...input, nowMs });
    return { result: created, audit: { targetType: 'company', targetId: created.id, companyId: created.id, details: input } };
  },
});

export const UpdateCompanyInput = z.object({
  name: nameParam.optional(),
  externalId: externalId.optional(),
  /** false: inactive from now on (not billed, agents and keys refused, data kept); true: active again. */
  active: z.boolean().optional(),
}).strict();

export const updateCompany = defineCommand({
  name: 'company.update',
  summary: 'Rename, set the external id, inactivate or reactivate a company',
  permission: 'tenancy.write',
  target: companyTarget,
  input: UpdateCompanyInput,
  async run({ principal, stores, nowMs }, { companyId }, input) {
    principal.scope.company(companyId);
    if (input.active !== undefined && companyId === principal.scope.homeCompanyId) throw forbidden('a principal cannot inactivate or reactivate its own company');
    if (input.name !== undefined || input.externalId !== undefined) await stores.tenancy.updateCompany(companyId, { name: input.name, externalId: input.externalId });
    // Inactivating stops billing from now on and refuses the company's agents; its data stays.
    const updated = input.active === undefined ? (await stores.tenancy.getCompany(companyId))! : await stores.tenancy.setCompanyActive(companyId, input.active, nowMs);
    const action = input.active === false ? 'company.inactivate' : input.active === true ? 'company.reactivate' : 'company.update';
    return { result: updated, audit: { action, targetType: 'company', targetId: companyId, companyId, details: input } };
  },
});

export const MoveCompanyInput = z.object({
  /** The partner to put the company under; null for the top level (installation only). */
  parentId: idParam.nullable(),
}).strict();

/**
 * Puts a company, with everything below it, under another partner. The move
 * takes effect now: the month in progress is reported with the new tree,
 * months that ended before it keep the tree they ended with (the store keeps
 * the move, and the billing context of an earlier month undoes it), so a
 * finalized month's bill, its partner totals included, does not change.
 */
export const moveCompany = defineCommand({
  name: 'company.move',
  summary: 'Move a company (and its subtree) under another partner',
  permission: 'tenancy.write',
  target: companyTarget,
  input: MoveCompanyInput,
  async run({ principal, stores, nowMs }, { companyId }, { parentId }) {
    const scope = principal.scope;
    const company = scope.company(companyId);
    // A partner's key cannot take its own company out of (or around) its tree.
    if (companyId === scope.homeCompanyId) throw forbidden('a principal cannot move its own company');
    if (parentId === null) scope.requireInstallation('moving a company to the top level');
    else {
      const parent = scope.company(parentId, 'parentId');
      if (parent.type !== 'partner') throw new TallyError('conflict', `company ${parent.id} is a customer; only partners have companies below them`, { field: 'parentId' });
      if (parent.path.includes(company.id)) throw new TallyError('conflict', 'a company cannot move under itself or a company below it', { field: 'parentId' });
    }
    const moved = await stores.tenancy.moveCompany({ id: company.id, parentId, moveId: randomUUID(), nowMs });
    return {
      result: moved,
      audit: { targetType: 'company', targetId: company.id, companyId: company.id, details: { fromParentId: company.parentId, toParentId: parentId } },
    };
  },
});

/** A customer company in scope (groups and users belong to customers). */
function customerIn(scope: { company(id: string): Company }, companyId: string, what: string): Company {
  const co = scope.company(companyId);
  if (co.type !== 'customer') throw invalid('companyId', `${what} belong to customer companies`);
  return co;
}

export const createUserGroup = defineCommand({
  name: 'user_group.create',
  summary: 'Create a user group in a customer company',
  permission: 'tenancy.write',
  target: companyTarget,
  input: z.object({ name: nameParam }).strict(),
  async run({ principal, stores, nowMs }, { companyId }, input) {
    const co = customerIn(principal.scope, companyId, 'user groups');
    const group = await stores.tenancy.createUserGroup({ id: randomUUID(), companyId: co.id, name: input.name, nowMs });
    return { result: group, audit: { targetType: 'user_group', targetId: group.id, companyId: co.id, details: input } };
  },
});

export const CreateUserInput = z.object({
  // Stable id only: SID, UPN, or uid@domain. Display names change; ids do not.
  externalId: z.string().trim().min(1).max(256),
  displayName: z.string().trim().min(1).max(200).nullable().default(null),
  groupIds: z.array(idParam).max(100).default([]),
}).strict();

export const createUser = defineCommand({
  name: 'user.create',
  summary: 'Create (or find) a user of a customer by stable id, optionally in groups',
  permission: 'tenancy.write',
  target: companyTarget,
  input: CreateUserInput,
  async run({ principal, stores, nowMs }, { companyId }, input) {
    const co = customerIn(principal.scope, companyId, 'users');
    const groups = new Set((await stores.tenancy.listUserGroups(co.id)).map((g) => g.id));
    // A group of another company answers like one that does not exist.
    const unknown = input.groupIds.find((g) => !groups.has(g));
    if (unknown) throw invalid('groupIds', `${unknown} is not a user group of this company`);
    const user = await stores.tenancy.upsertUser({ id: randomUUID(), companyId: co.id, externalId: input.externalId, displayName: input.displayName, nowMs });
    for (const groupId of input.groupIds) await stores.tenancy.addGroupMember(groupId, user.id, nowMs);
    const fresh = (await stores.tenancy.listUsers(co.id)).find((u) => u.id === user.id)!;
    return { result: fresh, audit: { targetType: 'user', targetId: user.id, companyId: co.id, details: input } };
  },
});

export const addGroupMember = defineCommand({
  name: 'user_group.add_member',
  summary: "Add a user to a group (it gets the group's subscription)",
  permission: 'tenancy.write',
  target: z.object({ companyId: idParam, groupId: idParam }).strict(),
  input: z.object({ userId: idParam }).strict(),
  async run({ principal, stores, nowMs }, { companyId, groupId }, { userId }) {
    const co = principal.scope.company(companyId);
    if (!(await stores.tenancy.listUserGroups(co.id)).some((g) => g.id === groupId)) throw new TallyError('not_found', `user group ${groupId} does not exist`, { field: 'groupId' });
    // A user of another company answers exactly like one that does not exist.
    if (!(await stores.tenancy.listUsers(co.id)).some((u) => u.id === userId)) throw new TallyError('not_found', `user ${userId} does not exist`, { field: 'userId' });
    await stores.tenancy.addGroupMember(groupId, userId, nowMs);
    return { result: { groupId, userId }, audit: { targetType: 'user_group', targetId: groupId, companyId: co.id, details: { userId } } };
  },
});

export const recordXdrDeployment = defineCommand({
  name: 'xdr.record_deployment',
  summary: 'Record that an XDR sensor of a category was deployed in a month',
  permission: 'tenancy.write',
  target: companyTarget,
  input: z.object({
    category: z.enum(['identity_providers', 'productivity', 'network', 'cloud_workloads']),
    month: monthParam.optional(),
  }).strict(),
  async run({ principal, stores, nowMs }, { companyId }, input) {
    const co = principal.scope.company(companyId);
    const month = input.month ?? monthContaining(nowMs).id;
    await stores.tenancy.recordXdrDeployment({ companyId: co.id, month, category: input.category, nowMs });
    return { result: { companyId: co.id, month, category: input.category }, audit: { targetType: 'company', targetId: co.id, companyId: co.id, details: { month, category: input.category } } };
  },
});
