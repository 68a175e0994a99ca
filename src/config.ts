/**
 * Configuration from environment variables, validated once at start. Every bad value is reported
 * at once, each with the variable's name, so an operator fixes them in one go.
 */
import { isIP } from 'node:net';
import { resolve } from 'node:path';
import { DEFAULT_CONNECTION_LIMITS, type ConnectionLimits } from './http/connectionLimits.ts';

export interface Config {
  readonly port: number;
  readonly host: string;
  readonly databaseUrl: string | undefined;
  readonly dataDir: string;
  /** Raw key text; parsed by the secret box. Absent: a key file in the data directory is used. */
  readonly secretKey: string | undefined;
  /** The origin members reach the server at, e.g. `https://twofold.example.com`. */
  readonly publicUrl: string | undefined;
  /** Proxies whose `X-Forwarded-For` is believed; empty means the socket address is the client. */
  readonly trustedProxies: readonly string[];
  readonly logLevel: 'fatal' | 'error' | 'warn' | 'info' | 'debug' | 'trace' | 'silent';
  readonly sessionIdleMinutes: number;
  readonly sessionMaxHours: number;
  /** Threads hashing passwords; undefined: one per core. Each holds 19 MiB while it hashes. */
  readonly hashingThreads: number | undefined;
  /** Slow clients are cut off and connections capped (src/http/connectionLimits.ts). */
  readonly connectionLimits: ConnectionLimits;
  /** On SIGTERM, how long /readyz answers 503 while requests are still served (src/http/draining.ts). */
  readonly drainMs: number;
  /** SQLite's page cache and memory map, in MiB: memory the process holds, counted in its RSS. */
  readonly sqliteCacheMb: number;
  readonly sqliteMmapMb: number;
}

export class ConfigError extends Error {
  override readonly name = 'ConfigError';
  constructor(readonly problems: readonly string[]) {
    super(`invalid configuration:\n${problems.map((p) => `  - ${p}`).join('\n')}`);
  }
}

const LOG_LEVELS = ['fatal', 'error', 'warn', 'info', 'debug', 'trace', 'silent'] as const;

