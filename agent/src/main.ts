// tally-agent: command-line entry. Wiring only.
import { randomUUID } from 'node:crypto';
import { mkdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import si from 'systeminformation';
import { CliError, parseFlags, runCli } from '../../common/cli.ts';
import { createLogger } from '../../common/log.ts';
import type { IDeviceFacts } from '../../proto/index.ts';
import { resolveRunConfig, settingsFrom } from './config.ts';
import { writeDurably } from './credentials.ts';
import { AwakeMeter, readBootId, systemClocks, systemTickTimer } from './meter/index.ts';
import { Outbox, OutboxLockedError } from './outbox/index.ts';
import { AgentRuntime, NoCredentialsError } from './runtime.ts';
import { AGENT_VERSION } from './version.ts';

const USAGE = `usage: tally-agent <command> [options]

Tally agent: reports this device's identity and awake time to a Tally collector.

Commands:
  run          Enrol if needed, then meter awake time and report it
  facts        Print the facts the agent would report
  version      Print the agent version

Run 'tally-agent <command> --help' for the options of a command.`;

const RUN_USAGE = `usage: tally-agent run --collector URL [--token TOKEN] [--state-dir DIR] [--interval SECONDS] [--config FILE] [--log-level LEVEL]

  --collector URL       Collector address, e.g. wss://collector.example:8443 (env TALLY_COLLECTOR_URL,
                        config "collectorUrl"). Plain ws:// only to loopback.
  --token TOKEN         Enrolment token, needed until the device is enrolled (env TALLY_ENROLL_TOKEN, config "enrollToken")
  --state-dir DIR       Where identity, credentials and the outbox live (env TALLY_STATE_DIR, config "stateDir";
                        default ${'/var/lib/tally-agent on Linux'})
  --interval SECONDS    How often usage is sent (env TALLY_INTERVAL, config "intervalSeconds"; default 300)
  --config FILE         JSON config file (env TALLY_AGENT_CONFIG; default /etc/tally-agent/config.json if present)
  --log-level LEVEL     debug, info, warn or error (default info)
  -h, --help            Show this help
Settings are taken from flags, then environment, then the config file, then defaults.`;

const FACTS_USAGE = `usage: tally-agent facts --json [--state-dir DIR]

Prints what the agent would report about this device, as JSON.

  --json            Print JSON (the only format)
  --state-dir DIR   State directory (for the agent instance id)
  -h, --help        Show this help`;

/** The random per-install id, created at first run. */
function loadOrCreateInstanceId(stateDir: string): string {
  const path = join(stateDir, 'instance-id');
  try {
    const id = readFileSync(path, 'utf8').trim();
    if (/^[0-9a-f-]{36}$/.test(id)) return id;
  } catch {
    // first run
  }
  const id = randomUUID();
  writeDurably(path, id + '\n', 0o600);
  return id;
}

async function basicFacts(): Promise<IDeviceFacts> {
  const os = await si.osInfo();
  return {
    hostname: os.hostname,
    os: { platform: os.platform === 'Windows' ? 'windows' : os.platform, name: os.distro, version: os.release, build: os.build, arch: os.arch, kernel: os.kernel },
  };
}

async function run(args: string[]): Promise<number> {
  const { values, positionals } = parseFlags(args, {
    collector: { type: 'string' }, token: { type: 'string' }, 'state-dir': { type: 'string' },
    interval: { type: 'string' }, config: { type: 'string' }, 'log-level': { type: 'string' },
  }, RUN_USAGE);
  if (values.help) return help(RUN_USAGE);
  if (positionals.length) throw new CliError(`unexpected argument: ${positionals[0]}\n\n${RUN_USAGE}`);
  const config = resolveRunConfig(settingsFrom(values, process.env));
  const logger = createLogger({ level: config.logLevel, base: { service: 'tally-agent' } });
  try {
    mkdirSync(join(config.stateDir, 'outbox'), { recursive: true, mode: 0o700 });
  } catch (err) {
    throw new CliError(`cannot create state directory ${config.stateDir}: ${(err as Error).message}`);
  }
  const instanceId = loadOrCreateInstanceId(config.stateDir);
  let outbox: Outbox;
  try {
    outbox = Outbox.open(join(config.stateDir, 'outbox'));
  } catch (err) {
    if (err instanceof OutboxLockedError) throw new CliError(`another tally-agent is running with state directory ${config.stateDir}`);
    throw err;
  }
  const meter = new AwakeMeter({ clocks: systemClocks, bootId: readBootId() });
  meter.start(systemTickTimer);
  let facts: IDeviceFacts | null = null;
  let runtime: AgentRuntime;
  try {
    runtime = new AgentRuntime({
      stateDir: config.stateDir, collectorUrl: config.collectorUrl, enrolmentToken: config.enrolmentToken,
      usageIntervalMs: config.usageIntervalSeconds * 1000, agentVersion: AGENT_VERSION, instanceId,
      facts: () => facts, meter, outbox, logger,
    });
  } catch (err) {
    outbox.close();
    if (err instanceof NoCredentialsError) throw new CliError(err.message);
    throw err;
  }
  runtime.start();
  // Facts are collected off the usage path: hello and usage wait for nothing.
  void basicFacts().then((f) => {
    facts = f;
    runtime.factsChanged();
  }, (err) => logger.warn('facts collection failed', { err }));
  logger.info('agent started', { version: AGENT_VERSION, collector: config.collectorUrl.href, stateDir: config.stateDir, intervalSeconds: config.usageIntervalSeconds });
  await new Promise<void>((resolve) => {
    const stop = (signal: string) => {
      logger.info('stopping', { signal });
      resolve();
    };
    process.once('SIGINT', () => stop('SIGINT'));
    process.once('SIGTERM', () => stop('SIGTERM'));
  });
  await runtime.stop();
  return 0;
}

async function facts(args: string[]): Promise<number> {
  const { values, positionals } = parseFlags(args, { json: { type: 'boolean' }, 'state-dir': { type: 'string' } }, FACTS_USAGE);
  if (values.help) return help(FACTS_USAGE);
  if (positionals.length) throw new CliError(`unexpected argument: ${positionals[0]}\n\n${FACTS_USAGE}`);
  if (!values.json) throw new CliError(`--json is required (JSON is the only output format)\n\n${FACTS_USAGE}`);
  process.stdout.write(JSON.stringify(await basicFacts(), null, 2) + '\n');
  return 0;
}

function help(text: string): number {
  process.stdout.write(text + '\n');
  return 0;
}

export async function main(argv: string[]): Promise<number> {
  const [command, ...rest] = argv;
  switch (command) {
    case undefined:
    case '-h':
    case '--help':
    case 'help':
      return help(USAGE);
    case 'run':
      return run(rest);
    case 'facts':
      return facts(rest);
    case 'version':
    case '--version':
      process.stdout.write(AGENT_VERSION + '\n');
      return 0;
    default:
      throw new CliError(`unknown command: ${command}\n\n${USAGE}`);
  }
}

void runCli(() => main(process.argv.slice(2)));
