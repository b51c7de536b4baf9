// Shared command-line plumbing: strict flag parsing with clear messages, and
// settings resolved in one order everywhere: flag, then environment, then
// config file, then default.
import { parseArgs, type ParseArgsConfig } from 'node:util';
import { readFileSync } from 'node:fs';

/** A usage or configuration error: printed without a stack, exit code 2. */
export class CliError extends Error {
  constructor(message: string, readonly exitCode = 2) {
    super(message);
    this.name = 'CliError';
  }
}

export type FlagSpec = NonNullable<ParseArgsConfig['options']>;

export function parseFlags<T extends FlagSpec>(args: string[], options: T, usage: string): { values: Record<string, string | boolean | undefined>; positionals: string[] } {
  const all = { ...options, help: { type: 'boolean', short: 'h' } } as FlagSpec;
  try {
    const { values, positionals } = parseArgs({ args, options: all, allowPositionals: true, strict: true });
    return { values: values as Record<string, string | boolean | undefined>, positionals };
  } catch (err) {
    const e = err as Error & { code?: string };
    if (e.code === 'ERR_PARSE_ARGS_UNKNOWN_OPTION') {
      // "unknown option --prot (did you mean --port?)" rather than parseArgs' advice about positionals.
      const given = /'(-{1,2}[^']*)'/.exec(e.message)?.[1] ?? '';
      const name = given.replace(/^-+/, '').replace(/=.*$/, '');
      const guess = didYouMean(name, Object.keys(all));
      throw new CliError(`unknown option ${given}${guess ? ` (did you mean --${guess}?)` : ''}\n\n${usage}`);
    }
    throw new CliError(`${e.message}\n\n${usage}`);
  }
}

/** The closest of `candidates` to a mistyped `word` (at most two edits, or a prefix of it), else null. */
export function didYouMean(word: string, candidates: readonly string[]): string | null {
  let best: { name: string; distance: number } | null = null;
  for (const name of candidates) {
    const distance = name.startsWith(word) && word.length >= 3 ? 1 : editDistance(word.toLowerCase(), name.toLowerCase());
    if (distance <= Math.min(2, Math.max(1, Math.floor(name.length / 3))) && (!best || distance < best.distance)) best = { name, distance };
  }
  return best?.name ?? null;
}

/** Levenshtein distance, with a swap of two neighbours counted as one edit ("hots" -> "host"). */
function editDistance(a: string, b: string): number {
  const d: number[][] = Array.from({ length: a.length + 1 }, (_, i) => [i, ...new Array<number>(b.length).fill(0)]);
  for (let j = 1; j <= b.length; j++) d[0][j] = j;
  for (let i = 1; i <= a.length; i++) {
    for (let j = 1; j <= b.length; j++) {
      d[i][j] = Math.min(d[i - 1][j] + 1, d[i][j - 1] + 1, d[i - 1][j - 1] + (a[i - 1] === b[j - 1] ? 0 : 1));
      if (i > 1 && j > 1 && a[i - 1] === b[j - 2] && a[i - 2] === b[j - 1]) d[i][j] = Math.min(d[i][j], d[i - 2][j - 2] + 1);
    }
  }
  return d[a.length][b.length];
}

/**
 * Reads a JSON config file; a missing or malformed file is a clear error, and
 * so is a key outside `knownKeys` when given (a typo such as "hots" would
 * otherwise be ignored silently and its default used).
 */
export function readConfigFile(path: string, knownKeys?: readonly string[]): Record<string, unknown> {
  let text: string;
  try {
    text = readFileSync(path, 'utf8');
  } catch (err) {
    throw new CliError(`config file ${path}: ${(err as NodeJS.ErrnoException).code === 'ENOENT' ? 'not found' : (err as Error).message}`);
  }
  let parsed: unknown;
  try {
    parsed = JSON.parse(text);
  } catch (err) {
    throw new CliError(`config file ${path}: not valid JSON (${(err as Error).message})`);
  }
  if (!parsed || typeof parsed !== 'object' || Array.isArray(parsed)) throw new CliError(`config file ${path}: must hold a JSON object`);
  if (knownKeys) {
    for (const key of Object.keys(parsed)) {
      if (knownKeys.includes(key)) continue;
      const guess = didYouMean(key, knownKeys);
      throw new CliError(`config file ${path}: unknown key ${JSON.stringify(key)}${guess ? ` (did you mean ${JSON.stringify(guess)}?)` : ''}; known keys: ${knownKeys.join(', ')}`);
    }
  }
  return parsed as Record<string, unknown>;
}

export interface SettingSource {
  flags: Record<string, string | boolean | undefined>;
  env: NodeJS.ProcessEnv;
  file: Record<string, unknown>;
}

/** One setting, looked up as flag, environment variable, config file key, in that order. */
export function setting(src: SettingSource, flag: string, envVar: string, fileKey: string): { value: unknown; from: string } | undefined {
  if (src.flags[flag] !== undefined) return { value: src.flags[flag], from: `--${flag}` };
  if (src.env[envVar] !== undefined && src.env[envVar] !== '') return { value: src.env[envVar], from: envVar };
  if (src.file[fileKey] !== undefined) return { value: src.file[fileKey], from: `config key "${fileKey}"` };
  return undefined;
}

export function intSetting(src: SettingSource, flag: string, envVar: string, fileKey: string, dflt: number, min: number, max: number): number {
  const s = setting(src, flag, envVar, fileKey);
  if (!s) return dflt;
  const n = typeof s.value === 'number' ? s.value : typeof s.value === 'string' && /^\s*-?\d+\s*$/.test(s.value) ? Number(s.value) : NaN;
  if (!Number.isInteger(n) || n < min || n > max) throw new CliError(`${s.from}: expected a whole number from ${min} to ${max}, got ${JSON.stringify(s.value)}`);
  return n;
}

export function stringSetting(src: SettingSource, flag: string, envVar: string, fileKey: string, dflt: string): string;
export function stringSetting(src: SettingSource, flag: string, envVar: string, fileKey: string, dflt?: undefined): string | undefined;
export function stringSetting(src: SettingSource, flag: string, envVar: string, fileKey: string, dflt?: string): string | undefined {
  const s = setting(src, flag, envVar, fileKey);
  if (!s) return dflt;
  if (typeof s.value !== 'string' || s.value.trim() === '') throw new CliError(`${s.from}: expected a non-empty string`);
  return s.value;
}

/** Runs a CLI entry point: CliError prints its message and exits 2; anything else is a crash with exit 1. */
export async function runCli(main: () => Promise<number | void>): Promise<void> {
  try {
    const code = await main();
    if (typeof code === 'number') process.exitCode = code;
  } catch (err) {
    if (err instanceof CliError) {
      process.stderr.write(`error: ${err.message}\n`);
      process.exitCode = err.exitCode;
    } else {
      process.stderr.write(`fatal: ${(err as Error)?.stack ?? String(err)}\n`);
      process.exitCode = 1;
    }
  }
}
