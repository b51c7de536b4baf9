// 0006 belongs to the device-identity work (issue 17), landing from another
// branch. Until it does, this placeholder keeps the sequence without a gap so
// 0007 (admin users) can run; when the real 0006 is merged it replaces this
// file (same number, its own name and statements).
import type { SharedMigration } from '../migrate.ts';

export const reserved0006: SharedMigration = {
  version: 6,
  name: 'reserved',
  up: () => [],
};
