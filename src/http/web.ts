/**
 * The members' website: the single-page app built from web/ into web/dist (scripts/buildWeb.ts), served
 * by Twofold itself. Every page route is declared here, public, and answers the same index.html with
 * a fresh CSP nonce; the hashed files under /assets/ are immutable. Anything else stays a 404.
 */
import { randomBytes } from 'node:crypto';
import { existsSync, readFileSync, readdirSync, statSync } from 'node:fs';
import { extname, join, relative, sep } from 'node:path';
import { fileURLToPath } from 'node:url';
import { gzipSync } from 'node:zlib';
import type { FastifyInstance, FastifyReply, FastifyRequest } from 'fastify';

declare module 'fastify' {
  interface FastifyInstance {
    /** The built website, read from disk at its first page request. */
    webBundle: () => WebBundle;
  }
}

/**
 * Where `npm start` builds the website. Resolved from this module, which the command also runs bundled
 * at the same depth below the root (bin/compiled.mjs), so the path holds in both.
 */
export const WEB_DIST = fileURLToPath(new URL('../../web/dist/', import.meta.url));

/** The placeholder web/index.html carries where each answer puts its nonce. */
export const NONCE_PLACEHOLDER = '__CSP_NONCE__';

/**
 * The app's page routes. A path here answers index.html; the app's own router (web/src/routes.ts)
 * draws the page. Keep both lists in step: test/web/serving.test.ts checks them against each other.
 */
export const PAGE_ROUTES = [
  '/',
  '/first-run',
  '/sign-in',
  '/sign-in/verify',
  '/sign-in/protect-your-account',
  '/account',
  '/account/two-step-setup',
  '/invitations/:token',
  '/password-reset',
  '/password-reset/:token',
  '/admin',
  '/admin/global-settings',
  '/admin/reports',
  '/admin/members/import',
  '/admin/invitations',
  '/admin/org/:kind/:id/:tab',
  '/technician-console',
  '/authenticator',
] as const;

/**
 * The web authenticator's install files (web/public, copied to the root of web/dist): a manifest,
 * its icons and a service worker, under fixed names since the manifest and the worker's registration
 * name them. Not hashed, so they are revalidated on each use instead of cached for a year.
 */
export const INSTALL_FILES: Readonly<Record<string, string>> = {
  '/authenticator.webmanifest': 'application/manifest+json',
  '/authenticator-sw.js': 'text/javascript; charset=utf-8',
  '/authenticator-icon-192.png': 'image/png',
  '/authenticator-icon-512.png': 'image/png',
};

const TYPES: Record<string, string> = {
  '.js': 'text/javascript; charset=utf-8',
  '.css': 'text/css; charset=utf-8',
  '.svg': 'image/svg+xml',
  '.png': 'image/png',
  '.woff2': 'font/woff2',
  '.json': 'application/json; charset=utf-8',
  '.txt': 'text/plain; charset=utf-8',
};
const COMPRESSIBLE = new Set(['.js', '.css', '.svg', '.json', '.txt']);

interface Asset { readonly type: string; readonly body: Buffer; readonly gzip: Buffer | null }

/** The built site, read once: a few hundred kilobytes, and no path from a URL ever reaches the disk. */
export interface WebBundle {
  readonly indexHtml: string | null;
  readonly assets: ReadonlyMap<string, Asset>;
  readonly installFiles: ReadonlyMap<string, Asset>;
}

export function loadWebBundle(dist: string = WEB_DIST): WebBundle {
  const assets = new Map<string, Asset>();
  const indexFile = join(dist, 'index.html');
  const installFiles = new Map<string, Asset>();
  if (!existsSync(indexFile)) return { indexHtml: null, assets, installFiles };
  const assetDir = join(dist, 'assets');
  for (const file of existsSync(assetDir) ? walk(assetDir) : []) {
    const ext = extname(file);
    const type = TYPES[ext];
    if (!type) continue;
    const body = readFileSync(file);
    assets.set(`/assets/${relative(assetDir, file).split(sep).join('/')}`, { type, body, gzip: COMPRESSIBLE.has(ext) ? gzipSync(body, { level: 9 }) : null });
  }
  for (const [path, type] of Object.entries(INSTALL_FILES)) {
    const file = join(dist, path.slice(1));
    if (existsSync(file)) installFiles.set(path, { type, body: readFileSync(file), gzip: null });
  }
  return { indexHtml: readFileSync(indexFile, 'utf8'), assets, installFiles };
}

