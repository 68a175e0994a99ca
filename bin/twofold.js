#!/usr/bin/env node
// The `twofold` command. The sources are TypeScript run through tsx, so the command works right
// after `npm ci` with no build step.
import { register } from 'tsx/esm/api';

register();
const { main } = await import('../src/cli/main.ts');
const code = await main(process.argv.slice(2));
// A failed command may leave handles open (a server that could not listen, worker threads): it ends
// with its code now rather than hang.
if (code !== 0) process.exit(code);
process.exitCode = code;
