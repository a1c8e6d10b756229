import { describe, expect, test } from "bun:test";
import { locationOfUrl, type MediaLocation } from "../../src/core/media-location.ts";
import { internalUriOf } from "../../src/offload/internal-uri.ts";

const ETAG = '"youtube-Plain000001-18-335979"';
const DISPOSITION = "attachment; filename=\"Caf .mp4\"; filename*=UTF-8''Caf%C3%A9%20.mp4";
const HEADERS = { etag: ETAG, contentDisposition: DISPOSITION };
const googlevideo = (path: string): MediaLocation => ({
  scheme: "https",
  address: "rr3---sn-abc.googlevideo.com:443",
  host: "rr3---sn-abc.googlevideo.com",
  path,
});

describe("the internal URI handed to nginx", () => {
  test("names scheme, address, Host, ETag and the origin's path and query verbatim", () => {
    const location = locationOfUrl(
      new URL("https://rr3---sn-abc.googlevideo.com/videoplayback?expire=1&sig=A%3DB"),
    );
    expect(location).toEqual(googlevideo("/videoplayback?expire=1&sig=A%3DB"));
    const uri = internalUriOf("fetch", googlevideo("/videoplayback?expire=1&sig=A%3DB"), HEADERS) ?? "";
    const [path = "", query] = uri.split("?");
    expect(query).toBe("expire=1&sig=A%3DB");
    // nginx decodes the path once: then it names the disposition exactly, percent-escapes included.
    expect(decodeURIComponent(path).split("/")).toEqual([
      "",
      "_downtube",
      "fetch",
      "https",
      "rr3---sn-abc.googlevideo.com:443",
      "rr3---sn-abc.googlevideo.com",
      "youtube-Plain000001-18-335979",
      DISPOSITION,
      "videoplayback",
    ]);
  });

  test("fills in the default port of the scheme and keeps an explicit one", () => {
    expect(locationOfUrl(new URL("http://127.0.0.1:8080/v?x=1"))?.address).toBe("127.0.0.1:8080");
    expect(locationOfUrl(new URL("http://example.test/v"))?.address).toBe("example.test:80");
    expect(locationOfUrl(new URL("ftp://example.test/v"))).toBeUndefined();
  });

  test("is refused for anything nginx would decode or normalise: the gateway serves those itself", () => {
    for (const path of ["/a%2Fb", "/a/../b", "/a b", "/a\nb", "/v?x=a b", "/v?\u0000"]) {
      expect({ path, uri: internalUriOf("fetch", googlevideo(path), HEADERS) }).toEqual({
        path,
        uri: undefined,
      });
    }
    expect(internalUriOf("fetch", { ...googlevideo("/v"), address: "evil/x:443" }, HEADERS)).toBeUndefined();
    expect(internalUriOf("fetch", { ...googlevideo("/v"), host: "a b" }, HEADERS)).toBeUndefined();
    expect(internalUriOf("fetch", googlevideo("/v"), { ...HEADERS, etag: '"a/b"' })).toBeUndefined();
    expect(internalUriOf("fetch", googlevideo("/v"), { ...HEADERS, etag: 'W/"weak"' })).toBeUndefined();
    const slashed = { ...HEADERS, contentDisposition: 'attachment; filename="a/b"' };
    expect(internalUriOf("fetch", googlevideo("/v"), slashed)).toBeUndefined();
    const controlled = { ...HEADERS, contentDisposition: 'attachment; filename="a\rb"' };
    expect(internalUriOf("fetch", googlevideo("/v"), controlled)).toBeUndefined();
  });
});
