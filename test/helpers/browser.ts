// Debian's chromium, driven by playwright-core (which downloads no browser of
// its own), for the console's browser tests. Without chromium a suite is
// skipped with a warning locally and fails under CI=true.
import { existsSync, mkdirSync, mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { chromium, type BrowserContext, type Page } from 'playwright-core';
import { shouldRun } from './requirements.ts';

export const CHROMIUM = '/usr/bin/chromium';
export const LAPTOP = { width: 1366, height: 768 };

export const chromiumAvailable = (suite: string) =>
  shouldRun(suite, existsSync(CHROMIUM) ? { met: true } : { met: false, reason: `${CHROMIUM} is missing (apt-get install chromium, or run bash .ci/run)` });

export interface TestBrowser {
  context: BrowserContext;
  page: Page;
  /** A full-page screenshot into test-artifacts/<folder>/<name>.png, for a person to look at. */
  shot(name: string, viewport?: { width: number; height: number }): Promise<string>;
  close(): Promise<void>;
}

export async function launchBrowser(artifactsFolder: string): Promise<TestBrowser> {
  const artifacts = join(process.cwd(), 'test-artifacts', artifactsFolder);
  mkdirSync(artifacts, { recursive: true });
  const profile = mkdtempSync(join(tmpdir(), 'tally-chromium-'));
  const context = await chromium.launchPersistentContext(profile, {
    executablePath: CHROMIUM, headless: true, viewport: LAPTOP, acceptDownloads: true,
    args: ['--no-sandbox', '--disable-gpu', '--disable-background-networking', '--disable-component-update', '--disable-sync', '--no-first-run', '--disable-quic'],
  });
  const page = context.pages()[0] ?? (await context.newPage());
  return {
    context, page,
    shot: async (name, viewport = LAPTOP) => {
      await page.setViewportSize(viewport);
      const path = join(artifacts, `${name}.png`);
      await page.screenshot({ path, fullPage: true });
      return path;
    },
    close: async () => {
      await context.close();
      rmSync(profile, { recursive: true, force: true });
    },
  };
}
