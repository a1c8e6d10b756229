import { describe, expect, test } from "bun:test";
import { locationOfUrl, type MediaLocation } from "../../src/core/media-location.ts";
import { clientKeyOf, internalUriOf } from "../../src/offload/internal-uri.ts";

const ETAG = '"youtube-Plain000001-18-335979"';
const DISPOSITION = "attachment; filename=\"Caf .mp4\"; filename*=UTF-8''Caf%C3%A9%20.mp4";
const CLIENT_ID = "key:reporting-team";
const HEADERS = { etag: ETAG, contentDisposition: DISPOSITION, clientId: CLIENT_ID };
const googlevideo = (path: string): MediaLocation => ({
  scheme: "https",
  address: "rr3---sn-abc.googlevideo.com:443",
  host: "rr3---sn-abc.googlevideo.com",
  path,
});

describe("the internal URI handed to nginx", () => {
  test("names the client, scheme, address, Host, ETag and the origin's path and query verbatim", () => {
    const location = locationOfUrl(
      new URL("https://rr3---sn-abc.googlevideo.com/videoplayback?expire=1&sig=A%3DB"),
    );
    expect(location).toEqual(googlevideo("/videoplayback?expire=1&sig=A%3DB"));
    const uri = internalUriOf("download", googlevideo("/videoplayback?expire=1&sig=A%3DB"), HEADERS) ?? "";
    const [path = "", query] = uri.split("?");
    expect(query).toBe("expire=1&sig=A%3DB");
    // nginx decodes the path once: then it names the disposition exactly, percent-escapes included.
    expect(decodeURIComponent(path).split("/")).toEqual([
      "",
      "_downtube",
      "fetch",
      clientKeyOf(CLIENT_ID),
      "https",
      "rr3---sn-abc.googlevideo.com:443",
      "rr3---sn-abc.googlevideo.com",
      "youtube-Plain000001-18-335979",
      DISPOSITION,
      "videoplayback",
    ]);
  });

  test("names the client by a digest: no address or key id reaches nginx, and one client is always one key", () => {
    const keys = ["key:reporting-team", "ip:203.0.113.7", "ip:2001:db8::7", "ip:203.0.113.70"].map(
      clientKeyOf,
    );
    for (const key of keys) expect(key).toMatch(/^[A-Za-z0-9_-]{22}$/);
    expect(new Set(keys).size).toBe(keys.length);
    expect(clientKeyOf("ip:203.0.113.7")).toBe(keys[1] ?? "");
    const uri =
      internalUriOf("download", googlevideo("/v"), { ...HEADERS, clientId: "ip:203.0.113.7" }) ?? "";
    expect(uri).not.toContain("203.0.113.7");
    expect(uri).not.toContain("reporting-team");
  });

  test("fills in the default port of the scheme and keeps an explicit one", () => {
    expect(locationOfUrl(new URL("http://127.0.0.1:8080/v?x=1"))?.address).toBe("127.0.0.1:8080");
    expect(locationOfUrl(new URL("http://example.test/v"))?.address).toBe("example.test:80");
    expect(locationOfUrl(new URL("ftp://example.test/v"))).toBeUndefined();
  });

  test("is refused for anything nginx would decode or normalise: the gateway serves those itself", () => {
    for (const path of ["/a%2Fb", "/a/../b", "/a b", "/a\nb", "/v?x=a b", "/v?\u0000"]) {
      expect({ path, uri: internalUriOf("download", googlevideo(path), HEADERS) }).toEqual({
        path,
        uri: undefined,
      });
    }
    expect(
      internalUriOf("download", { ...googlevideo("/v"), address: "evil/x:443" }, HEADERS),
    ).toBeUndefined();
    expect(internalUriOf("download", { ...googlevideo("/v"), host: "a b" }, HEADERS)).toBeUndefined();
    expect(internalUriOf("download", googlevideo("/v"), { ...HEADERS, etag: '"a/b"' })).toBeUndefined();
    expect(internalUriOf("download", googlevideo("/v"), { ...HEADERS, etag: 'W/"weak"' })).toBeUndefined();
    const slashed = { ...HEADERS, contentDisposition: 'attachment; filename="a/b"' };
    expect(internalUriOf("download", googlevideo("/v"), slashed)).toBeUndefined();
    const controlled = { ...HEADERS, contentDisposition: 'attachment; filename="a\rb"' };
    expect(internalUriOf("download", googlevideo("/v"), controlled)).toBeUndefined();
  });
});
