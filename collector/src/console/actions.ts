// Console forms as a surface of the admin commands: each action turns a
// form's fields (strings) and the page's ids into a command's target and
// input, runs it for the signed-in principal, and says what happened. The
// rules, the validation and the audit entry are the command's (admin/).
import { COMMANDS, type Command } from '../admin/index.ts';
import { iso } from '../api/serialize.ts';

export interface ActionOutcome {
  title: string;
  message: string;
  /** Shown once (an enrolment token): the console never stores it. */
  secret?: { label: string; value: string };
  /** Where "Back" leads. */
  back: string;
}

export interface ConsoleAction {
  command: Command;
  fromForm(form: Readonly<Record<string, string>>): { target: Record<string, unknown>; input: Record<string, unknown> };
  done(result: never, form: Readonly<Record<string, string>>): ActionOutcome;
}

const companyPage = (id: string | undefined) => `/console/companies/${encodeURIComponent(id ?? '')}`;

/** "" means absent: an empty form field is not a value. */
const field = (form: Readonly<Record<string, string>>, name: string) => (form[name] === undefined || form[name] === '' ? undefined : form[name]);

/** A whole number from a form field; anything else goes through unchanged for the command's schema to refuse. */
const wholeNumber = (text: string | undefined) => (text !== undefined && /^\d+$/.test(text) ? Number(text) : text);

/** Back to a console page the form named, never elsewhere. */
const backTo = (f: Readonly<Record<string, string>>, fallback: string) => (f.back && /^\/console\/[A-Za-z0-9_\-./?=&%]*$/.test(f.back) ? f.back : fallback);

/** A scope select: '' is the installation. */
const scopeField = (f: Readonly<Record<string, string>>, name = 'companyId') => (f[name] === '' ? null : f[name]);

/** "value = role" lines, as the single sign-on form takes them; anything malformed goes to the command's schema as is. */
export function mappingLines(text: string | undefined): unknown {
  if (text === undefined) return undefined;
  return text.split(/\r?\n/).map((l) => l.trim()).filter(Boolean).map((l) => {
    const m = /^(.+?)\s*=\s*([a-z_]+)(?:\s+of\s+(\S+))?$/.exec(l);
    return m ? { value: m[1], role: m[2], companyId: m[3] ?? null } : { value: l };
  });
}

const flag = (v: string | undefined) => (v === 'true' ? true : v === 'false' ? false : v);

