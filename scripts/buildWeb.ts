/**
 * Builds the members' website (web/) into web/dist, which the server serves (src/http/web.ts).
 * `npm start` runs it first: on a fresh clone it builds; afterwards it compares a hash of the web
 * sources (and the lock file, which pins the libraries bundled) with the one stored beside the last
 * build, and skips the build when they match, so a start stays fast.
 *
 *   node --import tsx scripts/buildWeb.ts          build when the sources changed
 *   node --import tsx scripts/buildWeb.ts --force  build anyway
 */
import { createHash } from 'node:crypto';
import { existsSync, readFileSync, readdirSync, statSync, writeFileSync } from 'node:fs';
import { join, relative, sep } from 'node:path';
import { fileURLToPath } from 'node:url';

const root = fileURLToPath(new URL('..', import.meta.url));
const webDir = join(root, 'web');
/** The client package's sources, which the website bundles (web/vite.config.ts). */
const clientDir = join(root, 'packages', 'client', 'src');
const distDir = join(webDir, 'dist');
const hashFile = join(distDir, '.source-hash');
/** The server's pure rules, some of which the website bundles (the password strength, console versions). */
const coreDir = join(root, 'src', 'core');

/** Every file the build reads: web/ but its output, the client package, the core rules it shares, and the exact library versions. */
function sourceFiles(dir: string): string[] {
  return readdirSync(dir).sort().flatMap((name) => {
    const path = join(dir, name);
    if (path === distDir || name === 'node_modules' || name.startsWith('.')) return [];
    return statSync(path).isDirectory() ? sourceFiles(path) : [path];
  });
}

/** The files whose content decides whether web/dist is current. */
export function webSourceFiles(): string[] {
  return [...sourceFiles(webDir), ...sourceFiles(clientDir), ...sourceFiles(coreDir), join(root, 'package-lock.json')];
}

export function webSourceHash(): string {
  const hash = createHash('sha256');
  for (const file of webSourceFiles()) {
    hash.update(relative(root, file).split(sep).join('/')).update('\0').update(readFileSync(file)).update('\0');
  }
  return hash.digest('hex');
}

export function webBuildIsCurrent(): boolean {
  return existsSync(join(distDir, 'index.html')) && existsSync(hashFile) && readFileSync(hashFile, 'utf8').trim() === webSourceHash();
}

/** Builds unless the last build came from the same sources; answers whether it built. */
export async function buildWeb(options: { force?: boolean; quiet?: boolean } = {}): Promise<boolean> {
  if (!options.force && webBuildIsCurrent()) return false;
  const hash = webSourceHash();
  const { build } = await import('vite');
  await build({ configFile: join(webDir, 'vite.config.ts'), root: webDir, logLevel: options.quiet ? 'warn' : 'info' });
  writeFileSync(hashFile, `${hash}\n`);
  return true;
}

if (process.argv[1] && fileURLToPath(import.meta.url) === process.argv[1]) {
  const started = Date.now();
  const built = await buildWeb({ force: process.argv.includes('--force') });
  console.log(built ? `website built into web/dist in ${((Date.now() - started) / 1000).toFixed(1)} s` : 'website: web/dist is up to date');
}
