// The generated protocol code must match the .proto files: regenerate into a
// temporary directory with the project's own script and compare bytes.
import { execFileSync } from 'node:child_process';
import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { describe, expect, it } from 'vitest';
import { decodeAgentEnvelope, encodeAgentEnvelope } from '../../proto/index.ts';

const root = resolve(import.meta.dirname, '../..');

describe('proto/gen', () => {
  it('is what scripts/gen-proto.mjs generates from proto/*.proto (run `npm run proto:gen` after editing a .proto)', () => {
    const out = mkdtempSync(join(tmpdir(), 'tally-proto-'));
    try {
      execFileSync(process.execPath, [join(root, 'scripts/gen-proto.mjs'), '--out', out], { cwd: root, stdio: 'pipe' });
      for (const file of ['agent.js', 'agent.d.ts']) {
        const fresh = readFileSync(join(out, file), 'utf8');
        const committed = readFileSync(join(root, 'proto/gen', file), 'utf8');
        expect(committed === fresh, `proto/gen/${file} is stale`).toBe(true);
      }
    } finally {
      rmSync(out, { recursive: true, force: true });
    }
  }, 60_000);

  it('round-trips 64-bit sequences as plain numbers', () => {
    const bytes = encodeAgentEnvelope({ usage: { records: [{ header: { stream: 'usage/a', seq: 2 ** 40 + 7 }, utcDay: 20_000, awakeSeconds: 300 }] } });
    const back = decodeAgentEnvelope(bytes);
    expect(back.usage?.records?.[0].header?.seq).toBe(2 ** 40 + 7);
    expect(typeof back.usage?.records?.[0].header?.seq).toBe('number');
  });
});
