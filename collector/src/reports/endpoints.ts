// Endpoint facts for the "Endpoint details" section. Seed 003: "this area
// provides a list of endpoints managed by each company, and related
// information such as endpoint type, operating system, hardware ID, IP, and
// usage information." The billing lines carry the type and usage; the rest
// comes from what the agent reported, through this small reader.
import type { IDeviceFacts } from '../../../proto/index.ts';
import type { DeviceMonthLine } from '../billing/index.ts';
import type { AdminReadStore } from '../storage/types.ts';
import { listsEndpoints, type ReportCompany, type ReportModel } from './model.ts';

export interface EndpointInfo {
  readonly hostname: string;
  /** e.g. "Windows 11 Pro 23H2"; '' when unknown. */
  readonly os: string;
  /** SMBIOS UUID, else the system serial; '' when unknown. */
  readonly hardwareId: string;
  /** The addresses the agent reported, ', '-separated; '' when unknown. */
  readonly ip: string;
}

/** Looks endpoints up by device id. Ids it does not know are left out of the answer. */
export interface EndpointDirectory {
  lookup(deviceIds: readonly string[]): Promise<ReadonlyMap<string, EndpointInfo>>;
}

/** A directory that knows nothing: every endpoint is shown by its device id. */
export const EMPTY_ENDPOINT_DIRECTORY: EndpointDirectory = { lookup: async () => new Map() };

export function endpointInfoFromFacts(hostname: string, facts: IDeviceFacts | null): EndpointInfo {
  const os = facts?.os ? [facts.os.name, facts.os.version].filter((s) => typeof s === 'string' && s.trim()).join(' ') || (facts.os.platform ?? '') : '';
  const hardwareId = facts?.identity?.hardwareUuid?.trim() || facts?.identity?.systemSerial?.trim() || '';
  const ip = (facts?.ipAddresses ?? []).filter((a) => typeof a === 'string' && a.trim()).join(', ');
  return { hostname: hostname.trim() || facts?.hostname?.trim() || '', os, hardwareId, ip };
}

/** The directory over the storage contract: the devices' stored facts (AdminReadStore.deviceFacts). */
export function storageEndpointDirectory(adminRead: Pick<AdminReadStore, 'deviceFacts'>): EndpointDirectory {
  return {
    async lookup(deviceIds) {
      const found = new Map<string, EndpointInfo>();
      for (const record of await adminRead.deviceFacts(deviceIds)) found.set(record.deviceId, endpointInfoFromFacts(record.hostname, record.facts));
      return found;
    },
  };
}

export interface EndpointRow {
  readonly company: ReportCompany;
  readonly line: DeviceMonthLine;
  /** null when the directory does not know the device. */
  readonly info: EndpointInfo | null;
}

/** How many endpoints are looked up at a time: bounded memory, few round trips. */
export const ENDPOINT_LOOKUP_BATCH = 1000;

/** The endpoint detail rows of a report, in company order, looked up a batch at a time. */
export async function* endpointRows(model: ReportModel, directory: EndpointDirectory, batchSize = ENDPOINT_LOOKUP_BATCH): AsyncGenerator<EndpointRow> {
  let batch: { company: ReportCompany; line: DeviceMonthLine }[] = [];
  async function* flush(): AsyncGenerator<EndpointRow> {
    const infos = await directory.lookup(batch.map((b) => b.line.deviceId));
    for (const b of batch) yield { ...b, info: infos.get(b.line.deviceId) ?? null };
    batch = [];
  }
  for (const company of model.companies) {
    if (!listsEndpoints(company.row)) continue;
    for await (const line of model.lines.linesAt(company.row.companyId)) {
      batch.push({ company, line });
      if (batch.length >= batchSize) yield* flush();
    }
  }
  if (batch.length) yield* flush();
}
