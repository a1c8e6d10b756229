import { describe, expect, test } from "bun:test";
import { essenceOfHeader, isMediaType } from "../../src/sources/http/media-probe.ts";
import { mediaTitle } from "../../src/sources/http/media-title.ts";

const at = (path: string) => new URL(`https://media.example.com${path}`);

describe("the title of a direct media file", () => {
  test.each([
    [null, "/talks/keynote.mp4", "keynote"],
    [null, "/talks/My%20Talk%20(2024).webm?sig=abc", "My Talk (2024)"],
    [null, "/talks/%E2%82%AC%zz.mp4", "%E2%82%AC%zz"],
    ['attachment; filename="Quarterly \\"all hands\\".mp4"', "/x", 'Quarterly "all hands"'],
    ["attachment; filename=plain.mkv", "/x", "plain"],
    ["attachment; filename=\"fallback.mp4\"; filename*=UTF-8''Caf%C3%A9%20tour.webm", "/x", "Café tour"],
    ['inline; filename="../../etc/passwd"', "/x", "passwd"],
    ['attachment; filename="a\r\nSet-Cookie: x.mp4"', "/x", "a Set-Cookie: x"],
    ["attachment", "/dir/clip.mp3", "clip"],
  ])("from %p and %s is %p", (disposition, path, title) => {
    expect(mediaTitle(disposition, at(path))).toBe(title);
  });

  test("is undefined when neither header nor path names a file, and capped at 200 characters", () => {
    expect(mediaTitle(null, at("/"))).toBeUndefined();
    expect(mediaTitle(null, at(`/${"x".repeat(500)}.mp4`))?.length).toBe(200);
  });
});

describe("media types", () => {
  test.each([
    ["video/mp4", true],
    ["audio/mpeg", true],
    ["video/x-matroska", true],
    ["application/ogg", true],
    ["application/mp4", true],
    ["text/html", false],
    ["application/octet-stream", false],
    ["application/vnd.apple.mpegurl", false],
    ["audio/mpegurl", false],
    ["application/dash+xml", false],
    ["image/png", false],
    ["", false],
  ])("%s is media: %p", (essence, media) => {
    expect(isMediaType(essence)).toBe(media);
  });

  test("are read without parameters and case", () => {
    expect(essenceOfHeader('Video/MP4; codecs="avc1.42E01E"')).toBe("video/mp4");
    expect(essenceOfHeader(null)).toBe("");
  });
});
