// The console's devices page (issue 21): devices in name order, a page at a
// time after the last one shown (AdminReadStore.deviceListPage). The indexes
// make each page a range read from where the previous one stopped, so the
// last page of a 100,000-device fleet costs what the first one does; an
// OFFSET, or a sort of the whole fleet per page, would read every device.
// devices_company_name serves one company's page, devices_name a partner's
// subtree or the whole installation (company checked row by row).
import type { SharedMigration } from '../migrate.ts';

export const DEVICE_LIST: SharedMigration = {
  version: 9,
  name: 'device_list',
  up: (db) => [
    db.schema.createIndex('devices_name').on('devices').columns(['hostname', 'id']),
    db.schema.createIndex('devices_company_name').on('devices').columns(['company_id', 'hostname', 'id']),
  ],
};
