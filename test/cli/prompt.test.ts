/**
 * Hidden password entry keeps what was pasted: a paste arrives as one chunk holding both lines, and the
 * line after the first answer is the answer to the next prompt, not lost. Read from a fake terminal.
 */
import { describe, test } from 'node:test';
import assert from 'node:assert/strict';
import { PassThrough } from 'node:stream';
import { hiddenLineReader } from '../../src/cli/prompt.ts';

/** A terminal's input that records raw mode, and a screen that records what was shown. */
function fakeTerminal() {
  const input = Object.assign(new PassThrough(), {
    raw: false,
    setRawMode(raw: boolean) { this.raw = raw; return this; },
  });
  let screen = '';
  const read = hiddenLineReader(input, { write: (text: string) => { screen += text; } });
  return { input, read, screen: () => screen };
}

describe('hidden password entry', () => {
  test('a pasted "secret\\rsecret\\r" answers both prompts, shows neither, and leaves raw mode', async () => {
    const terminal = fakeTerminal();
    const first = terminal.read('Password: ');
    terminal.input.write('Pasted-Horse-9\rPasted-Horse-9\r');
    assert.equal(await first, 'Pasted-Horse-9');
    assert.equal(await terminal.read('Password (again): '), 'Pasted-Horse-9');
    assert.equal(terminal.input.raw, false);
    assert.equal(terminal.screen(), 'Password: \nPassword (again): \n');
  });

  test('CR LF ends one line, also when split across chunks; editing keys apply to the carried rest', async () => {
    const terminal = fakeTerminal();
    const first = terminal.read('A: ');
    terminal.input.write('one\r\ntwx\u007fo\r');
    assert.equal(await first, 'one');
    assert.equal(await terminal.read('B: '), 'two');

    const third = terminal.read('C: ');
    terminal.input.write('three\r');
    assert.equal(await third, 'three');
    const fourth = terminal.read('D: ');
    terminal.input.write('\nfour\r');
    assert.equal(await fourth, 'four', 'the LF of a CR LF split across chunks is no empty answer');
  });

  test('typed one key at a time, as before', async () => {
    const terminal = fakeTerminal();
    const answer = terminal.read('Password: ');
    for (const key of 'Typed-Horse-7\r') terminal.input.write(key);
    assert.equal(await answer, 'Typed-Horse-7');
  });
});
