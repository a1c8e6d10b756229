import { describe, expect, test } from "bun:test";
import { ForbiddenAddressError, UnsupportedUrlError } from "../../src/core/errors.ts";
import { parseHostRule } from "../../src/core/host-rule.ts";
import { formatIp, parseCidr, parseIp } from "../../src/core/ip-address.ts";
import { createAddressPolicy, forbiddenReason } from "../../src/sources/http/address-policy.ts";
import { createUrlPolicy } from "../../src/sources/http/url-policy.ts";

/** The address a URL's host stands for, as the source sees it: after the WHATWG URL parser. */
function addressOf(url: string) {
  const ip = parseIp(new URL(url).hostname.replace(/\.$/, ""));
  if (ip === undefined) throw new Error(`${url} does not name an address`);
  return ip;
}

// Every spelling is of an address that must not be reached; the reason names the range.
const FORBIDDEN_SPELLINGS: readonly [string, string][] = [
  ["http://127.0.0.1/", "loopback"],
  ["http://127.0.0.2/", "loopback"],
  ["http://127.1/", "loopback"],
  ["http://127.0.0.1./", "loopback"],
  ["http://2130706433/", "loopback"],
  ["http://0x7f000001/", "loopback"],
  ["http://0x7f.0x0.0x0.0x1/", "loopback"],
  ["http://0177.0.0.1/", "loopback"],
  ["http://0177.1/", "loopback"],
  ["http://127.000.000.001/", "loopback"],
  ["http://%31%32%37.0.0.1/", "loopback"],
  ["http://\uff11\uff12\uff17.0.0.1/", "loopback"],
  ["http://0/", "unspecified (this network)"],
  ["http://0.0.0.0/", "unspecified (this network)"],
  ["http://10.1.2.3/", "private"],
  ["http://167772161/", "private"],
  ["http://172.16.0.1/", "private"],
  ["http://172.31.255.255/", "private"],
  ["http://192.168.1.1/", "private"],
  ["http://100.64.0.1/", "shared address space (CGNAT)"],
  ["http://100.100.100.200/", "shared address space (CGNAT)"],
  ["http://169.254.169.254/", "link-local (cloud metadata)"],
  ["http://169.254.170.2/", "link-local (cloud metadata)"],
  ["http://2852039166/", "link-local (cloud metadata)"],
  ["http://0xa9fea9fe/", "link-local (cloud metadata)"],
  ["http://192.0.0.192/", "IETF protocol assignments"],
  ["http://224.0.0.1/", "multicast"],
  ["http://239.255.255.250/", "multicast"],
  ["http://255.255.255.255/", "reserved (and broadcast)"],
  ["http://[::]/", "unspecified, loopback or IPv4-compatible"],
  ["http://[::1]/", "unspecified, loopback or IPv4-compatible"],
  ["http://[0:0:0:0:0:0:0:1]/", "unspecified, loopback or IPv4-compatible"],
  ["http://[::127.0.0.1]/", "unspecified, loopback or IPv4-compatible"],
  ["http://[::ffff:127.0.0.1]/", "loopback"],
  ["http://[::ffff:7f00:1]/", "loopback"],
  ["http://[0:0:0:0:0:ffff:7f00:2]/", "loopback"],
  ["http://[::ffff:169.254.169.254]/", "link-local (cloud metadata)"],
  ["http://[::ffff:10.0.0.1]/", "private"],
  ["http://[64:ff9b::127.0.0.1]/", "loopback"],
  ["http://[64:ff9b::a9fe:a9fe]/", "link-local (cloud metadata)"],
  ["http://[2002:7f00:1::]/", "loopback"],
  ["http://[2002:c0a8:101::1]/", "private"],
  ["http://[fc00::1]/", "unique local (ULA)"],
  ["http://[fd00:ec2::254]/", "unique local (ULA)"],
  ["http://[fe80::1]/", "link-local"],
  ["http://[FEBF::1]/", "link-local"],
  ["http://[fec0::1]/", "site-local (deprecated)"],
  ["http://[ff02::1]/", "multicast"],
  ["http://[2001:db8::1]/", "documentation"],
  ["http://[2001:0:4136:e378::1]/", "Teredo"],
];

const PUBLIC_SPELLINGS = [
  "http://93.184.216.34/",
  "http://1.1.1.1/",
  "http://16843009/",
  "http://172.32.0.1/",
  "http://100.128.0.1/",
  "http://[2606:4700:4700::1111]/",
  "http://[::ffff:1.1.1.1]/",
  "http://[64:ff9b::1.1.1.1]/",
];

