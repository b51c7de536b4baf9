// Finalizing a month: its usage becomes immutable, with a content hash.
import { z } from 'zod';
import { TallyError } from '../errors.ts';
import { defineCommand } from './command.ts';
import { monthParam } from './schemas.ts';

export const closeMonth = defineCommand({
  name: 'month.close',
  summary: 'Finalize a month (installation only: it covers every company)',
  permission: 'months.write',
  target: z.object({ month: monthParam }).strict(),
  input: z.object({ early: z.boolean().default(false) }).strict(),
  // Computing a month's every line takes minutes at scale; the month closer writes its own snapshot atomically.
  transactional: false,
  async run({ principal, services }, { month }, { early }) {
    principal.scope.requireInstallation('finalizing a month (it covers every company)');
    if (!services.closer) throw new TallyError('internal', 'month finalization is not available here');
    const snapshot = await services.closer.closeMonth(month, { early });
    return {
      result: { month: snapshot.month, status: 'finalized' as const, hash: snapshot.hash },
      audit: { targetType: 'month', targetId: snapshot.month, companyId: null, details: { early, hash: snapshot.hash } },
    };
  },
});
