#!/usr/bin/env node
// Generates proto/gen/agent.js (static protobufjs code, ES module) and
// proto/gen/agent.d.ts (its TypeScript declarations) from proto/**/*.proto.
// Usage: node scripts/gen-proto.mjs [--out DIR]   (default: proto/gen)
// The test suite runs this into a temporary directory and fails when the
// committed files differ, so the generated code can never go stale.
import { execFileSync } from 'node:child_process';
import { mkdirSync, readdirSync, statSync } from 'node:fs';
import { dirname, join, relative, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';

const root = resolve(dirname(fileURLToPath(import.meta.url)), '..');
const args = process.argv.slice(2);
if (args.includes('--help') || args.includes('-h')) {
  console.log('usage: node scripts/gen-proto.mjs [--out DIR]\nRegenerates the protobufjs code for proto/**/*.proto.');
  process.exit(0);
}
const outIdx = args.indexOf('--out');
const outDir = outIdx >= 0 ? resolve(args[outIdx + 1] ?? '') : join(root, 'proto', 'gen');
mkdirSync(outDir, { recursive: true });

function protoFiles(dir) {
  return readdirSync(dir).flatMap((name) => {
    const p = join(dir, name);
    if (name === 'gen') return [];
    if (statSync(p).isDirectory()) return protoFiles(p);
    return name.endsWith('.proto') ? [p] : [];
  }).sort();
}

const protos = protoFiles(join(root, 'proto')).map((p) => relative(root, p));
const bin = (name) => join(root, 'node_modules', 'protobufjs-cli', 'bin', name);
const js = join(outDir, 'agent.js');
execFileSync(process.execPath, [
  bin('pbjs'), '-t', 'static-module', '-w', 'es6', '--es6', '--force-number',
  '--dependency', 'protobufjs/minimal.js', '-o', js, ...protos,
], { cwd: root, stdio: 'inherit' });
execFileSync(process.execPath, [bin('pbts'), '-o', join(outDir, 'agent.d.ts'), js], { cwd: root, stdio: 'inherit' });
