// The identity evidence kept for a device (device_hardware_ids), decided the
// same way by every writer: DeviceIdentityStore.setEvidence (sql/identity.ts)
// and the batched hellos of both backends. Pure.

export interface EvidenceRow { tree_root: string; id_key: string; strength: string }

/**
 * The rows to write for a device's evidence, or null when what is on record
 * already equals it (same tree, same keys): then nothing is written.
 */
export function evidenceToWrite(
  have: readonly EvidenceRow[], treeRoot: string, evidence: { strong: readonly string[]; weak: readonly string[] },
): { tree_root: string; id_key: string; strength: 'strong' | 'weak' }[] | null {
  const wanted = [...evidence.strong.map((k) => `strong\u0000${k}`), ...evidence.weak.map((k) => `weak\u0000${k}`)].sort();
  const current = have.filter((r) => r.tree_root === treeRoot).map((r) => `${r.strength}\u0000${r.id_key}`).sort();
  if (have.length === current.length && current.join('\n') === wanted.join('\n')) return null;
  const row = (k: string, strength: 'strong' | 'weak') => ({ tree_root: treeRoot, id_key: k, strength });
  return [...[...new Set(evidence.strong)].map((k) => row(k, 'strong')), ...[...new Set(evidence.weak)].map((k) => row(k, 'weak'))];
}
