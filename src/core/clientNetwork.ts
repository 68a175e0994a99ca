/**
 * What a per-address limit counts: an IPv4 address, or the /64 network of an IPv6 one. One IPv6
 * subscriber usually holds a whole /64, so counting single IPv6 addresses would let one client spread
 * its attempts over more addresses than any limit could count.
 */
export function clientNetwork(ip: string): string {
  const address = ip.split('%')[0]!;
  const mapped = /^::ffff:(\d{1,3}(?:\.\d{1,3}){3})$/i.exec(address);
  if (mapped) return mapped[1]!;
  if (!address.includes(':')) return address;
  const [head = '', tail] = address.split('::');
  const headGroups = head === '' ? [] : head.split(':');
  const tailGroups = tail === undefined || tail === '' ? [] : tail.split(':');
  const groups = tail === undefined ? headGroups : [...headGroups, ...Array<string>(Math.max(0, 8 - headGroups.length - tailGroups.length)).fill('0'), ...tailGroups];
  const network = groups.slice(0, 4);
  if (network.length < 4 || network.some((g) => !/^[0-9a-f]{1,4}$/i.test(g))) return address.toLowerCase();
  return `${network.map((g) => parseInt(g, 16).toString(16)).join(':')}::/64`;
}
