#!/usr/bin/env node
// tally-agent: the compiled build (npm install makes it), or the sources through tsx while build/ is stale (bin/launch.js).
import { launch } from './launch.js';

await launch('agent/src/main.ts');
