// Bundles the agent into one CommonJS file: a single executable application
// runs exactly one script, and only as CommonJS.
import { build } from 'esbuild';
import { join } from 'node:path';

export async function bundleAgent(root: string, outFile: string, version: string): Promise<void> {
  await build({
    entryPoints: [join(root, 'agent/src/main.ts')],
    outfile: outFile,
    bundle: true,
    platform: 'node',
    target: 'node22',
    format: 'cjs',
    minify: false,
    sourcemap: false,
    legalComments: 'none',
    logLevel: 'warning',
    define: { __TALLY_AGENT_VERSION__: JSON.stringify(version) },
    // Optional native speed-ups of ws (it falls back to JavaScript without them), and the
    // Kerberos module https-proxy-agent loads only for Negotiate proxy auth, which we do not use.
    external: ['bufferutil', 'utf-8-validate', 'kerberos'],
  });
}
