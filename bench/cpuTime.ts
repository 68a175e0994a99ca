/**
 * Where a load's CPU time goes, per job: the server's request thread (its main thread: HTTP, the
 * framework, database calls), its other threads (argon2id hashing, garbage collection helpers, the
 * database's), and the load generator in this process. On a machine whose cores the loads keep busy,
 * these add up to what a job costs, so they say which part a missed ratio comes from. Read from
 * /proc, so only on Linux (null elsewhere).
 */
import { readdirSync, readFileSync } from 'node:fs';

export interface CpuPerJob {
  readonly requestThreadMs: number;
  readonly otherThreadsMs: number;
  readonly loadGeneratorMs: number;
}

/** CPU milliseconds of `pid`'s main thread and of all its other threads, or null without /proc. */
function threadTimes(pid: number): { main: number; others: number } | null {
  try {
    let main = 0;
    let others = 0;
    const tick = 1000 / 100; // USER_HZ: /proc counts in hundredths of a second.
    for (const tid of readdirSync(`/proc/${pid}/task`)) {
      const stat = readFileSync(`/proc/${pid}/task/${tid}/stat`, 'utf8');
      // Fields after the command name (which may hold spaces), from the 3rd: utime is the 14th, stime the 15th.
      const fields = stat.slice(stat.lastIndexOf(')') + 2).split(' ');
      const ms = (Number(fields[11]) + Number(fields[12])) * tick;
      if (tid === String(pid)) main += ms;
      else others += ms;
    }
    return { main, others };
  } catch {
    return null;
  }
}

/** Runs `load` and reports the CPU time of `pid` and of this process per job completed. */
export async function measureCpu<T extends { completed: number; failed: number }>(pid: number, load: () => Promise<T>): Promise<{ result: T; cpu: CpuPerJob | null }> {
  const before = threadTimes(pid);
  const generator = process.cpuUsage();
  const result = await load();
  const generatorUsed = process.cpuUsage(generator);
  const after = threadTimes(pid);
  const jobs = result.completed + result.failed;
  if (!before || !after || jobs === 0) return { result, cpu: null };
  return {
    result,
    cpu: {
      requestThreadMs: (after.main - before.main) / jobs,
      otherThreadsMs: (after.others - before.others) / jobs,
      loadGeneratorMs: (generatorUsed.user + generatorUsed.system) / 1000 / jobs,
    },
  };
}

/** The CPU per job of loads sent one after another, as one (each weighted by its jobs). */
export function combineCpu(parts: ReadonlyArray<{ cpu: CpuPerJob | null; jobs: number }>): CpuPerJob | null {
  const jobs = parts.reduce((total, part) => total + part.jobs, 0);
  if (jobs === 0 || parts.some((part) => part.cpu === null)) return null;
  const mean = (pick: (cpu: CpuPerJob) => number) => parts.reduce((total, part) => total + pick(part.cpu!) * part.jobs, 0) / jobs;
  return { requestThreadMs: mean((c) => c.requestThreadMs), otherThreadsMs: mean((c) => c.otherThreadsMs), loadGeneratorMs: mean((c) => c.loadGeneratorMs) };
}
