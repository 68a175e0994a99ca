/**
 * Password storage: argon2id with OWASP's parameters (m=19456 KiB, t=2, p=1), and a dummy
 * verification that costs as much as a real one, so an unknown email is not told apart by timing
 * (docs/security.md S24).
 */
import { describe, test } from 'node:test';
import assert from 'node:assert/strict';
import {
  dummyPasswordHash,
  hashPassword,
  needsRehash,
  verifyAgainstDummy,
  verifyPassword,
} from '../../src/crypto/passwords.ts';

describe('hashPassword and verifyPassword', () => {
  test('the hash is argon2id v19 with m=19456, t=2, p=1 and a salt', async () => {
    const hash = await hashPassword('aB3$eF7g');
    assert.match(hash, /^\$argon2id\$v=19\$m=19456,t=2,p=1\$[A-Za-z0-9+/]{22}\$[A-Za-z0-9+/]{43}$/);
    assert.equal(needsRehash(hash), false);
  });

  test('the right password verifies, a wrong one does not', async () => {
    const hash = await hashPassword('aB3$eF7g');
    assert.equal(await verifyPassword(hash, 'aB3$eF7g'), true);
    assert.equal(await verifyPassword(hash, 'aB3$eF7G'), false);
    assert.equal(await verifyPassword(hash, ''), false);
  });

  test('each hash has its own salt', async () => {
    assert.notEqual(await hashPassword('same password 1'), await hashPassword('same password 1'));
  });

  test('NFKC: a composed and a decomposed "é" are the same password', async () => {
    const hash = await hashPassword('Caf\u00e9 au lait 1');
    assert.equal(await verifyPassword(hash, 'Cafe\u0301 au lait 1'), true);
  });

  test('a malformed stored hash fails closed', async () => {
    assert.equal(await verifyPassword('not a hash', 'x'), false);
    assert.equal(await verifyPassword('', 'x'), false);
    assert.equal(needsRehash('not a hash'), true);
  });

  test('many hashings at once, more than the hashing threads, each get their own answer', async () => {
    const [a, b] = await Promise.all([hashPassword('first-Password-1'), hashPassword('second-Password-2')]);
    // Twelve verifications queue behind the threads; each resolves with its own result, in any order.
    const cases = Array.from({ length: 12 }, (_, i) => ({ stored: i % 2 === 0 ? a : b, password: i % 3 === 0 ? 'first-Password-1' : 'second-Password-2' }));
    const answers = await Promise.all(cases.map((c) => verifyPassword(c.stored, c.password)));
    assert.deepEqual(answers, cases.map((c) => (c.stored === a) === (c.password === 'first-Password-1')));
    assert.ok(answers.includes(true) && answers.includes(false));
  });

  test('hashes with weaker parameters need a rehash', () => {
    const weak = '$argon2id$v=19$m=4096,t=3,p=1$c29tZXNhbHRzb21lc2FsdA$' + 'A'.repeat(43);
    assert.equal(needsRehash(weak), true);
  });
});

describe('dummy verification (docs/security.md S24)', () => {
  test('the dummy hash has the same parameters as real ones and is made once', async () => {
    const a = await dummyPasswordHash();
    assert.match(a, /^\$argon2id\$v=19\$m=19456,t=2,p=1\$/);
    assert.equal(await dummyPasswordHash(), a);
  });

  test('verifyAgainstDummy answers false and takes about as long as a real verification', async () => {
    const hash = await hashPassword('aB3$eF7g');
    await verifyAgainstDummy('warm-up');
    const time = async (fn: () => Promise<unknown>) => {
      const t0 = process.hrtime.bigint();
      for (let i = 0; i < 3; i++) await fn();
      return Number(process.hrtime.bigint() - t0);
    };
    const real = await time(() => verifyPassword(hash, 'wrong password'));
    const dummy = await time(() => verifyAgainstDummy('wrong password'));
    assert.equal(await verifyAgainstDummy('aB3$eF7g'), false);
    // Loose bounds: the point is that the dummy does the argon2 work, not a shortcut (which would be
    // ~1000× faster), without making the test flaky on a busy machine.
    assert.ok(dummy > real / 10 && dummy < real * 10, `real ${real} ns, dummy ${dummy} ns`);
  });
});
