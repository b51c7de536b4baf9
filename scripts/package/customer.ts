// `npm run package:customer`: one customer's deployment files, with the
// collector URL and enrolment token built in, for tools that cannot pass them:
//   - an MSI for GPO software installation (GPO cannot pass MSI properties);
//   - a .mobileconfig for Mac MDM (Jamf, Intune), read as managed preferences.
// Needs dist/bin from `npm run package` (at least --targets win-x64).
//
//   npm run package:customer -- --customer "Acme Dental" --server-url wss://collector.example --token tet_... [--dist DIR]
import { existsSync, mkdirSync, writeFileSync } from 'node:fs';
import { join, resolve } from 'node:path';
import { parseArgs } from 'node:util';
import { packageVersion } from './build.ts';
import { mobileconfig } from './macos/mobileconfig.ts';
import { targetById } from './targets.ts';
import { buildMsi } from './windows-msi.ts';

const root = resolve(import.meta.dirname, '../..');

export function customerSlug(name: string): string {
  const slug = name.toLowerCase().replace(/[^a-z0-9]+/g, '-').replace(/^-+|-+$/g, '');
  if (!slug) throw new Error(`customer name ${JSON.stringify(name)} has no letters or digits`);
  return slug;
}

export interface CustomerInput {
  customer: string;
  serverUrl: string;
  enrollToken: string;
  /** Optional HTTP(S) proxy built into both files (MSI PROXY_URL, profile key ProxyUrl). */
  proxyUrl?: string;
  /** Optional release public key for auto-update, pinned in both files (MSI UPDATE_PUBLIC_KEY, profile key UpdatePublicKey). */
  updatePublicKey?: string;
  distDir: string;
}

export function buildCustomerFiles(input: CustomerInput): { msi: string; mobileconfig: string } {
  if (!/^(wss|ws):\/\/[^\s"'<>&]+$/.test(input.serverUrl)) throw new Error(`--server-url must be a ws:// or wss:// URL without quotes, <, > or &: ${input.serverUrl}`);
  if (!/^tet_[A-Za-z0-9_-]{43}$/.test(input.enrollToken)) throw new Error('--token must be an enrolment token (tet_ and 43 characters), from `tally-collector token create`');
  if (input.proxyUrl !== undefined && !/^https?:\/\/[^\s"'<>&]+$/.test(input.proxyUrl)) throw new Error(`--proxy must be an http:// or https:// URL without quotes, <, > or &: ${input.proxyUrl}`);
  if (input.updatePublicKey !== undefined && !/^ed25519:[A-Za-z0-9+/]{43}=$/.test(input.updatePublicKey)) throw new Error(`--update-key must be a release public key from \`tally-collector release keygen\` (ed25519:...): ${input.updatePublicKey}`);
  const bin = join(input.distDir, 'bin');
  const agentExe = join(bin, targetById('win-x64').executableName);
  const serviceHostExe = join(bin, 'tally-service-win-x64.exe');
  for (const f of [agentExe, serviceHostExe]) {
    if (!existsSync(f)) throw new Error(`${f} is missing: run \`npm run package -- --targets win-x64\` first`);
  }
  const slug = customerSlug(input.customer);
  const version = packageVersion(root);
  const outDir = join(input.distDir, 'customers', slug);
  mkdirSync(outDir, { recursive: true });
  const msi = buildMsi({
    root, version, agentExe, serviceHostExe, outFile: join(outDir, `tally-agent-${version}-${slug}-x64.msi`),
    defaults: { serverUrl: input.serverUrl, enrollToken: input.enrollToken, proxyUrl: input.proxyUrl ?? '', updatePublicKey: input.updatePublicKey ?? '' },
  });
  const profile = join(outDir, `tally-agent-${slug}.mobileconfig`);
  writeFileSync(profile, mobileconfig(input), { mode: 0o600 });
  return { msi, mobileconfig: profile };
}

if (process.argv[1] && resolve(process.argv[1]) === resolve(import.meta.filename)) {
  try {
    const { values } = parseArgs({ options: { customer: { type: 'string' }, 'server-url': { type: 'string' }, token: { type: 'string' }, proxy: { type: 'string' }, 'update-key': { type: 'string' }, dist: { type: 'string' } } });
    if (!values.customer || !values['server-url'] || !values.token) throw new Error('usage: npm run package:customer -- --customer NAME --server-url wss://... --token tet_... [--proxy http://proxy:port] [--update-key ed25519:...] [--dist DIR]');
    const out = buildCustomerFiles({ customer: values.customer, serverUrl: values['server-url'], enrollToken: values.token, proxyUrl: values.proxy, updatePublicKey: values['update-key'], distDir: resolve(values.dist ?? join(root, 'dist')) });
    process.stderr.write(`${out.msi}\n${out.mobileconfig}\nThese files contain the enrolment token: share them only with the customer's administrators.\n`);
  } catch (err) {
    process.stderr.write(`package:customer: ${(err as Error).message}\n`);
    process.exitCode = 1;
  }
}
