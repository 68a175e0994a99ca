// The `twofold` command runs its TypeScript sources compiled into one JavaScript module,
// `dist/server/twofold.mjs`, rebuilt here whenever a source it was built from has changed (esbuild
// takes about a tenth of a second). Compiled code spares the running server the TypeScript loader,
// which Node runs on a thread of its own with its own heap and caches: about 40 MB of a server's
// memory, and the start-up time of transforming every file. See docs/decisions.md.
//
// The bundle sits two folders below the root, as the sources do (`src/http/web.ts`), so the paths
// they resolve from `import.meta.url` (the web app's build, the packages) are the same compiled or not.
import { mkdirSync, readFileSync, renameSync, statSync, writeFileSync } from 'node:fs';
import { join, relative } from 'node:path';
import { fileURLToPath, pathToFileURL } from 'node:url';

const BUNDLE = 'dist/server/twofold.mjs';
/** Each input of the bundle with its modification time and size when it was built. */
const INPUTS = 'dist/server/inputs.json';
/** Read by the build but not imported, so esbuild does not list them. */
const BUILD_SETTINGS = ['tsconfig.json', 'package.json', 'bin/compiled.mjs'];

/** A file URL of an up-to-date bundle for the project at `root`, building it first when needed; null when it cannot be written. */
export async function compiledEntry(root = fileURLToPath(new URL('../', import.meta.url)), entry = 'src/cli/main.ts') {
  const href = pathToFileURL(join(root, BUNDLE)).href;
  if (isUpToDate(root)) return href;
  try {
    await build(root, entry);
    return href;
  } catch {
    // A read-only install, say: the caller runs the sources through the TypeScript loader instead.
    return null;
  }
}

function fingerprint(file) {
  const stat = statSync(file);
  return `${stat.mtimeMs}:${stat.size}`;
}

function isUpToDate(root) {
  try {
    statSync(join(root, BUNDLE));
    const inputs = JSON.parse(readFileSync(join(root, INPUTS), 'utf8'));
    // Any change counts, an older time too (a checkout of an earlier version).
    return Object.entries(inputs).every(([file, print]) => fingerprint(join(root, file)) === print);
  } catch {
    return false;
  }
}

async function build(root, entry) {
  // Loaded only to build: a start with an up-to-date bundle does not pay for it.
  const esbuild = await import('esbuild');
  mkdirSync(join(root, 'dist/server'), { recursive: true });
  // Written under names of their own and renamed into place, so two commands building at once (or one
  // reading while another builds) never see half a file.
  const suffix = `.${process.pid}.${Date.now()}.tmp`;
  const result = await esbuild.build({
    absWorkingDir: root,
    entryPoints: [entry],
    outfile: join(root, BUNDLE + suffix),
    bundle: true,
    platform: 'node',
    format: 'esm',
    target: 'node20',
    // The dependencies stay packages of node_modules, loaded as they are (native ones included).
    packages: 'external',
    metafile: true,
    logLevel: 'silent',
  });
  const inputs = {};
  for (const file of [...Object.keys(result.metafile.inputs), ...BUILD_SETTINGS]) {
    const path = relative(root, join(root, file));
    try {
      inputs[path] = fingerprint(join(root, path));
    } catch {
      // A build setting the project does not have.
    }
  }
  writeFileSync(join(root, INPUTS + suffix), JSON.stringify(inputs));
  renameSync(join(root, BUNDLE + suffix), join(root, BUNDLE));
  renameSync(join(root, INPUTS + suffix), join(root, INPUTS));
}
