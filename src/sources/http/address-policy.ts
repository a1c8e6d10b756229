import { ForbiddenAddressError } from "../../core/errors.ts";
import { type Cidr, formatIp, type IpAddress, inCidr, parseCidr, unmapped } from "../../core/ip-address.ts";

/** Why an address is not on the public internet, by block. */
const FORBIDDEN_BLOCKS: readonly (readonly [string, string])[] = [
  ["0.0.0.0/8", "unspecified (this network)"],
  ["10.0.0.0/8", "private"],
  ["100.64.0.0/10", "shared address space (CGNAT)"],
  ["127.0.0.0/8", "loopback"],
  ["169.254.0.0/16", "link-local (cloud metadata)"],
  ["172.16.0.0/12", "private"],
  ["192.0.0.0/24", "IETF protocol assignments"],
  ["192.0.2.0/24", "documentation"],
  ["192.88.99.0/24", "6to4 relay anycast"],
  ["192.168.0.0/16", "private"],
  ["198.18.0.0/15", "benchmarking"],
  ["198.51.100.0/24", "documentation"],
  ["203.0.113.0/24", "documentation"],
  ["224.0.0.0/4", "multicast"],
  ["240.0.0.0/4", "reserved (and broadcast)"],
  // IPv4-compatible addresses (deprecated) and with them :: and ::1.
  ["::/96", "unspecified, loopback or IPv4-compatible"],
  ["64:ff9b:1::/48", "local-use NAT64"],
  ["100::/64", "discard-only"],
  ["2001::/32", "Teredo"],
  ["2001:db8::/32", "documentation"],
  ["fc00::/7", "unique local (ULA)"],
  ["fe80::/10", "link-local"],
  ["fec0::/10", "site-local (deprecated)"],
  ["ff00::/8", "multicast"],
];

function block(text: string): Cidr {
  const cidr = parseCidr(text);
  if (cidr === undefined) throw new Error(`bad built-in block ${text}`);
  return cidr;
}

const FORBIDDEN = FORBIDDEN_BLOCKS.map(([text, reason]) => ({ cidr: block(text), reason }));
const NAT64 = block("64:ff9b::/96");
const SIX_TO_FOUR = block("2002::/16");

/**
 * The IPv4 address an IPv6 one carries and is routed to: IPv4-mapped (`::ffff:a.b.c.d`), NAT64
 * (`64:ff9b::a.b.c.d`) and 6to4 (`2002:AABB:CCDD::`). Undefined for other addresses.
 */
function embeddedIpv4(ip: IpAddress): IpAddress | undefined {
  const plain = unmapped(ip);
  if (plain.family === 4) return ip.family === 6 ? plain : undefined;
  if (inCidr(ip, NAT64)) return { family: 4, bytes: ip.bytes.slice(12) };
  if (inCidr(ip, SIX_TO_FOUR)) return { family: 4, bytes: ip.bytes.slice(2, 6) };
  return undefined;
}

/**
 * Why `ip` must not be reached from the gateway (loopback, private, link-local, metadata,
 * multicast…), judging an IPv6 address that carries an IPv4 one by both; undefined for a
 * public address.
 */
export function forbiddenReason(ip: IpAddress): string | undefined {
  const inner = embeddedIpv4(ip);
  if (inner !== undefined) {
    const reason = forbiddenReason(inner);
    if (reason !== undefined) return reason;
  }
  return FORBIDDEN.find(({ cidr }) => inCidr(ip, cidr))?.reason;
}

/** Decides which resolved addresses the direct-URL source may connect to. */
export interface AddressPolicy {
  /**
   * Returns the address to connect to (an IPv4-mapped IPv6 address as plain IPv4).
   * @throws ForbiddenAddressError when the address is forbidden and no allowed block lets it through.
   */
  check(ip: IpAddress): IpAddress;
}

/**
 * The {@link AddressPolicy} of the direct-URL source: public addresses pass, forbidden ones only
 * inside an allowed block.
 * @param allowed the operator's `DOWNTUBE_HTTP_SOURCE_ALLOWED_ADDRESSES`: the only way to an
 *   otherwise forbidden address (tests allow `127.0.0.1/32`).
 */
export function createAddressPolicy(allowed: readonly Cidr[]): AddressPolicy {
  return {
    check(ip) {
      const target = unmapped(ip);
      const reason = forbiddenReason(ip);
      if (reason === undefined) return target;
      if (allowed.some((cidr) => inCidr(target, cidr))) return target;
      // The address itself stays out of the message: it would tell a client how names resolve
      // inside. It goes to the log (the cause), for the operator.
      throw new ForbiddenAddressError(
        "the media URL leads to an address this gateway may not reach (loopback, private, link-local…); " +
          "the operator can allow a media server on their own network with DOWNTUBE_HTTP_SOURCE_ALLOWED_ADDRESSES",
        { cause: new Error(`${formatIp(ip)} is ${reason}, outside DOWNTUBE_HTTP_SOURCE_ALLOWED_ADDRESSES`) },
      );
    },
  };
}
