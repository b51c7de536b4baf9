import { defineConfig } from 'vitest/config';

export default defineConfig({
  test: {
    include: ['test/**/*.test.ts'],
    // Compiles build/ once, so spawned bin/*.js run the compiled code (test/global-setup.ts).
    globalSetup: ['test/global-setup.ts'],
    // End-to-end tests start real processes; give them room on a loaded 2-core machine.
    testTimeout: 30_000,
    hookTimeout: 30_000,
    pool: 'forks',
  },
});
