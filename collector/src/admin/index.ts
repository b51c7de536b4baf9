// The admin commands: every write an admin can make, on any surface.
// See command.ts for the shape and README.md for the list.
export { defineCommand, executeCommand, type Command, type CommandServices, type RunContext, type AuditRecord } from './command.ts';
import { addGroupMember, createCompany, createUser, createUserGroup, moveCompany, recordXdrDeployment, updateCompany } from './companies.ts';
import { assignDeviceUser, dismissDuplicate, excludeDevice, includeDevice, mergeDevices, moveDevice, retireDevice } from './devices.ts';
import { createApiKey, createEnrolmentToken, revokeApiKey, revokeEnrolmentToken } from './keys.ts';
import { closeMonth } from './months.ts';
import { createAlertRule, createWebhook, deleteAlertRule, deleteWebhook, testSendWebhook, updateAlertRule, updateWebhook } from './hooks.ts';
import { pauseRelease, publishRelease, resumeRelease, setRollout } from './releases.ts';
import { deletePsaMapping, runPsaSync, setPsaConnection, setPsaMapping } from './psa.ts';
import { createReport, createReportSchedule, deleteReportSchedule } from './reports.ts';
import { activateTrial, setSubscription } from './subscriptions.ts';
import {
  beginTwoFactor, changeOwnPassword, confirmTwoFactor, createSsoProvider, createUser as createAdminUser, endOwnSessions, endUserSessions, resetPassword,
  setSignInSettings, updateSsoProvider, updateUser as updateAdminUser,
} from './users.ts';

export const COMMANDS = {
  createCompany, updateCompany, moveCompany, createUserGroup, createUser, addGroupMember, recordXdrDeployment,
  assignDeviceUser, moveDevice, mergeDevices, retireDevice, excludeDevice, includeDevice, dismissDuplicate,
  setSubscription, activateTrial,
  createApiKey, revokeApiKey, createEnrolmentToken, revokeEnrolmentToken,
  closeMonth,
  createReport, createReportSchedule, deleteReportSchedule,
  createAdminUser, updateAdminUser, resetPassword, endUserSessions,
  changeOwnPassword, beginTwoFactor, confirmTwoFactor, endOwnSessions,
  createSsoProvider, updateSsoProvider, setSignInSettings,
  createWebhook, updateWebhook, deleteWebhook, testSendWebhook,
  createAlertRule, updateAlertRule, deleteAlertRule,
  publishRelease, setRollout, pauseRelease, resumeRelease,
  setPsaConnection, setPsaMapping, deletePsaMapping, runPsaSync,
} as const;

export { visibleUser } from './users.ts';

export { visibleDevice } from './devices.ts';
export { checkedReportRequest } from './reports.ts';
export { SubscriptionInput, newLicenseKey } from './subscriptions.ts';
export { companyLicence, billingCompany, type CompanyLicence } from './licence.ts';
