/** A runtime for one-shot commands: the same store and keys as the server, logging to stderr. */
import { loadConfig } from '../config.ts';
import { openRuntime, type Runtime } from '../runtime.ts';

export async function withRuntime<T>(run: (runtime: Runtime) => Promise<T>): Promise<T> {
  const config = loadConfig(process.env);
  const write = (level: string) => (obj: object, msg?: string) => process.stderr.write(`${level}: ${msg ?? ''} ${JSON.stringify(obj)}\n`);
  const runtime = await openRuntime(config, process.env, { info: () => {}, warn: write('warning'), error: write('error') });
  try {
    return await run(runtime);
  } finally {
    await runtime.close();
  }
}
