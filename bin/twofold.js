#!/usr/bin/env -S node --max-semi-space-size=4
// The `twofold` command. It works right after `npm ci`, with no build step: it runs the sources
// compiled (bin/compiled.js builds them when they changed), or through the TypeScript loader when
// the compiled module cannot be written.
//
// `--max-semi-space-size=4` keeps V8's young generation at 4 MB a half instead of growing it to 16:
// about 25 MB less memory for a server, at no measured cost in requests per second (docs/performance.md).
// It applies when the command is run as a program (`twofold serve`, `npm start`); `node bin/twofold.js`
// runs without it.
import { compiledEntry } from './compiled.js';

const compiled = await compiledEntry();
let main;
if (compiled) {
  ({ main } = await import(compiled));
} else {
  const { register } = await import('tsx/esm/api');
  register();
  ({ main } = await import('../src/cli/main.ts'));
}
const code = await main(process.argv.slice(2));
// A failed command may leave handles open (a server that could not listen, worker threads): it ends
// with its code now rather than hang.
if (code !== 0) process.exit(code);
process.exitCode = code;