export function loadConfig(env: NodeJS.ProcessEnv): Config {
  const problems: string[] = [];
  const integer = (name: string, fallback: number, min: number, max: number): number => {
    const raw = env[name];
    if (raw === undefined || raw === '') return fallback;
    const value = Number(raw);
    if (!/^\d+$/.test(raw) || value < min || value > max) {
      problems.push(`${name} must be a whole number from ${min} to ${max} (got "${raw}")`);
      return fallback;
    }
    return value;
  };

  const port = integer('PORT', 3000, 0, 65535);
  const sessionIdleMinutes = integer('TWOFOLD_SESSION_IDLE_MINUTES', 60, 1, 24 * 60);
  // docs/security.md S23: an overall session lifetime of at most 24 hours.
  const sessionMaxHours = integer('TWOFOLD_SESSION_MAX_HOURS', 24, 1, 24);
  const sqliteCacheMb = integer('TWOFOLD_SQLITE_CACHE_MB', 16, 1, 65536);
  const sqliteMmapMb = integer('TWOFOLD_SQLITE_MMAP_MB', 0, 0, 65536);
  const hashingThreads = env.TWOFOLD_HASHING_THREADS ? integer('TWOFOLD_HASHING_THREADS', 1, 1, 256) : undefined;
  const seconds = (ms: number) => ms / 1000;
  const limits = DEFAULT_CONNECTION_LIMITS;
  const connectionLimits: ConnectionLimits = {
    headersTimeoutMs: integer('TWOFOLD_HEADERS_TIMEOUT_SECONDS', seconds(limits.headersTimeoutMs), 1, 600) * 1000,
    requestTimeoutMs: integer('TWOFOLD_REQUEST_TIMEOUT_SECONDS', seconds(limits.requestTimeoutMs), 1, 3600) * 1000,
    keepAliveTimeoutMs: integer('TWOFOLD_KEEP_ALIVE_TIMEOUT_SECONDS', seconds(limits.keepAliveTimeoutMs), 1, 3600) * 1000,
    maxConnections: integer('TWOFOLD_MAX_CONNECTIONS', limits.maxConnections, 1, 1_000_000),
  };
  // Node cuts a request off at whichever comes first; headers that may take longer than the whole request make no sense.
  if (connectionLimits.headersTimeoutMs > connectionLimits.requestTimeoutMs) {
    problems.push('TWOFOLD_HEADERS_TIMEOUT_SECONDS must not exceed TWOFOLD_REQUEST_TIMEOUT_SECONDS');
  }

  const drainMs = integer('TWOFOLD_DRAIN_SECONDS', 5, 0, 300) * 1000;

  const databaseUrl = env.DATABASE_URL || undefined;
  if (databaseUrl !== undefined && (!/^postgres(ql)?:\/\/.+/.test(databaseUrl) || !URL.canParse(databaseUrl))) {
    problems.push('DATABASE_URL must be a postgres:// or postgresql:// URL (leave it unset for the embedded SQLite database)');
  }

  const secretKey = env.TWOFOLD_SECRET_KEY || undefined;
  if (secretKey !== undefined && !isKeyText(secretKey)) {
    problems.push('TWOFOLD_SECRET_KEY must be 32 bytes as 64 hexadecimal characters or base64 (try: openssl rand -hex 32)');
  }

  let publicUrl = env.TWOFOLD_PUBLIC_URL || undefined;
  if (publicUrl !== undefined) {
    try {
      const url = new URL(publicUrl);
      if (url.protocol !== 'http:' && url.protocol !== 'https:') throw new Error('protocol');
      publicUrl = url.origin;
    } catch {
      problems.push(`TWOFOLD_PUBLIC_URL must be an http:// or https:// URL (got "${publicUrl}")`);
    }
  }

  const trustedProxies = (env.TWOFOLD_TRUSTED_PROXIES ?? '').split(',').map((s) => s.trim()).filter(Boolean);
  for (const proxy of trustedProxies) {
    const [address, bits, extra] = proxy.split('/');
    const family = isIP(address ?? '');
    const maxBits = family === 6 ? 128 : 32;
    if (!family || extra !== undefined || (bits !== undefined && !(/^\d+$/.test(bits) && Number(bits) <= maxBits))) {
      problems.push(`TWOFOLD_TRUSTED_PROXIES must list IP addresses or CIDR ranges separated by commas (bad: "${proxy}")`);
    }
  }

  const logLevel = (env.TWOFOLD_LOG_LEVEL || 'info') as Config['logLevel'];
  if (!LOG_LEVELS.includes(logLevel)) problems.push(`TWOFOLD_LOG_LEVEL must be one of ${LOG_LEVELS.join(', ')}`);

  const host = env.TWOFOLD_HOST || '0.0.0.0';
  if (!isIP(host) && host !== 'localhost') problems.push(`TWOFOLD_HOST must be an IP address to listen on (got "${host}")`);

  if (problems.length > 0) throw new ConfigError(problems);
  return {
    port,
    host,
    databaseUrl,
    dataDir: resolve(env.TWOFOLD_DATA_DIR || './data'),
    secretKey,
    publicUrl,
    trustedProxies,
    logLevel,
    sessionIdleMinutes,
    sessionMaxHours,
    hashingThreads,
    connectionLimits,
    drainMs,
    sqliteCacheMb,
    sqliteMmapMb,
  };
}

function isKeyText(text: string): boolean {
  if (/^[0-9a-fA-F]{64}$/.test(text)) return true;
  return /^[A-Za-z0-9+/_-]{43}={0,1}$/.test(text) && Buffer.from(text, 'base64').length === 32;
}
