// One device's contribution to its billed company's columns, with the reason
// for each. Company figures are sums of these contributions, so every number
// in the report can be explained device by device.

import type { DeviceMonth } from './device-month.ts';
import { billedTierAt } from './integrity-monitoring.ts';
import { modelIncludes } from './models.ts';
import type { Month } from './period.ts';
import { XDR_FEATURE, type CompanyMonthTerms } from './subscription.ts';
import type {
  ColumnReason,
  OptionalFeature,
  ProtectionModel,
  RetentionTier,
  UsageColumn,
  UsageColumns,
  XdrCategory,
} from './types.ts';

const SECONDS_PER_HOUR = 3_600;

const MODEL_COLUMN: Readonly<Record<ProtectionModel, UsageColumn>> = {
  a_la_carte: 'aLaCarteUsage',
  secure: 'secureUsage',
  secure_plus: 'securePlusUsage',
  secure_extra: 'secureExtraUsage',
};

const MODEL_LABEL: Readonly<Record<ProtectionModel, string>> = {
  a_la_carte: 'A la carte',
  secure: 'Secure',
  secure_plus: 'Secure Plus',
  secure_extra: 'Secure Extra',
};

const TIER_COLUMN: Readonly<Record<Exclude<RetentionTier, 'none'>, UsageColumn>> = {
  '90d': 'integrityMonitoring90dUsage',
  '180d': 'integrityMonitoring180dUsage',
  '1y': 'integrityMonitoring1yUsage',
};

const XDR_COLUMN: Readonly<Record<XdrCategory, UsageColumn>> = {
  identity_providers: 'xdrIdentityProvidersUsage',
  productivity: 'xdrProductivityUsage',
  network: 'xdrNetworkUsage',
  cloud_workloads: 'xdrCloudWorkloadsUsage',
};

/**
 * SVE: VDI is billed in hours. Seed 003: "The uptime is counted in seconds and
 * it is rounded up when converted in hours. For example, if the uptime for an
 * endpoint with Central Scan is 3,600 seconds it means the endpoint will be
 * charged for one hour. If the uptime is 3,650 seconds, the endpoint will be
 * charged for two hours." Rounded per endpoint (see README: the seed's CSV
 * recipe sums first, then rounds; we follow the per-endpoint sentence).
 */
export function vdiHours(awakeSeconds: number): number {
  return Math.ceil(awakeSeconds / SECONDS_PER_HOUR);
}

export interface DeviceContribution {
  readonly columns: Partial<UsageColumns>;
  readonly reasons: readonly ColumnReason[];
}

export interface ClassifyContext {
  readonly month: Month;
  /** Terms of the billed company. */
  readonly terms: CompanyMonthTerms;
  /** XDR categories with at least one sensor deployed at the billed company this month. */
  readonly xdrDeployed: ReadonlySet<XdrCategory>;
}

