// `tally-collector release ...`: the release key, signing, and publishing.
//
// keygen and sign run where the release key is kept (offline, on the release
// engineer's machine); publish, list, rollout, pause and resume run where the
// collector runs, as the local operator, through the same admin commands as
// the REST API.
import { createHash, type KeyObject } from 'node:crypto';
import { createReadStream, existsSync, readFileSync, statSync, writeFileSync } from 'node:fs';
import { basename, dirname, join, resolve } from 'node:path';
import { CliError, intSetting, parseFlags, stringSetting, type SettingSource } from '../../../common/cli.ts';
import {
  CHANNELS, ManifestError, PLATFORMS, checkManifestShape, generateReleaseKeyPair, parsePublicKeys, signManifest, type ReleaseArtifact, type ReleasePlatform,
  type SignedManifest,
} from '../../../common/release-manifest.ts';
import type { CommandServices } from '../admin/index.ts';
import type { Principal } from '../auth/principal.ts';
import type { Company, Storage } from '../storage/types.ts';
import { ReleaseArtifacts } from './artifacts.ts';

export interface ReleaseCliDeps {
  settings: (flags: Record<string, string | boolean | undefined>) => SettingSource;
  asOperator: <T>(src: SettingSource, work: (ctx: { storage: Storage; commands: CommandServices; principal: Principal; admin: typeof import('../admin/index.ts') }) => Promise<T>) => Promise<T>;
  defaultDb: string;
  commonHelp: string;
}

export function releaseUsage(commonHelp: string): string {
  return `usage: tally-collector release keygen --out DIR
       tally-collector release sign --key FILE --version V --sequence N --artifact PLATFORM=FILE [--artifact ...]
                                    [--channel stable|canary] [--expires-in-days N] --out FILE
       tally-collector release publish --signed FILE [--artifacts DIR] [--release-keys KEYS] [--releases-dir DIR] [--db PATH]
       tally-collector release list [--json] [--db PATH]
       tally-collector release rollout SEQUENCE --percent N [--company ID|NAME ...] [--db PATH]
       tally-collector release pause SEQUENCE [--db PATH]
       tally-collector release resume SEQUENCE [--db PATH]

Agent auto-update. A release is a manifest (version, channel, sequence,
expiry, and per platform an artifact's name, size and SHA-256) signed with an
Ed25519 release key kept offline; agents install only what verifies against
the public key pinned at their install (see installers/README.md).

keygen    Writes DIR/release-key.pem (the private key, 0600: keep it offline) and
          DIR/release-key.pub, and prints the public key (ed25519:...) to pin in the
          installers (UPDATE_PUBLIC_KEY) and the collector (--release-keys).
sign      Writes the signed manifest. PLATFORM is one of ${PLATFORMS.join(', ')}.
          --sequence must be above every release signed before (agents refuse a lower one);
          --expires-in-days (default 30): agents refuse the manifest after it.
publish   Copies the artifacts (looked up by name in --artifacts, default: beside the manifest)
          into the releases directory, checking size and SHA-256, and publishes the release.
          It is offered to no device until a rollout is set.
rollout   Offers the release to N % of the devices (0-100): of every device, or of the devices of
          the partners or companies named with --company (repeatable; a partner covers its subtree;
          the most specific rule wins). The same devices come first at every release.
pause     No agent is offered the release until resume (agents that installed it keep it).

  --release-keys KEYS    Release public keys a published release must be signed with, comma separated
                         (env TALLY_RELEASE_KEYS, config "releaseKeys")
  --releases-dir DIR     Where artifacts are kept (env TALLY_RELEASES_DIR, config "releasesDir";
                         default: "releases" beside a SQLite database, else ./data/releases)
${commonHelp}`;
}

function sha256File(path: string): Promise<string> {
  return new Promise((res, rej) => {
    const h = createHash('sha256');
    createReadStream(path).on('data', (d) => h.update(d)).on('error', rej).on('end', () => res(h.digest('hex')));
  });
}

export function releasesDirFrom(src: SettingSource, db: string): string {
  const isUrl = /^postgres(ql)?:\/\//i.test(db);
  return stringSetting(src, 'releases-dir', 'TALLY_RELEASES_DIR', 'releasesDir', isUrl ? './data/releases' : join(dirname(db), 'releases'));
}

