// The agent version. Executables built by `npm run package` replace this
// constant at bundle time (esbuild define), so the binary knows its version
// without reading package.json.
declare const __TALLY_AGENT_VERSION__: string | undefined;

export const AGENT_VERSION: string = typeof __TALLY_AGENT_VERSION__ === 'string' ? __TALLY_AGENT_VERSION__ : '0.1.0-dev';
