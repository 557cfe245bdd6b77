import { lookup } from 'node:dns';
import { BlockList, isIP } from 'node:net';
import { Agent } from 'undici';

/** Addresses a webhook never goes to in production: the platform's own network and the host's. */
const internal = new BlockList();
for (const [network, prefix] of [
  ['0.0.0.0', 8],
  ['10.0.0.0', 8],
  ['100.64.0.0', 10],
  ['127.0.0.0', 8],
  ['169.254.0.0', 16],
  ['172.16.0.0', 12],
  ['192.0.0.0', 24],
  ['192.168.0.0', 16],
  ['198.18.0.0', 15],
  ['224.0.0.0', 4],
  ['240.0.0.0', 4],
] as const) {
  internal.addSubnet(network, prefix, 'ipv4');
}
for (const [network, prefix] of [
  ['::', 128],
  ['::1', 128],
  ['64:ff9b::', 96],
  ['fc00::', 7],
  ['fe80::', 10],
  ['ff00::', 8],
] as const) {
  internal.addSubnet(network, prefix, 'ipv6');
}

/** Whether an IP address is on a private, loopback, link-local or otherwise internal network. */
export const isInternalAddress = (address: string): boolean => {
  const family = isIP(address);
  if (family === 0) return false;
  return internal.check(address, family === 4 ? 'ipv4' : 'ipv6');
};

/**
 * An HTTP agent that connects only to public addresses: every name is resolved at connect time
 * and refused when any address it resolves to is internal, so a webhook URL can neither reach the
 * platform's own network nor get there later by re-pointing its DNS name (rebinding).
 */
export function publicAddressesOnly(): Agent {
  return new Agent({
    connect: {
      lookup(hostname, options, callback) {
        lookup(hostname, { ...options, all: true }, (error, addresses) => {
          if (error) {
            callback(error, '', 4);
            return;
          }
          const list = addresses as unknown as { address: string; family: number }[];
          if (list.length === 0 || list.some((entry) => isInternalAddress(entry.address))) {
            const refused = Object.assign(new Error('the address is not a public one'), {
              code: 'EADDRNOTPUBLIC',
            });
            callback(refused, '', 4);
            return;
          }
          const first = list[0]!;
          if ((options as { all?: boolean }).all) {
            (callback as unknown as (e: null, a: typeof list) => void)(null, list);
          } else {
            callback(null, first.address, first.family);
          }
        });
      },
    },
  });
}
