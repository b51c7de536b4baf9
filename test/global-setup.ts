// Before any test: compile build/ (scripts/build.mjs, about a second), so the
// end-to-end tests run the executables as `npm install` leaves them, compiled,
// whatever a developer edited since. test/collector/build.test.ts covers the
// fallback to the sources through tsx.
import { execFileSync } from 'node:child_process';
import { resolve } from 'node:path';

export default function setup(): void {
  execFileSync(process.execPath, [resolve(import.meta.dirname, '../scripts/build.mjs')], { stdio: ['ignore', 'ignore', 'inherit'], timeout: 120_000 });
}
