import t from 'tap';
import { clientKey } from '../../src/http/client-address.ts';

t.test('a client is counted by its IPv4 address or its IPv6 /64', async (t) => {
  const cases: Array<[string, string]> = [
    ['203.0.113.7', '203.0.113.7'],
    ['::ffff:203.0.113.7', '203.0.113.7'],
    ['2001:db8:1:2:3:4:5:6', '2001:db8:1:2::/64'],
    ['2001:0DB8:0001:0002::7', '2001:db8:1:2::/64'],
    ['2001:db8::1', '2001:db8:0:0::/64'],
    ['fe80::1%eth0', 'fe80:0:0:0::/64'],
    ['2001:db8:1:2::192.0.2.1', '2001:db8:1:2::/64'],
    ['not-an-address', 'invalid'],
    ['', 'invalid'],
    ['203.0.113.7, 10.0.0.1', 'invalid'],
  ];
  for (const [ip, key] of cases) t.equal(clientKey(ip), key, JSON.stringify(ip));
});
