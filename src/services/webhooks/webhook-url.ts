import { lookup } from 'node:dns/promises';
import type { LookupFunction } from 'node:net';
import { BlockList, isIP } from 'node:net';
import { badInput } from '../../kernel/errors';

export type WebhookUrlPolicy = { requireHttps: boolean; allowPrivateUrls: boolean };

const MAX_URL_LENGTH = 2_048;

/**
 * Addresses a partner URL may not point at unless private URLs are allowed:
 * without this, an endpoint would let whoever holds an Admin session make
 * the server call its own network (metadata services, databases, admin ports).
 */
const INTERNAL = new BlockList();
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
  INTERNAL.addSubnet(network, prefix, 'ipv4');
}
for (const [network, prefix] of [
  ['::', 128],
  ['::1', 128],
  ['fc00::', 7],
  ['fe80::', 10],
  ['ff00::', 8],
  ['64:ff9b::', 96],
] as const) {
  INTERNAL.addSubnet(network, prefix, 'ipv6');
}

/** True for loopback, private, link-local, multicast and reserved addresses (IPv4-mapped too). */
export function isInternalAddress(address: string): boolean {
  const mapped = /^::ffff:(\d+\.\d+\.\d+\.\d+)$/i.exec(address);
  if (mapped?.[1]) return INTERNAL.check(mapped[1], 'ipv4');
  const family = isIP(address);
  if (family === 0) return true;
  return INTERNAL.check(address, family === 4 ? 'ipv4' : 'ipv6');
}

/**
 * Checks an endpoint URL when it is saved: scheme, no credentials in it, and
 * every address its host resolves to. The send path checks the address it
 * connects to again (`guardedLookup`), so a host that resolves elsewhere later
 * (DNS rebinding) is still refused.
 */
export async function checkWebhookUrl(raw: string, policy: WebhookUrlPolicy): Promise<string> {
  const refuse = (why: string) => badInput(`url: ${why}`, 'url');
  if (raw.length > MAX_URL_LENGTH) throw refuse(`at most ${MAX_URL_LENGTH} characters`);
  let url: URL;
  try {
    url = new URL(raw);
  } catch {
    throw refuse('not an absolute URL');
  }
  if (url.protocol !== 'https:' && !(url.protocol === 'http:' && !policy.requireHttps)) {
    throw refuse(policy.requireHttps ? 'must be https' : 'must be http or https');
  }
  if (url.username || url.password) throw refuse('must not carry a user name or password');
  if (url.hash) throw refuse('must not have a #fragment');
  if (policy.allowPrivateUrls) return url.toString();
  const host = url.hostname.replace(/^\[|\]$/g, '');
  let addresses: string[];
  if (isIP(host)) addresses = [host];
  else {
    try {
      addresses = (await lookup(host, { all: true, verbatim: true })).map((a) => a.address);
    } catch {
      throw refuse(`the host ${host} does not resolve`);
    }
  }
  if (addresses.length === 0 || addresses.some(isInternalAddress)) {
    throw refuse(
      'points at a loopback, private or link-local address (set PARTNER_WEBHOOK_ALLOW_PRIVATE_URLS=true to allow)',
    );
  }
  return url.toString();
}

/** A DNS lookup for http.request that refuses internal addresses at connect time. */
export function guardedLookup(policy: WebhookUrlPolicy): LookupFunction | undefined {
  if (policy.allowPrivateUrls) return undefined;
  return (hostname, options, callback) => {
    lookup(hostname, { all: true, verbatim: true, family: options.family })
      .then((addresses) => {
        const usable = addresses.filter((a) => !isInternalAddress(a.address));
        if (usable.length === 0 || usable.length < addresses.length) {
          callback(
            Object.assign(new Error(`${hostname} resolves to an internal address`), {
              code: 'EINTERNALADDRESS',
            }),
            '',
          );
          return;
        }
        const [first] = usable;
        if (options.all) callback(null, usable);
        else if (first) callback(null, first.address, first.family);
      })
      .catch((error: NodeJS.ErrnoException) => callback(error, ''));
  };
}
