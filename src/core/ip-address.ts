/**
 * IP addresses as bytes, and CIDR blocks over them. Pure: no resolution, no I/O.
 *
 * Only canonical spellings are parsed here (dotted-quad IPv4, RFC 4291 IPv6): URL hosts reach this
 * module after the WHATWG URL parser has already turned `0x7f.1`, `2130706433`, `0177.0.0.1`,
 * `127.1` and `127.0.0.1.` into `127.0.0.1`, and resolvers answer in canonical form.
 */

/** An IPv4 (4 bytes) or IPv6 (16 bytes) address. */
export interface IpAddress {
  readonly family: 4 | 6;
  readonly bytes: Uint8Array;
}

/** A block of addresses: `prefix` leading bits of `base`. */
export interface Cidr {
  readonly base: IpAddress;
  readonly prefix: number;
}

function parseIpv4(text: string): Uint8Array | undefined {
  const parts = text.split(".");
  if (parts.length !== 4) return undefined;
  const bytes = new Uint8Array(4);
  for (const [i, part] of parts.entries()) {
    // Decimal only, no leading zeros: `010` means 8 to some parsers and 10 to others.
    if (!/^(0|[1-9]\d{0,2})$/.test(part)) return undefined;
    const value = Number(part);
    if (value > 255) return undefined;
    bytes[i] = value;
  }
  return bytes;
}

function parseGroups(text: string): number[] | undefined {
  if (text === "") return [];
  const groups: number[] = [];
  const parts = text.split(":");
  for (const [i, part] of parts.entries()) {
    if (i === parts.length - 1 && part.includes(".")) {
      const v4 = parseIpv4(part);
      if (v4 === undefined) return undefined;
      groups.push(((v4[0] ?? 0) << 8) | (v4[1] ?? 0), ((v4[2] ?? 0) << 8) | (v4[3] ?? 0));
    } else {
      if (!/^[0-9a-f]{1,4}$/i.test(part)) return undefined;
      groups.push(Number.parseInt(part, 16));
    }
  }
  return groups;
}

function parseIpv6(text: string): Uint8Array | undefined {
  // A zone (`fe80::1%eth0`) only ever qualifies a link-local address; the address decides.
  const address = text.replace(/%[^%]*$/, "");
  const halves = address.split("::");
  if (halves.length > 2) return undefined;
  const head = parseGroups(halves[0] ?? "");
  const tail = halves.length === 2 ? parseGroups(halves[1] ?? "") : [];
  if (head === undefined || tail === undefined) return undefined;
  const missing = 8 - head.length - tail.length;
  if (halves.length === 2 ? missing < 1 : missing !== 0) return undefined;
  const groups = [...head, ...new Array<number>(halves.length === 2 ? missing : 0).fill(0), ...tail];
  const bytes = new Uint8Array(16);
  for (const [i, group] of groups.entries()) {
    bytes[2 * i] = group >> 8;
    bytes[2 * i + 1] = group & 0xff;
  }
  return bytes;
}

/**
 * Parses a canonical IPv4 or IPv6 address (brackets allowed around IPv6, as in a URL host);
 * undefined for anything else, host names included.
 */
export function parseIp(text: string): IpAddress | undefined {
  const bare = text.startsWith("[") && text.endsWith("]") ? text.slice(1, -1) : text;
  if (bare.includes(":")) {
    const bytes = parseIpv6(bare);
    return bytes === undefined ? undefined : { family: 6, bytes };
  }
  const bytes = parseIpv4(bare);
  return bytes === undefined ? undefined : { family: 4, bytes };
}

/** The IPv4 address inside an IPv4-mapped IPv6 one (`::ffff:a.b.c.d`), else the address itself. */
export function unmapped(ip: IpAddress): IpAddress {
  if (ip.family === 4) return ip;
  const isMapped =
    ip.bytes.subarray(0, 10).every((b) => b === 0) && ip.bytes[10] === 0xff && ip.bytes[11] === 0xff;
  return isMapped ? { family: 4, bytes: ip.bytes.slice(12) } : ip;
}

/** Canonical text: dotted quad, or eight hexadecimal IPv6 groups (no brackets). */
export function formatIp(ip: IpAddress): string {
  if (ip.family === 4) return Array.from(ip.bytes).join(".");
  const groups: string[] = [];
  for (let i = 0; i < 16; i += 2)
    groups.push((((ip.bytes[i] ?? 0) << 8) | (ip.bytes[i + 1] ?? 0)).toString(16));
  return groups.join(":");
}

/** Parses `a.b.c.d/n` or `x::y/n`; a bare address is a block of one. Undefined when malformed. */
export function parseCidr(text: string): Cidr | undefined {
  const [address = "", prefixText, ...rest] = text.trim().split("/");
  if (rest.length > 0) return undefined;
  const base = parseIp(address);
  if (base === undefined) return undefined;
  const bits = base.family === 4 ? 32 : 128;
  if (prefixText !== undefined && !/^\d{1,3}$/.test(prefixText)) return undefined;
  const prefix = prefixText === undefined ? bits : Number(prefixText);
  return prefix <= bits ? { base, prefix } : undefined;
}

/** True when `ip` lies in `cidr` (same family; compare mapped IPv6 after {@link unmapped}). */
export function inCidr(ip: IpAddress, cidr: Cidr): boolean {
  if (ip.family !== cidr.base.family) return false;
  let left = cidr.prefix;
  for (let i = 0; left > 0; i++, left -= 8) {
    const mask = left >= 8 ? 0xff : (0xff << (8 - left)) & 0xff;
    if (((ip.bytes[i] ?? 0) & mask) !== ((cidr.base.bytes[i] ?? 0) & mask)) return false;
  }
  return true;
}
