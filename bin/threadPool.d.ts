/** The size of libuv's thread pool for a `twofold` process: TWOFOLD_HASHING_THREADS, or one per core. */
export function threadPoolSize(env: NodeJS.ProcessEnv): number;
