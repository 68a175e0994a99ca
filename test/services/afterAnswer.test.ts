/**
 * Work done after the answer (services/afterAnswer.ts): jobs run one at a time, in the order their
 * delays end; a failing or hanging job does not stop the next; the queue is bounded; close waits for
 * what was queued, then drops what is left and takes no more.
 */
import { describe, test } from 'node:test';
import assert from 'node:assert/strict';
import { setTimeout as sleep } from 'node:timers/promises';
import { AfterAnswer } from '../../src/services/afterAnswer.ts';

function recordingLog() {
  const warnings: string[] = [];
  return { warnings, log: { info: () => {}, error: () => {}, warn: (_: object, message?: string) => { warnings.push(message ?? ''); } } };
}

describe('work after the answer', () => {
  test('jobs never overlap, and close waits for every one queued', async () => {
    const { log } = recordingLog();
    const queue = new AfterAnswer(log, { maxDelayMs: 20 });
    let running = 0;
    let most = 0;
    const done: number[] = [];
    for (let i = 0; i < 10; i++) {
      queue.run('job', async () => {
        running++;
        most = Math.max(most, running);
        await sleep(2);
        running--;
        done.push(i);
      });
    }
    await queue.close();
    assert.equal(done.length, 10);
    assert.equal(most, 1);
  });

  test('a job that fails, throws at once or hangs is logged, and the next one still runs', async () => {
    const { log, warnings } = recordingLog();
    const queue = new AfterAnswer(log, { maxDelayMs: 0, jobTimeoutMs: 50 });
    const ran: string[] = [];
    queue.run('rejecting', async () => { throw new Error('no mail server'); });
    queue.run('throwing', () => { throw new Error('at once'); });
    queue.run('hanging', () => new Promise<void>(() => {}));
    await sleep(5);
    queue.run('last', async () => { ran.push('last'); });
    await queue.close();
    assert.deepEqual(ran, ['last']);
    assert.deepEqual(warnings, ['rejecting failed', 'throwing failed', 'hanging failed']);
  });

  test('past its bound the queue drops new jobs with a warning', async () => {
    const { log, warnings } = recordingLog();
    const queue = new AfterAnswer(log, { maxDelayMs: 0, maxPending: 2 });
    let ran = 0;
    for (let i = 0; i < 5; i++) queue.run('job', async () => { ran++; });
    await queue.close();
    assert.equal(ran, 2);
    assert.deepEqual(warnings, ['job was dropped', 'job was dropped', 'job was dropped']);
  });

  test('close gives up after its time, drops what has not started, and takes nothing more', async () => {
    const { log, warnings } = recordingLog();
    const queue = new AfterAnswer(log, { maxDelayMs: 0, jobTimeoutMs: 10_000 });
    let later = 0;
    queue.run('slow', () => sleep(200));
    queue.run('later', async () => { later++; });
    await sleep(5);
    await queue.close(20);
    queue.run('after close', async () => { later++; });
    await sleep(300);
    assert.equal(later, 0);
    assert.deepEqual(warnings, ['after close was dropped', 'later was dropped at stop']);
  });
});