/** Contribution of a billed device to its company's own columns. The company's product type must match the report's. */
export function classifyDevice(device: DeviceMonth, context: ClassifyContext): DeviceContribution {
  const { terms } = context;
  const reasons: ColumnReason[] = [];
  const columns: Partial<UsageColumns> = {};
  const count = (column: UsageColumn, value: number, rule: string, text: string) => {
    reasons.push({ column, value, rule, text });
    if (value !== 0) columns[column] = (columns[column] ?? 0) + value;
  };
  const has = (module: string) => device.modules.some((m) => m === module);
  const latest = device.latest;
  const isEdrProduct = terms.productType === 'edr';

  count('licensedEndpoints', 1, 'licensed-endpoint', `protected on ${device.billableDays} day(s) this month (${device.awakeSeconds} s awake)`);

  // Core bucket: exactly one of container protection, SVE: VS, SVE: VDI, Endpoint Usage.
  // Linux VMs are virtual servers (seed 003: "Linux virtual machines are considered virtual servers").
  const isServer = latest.role === 'server' || latest.platform === 'linux';
  const sve = terms.enabled.sve && device.usedCentralScanAsVirtual;
  const container = terms.enabled.containerProtection && has('container_protection');
  if (container) {
    count(
      'containerProtectionUsage',
      1,
      'container-protection',
      sve && isServer
        ? 'Container Protection deployed on an SVE virtual server: deducted from SVE: VS'
        : 'Container Protection deployed: deducted from Endpoint Usage',
    );
  } else if (sve && isServer) {
    count('sveVsUsage', 1, 'sve-vs', 'SVE enabled, virtual server in Central Scan on a compatible OS: SVE: VS, not Endpoint Usage');
  } else if (sve) {
    const hours = vdiHours(device.awakeSeconds);
    count('sveVdiHours', hours, 'sve-vdi-hours', `SVE virtual workstation: ${device.awakeSeconds} s uptime rounded up per endpoint to ${hours} h`);
  } else {
    count('endpointUsage', 1, 'endpoint-usage', isEdrProduct ? 'used Bitdefender EDR (EDR product type)' : 'core protection during the month');
    if (terms.model !== null) {
      const label = MODEL_LABEL[terms.model];
      const used = terms.modelsUsed.map((m) => MODEL_LABEL[m]).join(', ');
      count(MODEL_COLUMN[terms.model], 1, 'protection-model-priority', `${label} wins among models used this month (${used})`);
    }
  }

  addOn('encryption', 'encryptionUsage', has('full_disk_encryption'), 'Full Disk Encryption installed');
  addOn('patchManagement', 'patchManagementUsage', has('patch_management'), 'Patch Management installed');
  addOn('ats', 'atsUsage', has('hyperdetect') || has('sandbox_analyzer'), 'HyperDetect or Sandbox Analyzer installed');
  if (isEdrProduct) {
    if (has('edr_sensor')) reasons.push({ column: 'edrUsage', value: 0, rule: 'edr-product-includes-edr', text: 'EDR is the product itself: no add-on usage' });
  } else {
    addOn('edr', 'edrUsage', has('edr_sensor'), 'EDR sensor installed');
  }
  addOn('mdrFoundations', 'mdrFoundationsUsage', has('edr_sensor'), 'EDR sensor installed and MDR Foundations service enabled');

  if (terms.enabled.integrityMonitoring && has('integrity_monitoring')) {
    count('integrityMonitoringUsage', 1, 'integrity-monitoring', 'Integrity Monitoring installed');
    // lastOnlineMs is exclusive (the end of the last active day): its last instant is one ms before.
    const lastInstant = (device.lastOnlineMs ?? context.month.startMs + 1) - 1;
    const tier = billedTierAt(terms.versions, context.month, lastInstant);
    if (tier !== null && tier !== 'none') {
      count(TIER_COLUMN[tier], 1, 'integrity-monitoring-tier', `billed at the ${tier} retention tier: the highest in force up to its last day online`);
    }
  }

  for (const category of Object.keys(XDR_COLUMN) as XdrCategory[]) {
    const feature = XDR_FEATURE[category];
    if (!terms.enabled[feature]) continue;
    if (!context.xdrDeployed.has(category)) {
      reasons.push({ column: XDR_COLUMN[category], value: 0, rule: 'xdr-sensor-deployed', text: `XDR ${category} enabled but no sensor deployed this month` });
    } else {
      addOn(feature, XDR_COLUMN[category], true, `XDR ${category} enabled and a sensor deployed: every licensed endpoint counts`);
    }
  }

  return { columns, reasons };

  function addOn(feature: OptionalFeature, column: UsageColumn, installed: boolean, text: string): void {
    if (!installed) return;
    if (!terms.enabled[feature]) {
      reasons.push({ column, value: 0, rule: 'add-on-not-enabled', text: `${text}, but the add-on is not enabled for the company` });
    } else if (modelIncludes(terms.model, feature)) {
      reasons.push({ column, value: 0, rule: 'included-in-model', text: `${text}; included in ${MODEL_LABEL[terms.model!]}, so usage shows 0` });
    } else {
      count(column, 1, 'add-on-installed', text);
    }
  }
}
