// tally-collector: command-line entry. Wiring only; the work is elsewhere.
import { randomUUID } from 'node:crypto';
import { readFileSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { CliError, intSetting, parseFlags, readConfigFile, runCli, setting, stringSetting, type SettingSource } from '../../common/cli.ts';
import { createLogger, isLogLevel, type LogLevel } from '../../common/log.ts';
import { untilStopSignal } from '../../common/signals.ts';
import { hashSecret, newSecret } from './auth/secrets.ts';
import { startCollector } from './server.ts';
import { openStorage, redactDbUrl } from './storage/open.ts';
import { UsageError, UsageService } from './usage/service.ts';
import { reportCommand } from './reports/cli.ts';

const DEFAULT_DB = './data/tally.db';

const USAGE = `usage: tally-collector <command> [options]

Tally collector: takes agent reports over WebSocket, stores them, and answers
admins through the API.

Commands:
  serve            Run the collector (HTTP API and agent WebSocket endpoint)
  apikey create    Create an admin API key and print it
  token create     Create an enrolment token for a customer company and print it
  month close      Finalize a month: its usage becomes immutable, with a content hash
  month show       Print a month's state, hash and adjustments
  report           Write a Monthly License Usage report (csv, xlsx, pdf) or a PSA export to a file

Run 'tally-collector <command> --help' for the options of a command.`;

const COMMON_HELP = `  --db PATH|URL       SQLite database file, or postgres://user@host:5432/dbname for PostgreSQL
                      (env TALLY_DB, config "db"; default ${DEFAULT_DB})
  --config FILE       JSON config file (env TALLY_CONFIG); keys: port, host, db, logLevel
  -h, --help          Show this help
Settings are taken from flags, then environment, then the config file, then defaults.`;

const SERVE_USAGE = `usage: tally-collector serve [--port N] [--host ADDR] [--db PATH] [--config FILE] [--log-level LEVEL]

Runs the collector: agents connect to ws://HOST:PORT/agent/v1/ws, admins use
http://HOST:PORT/api/v1 with an API key; /healthz and /metrics are open.

  --port N            TCP port (env TALLY_PORT, config "port"; default 8080; 0 picks a free port)
  --host ADDR         Listen address (env TALLY_HOST, config "host"; default 0.0.0.0)
  --log-level LEVEL   debug, info, warn or error (env TALLY_LOG_LEVEL, config "logLevel"; default info)
  --max-connections N Agent connections this process holds at most (env TALLY_MAX_CONNECTIONS; default 18000)
  --enrol-per-ip N    Enrolments per source address per minute, burst 1000 (env TALLY_ENROL_PER_IP; default 600)
  --reports-dir DIR   Where generated reports are kept (env TALLY_REPORTS_DIR, config "reportsDir";
                      default: "reports" beside a SQLite database, else ./data/reports)
  --smtp-url URL      SMTP server for scheduled report mail, smtp://user:pass@host:587 (env TALLY_SMTP_URL, config "smtpUrl")
  --smtp-from ADDR    Sender address for report mail (env TALLY_SMTP_FROM, config "smtpFrom"; default tally@localhost)
  --tls-cert FILE     Serve HTTPS/WSS with this PEM certificate (chain) (env TALLY_TLS_CERT, config "tlsCert")
  --tls-key FILE      The certificate's PEM private key (env TALLY_TLS_KEY, config "tlsKey")
  --grace-hours N     Hours after a month ends during which late data still lands in it, before it is
                      finalized (env TALLY_GRACE_HOURS, config "graceHours"; default 72)
  --ingest-flush-ms N Group commit: how long the first usage frame waits for others before its
                      transaction (env TALLY_INGEST_FLUSH_MS, config "ingestFlushMs"; default 10, 0-10000)
  --ingest-commits N  Group commits in flight at once, 1-8 (env TALLY_INGEST_COMMITS, config
                      "ingestCommits"; PostgreSQL only, default 2; SQLite commits one at a time)
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

const APIKEY_USAGE = `usage: tally-collector apikey create [--label TEXT] [--db PATH] [--config FILE]

Creates an admin API key with access to every company and prints it on
stdout. The key is stored hashed: it cannot be shown again.

  --label TEXT        What the key is for (default "admin")
${COMMON_HELP}`;

const TOKEN_USAGE = `usage: tally-collector token create --company NAME [--expires-in-days N] [--db PATH] [--config FILE]

Creates the customer company NAME if it does not exist, then prints a new
enrolment token for it on stdout. Agents enrol with:
  tally-agent run --collector ws://HOST:PORT --token TOKEN

  --company NAME        Customer company name (required)
  --expires-in-days N   Token lifetime in days (default: no expiry)
${COMMON_HELP}`;

const dbFlags = { db: { type: 'string' }, config: { type: 'string' } } as const;

function settings(flags: Record<string, string | boolean | undefined>): SettingSource {
  const configPath = (flags.config as string | undefined) ?? process.env.TALLY_CONFIG;
  return { flags, env: process.env, file: configPath ? readConfigFile(configPath) : {} };
}

async function serve(args: string[]): Promise<number> {
  const { values, positionals } = parseFlags(args, {
    ...dbFlags, port: { type: 'string' }, host: { type: 'string' }, 'log-level': { type: 'string' }, 'grace-hours': { type: 'string' },
    'tls-cert': { type: 'string' }, 'tls-key': { type: 'string' }, 'max-connections': { type: 'string' }, 'enrol-per-ip': { type: 'string' },
    'reports-dir': { type: 'string' }, 'smtp-url': { type: 'string' }, 'smtp-from': { type: 'string' },
    'ingest-flush-ms': { type: 'string' }, 'ingest-commits': { type: 'string' },
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
  const tls = tlsFiles(stringSetting(src, 'tls-cert', 'TALLY_TLS_CERT', 'tlsCert'), stringSetting(src, 'tls-key', 'TALLY_TLS_KEY', 'tlsKey'));
  const level = stringSetting(src, 'log-level', 'TALLY_LOG_LEVEL', 'logLevel', 'info');
  if (!isLogLevel(level)) throw new CliError(`log level must be debug, info, warn or error, got ${JSON.stringify(level)}`);
  const logger = createLogger({ level: level as LogLevel, base: { service: 'tally-collector' } });
  const storage = await openStorage(db, Date.now());
  let collector;
  try {
    collector = await startCollector({
      storage, logger, host, port, graceHours, tls, reportsDir, smtp, ingestFlushMs, ingestCommits,
      sockets: { limits: { maxConnections, enrolPerIp: { capacity: Math.max(1_000, enrolPerIp), perMinute: enrolPerIp } } },
    });
  } catch (err) {
    await storage.close();
    throw new CliError(`cannot listen on ${host}:${port}: ${(err as Error).message}`);
  }
  logger.info('ready', { url: collector.url, agentEndpoint: `${collector.url.replace(/^http/, 'ws')}/agent/v1/ws`, db: redactDbUrl(db) });
  await untilStopSignal(logger, 'shutting down');
  await collector.stop();
  await storage.close();
  return 0;
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

async function apikeyCreate(args: string[]): Promise<number> {
  const { values, positionals } = parseFlags(args, { ...dbFlags, label: { type: 'string' } }, APIKEY_USAGE);
  if (values.help) return help(APIKEY_USAGE);
  if (positionals.length) throw new CliError(`unexpected argument: ${positionals[0]}\n\n${APIKEY_USAGE}`);
  const src = settings(values);
  const storage = await openStorage(stringSetting(src, 'db', 'TALLY_DB', 'db', DEFAULT_DB), Date.now());
  try {
    const key = newSecret('api_key');
    const label = typeof values.label === 'string' && values.label.trim() ? values.label.trim() : 'admin';
    const id = randomUUID();
    await storage.adminWrite.createApiKey({ id, keyHash: hashSecret(key), label, companyId: null, readOnly: false, nowMs: Date.now() });
    await storage.audit.append({ atMs: Date.now(), actor: 'cli', action: 'api_key.create', targetType: 'api_key', targetId: id, companyId: null, details: { label } });
    process.stdout.write(key + '\n');
    process.stderr.write('API key created. It is stored hashed and cannot be shown again.\n');
  } finally {
    await storage.close();
  }
  return 0;
}

async function tokenCreate(args: string[]): Promise<number> {
  const { values, positionals } = parseFlags(args, { ...dbFlags, company: { type: 'string' }, 'expires-in-days': { type: 'string' } }, TOKEN_USAGE);
  if (values.help) return help(TOKEN_USAGE);
  if (positionals.length) throw new CliError(`unexpected argument: ${positionals[0]}\n\n${TOKEN_USAGE}`);
  const companyName = typeof values.company === 'string' ? values.company.trim() : '';
  if (!companyName) throw new CliError(`--company NAME is required\n\n${TOKEN_USAGE}`);
  if (companyName.length > 200) throw new CliError('--company: a company name has at most 200 characters');
  const src = settings(values);
  const days = values['expires-in-days'] === undefined ? null : intSetting(src, 'expires-in-days', 'TALLY_TOKEN_EXPIRES_IN_DAYS', 'tokenExpiresInDays', 0, 1, 3650);
  const storage = await openStorage(stringSetting(src, 'db', 'TALLY_DB', 'db', DEFAULT_DB), Date.now());
  try {
    const now = Date.now();
    const company = await storage.adminWrite.ensureCustomerCompany(companyName, now);
    const token = newSecret('enrolment_token');
    const tokenId = randomUUID();
    await storage.adminWrite.createEnrolmentToken({
      id: tokenId, companyId: company.id, tokenHash: hashSecret(token), expiresAtMs: days === null ? null : now + days * 86_400_000, nowMs: now,
    });
    await storage.audit.append({ atMs: now, actor: 'cli', action: 'enrolment_token.create', targetType: 'enrolment_token', targetId: tokenId, companyId: company.id, details: { company: company.name, expiresInDays: days } });
    process.stdout.write(token + '\n');
    process.stderr.write(`Enrolment token for company "${company.name}" (${company.id}). It is stored hashed and cannot be shown again.\n`);
  } finally {
    await storage.close();
  }
  return 0;
}

async function monthCommand(action: string | undefined, args: string[]): Promise<number> {
  if (action === undefined || action === '--help' || action === '-h') return help(MONTH_USAGE);
  if (action !== 'close' && action !== 'show') throw new CliError(`unknown month command: ${action}\n\n${MONTH_USAGE}`);
  const { values, positionals } = parseFlags(args, { ...dbFlags, early: { type: 'boolean' }, 'grace-hours': { type: 'string' } }, MONTH_USAGE);
  if (values.help) return help(MONTH_USAGE);
  if (positionals.length !== 1 || !/^\d{4}-(0[1-9]|1[0-2])$/.test(positionals[0])) throw new CliError(`give exactly one month as YYYY-MM\n\n${MONTH_USAGE}`);
  const src = settings(values);
  const graceHours = intSetting(src, 'grace-hours', 'TALLY_GRACE_HOURS', 'graceHours', 72, 0, 24 * 31);
  const storage = await openStorage(stringSetting(src, 'db', 'TALLY_DB', 'db', DEFAULT_DB), Date.now());
  const logger = createLogger({ level: 'warn', base: { service: 'tally-collector' } });
  const service = new UsageService({ storage, now: Date.now, logger, graceHours });
  try {
    if (action === 'show') {
      process.stdout.write(JSON.stringify(await service.view(positionals[0]), null, 2) + '\n');
      return 0;
    }
    const snapshot = await service.closeMonth(positionals[0], { early: values.early === true });
    await storage.audit.append({ atMs: Date.now(), actor: 'cli', action: 'month.close', targetType: 'month', targetId: snapshot.month, companyId: null, details: { early: values.early === true, hash: snapshot.hash } });
    process.stdout.write(JSON.stringify({ month: snapshot.month, status: 'finalized', hash: snapshot.hash }) + '\n');
    return 0;
  } catch (err) {
    if (err instanceof UsageError) throw new CliError(err.message, err.code === 'already_finalized' ? 3 : 2);
    throw err;
  } finally {
    await storage.close();
  }
}

function help(text: string): number {
  process.stdout.write(text + '\n');
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
    case 'serve':
      return serve(argv.slice(1));
    case 'apikey':
      if (sub === 'create') return apikeyCreate(rest);
      if (sub === undefined || sub === '--help' || sub === '-h') return help(APIKEY_USAGE);
      throw new CliError(`unknown apikey command: ${sub}\n\n${APIKEY_USAGE}`);
    case 'token':
      if (sub === 'create') return tokenCreate(rest);
      if (sub === undefined || sub === '--help' || sub === '-h') return help(TOKEN_USAGE);
      throw new CliError(`unknown token command: ${sub}\n\n${TOKEN_USAGE}`);
    case 'month':
      return monthCommand(sub, rest);
    case 'report':
      return reportCommand(argv.slice(1), { openStorage, settings, defaultDb: DEFAULT_DB, commonHelp: COMMON_HELP });
    default:
      throw new CliError(`unknown command: ${command}\n\n${USAGE}`);
  }
}

void runCli(() => main(process.argv.slice(2)));
