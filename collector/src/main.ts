// tally-collector: command-line entry. Wiring only; the work is elsewhere.
//
// Only what every command needs is imported up front; each command loads its
// own modules (the server, the admin commands, reports), so `--help` and
// `--version` answer at once and `serve` never loads the report writers.
import { readFileSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { CliError, intSetting, parseFlags, readConfigFile, runCli, setting, stringSetting, type SettingSource } from '../../common/cli.ts';
import { makeDirectories, StateDirError } from '../../common/directories.ts';
import { createLogger, isLogLevel, type LogLevel } from '../../common/log.ts';
import { untilStopSignal } from '../../common/signals.ts';
import type { CommandServices } from './admin/index.ts';
import type { Principal } from './auth/principal.ts';
import { describeDatabase, openStorage } from './storage/open.ts';
import type { Company, Storage } from './storage/types.ts';
import { AGENT_WS_PATH } from '../../proto/endpoint.ts';
import { COLLECTOR_VERSION } from './version.ts';

const DEFAULT_DB = './data/tally.db';

const USAGE = `usage: tally-collector <command> [options]

Tally collector: takes agent reports over WebSocket, stores them, and answers
admins through the API.

Commands:
  serve            Run the collector (HTTP API and agent WebSocket endpoint)
  apikey create    Create an admin API key and print it
  user             Admin users (people): create, list, disable, reset-password
  token create     Create an enrolment token for a customer company and print it
  companies ...    List the company tree; move a company (and everything below it) to another partner
  device ...       Move, merge, retire or exclude a device; list possible duplicates
  month close      Finalize a month: its usage becomes immutable, with a content hash
  month show       Print a month's state, hash and adjustments
  webhook ...      Outbound webhooks: create, list, update, delete, test, log
  alert ...        Alert rules: create, list, update, delete
  release ...      Agent releases: make the release key, sign, publish, roll out, pause, resume
  report           Write a Monthly License Usage report (csv, xlsx, pdf) or a PSA export to a file
  psa ...          PSA sync (ConnectWise, Autotask, HaloPSA): connect, map, sync, reconcile

Run 'tally-collector <command> --help' for the options of a command;
'tally-collector --version' prints the version.`;

/** The keys a config file may hold (one file serves every command; a key another command uses is ignored). */
export const CONFIG_KEYS = [
  'port', 'host', 'db', 'logLevel', 'graceHours', 'maxConnections', 'enrolPerIp', 'enrolPerToken', 'reportsDir', 'smtpUrl', 'smtpFrom',
  'tlsCert', 'tlsKey', 'ingestFlushMs', 'ingestCommits', 'releasesDir', 'releaseKeys', 'publicUrl', 'reportWorkers', 'reportQueuePerTenant',
  'reportRunningPerTenant', 'reportLeaseSeconds', 'reportRetentionDays', 'webhookTimeoutSeconds', 'webhookAttempts', 'alertIntervalSeconds', 'psaKeyFile',
  'maxConnectionsPerIp', 'maxStreamsPerDevice', 'maxEventBytes', 'eventsPerDevice', 'eventRetentionMonths', 'outboundAllow',
] as const;

const OUTBOUND_HELP = `  --outbound-allow CIDR,...  Networks besides the public internet that webhook receivers, PSA APIs and
                      single sign-on providers may be reached at, e.g. 10.20.0.0/16 for an on-premises PSA
                      (env TALLY_OUTBOUND_ALLOW, config "outboundAllow"; default none: admins, partners
                      included, cannot point the collector at loopback, private or link-local addresses)`;

const COMMON_HELP = `  --db PATH|URL       SQLite database file, or postgres://user@host:5432/dbname for PostgreSQL
                      (env TALLY_DB, config "db"; default ${DEFAULT_DB}, relative to the working directory)
  --config FILE       JSON config file (env TALLY_CONFIG); keys: ${CONFIG_KEYS.join(', ')};
                      an unknown key is refused
  -h, --help          Show this help
Settings are taken from flags, then environment, then the config file, then defaults.`;

/** For the admin commands: they use the collector's database and create none unless asked. */
const EXISTING_DB_HELP = `The database must exist (the collector creates it on its first start): run the
command where the collector runs, or name it with --db; it prints the database it used.`;

const SERVE_USAGE = `usage: tally-collector serve [--port N] [--host ADDR] [--db PATH] [--config FILE] [--log-level LEVEL]

Runs the collector: agents connect to ws://HOST:PORT${AGENT_WS_PATH}, admins use
http://HOST:PORT/api/v1 with an API key; /healthz and /metrics are open.

  --port N            TCP port (env TALLY_PORT, config "port"; default 8080; 0 picks a free port)
  --host ADDR         Listen address (env TALLY_HOST, config "host"; default 0.0.0.0)
  --log-level LEVEL   debug, info, warn or error (env TALLY_LOG_LEVEL, config "logLevel"; default info)
  --max-connections N Agent connections this process holds at most (env TALLY_MAX_CONNECTIONS,
                      config "maxConnections"; default 18000)
  --max-connections-per-ip N
                      Agent connections one source address holds at most (env TALLY_MAX_CONNECTIONS_PER_IP,
                      config "maxConnectionsPerIp"; default half of --max-connections). A device key holds
                      one live connection whatever this says: a newer one replaces the older (close 4410)
  --max-streams-per-device N
                      New stream names a device may start in 30 days (env TALLY_MAX_STREAMS_PER_DEVICE,
                      config "maxStreamsPerDevice"; default 32); records of more are refused (TOO_MANY_STREAMS)
  --max-event-bytes N Largest agent event payload taken, as JSON (env TALLY_MAX_EVENT_BYTES, config
                      "maxEventBytes"; default 16384); larger ones are refused (EVENT_TOO_LARGE)
  --events-per-device N
                      Agent events per device per minute, burst 2000 (env TALLY_EVENTS_PER_DEVICE,
                      config "eventsPerDevice"; default 20); more are refused (TOO_MANY_EVENTS)
  --event-retention-months N
                      Months agent events are kept before an hourly purge deletes them (env
                      TALLY_EVENT_RETENTION_MONTHS, config "eventRetentionMonths"; default 13, 1-1200);
                      billing rows (device-days, months, adjustments, device history) are never purged
  --enrol-per-ip N    Enrolments per source address per minute, burst 1000 (env TALLY_ENROL_PER_IP; default 600)
  --enrol-per-token N Enrolments per enrolment token per minute, burst 200 (env TALLY_ENROL_PER_TOKEN; default 60)
  --reports-dir DIR   Where generated reports are kept (env TALLY_REPORTS_DIR, config "reportsDir";
                      default: "reports" beside a SQLite database, else ./data/reports)
  --smtp-url URL      SMTP server for scheduled report mail, smtp://user:pass@host:587 (env TALLY_SMTP_URL, config "smtpUrl")
  --smtp-from ADDR    Sender address for report mail (env TALLY_SMTP_FROM, config "smtpFrom"; default tally@localhost)
  --webhook-timeout S How long a webhook receiver has to answer, seconds (env TALLY_WEBHOOK_TIMEOUT_SECONDS,
                      config "webhookTimeoutSeconds"; default 10, 1-120)
  --webhook-attempts N Attempts per webhook delivery before it fails for good, with exponential backoff from 5 s
                      (env TALLY_WEBHOOK_ATTEMPTS, config "webhookAttempts"; default 8, 1-20)
  --alert-interval S  How often alert rules are evaluated, seconds; 0: not on this instance
                      (env TALLY_ALERT_INTERVAL_SECONDS, config "alertIntervalSeconds"; default 60)
  --tls-cert FILE     Serve HTTPS/WSS with this PEM certificate (chain) (env TALLY_TLS_CERT, config "tlsCert")
  --tls-key FILE      The certificate's PEM private key (env TALLY_TLS_KEY, config "tlsKey")
  --grace-hours N     Hours after a month ends during which late data still lands in it, before it is
                      finalized (env TALLY_GRACE_HOURS, config "graceHours"; default 72)
  --ingest-flush-ms N Group commit: how long the first usage frame waits for others before its
                      transaction (env TALLY_INGEST_FLUSH_MS, config "ingestFlushMs"; default 10, 0-10000)
  --ingest-commits N  Group commits in flight at once, 1-8 (env TALLY_INGEST_COMMITS, config
                      "ingestCommits"; PostgreSQL only, default 2; SQLite commits one at a time)
  --releases-dir DIR  Agent release artifacts served to agents (env TALLY_RELEASES_DIR, config "releasesDir";
                      default: "releases" beside a SQLite database, else ./data/releases)
  --release-keys KEYS Release public keys (ed25519:..., comma separated) a published release must be
                      signed with (env TALLY_RELEASE_KEYS, config "releaseKeys"); unset: no release is accepted
  --public-url URL    The address people and integrations reach this collector at, e.g. https://tally.msp.example
                      (env TALLY_PUBLIC_URL, config "publicUrl"). Every link the collector hands out is built on it
                      (report downloads, JSON-RPC getDownloadLinks, report mail, the single sign-on redirect URI);
                      the request's Host header never is. Default: http(s)://HOST:PORT of the listen address, a
                      wildcard address (0.0.0.0) replaced by this machine's host name
  --report-workers N  Report jobs this collector makes at once, 1-16 (env TALLY_REPORT_WORKERS, config "reportWorkers"; default 2)
  --report-queue-per-tenant N  Report jobs one partner may have waiting or running, over every collector; more
                      are refused with queue_full (env TALLY_REPORT_QUEUE_PER_TENANT, config "reportQueuePerTenant"; default 50)
  --report-running-per-tenant N  Report jobs of one partner made at once, over every collector
                      (env TALLY_REPORT_RUNNING_PER_TENANT, config "reportRunningPerTenant"; default 1)
  --report-lease-seconds N  How long a collector's claim on a report job holds without renewal: a job of a
                      collector that died is taken over this long after (env TALLY_REPORT_LEASE_SECONDS,
                      config "reportLeaseSeconds"; default 60, 1-3600)
  --report-retention-days N  Days a generated report (file and row) is kept before it is deleted
                      (env TALLY_REPORT_RETENTION_DAYS, config "reportRetentionDays"; default 30, 1-3650)
  --psa-key-file FILE The key PSA credentials are encrypted under: 32 bytes as 64 hex digits or base64
                      (env TALLY_PSA_KEY holds the key itself; TALLY_PSA_KEY_FILE or config "psaKeyFile"
                      name a file). Without it PSA sync can be neither set up nor run.
${OUTBOUND_HELP}
${COMMON_HELP}`;

const MONTH_USAGE = `usage: tally-collector month close YYYY-MM [--early] [--grace-hours N] [--db PATH] [--config FILE]
       tally-collector month show YYYY-MM [--db PATH] [--config FILE]

close: finalizes a UTC month. Its usage, for every product type and for
user-based billing, is stored immutably with a content hash; data that
arrives later becomes an adjustment on it (up to two months back). The
collector also finalizes months on its own once their grace window ends.
A month is refused while it is open, and during its grace window unless
--early is given.

show: prints the month's state, hashes and adjustments as JSON.

  --early             Finalize during the grace window
  --grace-hours N     Grace window in hours (env TALLY_GRACE_HOURS, config "graceHours"; default 72)
${COMMON_HELP}`;

const APIKEY_USAGE = `usage: tally-collector apikey create [--label TEXT] [--init] [--db PATH] [--config FILE]

Creates an admin API key with access to every company and prints it on
stdout. The key is stored hashed: it cannot be shown again. The database it
was written to is printed on stderr.

  --label TEXT        What the key is for (default "admin")
  --init              Create the database when it does not exist (otherwise refused)
${COMMON_HELP}
${EXISTING_DB_HELP}`;

const USER_USAGE = `usage: tally-collector user create --email ADDR --name NAME [--role ROLE] [--company ID|NAME] [--init] [--db PATH] [--config FILE]
       tally-collector user list [--json] [--db PATH] [--config FILE]
       tally-collector user disable --email ADDR [--enable] [--db PATH] [--config FILE]
       tally-collector user reset-password --email ADDR [--reset-two-factor] [--db PATH] [--config FILE]

Admin users are people who sign in to the console (e-mail and password, or
single sign-on). These commands are for the first owner and for recovery;
owners manage users in the console or over the API. They run as the local
operator, with the same rules and audit entries as every other surface.

create: adds a user and prints a temporary password on stdout (shown once);
  the user chooses their own at the first sign-in.
list: prints the users (e-mail, name, role, scope, sign-in, state).
disable: the user can no longer sign in, their sessions end and the API keys
  they created stop working; --enable undoes it.
reset-password: prints a new temporary password, unlocks the user and ends
  their sessions; --reset-two-factor also removes their authenticator (a lost phone).

  --email ADDR          The user's e-mail address
  --name NAME           Their name (create)
  --role ROLE           owner, billing_admin, viewer or auditor (create; default owner)
  --company ID|NAME     Their scope: a partner (with its subtree) or a customer (create; default: the whole installation)
  --json                list: one JSON document
  --init                create: create the database when it does not exist (otherwise refused)
${COMMON_HELP}
${EXISTING_DB_HELP}`;

const TOKEN_USAGE = `usage: tally-collector token create --company NAME|ID [--parent PARTNER] [--expires-in-days N] [--init] [--db PATH] [--config FILE]

Prints a new enrolment token for a customer company on stdout, creating the
company first when no company has that id or exact name. Agents enrol with:
  tally-agent run --collector ws://HOST:PORT --token TOKEN

  --company NAME|ID     Customer company: its id or exact name (required)
  --parent PARTNER      When the company is created: the partner above it (id or exact name; default: top level)
  --expires-in-days N   Token lifetime in days (default: no expiry)
  --max-enrolments N    At most N enrolments with this token (default: no limit; every token is also held to
                        --enrol-per-token a minute on the collector). For a one-off GPO or MDM push: the fleet
                        size plus a margin, and a short expiry; for an RMM policy that onboards new machines
                        for years: no expiry, a limit sized to the customer, raised when it grows.
  --init                Create the database when it does not exist (otherwise refused)
${COMMON_HELP}
${EXISTING_DB_HELP}`;

const dbFlags = { db: { type: 'string' }, config: { type: 'string' } } as const;

function settings(flags: Record<string, string | boolean | undefined>): SettingSource {
  const configPath = (flags.config as string | undefined) ?? process.env.TALLY_CONFIG;
  return { flags, env: process.env, file: configPath ? readConfigFile(configPath, CONFIG_KEYS) : {} };
}

async function serve(args: string[]): Promise<number> {
  const { values, positionals } = parseFlags(args, {
    ...dbFlags, port: { type: 'string' }, host: { type: 'string' }, 'log-level': { type: 'string' }, 'grace-hours': { type: 'string' },
    'tls-cert': { type: 'string' }, 'tls-key': { type: 'string' }, 'max-connections': { type: 'string' }, 'enrol-per-ip': { type: 'string' }, 'enrol-per-token': { type: 'string' },
    'reports-dir': { type: 'string' }, 'smtp-url': { type: 'string' }, 'smtp-from': { type: 'string' },
    'ingest-flush-ms': { type: 'string' }, 'ingest-commits': { type: 'string' }, 'releases-dir': { type: 'string' }, 'release-keys': { type: 'string' },
    'public-url': { type: 'string' }, 'report-workers': { type: 'string' }, 'report-queue-per-tenant': { type: 'string' },
    'report-running-per-tenant': { type: 'string' }, 'report-lease-seconds': { type: 'string' }, 'report-retention-days': { type: 'string' },
    'webhook-timeout': { type: 'string' }, 'webhook-attempts': { type: 'string' }, 'alert-interval': { type: 'string' },
    'psa-key-file': { type: 'string' }, 'max-connections-per-ip': { type: 'string' }, 'outbound-allow': { type: 'string' },
    'max-streams-per-device': { type: 'string' }, 'max-event-bytes': { type: 'string' }, 'events-per-device': { type: 'string' },
    'event-retention-months': { type: 'string' },
  }, SERVE_USAGE);
  if (values.help) return help(SERVE_USAGE);
  if (positionals.length) throw new CliError(`unexpected argument: ${positionals[0]}\n\n${SERVE_USAGE}`);
  const src = settings(values);
  const port = intSetting(src, 'port', 'TALLY_PORT', 'port', 8080, 0, 65535);
  const host = stringSetting(src, 'host', 'TALLY_HOST', 'host', '0.0.0.0');
  const db = stringSetting(src, 'db', 'TALLY_DB', 'db', DEFAULT_DB);
  const graceHours = intSetting(src, 'grace-hours', 'TALLY_GRACE_HOURS', 'graceHours', 72, 0, 24 * 31);
  const ingestFlushMs = intSetting(src, 'ingest-flush-ms', 'TALLY_INGEST_FLUSH_MS', 'ingestFlushMs', 10, 0, 10_000);
  const maxConnections = intSetting(src, 'max-connections', 'TALLY_MAX_CONNECTIONS', 'maxConnections', 18_000, 1, 1_000_000);
  const enrolPerIp = intSetting(src, 'enrol-per-ip', 'TALLY_ENROL_PER_IP', 'enrolPerIp', 600, 1, 1_000_000);
  const enrolPerToken = intSetting(src, 'enrol-per-token', 'TALLY_ENROL_PER_TOKEN', 'enrolPerToken', 60, 1, 1_000_000);
  const maxConnectionsPerIp = intSetting(src, 'max-connections-per-ip', 'TALLY_MAX_CONNECTIONS_PER_IP', 'maxConnectionsPerIp',
    Math.max(1, Math.ceil(maxConnections / 2)), 1, 1_000_000);
  const maxStreamsPerDevice = intSetting(src, 'max-streams-per-device', 'TALLY_MAX_STREAMS_PER_DEVICE', 'maxStreamsPerDevice', 32, 3, 100_000);
  const maxEventBytes = intSetting(src, 'max-event-bytes', 'TALLY_MAX_EVENT_BYTES', 'maxEventBytes', 16_384, 256, 1 << 20);
  const eventsPerDevice = intSetting(src, 'events-per-device', 'TALLY_EVENTS_PER_DEVICE', 'eventsPerDevice', 20, 1, 1_000_000);
  const eventRetentionMonths = intSetting(src, 'event-retention-months', 'TALLY_EVENT_RETENTION_MONTHS', 'eventRetentionMonths', 13, 1, 1200);
  const isUrl = /^postgres(ql)?:\/\//i.test(db);
  // Unset: the backend's own (storage.ingest.concurrentBatches). At most 8 of
  // the PostgreSQL pool's 10 connections, so hellos and the API always find one.
  const ingestCommits = setting(src, 'ingest-commits', 'TALLY_INGEST_COMMITS', 'ingestCommits') === undefined
    ? undefined : intSetting(src, 'ingest-commits', 'TALLY_INGEST_COMMITS', 'ingestCommits', 1, 1, 8);
  if (!isUrl && ingestCommits !== undefined && ingestCommits > 1) {
    throw new CliError(`--ingest-commits above 1 needs PostgreSQL: SQLite commits one group at a time (got ${ingestCommits})`);
  }
  const reportsDir = stringSetting(src, 'reports-dir', 'TALLY_REPORTS_DIR', 'reportsDir', isUrl ? './data/reports' : join(dirname(db), 'reports'));
  const smtpUrl = stringSetting(src, 'smtp-url', 'TALLY_SMTP_URL', 'smtpUrl');
  if (smtpUrl !== undefined && !/^smtps?:\/\//i.test(smtpUrl)) throw new CliError('--smtp-url must start with smtp:// or smtps://');
  const smtp = smtpUrl ? { url: smtpUrl, from: stringSetting(src, 'smtp-from', 'TALLY_SMTP_FROM', 'smtpFrom', 'tally@localhost') } : undefined;
  const webhookTimeout = intSetting(src, 'webhook-timeout', 'TALLY_WEBHOOK_TIMEOUT_SECONDS', 'webhookTimeoutSeconds', 10, 1, 120);
  const webhookAttempts = intSetting(src, 'webhook-attempts', 'TALLY_WEBHOOK_ATTEMPTS', 'webhookAttempts', 8, 1, 20);
  const alertInterval = intSetting(src, 'alert-interval', 'TALLY_ALERT_INTERVAL_SECONDS', 'alertIntervalSeconds', 60, 0, 86_400);
  const tls = tlsFiles(stringSetting(src, 'tls-cert', 'TALLY_TLS_CERT', 'tlsCert'), stringSetting(src, 'tls-key', 'TALLY_TLS_KEY', 'tlsKey'));
  const publicUrlSetting = stringSetting(src, 'public-url', 'TALLY_PUBLIC_URL', 'publicUrl');
  let publicUrl: string | undefined;
  if (publicUrlSetting !== undefined) {
    const { parsePublicUrl, PublicUrlError } = await import('./public-url.ts');
    try {
      publicUrl = parsePublicUrl(publicUrlSetting);
    } catch (err) {
      if (err instanceof PublicUrlError) throw new CliError(`--public-url: ${err.message}`);
      throw err;
    }
  }
  const reportQueue = {
    workers: intSetting(src, 'report-workers', 'TALLY_REPORT_WORKERS', 'reportWorkers', 2, 1, 16),
    maxQueuedPerTenant: intSetting(src, 'report-queue-per-tenant', 'TALLY_REPORT_QUEUE_PER_TENANT', 'reportQueuePerTenant', 50, 1, 100_000),
    maxRunningPerTenant: intSetting(src, 'report-running-per-tenant', 'TALLY_REPORT_RUNNING_PER_TENANT', 'reportRunningPerTenant', 1, 1, 64),
    leaseMs: 1000 * intSetting(src, 'report-lease-seconds', 'TALLY_REPORT_LEASE_SECONDS', 'reportLeaseSeconds', 60, 1, 3600),
    retentionDays: intSetting(src, 'report-retention-days', 'TALLY_REPORT_RETENTION_DAYS', 'reportRetentionDays', 30, 1, 3650),
  };
  // A short lease is checked for again soon; a long one needs no faster polling than every 2 s.
  const pollMs = Math.min(2_000, Math.max(200, Math.floor(reportQueue.leaseMs / 4)));
  const level = stringSetting(src, 'log-level', 'TALLY_LOG_LEVEL', 'logLevel', 'info');
  if (!isLogLevel(level)) throw new CliError(`log level must be debug, info, warn or error, got ${JSON.stringify(level)}`);
  const logger = createLogger({ level: level as LogLevel, base: { service: 'tally-collector' } });
  const { releasesDirFrom, releaseKeysFrom } = await import('./releases/cli.ts');
  const releasesDir = releasesDirFrom(src, db);
  const releaseKeys = releaseKeysFrom(src);
  const psaKey = await loadPsaKey(src);
  const outbound = await loadOutboundPolicy(src);
  // A migration that backfills a large database (summaries from every device-day row) can take minutes: say so.
  const storage = await openStorage(db, Date.now(), {
    onMigration: (m) => m.phase === 'start'
      ? logger.info('migrating the database', { migration: m.version, name: m.name, step: m.index + 1, of: m.count })
      : logger.info('migration applied', { migration: m.version, name: m.name, seconds: Math.round(m.ms) / 1000 }),
    onCheckpointWorker: () => logger.info('write load is heavy: WAL checkpoints now run in a worker thread, off the event loop'),
  });
  try {
    makeDirectories(reportsDir);
  } catch (err) {
    await storage.close();
    if (err instanceof StateDirError) throw new CliError(`reports directory ${reportsDir} is not usable: ${err.message} (set --reports-dir)`);
    throw err;
  }
  const { startCollector } = await import('./server.ts');
  const { agentEndpoint } = await import('../../proto/endpoint.ts');
  let collector;
  try {
    collector = await startCollector({
      storage, logger, host, port, graceHours, tls, reportsDir, smtp, ingestFlushMs, ingestCommits, releasesDir, releaseKeys, publicUrl, reportQueue: { ...reportQueue, pollMs },
      webhooks: { timeoutMs: webhookTimeout * 1000, maxAttempts: webhookAttempts }, alertIntervalMs: alertInterval * 1000,
      psaKey, outbound,
      eventRetentionMonths,
      sockets: { limits: {
        maxConnections, maxConnectionsPerIp, enrolPerIp: { capacity: Math.max(1_000, enrolPerIp), perMinute: enrolPerIp },
        enrolPerToken: { capacity: Math.max(200, enrolPerToken), perMinute: enrolPerToken },
        streamsPerDevice: { max: maxStreamsPerDevice, windowMs: 30 * 86_400_000 }, maxEventBytes,
        eventsPerDevice: { capacity: Math.max(2_000, eventsPerDevice), perMinute: eventsPerDevice },
      } },
    });
  } catch (err) {
    await storage.close();
    throw new CliError(`cannot listen on ${host}:${port}: ${(err as Error).message}`);
  }
  logger.info('ready', { url: collector.url, publicUrl: collector.publicUrl, agentEndpoint: agentEndpoint(collector.url).href, db: describeDatabase(db), version: COLLECTOR_VERSION, startedInMs: Math.round(performance.now()) });
  await untilStopSignal(logger, 'shutting down');
  await collector.stop();
  await storage.close();
  return 0;
}

/** --outbound-allow / TALLY_OUTBOUND_ALLOW / outboundAllow: the networks besides the public internet outbound requests may reach. */
async function loadOutboundPolicy(src: SettingSource) {
  const { OutboundPolicy, PUBLIC_INTERNET_ONLY } = await import('./outbound.ts');
  const s = setting(src, 'outbound-allow', 'TALLY_OUTBOUND_ALLOW', 'outboundAllow');
  if (!s) return PUBLIC_INTERNET_ONLY;
  if (typeof s.value !== 'string') throw new CliError(`${s.from}: expected networks in CIDR form separated by commas, e.g. "10.20.0.0/16,fd00::/8"`);
  try {
    return OutboundPolicy.parse(s.value);
  } catch (err) {
    throw new CliError(`${s.from}: ${(err as Error).message}`);
  }
}

/** The PSA credentials key from TALLY_PSA_KEY, or the file of --psa-key-file / TALLY_PSA_KEY_FILE / psaKeyFile; null when none is set. */
async function loadPsaKey(src: SettingSource) {
  const { PsaKey } = await import('./psa/secrets.ts');
  const { TallyError } = await import('./errors.ts');
  try {
    return PsaKey.fromSources(process.env, stringSetting(src, 'psa-key-file', 'TALLY_PSA_KEY_FILE', 'psaKeyFile'));
  } catch (err) {
    if (err instanceof TallyError) throw new CliError(`${err.message} [${err.code}]`);
    throw err;
  }
}

/** Both or neither: a certificate without its key (or the reverse) is a configuration error. */
function tlsFiles(certPath: string | undefined, keyPath: string | undefined): { cert: Buffer; key: Buffer } | undefined {
  if (!certPath && !keyPath) return undefined;
  if (!certPath || !keyPath) throw new CliError('TLS needs both --tls-cert and --tls-key');
  const read = (path: string, marker: string) => {
    let pem: Buffer;
    try {
      pem = readFileSync(path);
    } catch (err) {
      throw new CliError(`${path}: ${(err as NodeJS.ErrnoException).code === 'ENOENT' ? 'not found' : (err as Error).message}`);
    }
    if (!pem.toString('utf8').includes(marker)) throw new CliError(`${path}: not a PEM ${marker.includes('KEY') ? 'private key' : 'certificate'}`);
    return pem;
  };
  return { cert: read(certPath, '-----BEGIN CERTIFICATE-----'), key: read(keyPath, 'PRIVATE KEY-----') };
}

/**
 * Runs admin commands from the command line, as the local operator (the
 * whole installation, audited as `cli`): the same commands, rules and audit
 * entries as the API and the console. A TallyError becomes its message and
 * the error table's exit code.
 */
interface OperatorContext {
  storage: Storage;
  commands: CommandServices;
  principal: Principal;
  /** The database, as a person should read it (absolute path, or the URL without its password). */
  database: string;
  admin: typeof import('./admin/index.ts');
}

async function asOperator<T>(src: SettingSource, work: (ctx: OperatorContext) => Promise<T>, opts: { init?: boolean } = {}): Promise<T> {
  const db = stringSetting(src, 'db', 'TALLY_DB', 'db', DEFAULT_DB);
  // An admin command against a database a newer collector has not migrated yet migrates it first; a long one is told on stderr.
  const storage = await openStorage(db, Date.now(), {
    create: opts.init === true,
    onMigration: (m) => { if (m.phase === 'done' && m.ms >= 2_000) process.stderr.write(`migrated the database: ${m.version} ${m.name} in ${(m.ms / 1000).toFixed(1)} s\n`); },
  });
  const logger = createLogger({ level: 'warn', base: { service: 'tally-collector' } });
  const [admin, { cliPrincipal }, { monthServices }, { ERROR_TABLE, toTallyError }] = await Promise.all([
    import('./admin/index.ts'), import('./auth/principal.ts'), import('./usage/index.ts'), import('./errors.ts'),
  ]);
  try {
    const graceHours = intSetting(src, 'grace-hours', 'TALLY_GRACE_HOURS', 'graceHours', 72, 0, 24 * 31);
    const { closer, reader } = monthServices({ billing: storage.billing, now: Date.now, logger, graceHours });
    const { connectorFactory } = await import('./psa/connectors.ts');
    const outbound = await loadOutboundPolicy(src);
    const commands: CommandServices = {
      storage, now: Date.now, logger, closer, outbound,
      psa: { key: await loadPsaKey(src), reader, connectors: connectorFactory({ outbound }), logger },
    };
    return await work({ storage, commands, principal: await cliPrincipal(storage.adminRead), database: describeDatabase(db), admin });
  } catch (err) {
    if (err instanceof CliError) throw err;
    const e = toTallyError(err);
    if (e.code === 'internal') throw err;
    // The stable code in brackets, as every surface gives it (REST error.code, JSON-RPC data.code, the console's error page).
    throw new CliError(`${e.message} [${e.code}]`, ERROR_TABLE[e.code].exit);
  } finally {
    await storage.close();
  }
}

async function apikeyCreate(args: string[]): Promise<number> {
  const { values, positionals } = parseFlags(args, { ...dbFlags, label: { type: 'string' }, init: { type: 'boolean' } }, APIKEY_USAGE);
  if (values.help) return help(APIKEY_USAGE);
  if (positionals.length) throw new CliError(`unexpected argument: ${positionals[0]}\n\n${APIKEY_USAGE}`);
  const label = typeof values.label === 'string' && values.label.trim() ? values.label.trim() : 'admin';
  const { created, database } = await asOperator(settings(values), async ({ commands, principal, database, admin }) => ({
    created: await admin.executeCommand(admin.COMMANDS.createApiKey, commands, principal, {}, { label, companyId: null, readOnly: false }), database,
  }), { init: values.init === true });
  process.stdout.write(created.key + '\n');
  process.stderr.write(`API key created in database ${database}. It is stored hashed and cannot be shown again.\n`);
  return 0;
}

async function userCommand(action: string | undefined, args: string[]): Promise<number> {
  if (action === undefined || action === '--help' || action === '-h') return help(USER_USAGE);
  if (!['create', 'list', 'disable', 'reset-password'].includes(action)) throw new CliError(`unknown user command: ${action}\n\n${USER_USAGE}`);
  const { values, positionals } = parseFlags(args, {
    ...dbFlags, email: { type: 'string' }, name: { type: 'string' }, role: { type: 'string' }, company: { type: 'string' }, json: { type: 'boolean' },
    enable: { type: 'boolean' }, 'reset-two-factor': { type: 'boolean' }, init: { type: 'boolean' },
  }, USER_USAGE);
  if (values.help) return help(USER_USAGE);
  if (positionals.length) throw new CliError(`unexpected argument: ${positionals[0]}\n\n${USER_USAGE}`);
  const email = typeof values.email === 'string' ? values.email.trim() : '';
  if (action !== 'list' && !email) throw new CliError(`--email ADDR is required\n\n${USER_USAGE}`);
  if (values.init === true && action !== 'create') throw new CliError(`--init goes with user create only\n\n${USER_USAGE}`);
  const { ERROR_TABLE } = await import('./errors.ts');
  return asOperator(settings(values), async ({ storage, commands, principal, database, admin: { COMMANDS, executeCommand } }) => {
    const byEmail = async () => {
      const user = await storage.users.findUserByEmail(email);
      if (!user) throw new CliError(`no user has the e-mail address ${email}`, ERROR_TABLE.not_found.exit);
      return user;
    };
    if (action === 'create') {
      const company = typeof values.company === 'string' ? companyNamed(principal.scope.visibleCompanies(), values.company.trim()) : null;
      if (typeof values.company === 'string' && !company) throw new CliError(`--company: no company has the id or name ${JSON.stringify(values.company)}`, ERROR_TABLE.not_found.exit);
      const created = await executeCommand(COMMANDS.createAdminUser, commands, principal, {}, {
        email, name: typeof values.name === 'string' ? values.name : email.split('@')[0], role: values.role ?? 'owner', companyId: company?.id ?? null,
      });
      process.stdout.write(`${created.temporaryPassword}\n`);
      process.stderr.write(`User ${created.email} (${created.role}) created in database ${database}. Sign in at /console/login with this temporary password; it is not shown again.\n`);
      return 0;
    }
    if (action === 'list') {
      const users = await storage.users.listUsers(null);
      const names = new Map(principal.scope.visibleCompanies().map((c) => [c.id, c.name]));
      if (values.json) {
        process.stdout.write(JSON.stringify(users.map((u) => ({ id: u.id, email: u.email, name: u.name, role: u.role, companyId: u.companyId, signIn: u.ssoProviderId ? 'sso' : 'password', twoFactor: u.totpEnabled, disabled: u.disabledAtMs !== null, locked: u.lockedUntilMs !== null && u.lockedUntilMs > Date.now() })), null, 2) + '\n');
        return 0;
      }
      for (const u of users) {
        const state = u.disabledAtMs !== null ? 'disabled' : u.lockedUntilMs !== null && u.lockedUntilMs > Date.now() ? 'locked' : 'active';
        process.stdout.write(`${u.email}\t${u.name}\t${u.role}\t${u.companyId === null ? 'installation' : names.get(u.companyId) ?? u.companyId}\t${u.ssoProviderId ? 'sso' : 'password'}${u.totpEnabled ? '+totp' : ''}\t${state}\n`);
      }
      if (!users.length) process.stderr.write('No users yet: create the first owner with `tally-collector user create --email ADDR --name NAME`.\n');
      return 0;
    }
    const user = await byEmail();
    if (action === 'disable') {
      await executeCommand(COMMANDS.updateAdminUser, commands, principal, { userId: user.id }, { disabled: values.enable !== true });
      process.stderr.write(`${user.email} ${values.enable === true ? 'enabled' : 'disabled: their sessions ended and their API keys stopped working'}.\n`);
      return 0;
    }
    const reset = await executeCommand(COMMANDS.resetPassword, commands, principal, { userId: user.id }, { resetTwoFactor: values['reset-two-factor'] === true });
    process.stdout.write(`${reset.temporaryPassword}\n`);
    process.stderr.write(`Password of ${user.email} reset (${reset.sessionsEnded} session(s) ended${values['reset-two-factor'] === true ? ', two-factor removed' : ''}); they choose a new one at the next sign-in.\n`);
    return 0;
  }, { init: values.init === true });
}

/** A flag that holds a whole number becomes a number; anything else is passed on for the command's schema to refuse. */
const wholeNumberFlag = (value: string | boolean | undefined): unknown => (typeof value === 'string' && /^\s*-?\d+\s*$/.test(value) ? Number(value) : value);

/** A company named on the command line: its id, or its exact name (refused when two companies share it). */
function companyNamed(companies: readonly Company[], idOrName: string, flag = '--company'): Company | null {
  const byId = companies.find((c) => c.id === idOrName);
  if (byId) return byId;
  const named = companies.filter((c) => c.name === idOrName);
  if (named.length > 1) throw new CliError(`${flag}: ${named.length} companies are named ${JSON.stringify(idOrName)}; give the id of one: ${named.map((c) => c.id).join(', ')}`);
  return named[0] ?? null;
}

async function tokenCreate(args: string[]): Promise<number> {
  const { values, positionals } = parseFlags(args, {
    ...dbFlags, company: { type: 'string' }, parent: { type: 'string' }, 'expires-in-days': { type: 'string' }, 'max-enrolments': { type: 'string' },
    init: { type: 'boolean' },
  }, TOKEN_USAGE);
  if (values.help) return help(TOKEN_USAGE);
  if (positionals.length) throw new CliError(`unexpected argument: ${positionals[0]}\n\n${TOKEN_USAGE}`);
  const companyName = typeof values.company === 'string' ? values.company.trim() : '';
  if (!companyName) throw new CliError(`--company NAME is required\n\n${TOKEN_USAGE}`);
  if (companyName.length > 200) throw new CliError('--company: a company name has at most 200 characters');
  const src = settings(values);
  // Numbers are turned into numbers here; whether they are allowed is the command's schema's to say (as on every surface).
  const days = values['expires-in-days'] === undefined ? null : wholeNumberFlag(values['expires-in-days']);
  const maxEnrolments = values['max-enrolments'] === undefined ? null : wholeNumberFlag(values['max-enrolments']);
  const parent = typeof values.parent === 'string' ? values.parent.trim() : null;
  const { token, database } = await asOperator(src, async ({ storage, commands, principal, database, admin: { COMMANDS, executeCommand } }) => {
    const { cliPrincipal } = await import('./auth/principal.ts');
    let company = companyNamed(principal.scope.visibleCompanies(), companyName);
    if (company && parent !== null && company.parentId !== parent) {
      throw new CliError(`--parent: company ${JSON.stringify(company.name)} already exists under ${company.parentId ?? 'no partner'}; moving a company is not done by token create`);
    }
    if (!company) {
      // A parent named by id or exact name; anything else goes to the command as an id, which answers not_found.
      const parentId = parent === null ? null : companyNamed(principal.scope.visibleCompanies(), parent, '--parent')?.id ?? parent;
      company = await executeCommand(COMMANDS.createCompany, commands, principal, {}, { name: companyName, type: 'customer', parentId });
      principal = await cliPrincipal(storage.adminRead);
    }
    return { token: await executeCommand(COMMANDS.createEnrolmentToken, commands, principal, { companyId: company.id }, { expiresInDays: days, maxEnrolments }), database };
  }, { init: values.init === true });
  process.stdout.write(token.token + '\n');
  process.stderr.write(`Enrolment token for company "${token.companyName}" (${token.companyId}) created in database ${database}. It is stored hashed and cannot be shown again.\n`);
  return 0;
}

async function monthCommand(action: string | undefined, args: string[]): Promise<number> {
  if (action === undefined || action === '--help' || action === '-h') return help(MONTH_USAGE);
  if (action !== 'close' && action !== 'show') throw new CliError(`unknown month command: ${action}\n\n${MONTH_USAGE}`);
  const { values, positionals } = parseFlags(args, { ...dbFlags, early: { type: 'boolean' }, 'grace-hours': { type: 'string' } }, MONTH_USAGE);
  if (values.help) return help(MONTH_USAGE);
  if (positionals.length !== 1) throw new CliError(`give exactly one month as YYYY-MM\n\n${MONTH_USAGE}`);
  const src = settings(values);
  return asOperator(src, async ({ storage, commands, principal, admin: { COMMANDS, executeCommand } }) => {
    if (action === 'show') {
      const { MonthReader } = await import('./usage/index.ts');
      const reader = new MonthReader({ billing: storage.billing, now: Date.now, graceHours: intSetting(src, 'grace-hours', 'TALLY_GRACE_HOURS', 'graceHours', 72, 0, 24 * 31) });
      process.stdout.write(JSON.stringify(await reader.view(positionals[0]), null, 2) + '\n');
      return 0;
    }
    const closed = await executeCommand(COMMANDS.closeMonth, commands, principal, { month: positionals[0] }, { early: values.early === true });
    process.stdout.write(JSON.stringify(closed) + '\n');
    return 0;
  });
}

const DEVICE_USAGE = `usage: tally-collector device <action> DEVICE [options] [--db PATH] [--config FILE]

  device move DEVICE --company CUSTOMER [--from ISO-INSTANT]
        Moves the device to another customer (id or exact name) from now, or from --from
        (its device-days from that UTC day on move; a finalized month gets an adjustment)
  device merge DEVICE --duplicate OTHER [--keys both|survivor|duplicate|none]
        Folds OTHER into DEVICE (one machine, billed once); --keys: whose agents keep their keys (default both)
  device retire DEVICE [--undo]      Refuses the device's key from now on and stops billing it (--undo: back)
  device exclude DEVICE --reason TEXT [--from-month YYYY-MM]
        Stops billing the device from the start of a month (default: this one); it stays listed as excluded
  device include DEVICE              Bills an excluded device again from the next UTC day
  device duplicates                  Lists devices that look like one machine, with the evidence (JSON)

Every action is audited as the command line ("cli").
${COMMON_HELP}`;

async function deviceCommand(action: string | undefined, args: string[]): Promise<number> {
  if (action === undefined || action === '--help' || action === '-h') return help(DEVICE_USAGE);
  const actions = ['move', 'merge', 'retire', 'exclude', 'include', 'duplicates'];
  if (!actions.includes(action)) throw new CliError(`unknown device command: ${action}\n\n${DEVICE_USAGE}`);
  const { values, positionals } = parseFlags(args, {
    ...dbFlags, company: { type: 'string' }, from: { type: 'string' }, duplicate: { type: 'string' }, keys: { type: 'string' },
    undo: { type: 'boolean' }, reason: { type: 'string' }, 'from-month': { type: 'string' },
  }, DEVICE_USAGE);
  if (values.help) return help(DEVICE_USAGE);
  if (positionals.length !== (action === 'duplicates' ? 0 : 1)) throw new CliError(`${action === 'duplicates' ? 'no device is named' : 'name exactly one device (its id)'}\n\n${DEVICE_USAGE}`);
  const target = { deviceId: positionals[0] };
  const result = await asOperator(settings(values), async ({ storage, commands, principal, admin: { COMMANDS, executeCommand } }) => {
    switch (action) {
      case 'move': {
        const company = typeof values.company === 'string' ? companyNamed(principal.scope.visibleCompanies(), values.company.trim()) : null;
        return executeCommand(COMMANDS.moveDevice, commands, principal, target, { companyId: company?.id ?? values.company, from: values.from });
      }
      case 'merge': return executeCommand(COMMANDS.mergeDevices, commands, principal, target, { duplicateId: values.duplicate, keys: values.keys });
      case 'retire': return executeCommand(COMMANDS.retireDevice, commands, principal, target, { retired: values.undo !== true });
      case 'exclude': return executeCommand(COMMANDS.excludeDevice, commands, principal, target, { reason: values.reason, fromMonth: values['from-month'] });
      case 'include': return executeCommand(COMMANDS.includeDevice, commands, principal, target, {});
      default: return { duplicates: await storage.devices.listDuplicates(null) };
    }
  });
  process.stdout.write(JSON.stringify(result, null, 2) + '\n');
  return 0;
}

const COMPANIES_USAGE = `usage: tally-collector companies list [--json] [--db PATH] [--config FILE]
       tally-collector companies move COMPANY --parent PARTNER|none [--db PATH] [--config FILE]

list: the company tree, one company a line (indented under its partner): name,
      type, id, inactive when it is; --json prints the companies as JSON.
move: puts a company, with everything below it, under another partner (id or
      exact name; "none" for the top level). Months that ended before the move
      keep the tree they ended with (a finalized month's bill does not change);
      the month in progress is reported with the new tree.

COMPANY and PARTNER are an id or an exact name. Audited as the command line ("cli").
${COMMON_HELP}
${EXISTING_DB_HELP}`;

async function companiesCommand(action: string | undefined, args: string[]): Promise<number> {
  if (action === undefined || action === '--help' || action === '-h') return help(COMPANIES_USAGE);
  if (action !== 'list' && action !== 'move') throw new CliError(`unknown companies command: ${action}\n\n${COMPANIES_USAGE}`);
  const { values, positionals } = parseFlags(args, { ...dbFlags, json: { type: 'boolean' }, parent: { type: 'string' } }, COMPANIES_USAGE);
  if (values.help) return help(COMPANIES_USAGE);
  if (action === 'list') {
    if (positionals.length) throw new CliError(`unexpected argument: ${positionals[0]}\n\n${COMPANIES_USAGE}`);
    const companies = await asOperator(settings(values), async ({ principal }) => principal.scope.visibleCompanies());
    process.stdout.write(values.json ? JSON.stringify(companies.map(companyJson), null, 2) + '\n' : companyTree(companies));
    return 0;
  }
  if (positionals.length !== 1) throw new CliError(`name exactly one company to move (its id or exact name)\n\n${COMPANIES_USAGE}`);
  if (typeof values.parent !== 'string' || !values.parent.trim()) throw new CliError(`--parent PARTNER (or none) is required\n\n${COMPANIES_USAGE}`);
  const parent = values.parent.trim();
  const moved = await asOperator(settings(values), async ({ commands, principal, admin: { COMMANDS, executeCommand } }) => {
    const visible = principal.scope.visibleCompanies();
    const company = companyNamed(visible, positionals[0].trim(), '--company');
    const parentId = parent === 'none' ? null : companyNamed(visible, parent, '--parent')?.id ?? parent;
    return executeCommand(COMMANDS.moveCompany, commands, principal, { companyId: company?.id ?? positionals[0].trim() }, { parentId });
  });
  process.stdout.write(JSON.stringify(moved, null, 2) + '\n');
  return 0;
}

const companyJson = (c: Company) => ({ id: c.id, name: c.name, type: c.type, parentId: c.parentId, active: c.active, externalId: c.externalId });

/** The tree as text: partners first by name, each company's children indented below it. */
export function companyTree(companies: readonly Company[]): string {
  const children = new Map<string | null, Company[]>();
  const ids = new Set(companies.map((c) => c.id));
  for (const c of companies) {
    const parent = c.parentId !== null && ids.has(c.parentId) ? c.parentId : null;
    children.set(parent, [...(children.get(parent) ?? []), c]);
  }
  const lines: string[] = [];
  const visit = (parent: string | null, depth: number) => {
    for (const c of (children.get(parent) ?? []).sort((a, b) => a.name.localeCompare(b.name) || a.id.localeCompare(b.id))) {
      lines.push(`${'  '.repeat(depth)}${c.name}  (${c.type}, ${c.id}${c.active ? '' : ', inactive'})`);
      visit(c.id, depth + 1);
    }
  };
  visit(null, 0);
  return lines.length ? lines.join('\n') + '\n' : 'no companies\n';
}

const PSA_USAGE = `usage: tally-collector psa <action> KIND [options] [--db PATH] [--config FILE]

KIND is connectwise, autotask or halopsa. Credentials are encrypted under the
key of TALLY_PSA_KEY or --psa-key-file (the collector's serve needs the same key).

  psa connect KIND --url URL --credentials-file FILE [--sync-hours N] [--no-verify]
        Stores the connection. FILE is JSON: connectwise {companyId, publicKey, privateKey, clientId};
        autotask {userName, secret, integrationCode}; halopsa {clientId, clientSecret, tenant?}.
        (or env TALLY_PSA_CREDENTIALS with that JSON). The credentials are checked with one read first.
  psa show KIND [--month YYYY-MM]       The connection (secrets masked), mappings, unmapped companies and SKUs
  psa suggest KIND                      The PSA's companies, and suggested matches for unmapped companies
  psa catalog KIND [--psa-company ID]   The PSA's products, and a PSA company's agreements
  psa map KIND --company ID|NAME --psa-company ID --agreement ID    Confirms a company mapping
  psa map KIND --sku SKU --product ID                                Maps a Tally SKU to a PSA product
  psa unmap KIND --company ID|NAME | --sku SKU
  psa sync KIND --month YYYY-MM [--dry-run] [--overwrite]
        Pushes the month's billable quantities (a finalized month's corrections become PSA adjustments);
        --dry-run shows the diff only; --overwrite also replaces quantities edited by hand in the PSA
  psa reconcile KIND --month YYYY-MM [--csv]   Tally vs PSA per company and SKU, with drift flags

  --psa-key-file FILE   The credentials key file (env TALLY_PSA_KEY_FILE, config "psaKeyFile"; or env TALLY_PSA_KEY)
Every change is audited as the command line ("cli").
${OUTBOUND_HELP}
${COMMON_HELP}`;

async function psaCommand(action: string | undefined, args: string[]): Promise<number> {
  if (action === undefined || action === '--help' || action === '-h') return help(PSA_USAGE);
  const actions = ['connect', 'show', 'suggest', 'catalog', 'map', 'unmap', 'sync', 'reconcile'];
  if (!actions.includes(action)) throw new CliError(`unknown psa command: ${action}\n\n${PSA_USAGE}`);
  const { values, positionals } = parseFlags(args, {
    ...dbFlags, url: { type: 'string' }, 'credentials-file': { type: 'string' }, 'sync-hours': { type: 'string' }, 'no-verify': { type: 'boolean' },
    month: { type: 'string' }, company: { type: 'string' }, 'psa-company': { type: 'string' }, agreement: { type: 'string' }, sku: { type: 'string' },
    product: { type: 'string' }, 'dry-run': { type: 'boolean' }, overwrite: { type: 'boolean' }, csv: { type: 'boolean' }, 'psa-key-file': { type: 'string' },
    'outbound-allow': { type: 'string' },
  }, PSA_USAGE);
  if (values.help) return help(PSA_USAGE);
  if (positionals.length !== 1) throw new CliError(`name exactly one PSA: connectwise, autotask or halopsa\n\n${PSA_USAGE}`);
  const kind = positionals[0];
  const out = (v: unknown) => process.stdout.write(JSON.stringify(v, null, 2) + '\n');
  return asOperator(settings(values), async ({ storage, commands, principal, admin: { COMMANDS, executeCommand } }) => {
    const views = await import('./psa/views.ts');
    const deps = { psa: commands.psa, stores: storage, now: Date.now };
    const target = { kind };
    const companyOf = (v: string | boolean | undefined) => (typeof v === 'string' ? companyNamed(principal.scope.visibleCompanies(), v.trim())?.id ?? v.trim() : v);
    switch (action) {
      case 'connect': {
        const file = values['credentials-file'];
        let text = process.env.TALLY_PSA_CREDENTIALS;
        if (typeof file === 'string') {
          try {
            text = readFileSync(file, 'utf8');
          } catch (err) {
            throw new CliError(`--credentials-file ${file}: ${(err as NodeJS.ErrnoException).code ?? 'unreadable'}`);
          }
        }
        if (!text) throw new CliError(`give the credentials in a JSON file (--credentials-file) or in TALLY_PSA_CREDENTIALS\n\n${PSA_USAGE}`);
        let credentials: unknown;
        try {
          credentials = JSON.parse(text);
        } catch {
          // Never echo the text: it holds secrets.
          throw new CliError('the credentials are not valid JSON');
        }
        out(await executeCommand(COMMANDS.setPsaConnection, commands, principal, target, {
          baseUrl: values.url, credentials, verify: values['no-verify'] !== true,
          ...(values['sync-hours'] !== undefined ? { syncHours: wholeNumberFlag(values['sync-hours']) } : {}),
        }));
        return 0;
      }
      case 'show': out(await views.psaOverview(deps, views.psaKind(kind), typeof values.month === 'string' ? values.month : undefined)); return 0;
      case 'suggest': out(await views.psaSuggestions(deps, views.psaKind(kind))); return 0;
      case 'catalog': out(await views.psaCatalog(deps, views.psaKind(kind), typeof values['psa-company'] === 'string' ? values['psa-company'] : undefined)); return 0;
      case 'map':
        out(await executeCommand(COMMANDS.setPsaMapping, commands, principal, target, values.sku !== undefined
          ? { sku: values.sku, productId: values.product }
          : { companyId: companyOf(values.company), psaCompanyId: values['psa-company'], agreementId: values.agreement }));
        return 0;
      case 'unmap':
        out(await executeCommand(COMMANDS.deletePsaMapping, commands, principal, target, values.sku !== undefined ? { sku: values.sku } : { companyId: companyOf(values.company) }));
        return 0;
      case 'sync':
        out(await executeCommand(COMMANDS.runPsaSync, commands, principal, target, { month: values.month, dryRun: values['dry-run'] === true, overwrite: values.overwrite === true }));
        return 0;
      default: {
        if (typeof values.month !== 'string') throw new CliError(`--month YYYY-MM is required\n\n${PSA_USAGE}`);
        const plan = await views.psaReconciliation(deps, views.psaKind(kind), values.month);
        if (values.csv) process.stdout.write(views.planCsv(plan));
        else out(plan);
        return 0;
      }
    }
  });
}

function help(text: string): number {
  process.stdout.write(text + '\n');
  return 0;
}

const WEBHOOK_USAGE = `usage: tally-collector webhook <action> [options] [--db PATH] [--config FILE]

  webhook create --url URL [--company COMPANY] [--events TYPE,TYPE] [--description TEXT]
        Creates an endpoint and prints it with its signing secret (shown this once).
        --company: a partner (its subtree) or a customer (id or exact name); absent: the installation.
        --events: the event types to send (default: every type)
  webhook list                          Lists the endpoints (never their secrets)
  webhook update ID [--url URL] [--events TYPE,...|all] [--description TEXT] [--enable|--disable]
  webhook delete ID                     Deletes the endpoint and its pending deliveries
  webhook test ID                       Sends a signed webhook.test event now and prints the answer
  webhook log ID [--limit N]            The endpoint's deliveries and attempts, newest first

Event types: ${'${EVENT_TYPES}'}. Bodies are signed per the Standard Webhooks
specification (webhook-id, webhook-timestamp, webhook-signature headers).
Every change is audited as the command line ("cli").
${OUTBOUND_HELP}
${COMMON_HELP}`;

async function webhookCommand(action: string | undefined, args: string[]): Promise<number> {
  const { EVENT_TYPES } = await import('./hooks/events.ts');
  const usage = WEBHOOK_USAGE.replace('${EVENT_TYPES}', EVENT_TYPES.join(', '));
  if (action === undefined || action === '--help' || action === '-h') return help(usage);
  if (!['create', 'list', 'update', 'delete', 'test', 'log'].includes(action)) throw new CliError(`unknown webhook command: ${action}\n\n${usage}`);
  const { values, positionals } = parseFlags(args, {
    ...dbFlags, url: { type: 'string' }, company: { type: 'string' }, events: { type: 'string' }, description: { type: 'string' },
    enable: { type: 'boolean' }, disable: { type: 'boolean' }, limit: { type: 'string' }, 'outbound-allow': { type: 'string' },
  }, usage);
  if (values.help) return help(usage);
  const wantsId = !['create', 'list'].includes(action);
  if (positionals.length !== (wantsId ? 1 : 0)) throw new CliError(`${wantsId ? 'name exactly one endpoint (its id)' : `unexpected argument: ${positionals[0]}`}\n\n${usage}`);
  const events = typeof values.events === 'string' ? (values.events.trim() === 'all' ? [] : values.events.split(',').map((e) => e.trim()).filter(Boolean)) : undefined;
  const target = { endpointId: positionals[0] };
  const result = await asOperator(settings(values), async ({ storage, commands, principal, admin: { COMMANDS, executeCommand } }) => {
    switch (action) {
      case 'create': {
        const company = typeof values.company === 'string' ? companyNamed(principal.scope.visibleCompanies(), values.company.trim()) : null;
        return executeCommand(COMMANDS.createWebhook, commands, principal, {}, {
          url: values.url, description: values.description, eventTypes: events, companyId: company ? company.id : (values.company ?? null),
        });
      }
      case 'list': return { webhooks: await storage.hooks.listEndpoints(null) };
      case 'update': {
        if (values.enable && values.disable) throw new CliError('--enable and --disable exclude each other');
        const enabled = values.enable ? true : values.disable ? false : undefined;
        return executeCommand(COMMANDS.updateWebhook, commands, principal, target, { url: values.url, description: values.description, eventTypes: events, enabled });
      }
      case 'delete': return executeCommand(COMMANDS.deleteWebhook, commands, principal, target, {});
      case 'test': {
        const { WebhookWorker } = await import('./hooks/delivery.ts');
        const webhooks = new WebhookWorker({ hooks: storage.hooks, adminRead: storage.adminRead, logger: commands.logger, now: Date.now, outbound: commands.outbound });
        return executeCommand(COMMANDS.testSendWebhook, { ...commands, webhooks }, principal, target, {});
      }
      default: {
        const limit = intSetting({ flags: values, env: {}, file: {} }, 'limit', '', 'limit', 50, 1, 1000);
        if (!(await storage.hooks.getEndpoint(target.endpointId))) throw new CliError(`webhook endpoint ${target.endpointId} does not exist`);
        return { deliveries: await storage.hooks.listDeliveries(target.endpointId, limit), attempts: await storage.hooks.listAttempts(target.endpointId, limit) };
      }
    }
  });
  process.stdout.write(JSON.stringify(result, null, 2) + '\n');
  return 0;
}

const ALERT_USAGE = `usage: tally-collector alert <action> [options] [--db PATH] [--config FILE]

  alert create --company COMPANY --kind KIND --name TEXT [--param NAME=VALUE ...] [--email ADDR,ADDR]
        Creates a rule for a partner (its subtree) or a customer (id or exact name). Kinds and params:
          endpoints_above threshold=N      active endpoints today above N
          endpoints_below threshold=N      active endpoints on the last complete day below N
          week_jump percent=P [minEndpoints=N]   last complete day up more than P % on a week before
          week_drop percent=P [minEndpoints=N]   ... down more than P %
          unlicensed [minEndpoints=N]      endpoints with unlicensed activity this month
          enrolment_burst count=N minutes=M      N enrolments on one token within M minutes
          forecast_over_reserved [marginPercent=P]   month-end forecast above reserved seats
  alert list                            Lists the rules and the alerts raised now
  alert update ID [--name TEXT] [--param NAME=VALUE ...] [--email ADDR,...] [--enable|--disable]
  alert delete ID

A raised alert goes out as an alert.raised webhook event and by e-mail (serve --smtp-url);
it is raised once and stays raised until the condition clears.
${COMMON_HELP}`;

async function alertCommand(action: string | undefined, args: string[]): Promise<number> {
  if (action === undefined || action === '--help' || action === '-h') return help(ALERT_USAGE);
  if (!['create', 'list', 'update', 'delete'].includes(action)) throw new CliError(`unknown alert command: ${action}\n\n${ALERT_USAGE}`);
  const { values, positionals } = parseFlags(args, {
    ...dbFlags, company: { type: 'string' }, kind: { type: 'string' }, name: { type: 'string' }, param: { type: 'string', multiple: true },
    email: { type: 'string' }, enable: { type: 'boolean' }, disable: { type: 'boolean' },
  }, ALERT_USAGE);
  if (values.help) return help(ALERT_USAGE);
  const wantsId = ['update', 'delete'].includes(action);
  if (positionals.length !== (wantsId ? 1 : 0)) throw new CliError(`${wantsId ? 'name exactly one rule (its id)' : `unexpected argument: ${positionals[0]}`}\n\n${ALERT_USAGE}`);
  const rawParams = (values.param as string[] | undefined);
  const params = rawParams === undefined ? undefined : Object.fromEntries(rawParams.map((p) => {
    const m = /^([A-Za-z]+)=(-?\d+(\.\d+)?)$/.exec(p.trim());
    if (!m) throw new CliError(`--param takes NAME=NUMBER, got ${JSON.stringify(p)}`);
    return [m[1], Number(m[2])];
  }));
  const emailTo = typeof values.email === 'string' ? values.email.split(',').map((e) => e.trim()).filter(Boolean) : undefined;
  const result = await asOperator(settings(values), async ({ storage, commands, principal, admin: { COMMANDS, executeCommand } }) => {
    switch (action) {
      case 'create': {
        const company = typeof values.company === 'string' ? companyNamed(principal.scope.visibleCompanies(), values.company.trim()) : null;
        return executeCommand(COMMANDS.createAlertRule, commands, principal, { companyId: company?.id ?? values.company }, { name: values.name, kind: values.kind, params, emailTo });
      }
      case 'list': {
        const rules = await storage.hooks.listRules(null);
        return { alertRules: await Promise.all(rules.map(async (r) => ({ ...r, raised: await storage.hooks.alertStates(r.id) }))) };
      }
      case 'update': {
        if (values.enable && values.disable) throw new CliError('--enable and --disable exclude each other');
        const enabled = values.enable ? true : values.disable ? false : undefined;
        return executeCommand(COMMANDS.updateAlertRule, commands, principal, { ruleId: positionals[0] }, { name: values.name, params, emailTo, enabled });
      }
      default: return executeCommand(COMMANDS.deleteAlertRule, commands, principal, { ruleId: positionals[0] }, {});
    }
  });
  process.stdout.write(JSON.stringify(result, null, 2) + '\n');
  return 0;
}

export async function main(argv: string[]): Promise<number> {
  const [command, sub, ...rest] = argv;
  switch (command) {
    case undefined:
    case '-h':
    case '--help':
    case 'help':
      return help(USAGE);
    case '--version':
    case '-v':
    case 'version':
      process.stdout.write(`tally-collector ${COLLECTOR_VERSION}\n`);
      return 0;
    case 'serve':
      return serve(argv.slice(1));
    case 'apikey':
      if (sub === 'create') return apikeyCreate(rest);
      if (sub === undefined || sub === '--help' || sub === '-h') return help(APIKEY_USAGE);
      throw new CliError(`unknown apikey command: ${sub}\n\n${APIKEY_USAGE}`);
    case 'user':
      return userCommand(sub, rest);
    case 'token':
      if (sub === 'create') return tokenCreate(rest);
      if (sub === undefined || sub === '--help' || sub === '-h') return help(TOKEN_USAGE);
      throw new CliError(`unknown token command: ${sub}\n\n${TOKEN_USAGE}`);
    case 'month':
      return monthCommand(sub, rest);
    case 'device':
      return deviceCommand(sub, rest);
    case 'companies':
      return companiesCommand(sub, rest);
    case 'webhook':
      return webhookCommand(sub, rest);
    case 'alert':
      return alertCommand(sub, rest);
    case 'release': {
      const { releaseCommand } = await import('./releases/cli.ts');
      return releaseCommand(argv.slice(1), { settings, asOperator, defaultDb: DEFAULT_DB, commonHelp: COMMON_HELP });
    }
    case 'psa':
      return psaCommand(sub, rest);
    case 'report': {
      const { reportCommand } = await import('./reports/cli.ts');
      return reportCommand(argv.slice(1), { openStorage: (db, nowMs) => openStorage(db, nowMs, { create: false }), settings, defaultDb: DEFAULT_DB, commonHelp: COMMON_HELP });
    }
    default:
      throw new CliError(`unknown command: ${command}\n\n${USAGE}`);
  }
}

void runCli(() => main(process.argv.slice(2)));
