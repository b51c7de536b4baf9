// Small JSON/text files in the agent's state directory. Writes go through a
// temporary file and a rename so a crash never leaves half a file behind.
import { readFile, rename, rm, writeFile } from 'node:fs/promises';
import { dirname, join } from 'node:path';
import { makeDirectories } from '../state-dir.ts';

export async function writeFileAtomic(path: string, content: string): Promise<void> {
  makeDirectories(dirname(path));
  const tmp = `${path}.${process.pid}.${Math.random().toString(36).slice(2)}.tmp`;
  await writeFile(tmp, content, { mode: 0o600 });
  await rename(tmp, path);
}

/** The parsed file, or undefined when it is missing or corrupt (callers start over). */
export async function readJsonState<T>(stateDir: string, file: string): Promise<T | undefined> {
  try {
    return JSON.parse(await readFile(join(stateDir, file), 'utf8')) as T;
  } catch {
    return undefined;
  }
}

export async function writeJsonState(stateDir: string, file: string, value: unknown): Promise<void> {
  await writeFileAtomic(join(stateDir, file), JSON.stringify(value, null, 2) + '\n');
}

export async function readTextState(stateDir: string, file: string): Promise<string | undefined> {
  try {
    return await readFile(join(stateDir, file), 'utf8');
  } catch {
    return undefined;
  }
}

export async function removeState(stateDir: string, file: string): Promise<void> {
  await rm(join(stateDir, file), { force: true });
}
