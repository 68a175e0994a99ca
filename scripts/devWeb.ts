/**
 * `npm run dev`: the Twofold server (PORT, default 3000) and Vite's dev server for the website
 * (TWOFOLD_DEV_PORT, default 5173) with live reload, sending /api to the Twofold server. Open the
 * Vite address. Ctrl-C stops both.
 */
import { spawn } from 'node:child_process';
import { fileURLToPath } from 'node:url';

const root = fileURLToPath(new URL('..', import.meta.url));
const apiPort = process.env.PORT ?? '3000';
const server = spawn(process.execPath, ['bin/twofold.js', 'serve'], {
  cwd: root,
  // The site's pages come from Vite here; the server's public URL is Vite's, so links in emails open it.
  env: { TWOFOLD_PUBLIC_URL: `http://localhost:${process.env.TWOFOLD_DEV_PORT ?? '5173'}`, ...process.env, PORT: apiPort },
  stdio: 'inherit',
});

const { createServer } = await import('vite');
process.env.TWOFOLD_DEV_API ??= `http://127.0.0.1:${apiPort}`;
const vite = await createServer({ configFile: fileURLToPath(new URL('../web/vite.config.ts', import.meta.url)) });
await vite.listen();
vite.printUrls();

const stop = () => {
  server.kill('SIGTERM');
  void vite.close().then(() => process.exit(0));
};
process.on('SIGINT', stop);
process.on('SIGTERM', stop);
server.on('exit', (code) => {
  if (code !== null && code !== 0) {
    console.error(`twofold serve exited with ${code}`);
    void vite.close().then(() => process.exit(code));
  }
});
