// The console's device lifecycle: a device's history and the admin's actions
// on it (move, retire, exclude), and the possible-duplicates page where two
// records of one machine are merged or told apart. Pure rendering; the
// actions are admin commands (actions.ts).
import type { FC } from 'hono/jsx';
import type { Company, DeviceExclusion, DeviceHistoryEntry, DeviceListing } from '../storage/types.ts';
import { BASE, Layout, type Viewer } from './layout.tsx';
import { ActionForm } from './pages.tsx';

const utc = (ms: number | null) => (ms === null ? '—' : new Date(ms).toISOString().replace('T', ' ').slice(0, 16) + ' UTC');

const HISTORY_LABELS: Readonly<Record<string, string>> = {
  enrolled: 'Enrolled', re_enrolled: 'Enrolled again (same machine)', moved: 'Moved', uninstalled: 'Agent uninstalled', reinstalled: 'Agent back after an uninstall',
  retired: 'Retired', unretired: 'Brought back', merged_into: 'Merged into another device', merged_from: 'Another device merged into this one',
  excluded: 'Excluded from billing', included: 'Billed again', possible_duplicate: 'Flagged as a possible duplicate', duplicate_dismissed: 'Not a duplicate (dismissed)',
};

const describe = (e: DeviceHistoryEntry, names: ReadonlyMap<string, string>): string => {
  const d = e.details as Record<string, unknown>;
  const name = (id: unknown) => (typeof id === 'string' ? names.get(id) ?? 'another company' : '');
  switch (e.kind) {
    case 'moved': return `from ${name(d.from)} to ${name(d.to)}${d.by === 'enrolment' ? ' (enrolled with the new customer\'s token)' : ''}`;
    case 'excluded': return `from ${String(d.fromMonth ?? '')}: ${String(d.reason ?? '')}`;
    case 'possible_duplicate': return `${String(d.why ?? '')}: ${Array.isArray(d.evidence) ? d.evidence.join(', ') : ''}`;
    case 'merged_from': return `device ${String(d.duplicateId ?? '')}, ${String(d.daysFolded ?? 0)} shared days folded`;
    case 'merged_into': return `device ${String(d.survivorId ?? '')}`;
    default: return '';
  }
};

/** A device's status, history and the actions the viewer may take on it (for the explain page). */
export const DeviceLifecycle: FC<{
  viewer: Viewer; device: DeviceListing; history: readonly DeviceHistoryEntry[]; exclusion: DeviceExclusion | null;
  customers: readonly Company[]; names: ReadonlyMap<string, string>; back: string;
}> = ({ viewer, device, history, exclusion, customers, names, back }) => {
  const can = viewer.can.includes('devices.write');
  const others = customers.filter((c) => c.id !== device.companyId).sort((a, b) => a.name.localeCompare(b.name));
  return (
    <section aria-labelledby="lifecycle-title" class="card" id="device-lifecycle">
      <h2 id="lifecycle-title">Device</h2>
      <dl class="facts">
        <dt>Status</dt><dd id="device-status">{device.mergedInto ? 'Merged' : device.retiredAtMs !== null ? `Retired ${utc(device.retiredAtMs)}` : device.uninstalledAtMs !== null ? `Agent uninstalled ${utc(device.uninstalledAtMs)}` : 'Active'}</dd>
        <dt>Billing</dt><dd id="device-exclusion">{exclusion ? `Excluded since ${utc(exclusion.fromMs)}: ${exclusion.reason}` : 'Billed when active'}</dd>
        <dt>Enrolled</dt><dd>{utc(device.enrolledAtMs)}{device.enrolments > 1 ? `, ${device.enrolments} enrolments (the latest ${utc(device.lastEnrolledAtMs)})` : ''}</dd>
        <dt>Agent's first run</dt><dd>{utc(device.firstRunAtMs)}</dd>
      </dl>
      {can && !device.mergedInto ? (
        <div class="action-row">
          {others.length ? (
            <ActionForm viewer={viewer} action="device-move" label="Move" fields={{ deviceId: device.id, back }}
              confirm="Move this device? It is billed at the new customer from today on.">
              <label>to <select name="companyId">{others.map((c) => <option value={c.id}>{c.name}</option>)}</select></label>
            </ActionForm>
          ) : null}
          {exclusion
            ? <ActionForm viewer={viewer} action="device-include" label="Bill again" fields={{ deviceId: device.id, back }} />
            : (
              <ActionForm viewer={viewer} action="device-exclude" label="Exclude from billing" fields={{ deviceId: device.id, back }}>
                <label>reason <input type="text" name="reason" required minlength={3} maxlength={500} placeholder="e.g. our own test machine" /></label>
              </ActionForm>
            )}
          {device.retiredAtMs === null
            ? <ActionForm viewer={viewer} action="device-retire" label="Retire" danger fields={{ deviceId: device.id, retired: 'true', back }}
                confirm="Retire this device? Its agent's key is refused from now on and it is not billed after today." />
            : <ActionForm viewer={viewer} action="device-retire" label="Bring back" fields={{ deviceId: device.id, retired: 'false', back }} />}
        </div>
      ) : null}
      <h3>History</h3>
      {history.length === 0 ? <p class="muted">Nothing recorded yet.</p> : (
        <ol class="history" id="device-history">
          {history.map((e) => <li><span class="when">{utc(e.atMs)}</span> <strong>{HISTORY_LABELS[e.kind] ?? e.kind}</strong> {describe(e, names)} <span class="muted">({e.actor})</span></li>)}
        </ol>
      )}
    </section>
  );
};

