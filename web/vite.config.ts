/**
 * The members' website. `npm start` builds it into web/dist (scripts/buildWeb.ts) for the server to
 * serve; `npm run dev` serves it from here with live reload and sends /api to a Twofold server.
 */
import react from '@vitejs/plugin-react';
import { fileURLToPath } from 'node:url';
import { defineConfig } from 'vite';

const api = process.env.TWOFOLD_DEV_API ?? 'http://127.0.0.1:3000';

export default defineConfig({
  root: import.meta.dirname,
  plugins: [react()],
  // The client package's sources, as web/tsconfig.json maps them: one typed client for the site and
  // for integrators, with no build of the package before the site's.
  resolve: { alias: { '@twofold/client': fileURLToPath(new URL('../packages/client/src/index.ts', import.meta.url)) } },
  build: {
    outDir: 'dist',
    emptyOutDir: true,
    target: 'es2022',
    // The polyfill would be a script of its own; every browser the site supports has modulepreload.
    modulePreload: { polyfill: false },
    // No inline data: URLs for small assets: the policy allows scripts and styles from 'self' only.
    assetsInlineLimit: 0,
    chunkSizeWarningLimit: 400,
  },
  server: {
    port: Number(process.env.TWOFOLD_DEV_PORT ?? 5173),
    strictPort: true,
    proxy: {
      // The browser's Origin passes through: `npm run dev` sets the server's TWOFOLD_PUBLIC_URL to this
      // dev server's address, which the API's Origin check then expects.
      '/api': { target: api, changeOrigin: true },
    },
  },
});
