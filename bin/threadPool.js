// The size of libuv's thread pool for a `twofold` process: the hashing threads (src/crypto/hashingThreads.ts),
// TWOFOLD_HASHING_THREADS or one per core. The configuration checks that setting and refuses a wrong
// one (src/config.ts); here a wrong one only falls back to one per core.
'use strict';
const { availableParallelism } = require('node:os');

/** @param {NodeJS.ProcessEnv} env */
function threadPoolSize(env) {
  const hashingThreads = Number(env.TWOFOLD_HASHING_THREADS);
  return Number.isInteger(hashingThreads) && hashingThreads >= 1 && hashingThreads <= 256 ? hashingThreads : Math.max(1, availableParallelism());
}

module.exports = { threadPoolSize };
