// Resolves on the first stop signal. SIGBREAK is what the Windows service
// host sends (CTRL_BREAK); without a handler Node would just exit.
import type { Logger } from './log.ts';

export function untilStopSignal(logger: Logger, message: string): Promise<void> {
  return new Promise<void>((resolve) => {
    const stop = (signal: string) => {
      logger.info(message, { signal });
      resolve();
    };
    process.once('SIGINT', () => stop('SIGINT'));
    process.once('SIGTERM', () => stop('SIGTERM'));
    if (process.platform === 'win32') process.once('SIGBREAK', () => stop('SIGBREAK'));
  });
}
