/** `twofold serve`: the server, on the embedded SQLite database unless DATABASE_URL says otherwise. */
import { loadConfig } from '../../config.ts';
import { serve } from '../../runtime.ts';

export async function serveCommand(): Promise<number> {
  const config = loadConfig(process.env);
  await serve(config, process.env);
  return new Promise<number>(() => {}); // runs until a signal stops it
}