export function releaseKeysFrom(src: SettingSource): KeyObject[] | undefined {
  const text = stringSetting(src, 'release-keys', 'TALLY_RELEASE_KEYS', 'releaseKeys');
  if (!text) return undefined;
  try {
    return parsePublicKeys(text);
  } catch (err) {
    if (err instanceof ManifestError) throw new CliError(`--release-keys: ${err.message}`);
    throw err;
  }
}

function companyByIdOrName(visible: readonly Company[], text: string): string {
  return (visible.find((c) => c.id === text) ?? visible.filter((c) => c.name === text)[0])?.id ?? text;
}

export async function releaseCommand(args: string[], deps: ReleaseCliDeps): Promise<number> {
  const usage = releaseUsage(deps.commonHelp);
  const [action, ...rest] = args;
  if (action === undefined || action === '--help' || action === '-h') return out(usage);
  const { values, positionals, multi } = parse(rest, usage);
  if (values.help) return out(usage);
  switch (action) {
    case 'keygen': {
      if (typeof values.out !== 'string') throw new CliError(`--out DIR is required\n\n${usage}`);
      const dir = resolve(values.out);
      const pem = join(dir, 'release-key.pem');
      if (existsSync(pem)) throw new CliError(`${pem} exists: a release key is never overwritten`);
      const pair = generateReleaseKeyPair();
      writeFileSync(pem, pair.privateKeyPem, { mode: 0o600, flag: 'wx' });
      writeFileSync(join(dir, 'release-key.pub'), pair.publicKey + '\n');
      process.stdout.write(pair.publicKey + '\n');
      process.stderr.write(`Release key written to ${pem} (0600). Keep it offline; pin the public key above in the installers and the collector.\n`);
      return 0;
    }
    case 'sign': {
      for (const f of ['key', 'version', 'sequence', 'out'] as const) if (typeof values[f] !== 'string') throw new CliError(`--${f} is required\n\n${usage}`);
      if (multi.artifact.length === 0) throw new CliError(`at least one --artifact PLATFORM=FILE is required\n\n${usage}`);
      const channel = (values.channel as string | undefined) ?? 'stable';
      if (!(CHANNELS as readonly string[]).includes(channel)) throw new CliError(`--channel must be one of ${CHANNELS.join(', ')}`);
      const days = values['expires-in-days'] === undefined ? 30 : Number(values['expires-in-days']);
      if (!Number.isInteger(days) || days < 1 || days > 3650) throw new CliError('--expires-in-days must be an integer from 1 to 3650');
      const artifacts: Partial<Record<ReleasePlatform, ReleaseArtifact>> = {};
      for (const spec of multi.artifact) {
        const m = /^([a-z0-9-]+)=(.+)$/.exec(spec);
        if (!m || !(PLATFORMS as readonly string[]).includes(m[1])) throw new CliError(`--artifact ${spec}: expected PLATFORM=FILE with PLATFORM one of ${PLATFORMS.join(', ')}`);
        if (!existsSync(m[2])) throw new CliError(`--artifact ${spec}: ${m[2]} not found`);
        artifacts[m[1] as ReleasePlatform] = { name: basename(m[2]), size: statSync(m[2]).size, sha256: await sha256File(m[2]) };
      }
      const now = Date.now();
      let signed: SignedManifest;
      try {
        signed = signManifest(checkManifestShape({
          schema: 1, version: values.version, channel, sequence: Number(values.sequence), createdAt: new Date(now).toISOString(),
          expiresAt: new Date(now + days * 86_400_000).toISOString(), artifacts,
        }), readFileSync(values.key as string, 'utf8'));
      } catch (err) {
        if (err instanceof ManifestError) throw new CliError(err.message);
        throw new CliError(`cannot sign: ${(err as Error).message}`);
      }
      writeFileSync(values.out as string, JSON.stringify(signed, null, 2) + '\n');
      process.stderr.write(`Signed release ${signed.manifest.version} (sequence ${signed.manifest.sequence}, ${channel}, key ${signed.keyId}) written to ${values.out}.\n`);
      return 0;
    }
    case 'publish': {
      if (typeof values.signed !== 'string') throw new CliError(`--signed FILE is required\n\n${usage}`);
      let signed: SignedManifest;
      try {
        signed = JSON.parse(readFileSync(values.signed, 'utf8')) as SignedManifest;
      } catch (err) {
        throw new CliError(`${values.signed}: ${(err as Error).message}`);
      }
      const src = deps.settings(values);
      const db = stringSetting(src, 'db', 'TALLY_DB', 'db', deps.defaultDb);
      const artifacts = new ReleaseArtifacts(releasesDirFrom(src, db));
      const from = resolve((values.artifacts as string | undefined) ?? dirname(values.signed));
      const result = await deps.asOperator(src, async ({ commands, principal, admin }) => {
        principal.scope.requireInstallation('publishing an agent release');
        for (const a of Object.values((signed.manifest?.artifacts ?? {}) as Record<string, ReleaseArtifact>)) {
          const file = join(from, basename(String(a.name)));
          if (artifacts.has(a.sha256, a.size)) continue;
          if (!existsSync(file)) throw new CliError(`artifact ${a.name} not found in ${from} (--artifacts DIR)`);
          await artifacts.putFile(a.sha256, file);
        }
        return admin.executeCommand(admin.COMMANDS.publishRelease, { ...commands, releaseKeys: releaseKeysFrom(src), releaseArtifacts: artifacts }, principal, {}, { signed });
      });
      process.stdout.write(JSON.stringify(result) + '\n');
      return 0;
    }
    case 'list': {
      const releases = await deps.asOperator(deps.settings(values), async ({ storage }) => storage.releases.list(200));
      if (values.json) process.stdout.write(JSON.stringify(releases, null, 2) + '\n');
      else {
        for (const r of releases) {
          const rollout = r.rollout.map((x) => `${x.companyId ?? 'everyone'} ${x.percent}%`).join(', ') || 'no rollout';
          process.stdout.write(`${r.sequence}\t${r.version}\t${r.channel}\t${r.pausedAtMs !== null ? 'paused' : 'active'}\t${rollout}\n`);
        }
        if (releases.length === 0) process.stdout.write('no releases\n');
      }
      return 0;
    }
    case 'rollout':
    case 'pause':
    case 'resume': {
      if (positionals.length !== 1) throw new CliError(`name exactly one release (its sequence)\n\n${usage}`);
      const src = deps.settings(values);
      const target = { sequence: positionals[0] };
      const result = await deps.asOperator(src, async ({ commands, principal, admin: { COMMANDS, executeCommand } }) => {
        if (action === 'pause') return executeCommand(COMMANDS.pauseRelease, commands, principal, target, {});
        if (action === 'resume') return executeCommand(COMMANDS.resumeRelease, commands, principal, target, {});
        if (values.percent === undefined) throw new CliError(`--percent N is required\n\n${usage}`);
        const visible = principal.scope.visibleCompanies();
        const companyIds = multi.company.length ? multi.company.map((c) => companyByIdOrName(visible, c.trim())) : null;
        return executeCommand(COMMANDS.setRollout, commands, principal, target, { companyIds, percent: intSetting({ flags: values, env: {}, file: {} }, 'percent', '', '', 0, 0, 100) });
      });
      process.stdout.write(JSON.stringify(result) + '\n');
      return 0;
    }
    default:
      throw new CliError(`unknown release command: ${action}\n\n${usage}`);
  }
}

