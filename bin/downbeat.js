#!/usr/bin/env node
// Node 20 cannot run TypeScript itself: register tsx, then hand over to the CLI. DAG files
// (*.dag.ts) are loaded the same way, with no build step.
import { register } from 'tsx/esm/api';

register();
const { main } = await import('../src/cli/main.ts');
process.exitCode = await main(process.argv.slice(2));
