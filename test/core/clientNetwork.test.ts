/** Per-address limits count IPv4 addresses, and IPv6 networks of 64 bits (core/clientNetwork.ts). */
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { clientNetwork } from '../../src/core/clientNetwork.ts';

test('IPv4 is counted per address, also when written as an IPv4-mapped IPv6 address', () => {
  assert.equal(clientNetwork('198.51.100.7'), '198.51.100.7');
  assert.equal(clientNetwork('::ffff:198.51.100.7'), '198.51.100.7');
  assert.equal(clientNetwork('::FFFF:198.51.100.7'), '198.51.100.7');
});

test('IPv6 is counted per /64, however the address is written', () => {
  const network = '2001:db8:85a3:8d3::/64';
  for (const ip of ['2001:db8:85a3:8d3::1', '2001:0db8:85a3:08d3:1319:8a2e:0370:7344', '2001:DB8:85A3:8D3:ffff:ffff:ffff:ffff', '2001:db8:85a3:8d3::1%eth0']) {
    assert.equal(clientNetwork(ip), network, ip);
  }
  assert.notEqual(clientNetwork('2001:db8:85a3:8d4::1'), network);
  assert.equal(clientNetwork('::1'), '0:0:0:0::/64');
  assert.equal(clientNetwork('2001:db8::'), '2001:db8:0:0::/64');
  assert.equal(clientNetwork('fe80::1:2:3:4'), 'fe80:0:0:0::/64');
});

test('anything else is counted as it is', () => {
  assert.equal(clientNetwork('unknown'), 'unknown');
  assert.equal(clientNetwork('1:2:3'), '1:2:3');
});