function parse(args: string[], usage: string) {
  // --artifact and --company repeat: collected before the strict parse, which sees each once.
  const multi = { artifact: [] as string[], company: [] as string[] };
  const rest: string[] = [];
  for (let i = 0; i < args.length; i++) {
    const m = /^--(artifact|company)(?:=(.*))?$/.exec(args[i]);
    if (!m) {
      rest.push(args[i]);
      continue;
    }
    const value = m[2] ?? args[++i];
    if (value === undefined) throw new CliError(`--${m[1]} needs a value\n\n${usage}`);
    multi[m[1] as 'artifact' | 'company'].push(value);
  }
  const { values, positionals } = parseFlags(rest, {
    db: { type: 'string' }, config: { type: 'string' }, out: { type: 'string' }, key: { type: 'string' }, version: { type: 'string' }, sequence: { type: 'string' },
    channel: { type: 'string' }, 'expires-in-days': { type: 'string' }, signed: { type: 'string' }, artifacts: { type: 'string' },
    'release-keys': { type: 'string' }, 'releases-dir': { type: 'string' }, json: { type: 'boolean' }, percent: { type: 'string' },
  }, usage);
  return { values, positionals, multi };
}

function out(text: string): number {
  process.stdout.write(text + '\n');
  return 0;
}