describe("address spellings", () => {
  for (const [url, reason] of FORBIDDEN_SPELLINGS) {
    test(`${url} is forbidden as ${reason}`, () => {
      expect(forbiddenReason(addressOf(url))).toBe(reason);
      expect(() => createAddressPolicy([]).check(addressOf(url))).toThrow(ForbiddenAddressError);
    });
  }
  for (const url of PUBLIC_SPELLINGS) {
    test(`${url} is a public address`, () => {
      expect(forbiddenReason(addressOf(url))).toBeUndefined();
    });
  }
  test("resolver answers with a zone or an embedded IPv4 tail are read as addresses", () => {
    expect(forbiddenReason(parseIp("fe80::1%eth0") ?? never())).toBe("link-local");
    expect(forbiddenReason(parseIp("::ffff:192.168.0.1") ?? never())).toBe("private");
  });
  test("non-canonical text is not taken for an address", () => {
    for (const text of [
      "0x7f.1",
      "127.1",
      "0177.0.0.1",
      "1.2.3.4.5",
      "::1::",
      "1:2:3:4:5:6:7:8:9",
      "example.com",
      "",
    ]) {
      expect(parseIp(text)).toBeUndefined();
    }
  });
});

function never(): never {
  throw new Error("unparsed");
}

describe("the allowed blocks", () => {
  const policy = createAddressPolicy([
    parseCidr("127.0.0.1/32") ?? never(),
    parseCidr("fd00::/64") ?? never(),
  ]);
  test("let exactly their addresses through, mapped IPv6 included, and connect to the plain IPv4", () => {
    expect(formatIp(policy.check(addressOf("http://127.0.0.1/")))).toBe("127.0.0.1");
    expect(formatIp(policy.check(addressOf("http://[::ffff:127.0.0.1]/")))).toBe("127.0.0.1");
    expect(() => policy.check(addressOf("http://127.0.0.2/"))).toThrow(ForbiddenAddressError);
    expect(() => policy.check(addressOf("http://[64:ff9b::127.0.0.1]/"))).toThrow(ForbiddenAddressError);
    expect(formatIp(policy.check(addressOf("http://[fd00::5]/")))).toBe("fd00:0:0:0:0:0:0:5");
    expect(() => policy.check(addressOf("http://[fd00:0:0:1::5]/"))).toThrow(ForbiddenAddressError);
  });
  test("malformed blocks are not parsed", () => {
    for (const text of [
      "127.0.0.1/33",
      "::/129",
      "10.0.0.0/8/8",
      "10.0.0.0/x",
      "localhost/8",
      "10.0.0.0/-1",
    ]) {
      expect(parseCidr(text)).toBeUndefined();
    }
  });
});

describe("the URL policy", () => {
  const rules = ["media.example.com", "*.cdn.example.com", "127.0.0.1:8080"].map(
    (entry) => parseHostRule(entry) ?? never(),
  );
  const urls = createUrlPolicy(rules);
  const refusal = (url: string) => {
    try {
      urls.check(url);
      return undefined;
    } catch (error) {
      if (!(error instanceof UnsupportedUrlError)) throw error;
      return error.message;
    }
  };

  test("takes listed hosts on 80, 443 and the ports their rule names", () => {
    expect(urls.check("https://media.example.com/a.mp4").href).toBe("https://media.example.com/a.mp4");
    expect(urls.check("http://MEDIA.example.com./a.mp4#t=1").href).toBe("http://media.example.com./a.mp4");
    expect(urls.check("https://eu.edge.cdn.example.com/a.mp4").hostname).toBe("eu.edge.cdn.example.com");
    expect(urls.check("http://0x7f.1:8080/a.mp4").host).toBe("127.0.0.1:8080");
  });
  test.each([
    ["http://evil.example.com/a.mp4", "not on the gateway's list"],
    ["http://cdn.example.com/a.mp4", "not on the gateway's list"],
    ["http://media.example.com.evil.net/a.mp4", "not on the gateway's list"],
    ["http://evilcdn.example.com/a.mp4", "not on the gateway's list"],
    ["http://media.example.com:8080/a.mp4", "port"],
    ["http://127.0.0.1:8081/a.mp4", "port"],
    ["http://user@media.example.com/a.mp4", "credentials"],
    ["http://:pw@media.example.com/a.mp4", "credentials"],
    ["ftp://media.example.com/a.mp4", "http or https"],
    ["javascript:alert(1)", "http or https"],
    ["not a url", "not a valid URL"],
    [`https://media.example.com/${"a".repeat(2100)}`, "at most 2048"],
  ])("refuses %s", (url, why) => {
    expect(refusal(url)).toContain(why);
  });
  test("allow-list entries that are not hosts are not parsed", () => {
    for (const entry of [
      "*",
      "*.",
      "*.10.0.0.1",
      "http://x/",
      "a.com/path",
      "user@a.com",
      "a b.com",
      "*.[::1]",
    ]) {
      expect(parseHostRule(entry)).toBeUndefined();
    }
  });
});
