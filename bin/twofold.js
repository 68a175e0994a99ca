#!/usr/bin/env -S node --max-semi-space-size=4 --heap-growing-percent=50
// The `twofold` command. It works right after `npm ci`, with no build step: it runs the sources
// compiled (bin/compiled.mjs builds them when they changed), or through the TypeScript loader when
// the compiled module cannot be written.
//
// Two V8 settings keep a server's memory down, at no request rate the bench could tell apart
// (docs/performance.md): `--max-semi-space-size=4` keeps the young generation at 4 MB a half instead
// of growing it to 16 (about 25 MB), and `--heap-growing-percent=50` lets the old generation grow by
// half between full collections instead of up to four times what survived the last one (10 to 60 MB
// of garbage not yet collected). They apply when the command is run as a program
// (`twofold serve`, `npm start`); `node bin/twofold.js` runs without them.
//
// This file is CommonJS (bin/package.json) so that it runs before libuv's thread pool starts: Node
// reads an ES module entry through that pool, which starts it at its default size, four threads. The
// pool hashes the passwords (src/crypto/hashingThreads.ts), so it is sized first, to the hashing
// threads (bin/threadPool.js). An operator's own UV_THREADPOOL_SIZE is kept.
'use strict';
const { threadPoolSize } = require('./threadPool.js');

process.env.UV_THREADPOOL_SIZE ??= String(threadPoolSize(process.env));

async function run() {
  const { compiledEntry } = await import('./compiled.mjs');
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
  // A failed command may leave handles open (a server that could not listen, a stream): it ends
  // with its code now rather than hang.
  if (code !== 0) process.exit(code);
  process.exitCode = code;
}

// A failure is left unhandled: Node prints it with its stack and exits with code 1.
void run();
