#!/usr/bin/env node
// The `pss` command. TypeScript sources run through tsx, so the package needs no build step.
import { register } from 'tsx/esm/api';

register();
const { runCli } = await import('../src/cli/main.ts');
await runCli(process.argv);