export const CONSOLE_ACTIONS: Readonly<Record<string, ConsoleAction>> = {
  'psa-sync': {
    command: COMMANDS.runPsaSync as Command,
    fromForm: (f) => ({ target: { kind: f.kind }, input: { month: f.month, dryRun: flag(f.dryRun) ?? false } }),
    done: (r: { kind: string; month: string; written: number; adjusted: number; unchanged: number; failed: unknown[]; dryRun: boolean }, f) => ({
      title: r.dryRun ? 'Dry run done' : 'PSA synced',
      message: `${r.month}: ${r.written} line(s) written, ${r.adjusted} adjustment(s), ${r.unchanged} unchanged${r.failed.length ? `, ${r.failed.length} refused by the PSA` : ''}.`,
      back: backTo(f, `/console/psa?kind=${encodeURIComponent(r.kind)}&month=${r.month}`),
    }),
  },
  'change-password': {
    command: COMMANDS.changeOwnPassword as Command,
    fromForm: (f) => ({ target: {}, input: { currentPassword: f.currentPassword, newPassword: f.newPassword } }),
    done: () => ({ title: 'Password changed', message: 'Your new password is in force from the next sign-in.', back: '/console/account' }),
  },
  'sign-out-everywhere': {
    command: COMMANDS.endOwnSessions as Command,
    fromForm: () => ({ target: {}, input: {} }),
    done: (r: { sessionsEnded: number }) => ({ title: 'Signed out everywhere', message: `${r.sessionsEnded} session(s) ended, this one too.`, back: '/console/login' }),
  },
  'user-create': {
    command: COMMANDS.createAdminUser as Command,
    fromForm: (f) => ({ target: {}, input: { name: f.name, email: f.email, role: f.role, companyId: scopeField(f) } }),
    done: (u: { email: string; temporaryPassword?: string }) => ({
      title: 'User added',
      message: `${u.email} can sign in with this temporary password and will choose their own. Give it to them safely: it is not shown again.`,
      ...(u.temporaryPassword ? { secret: { label: 'Temporary password', value: u.temporaryPassword } } : {}),
      back: '/console/users',
    }),
  },
  'user-role': {
    command: COMMANDS.updateAdminUser as Command,
    fromForm: (f) => ({ target: { userId: f.userId }, input: { role: f.role } }),
    done: (u: { email: string; role: string }) => ({ title: 'Role changed', message: `${u.email} is now ${u.role.replace('_', ' ')}; their sessions ended.`, back: '/console/users' }),
  },
  'user-disable': {
    command: COMMANDS.updateAdminUser as Command,
    fromForm: (f) => ({ target: { userId: f.userId }, input: { disabled: flag(f.disabled) } }),
    done: (u: { email: string; disabled: boolean }) => ({
      title: u.disabled ? 'User disabled' : 'User enabled',
      message: u.disabled ? `${u.email} can no longer sign in; their sessions ended and the keys they created stopped working.` : `${u.email} can sign in again.`,
      back: '/console/users',
    }),
  },
  'user-reset-password': {
    command: COMMANDS.resetPassword as Command,
    fromForm: (f) => ({ target: { userId: f.userId }, input: { resetTwoFactor: f.resetTwoFactor === 'true' } }),
    done: (r: { email: string; temporaryPassword: string }) => ({
      title: 'Password reset',
      message: `${r.email} is signed out and unlocked, and chooses a new password at the next sign-in with this temporary one. It is not shown again.`,
      secret: { label: 'Temporary password', value: r.temporaryPassword },
      back: '/console/users',
    }),
  },
  'user-sign-out': {
    command: COMMANDS.endUserSessions as Command,
    fromForm: (f) => ({ target: { userId: f.userId }, input: {} }),
    done: (r: { sessionsEnded: number }) => ({ title: 'Signed out', message: `${r.sessionsEnded} session(s) ended.`, back: '/console/users' }),
  },
  'key-create': {
    command: COMMANDS.createApiKey as Command,
    fromForm: (f) => ({ target: {}, input: { label: f.label, role: f.role, companyId: scopeField(f) } }),
    done: (k: { key: string; label: string }) => ({
      title: 'API key created', message: `Copy the key "${k.label}" now: it is stored hashed and cannot be shown again.`,
      secret: { label: 'API key', value: k.key }, back: '/console/keys',
    }),
  },
  'key-revoke': {
    command: COMMANDS.revokeApiKey as Command,
    fromForm: (f) => ({ target: { keyId: f.keyId }, input: {} }),
    done: () => ({ title: 'API key revoked', message: 'Integrations using it are refused from now on.', back: '/console/keys' }),
  },
  'sso-create': {
    command: COMMANDS.createSsoProvider as Command,
    fromForm: (f) => ({
      target: {},
      input: { name: f.name, issuer: f.issuer, clientId: f.clientId, clientSecret: f.clientSecret, claim: f.claim, mappings: mappingLines(f.mappings), companyId: scopeField(f) },
    }),
    done: (p: { name: string }) => ({ title: 'Single sign-on added', message: `The login page now offers "Sign in with ${p.name}".`, back: '/console/sign-in' }),
  },
  'sso-enable': {
    command: COMMANDS.updateSsoProvider as Command,
    fromForm: (f) => ({ target: { providerId: f.providerId }, input: { disabled: flag(f.disabled) } }),
    done: (p: { name: string; disabled: boolean }) => ({ title: p.disabled ? 'Provider turned off' : 'Provider turned on', message: `${p.name} is ${p.disabled ? 'off' : 'on'}.`, back: '/console/sign-in' }),
  },
  'sign-in-settings': {
    command: COMMANDS.setSignInSettings as Command,
    fromForm: (f) => ({ target: {}, input: { twoFactorRequired: flag(f.twoFactorRequired) } }),
    done: (r: { twoFactorRequired: boolean }) => ({
      title: 'Sign-in settings saved',
      message: r.twoFactorRequired ? 'Two-factor authentication is required: users without it set it up at their next sign-in.' : 'Two-factor authentication is optional.',
      back: '/console/sign-in',
    }),
  },
  'device-move': {
    command: COMMANDS.moveDevice as Command,
    fromForm: (f) => ({ target: { deviceId: f.deviceId }, input: { companyId: f.companyId, ...(field(f, 'from') ? { from: f.from } : {}) } }),
    done: (r: { deviceId: string; daysMoved: number; finalizedMonthsAdjusted: string[] }, f) => ({
      title: 'Device moved',
      message: `The device is billed at its new customer from today on (${r.daysMoved} day${r.daysMoved === 1 ? '' : 's'} re-attributed)${r.finalizedMonthsAdjusted.length ? `; finalized ${r.finalizedMonthsAdjusted.join(', ')} get an adjustment` : ''}.`,
      back: backTo(f, `/console/devices/${encodeURIComponent(r.deviceId)}/explain`),
    }),
  },
  'device-merge': {
    command: COMMANDS.mergeDevices as Command,
    fromForm: (f) => ({ target: { deviceId: f.deviceId }, input: { duplicateId: f.duplicateId, ...(field(f, 'keys') ? { keys: f.keys } : {}) } }),
    done: (r: { deviceId: string; daysFolded: number }, f) => ({
      title: 'Devices merged',
      message: `One machine, one record: billed once from now on (${r.daysFolded} shared day${r.daysFolded === 1 ? '' : 's'} folded). Both agents keep working as this device.`,
      back: backTo(f, `/console/devices/${encodeURIComponent(r.deviceId)}/explain`),
    }),
  },
  'device-dismiss': {
    command: COMMANDS.dismissDuplicate as Command,
    fromForm: (f) => ({ target: { deviceId: f.deviceId }, input: { otherId: f.otherId } }),
    done: (_r: unknown, f) => ({ title: 'Two machines', message: 'The two devices are no longer flagged as one machine.', back: backTo(f, '/console/duplicates') }),
  },
  'device-retire': {
    command: COMMANDS.retireDevice as Command,
    fromForm: (f) => ({ target: { deviceId: f.deviceId }, input: { retired: f.retired !== 'false' } }),
    done: (r: { deviceId: string; retiredAtMs: number | null }, f) => ({
      title: r.retiredAtMs === null ? 'Device brought back' : 'Device retired',
      message: r.retiredAtMs === null ? 'Its agent\'s key is accepted again.' : 'Its agent\'s key is refused from now on and it is not billed after today; it stays listed.',
      back: backTo(f, `/console/devices/${encodeURIComponent(r.deviceId)}/explain`),
    }),
  },
  'device-exclude': {
    command: COMMANDS.excludeDevice as Command,
    fromForm: (f) => ({ target: { deviceId: f.deviceId }, input: { reason: f.reason ?? '', ...(field(f, 'fromMonth') ? { fromMonth: f.fromMonth } : {}) } }),
    done: (r: { deviceId: string; reason: string }, f) => ({
      title: 'Excluded from billing', message: `The device is not billed from the start of this month: ${r.reason}`,
      back: backTo(f, `/console/devices/${encodeURIComponent(r.deviceId)}/explain`),
    }),
  },
  'device-include': {
    command: COMMANDS.includeDevice as Command,
    fromForm: (f) => ({ target: { deviceId: f.deviceId }, input: {} }),
    done: (r: { deviceId: string }, f) => ({
      title: 'Billed again', message: 'The device is billed again from tomorrow (UTC).', back: backTo(f, `/console/devices/${encodeURIComponent(r.deviceId)}/explain`),
    }),
  },
  'enrolment-token': {
    command: COMMANDS.createEnrolmentToken as Command,
    fromForm: (f) => ({ target: { companyId: f.companyId }, input: { expiresInDays: f.expiresInDays === 'never' ? null : wholeNumber(field(f, 'expiresInDays')) ?? null } }),
    done: (t: { token: string; companyName: string; expiresAtMs: number | null; companyId: string }) => ({
      title: 'Enrolment token created',
      message: `Agents that enrol with this token join ${t.companyName}. ${t.expiresAtMs === null ? 'It does not expire.' : `It expires ${iso(t.expiresAtMs)}.`} Copy it now: it is stored hashed and cannot be shown again.`,
      secret: { label: 'Enrolment token', value: t.token },
      back: companyPage(t.companyId),
    }),
  },
  'company-active': {
    command: COMMANDS.updateCompany as Command,
    fromForm: (f) => ({ target: { companyId: f.companyId }, input: { active: f.active === 'true' ? true : f.active === 'false' ? false : f.active } }),
    done: (c: { name: string; active: boolean; id: string }) => ({
      title: c.active ? 'Company reactivated' : 'Company inactivated',
      message: c.active
        ? `${c.name} is active again: its agents and keys are accepted, and activity from now on is billed.`
        : `${c.name} is inactive: activity from now on is not billed, its agents and keys are refused, and its data stays.`,
      back: companyPage(c.id),
    }),
  },
  'company-move': {
    command: COMMANDS.moveCompany as Command,
    fromForm: (f) => ({ target: { companyId: f.companyId }, input: { parentId: f.parentId === 'none' ? null : f.parentId ?? '' } }),
    done: (c: { name: string; id: string }) => ({
      title: 'Company moved',
      message: `${c.name} and every company below it are under their new partner from now on. This month is reported with the new tree; months that ended before keep theirs.`,
      back: companyPage(c.id),
    }),
  },
  'month-close': {
    command: COMMANDS.closeMonth as Command,
    fromForm: (f) => ({ target: { month: f.month }, input: { early: f.early === 'true' } }),
    done: (r: { month: string; hash: string }, f) => ({
      title: `${r.month} finalized`,
      message: `${r.month} is finalized: its figures are immutable (content hash ${r.hash}); late data becomes adjustments.`,
      back: f.back && /^\/console\/[A-Za-z0-9_\-./?=&%]*$/.test(f.back) ? f.back : '/console/companies',
    }),
  },
};