export interface DuplicateRow {
  devices: { id: string; hostname: string; companyName: string; lastSeenAtMs: number | null; billed: boolean }[];
  why: string;
  evidence: string[];
  foundAtMs: number;
}

const WHY: Readonly<Record<string, string>> = {
  active: 'Same hardware, both running at once',
  ambiguous: 'Hardware ids point at more than one device',
  weak_match: 'Same network cards or OS id (no firmware id)',
  retired: 'Same hardware as a retired device',
};

export const DuplicatesPage: FC<{ viewer: Viewer; month: string; rows: readonly DuplicateRow[] }> = ({ viewer, month, rows }) => {
  const twice = rows.filter((r) => r.devices.every((d) => d.billed)).length;
  const can = viewer.can.includes('devices.write');
  return (
    <Layout title="Possible duplicates" viewer={viewer} crumbs={[{ label: 'Companies', href: `${BASE}/companies` }, { label: 'Possible duplicates' }]}>
      <h1>Possible duplicates</h1>
      <p>Devices that look like one machine. Tally never merges on a guess: merge two records of one machine (it is then billed once), or say they are two machines.</p>
      <p class={twice ? 'warning' : 'muted'} id="duplicates-cost">{twice ? `${twice} machine${twice > 1 ? 's are' : ' is'} billed twice in ${month}.` : `No machine is billed twice in ${month}.`}</p>
      {rows.length === 0 ? <p class="empty" id="no-duplicates">No possible duplicates.</p> : (
        <div class="table-scroll" role="region" aria-labelledby="duplicates-caption" tabindex={0}>
          <table class="data-table" id="duplicates-table">
            <caption id="duplicates-caption" class="visually-hidden">Pairs of devices that may be one machine</caption>
            <thead><tr><th scope="col">Device</th><th scope="col">Other device</th><th scope="col">Why</th><th scope="col">Billed twice in {month}</th>{can ? <th scope="col">Action</th> : null}</tr></thead>
            <tbody>
              {rows.map((r) => {
                const [a, b] = r.devices;
                const cell = (d: DuplicateRow['devices'][number]) => (
                  <td><a href={`${BASE}/devices/${encodeURIComponent(d.id)}/explain`}>{d.hostname || d.id}</a><br /><span class="muted">{d.companyName} · seen {utc(d.lastSeenAtMs)}</span></td>
                );
                return (
                  <tr data-pair={`${a.id}|${b.id}`}>
                    {cell(a)}{cell(b)}
                    <td>{WHY[r.why] ?? r.why}<br /><span class="muted">{r.evidence.join(', ')}</span></td>
                    <td>{r.devices.every((d) => d.billed) ? 'Yes' : 'No'}</td>
                    {can ? (
                      <td class="action-cell">
                        <ActionForm viewer={viewer} action="device-merge" label={`Keep ${a.hostname || 'first'}`} fields={{ deviceId: a.id, duplicateId: b.id, back: `${BASE}/duplicates` }}
                          confirm="Merge the second record into the first? One machine, billed once; both agents keep working." />
                        <ActionForm viewer={viewer} action="device-dismiss" label="Two machines" fields={{ deviceId: a.id, otherId: b.id, back: `${BASE}/duplicates` }} />
                      </td>
                    ) : null}
                  </tr>
                );
              })}
            </tbody>
          </table>
        </div>
      )}
    </Layout>
  );
};
