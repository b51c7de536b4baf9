// The product modules and add-ons an agent can report, by their stable wire
// names (ModuleState.name in the protocol). One list for the agent, which
// reports them, and the collector, which bills them.
export const MODULE_NAMES = [
  'antimalware',
  'advanced_threat_control',
  'firewall',
  'content_control',
  'device_control',
  'network_attack_defense',
  'edr_sensor',
  'full_disk_encryption',
  'patch_management',
  'integrity_monitoring',
  'container_protection',
  'hyperdetect',
  'sandbox_analyzer',
  /** Connected to a Security Server with the Central Scan scan mode. */
  'central_scan',
] as const;

export type ModuleName = (typeof MODULE_NAMES)[number];

export function isModuleName(value: string): value is ModuleName {
  return (MODULE_NAMES as readonly string[]).includes(value);
}