function walk(dir: string): string[] {
  return readdirSync(dir).flatMap((name) => {
    const path = join(dir, name);
    return statSync(path).isDirectory() ? walk(path) : [path];
  });
}

/**
 * The policy of every page. Scripts and style sheets come only from this origin; React Aria adds
 * `<style>` elements at run time, which only the nonce lets in (it reads it from `<meta name="csp-nonce">`).
 * Images: the QR code of an authenticator app set-up is an SVG shown as a data: URL.
 */
export function pageSecurityPolicy(nonce: string): string {
  return [
    "default-src 'none'",
    "script-src 'self'",
    `style-src 'self' 'nonce-${nonce}'`,
    "img-src 'self' data:",
    "font-src 'self'",
    "connect-src 'self'",
    "manifest-src 'self'",
    "form-action 'self'",
    "frame-ancestors 'none'",
    "base-uri 'none'",
    "object-src 'none'",
  ].join('; ');
}

function securityHeaders(reply: FastifyReply): FastifyReply {
  return reply
    .header('x-content-type-options', 'nosniff')
    .header('referrer-policy', 'no-referrer')
    .header('x-frame-options', 'DENY')
    .header('cross-origin-opener-policy', 'same-origin');
}

/** index.html with its nonce, never cached: it names the current build's assets. */
export function sendPage(bundle: WebBundle, reply: FastifyReply): FastifyReply {
  const nonce = randomBytes(16).toString('base64');
  securityHeaders(reply).header('cache-control', 'no-store').header('content-security-policy', pageSecurityPolicy(nonce));
  if (bundle.indexHtml === null) {
    // A server started without `npm start`'s build step (tests of the API, a bare `twofold serve`).
    return reply.code(503).type('text/plain; charset=utf-8').send('The website is not built: run `npm start` or `npm run build:web`.');
  }
  return reply.type('text/html; charset=utf-8').send(bundle.indexHtml.replaceAll(NONCE_PLACEHOLDER, nonce));
}

/** Serves the website from `dist`, read at the first request that needs it. */
export function webRoutes(app: FastifyInstance, dist: string = WEB_DIST): void {
  let loaded: WebBundle | undefined;
  const bundle = (): WebBundle => (loaded ??= loadWebBundle(dist));
  app.decorate('webBundle', bundle);
  const page = { config: { public: true }, schema: { hide: true } } as const;
  for (const path of PAGE_ROUTES) app.get(path, page, async (_request, reply) => sendPage(bundle(), reply));

  app.get('/assets/*', page, async (request: FastifyRequest, reply) => {
    const path = request.url.split('?')[0] ?? '';
    const asset = bundle().assets.get(path);
    securityHeaders(reply);
    if (!asset) return reply.callNotFound();
    reply.header('cache-control', 'public, max-age=31536000, immutable').header('vary', 'accept-encoding').type(asset.type);
    if (asset.gzip && /\bgzip\b/.test(String(request.headers['accept-encoding'] ?? ''))) {
      return reply.header('content-encoding', 'gzip').send(asset.gzip);
    }
    return reply.send(asset.body);
  });

  // The worker's own policy governs what it may fetch: only this origin, and nothing runs but itself.
  for (const path of Object.keys(INSTALL_FILES)) {
    app.get(path, page, async (_request, reply) => {
      const file = bundle().installFiles.get(path);
      securityHeaders(reply);
      if (!file) return reply.callNotFound();
      return reply.header('cache-control', 'no-cache').header('content-security-policy', "default-src 'none'; connect-src 'self'")
        .type(file.type).send(file.body);
    });
  }
}
