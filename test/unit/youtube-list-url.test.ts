import { describe, expect, test } from "bun:test";
import { parseChannelUrl, parsePlaylistUrl } from "../../src/sources/youtube/youtube-list-url.ts";

const LIST = "PLrAXtmErZgOeiKm4sgNOknGvNjby9efdf";

describe("parsePlaylistUrl", () => {
  test("reads the list id of every form a user pastes", () => {
    for (const input of [
      LIST,
      `https://www.youtube.com/playlist?list=${LIST}`,
      `youtube.com/playlist?list=${LIST}&si=abc`,
      `https://m.youtube.com/playlist?list=${LIST}`,
      `https://music.youtube.com/playlist?list=${LIST}`,
      `https://www.youtube.com/watch?v=dQw4w9WgXcQ&list=${LIST}&index=3`,
      `https://youtu.be/dQw4w9WgXcQ?list=${LIST}`,
      `  ${LIST}\n`,
    ]) {
      expect(parsePlaylistUrl(input)).toBe(LIST);
    }
    expect(parsePlaylistUrl("OLAK5uy_kHo5kUtvSPgdBxYhcfFAjhGrWUjvTWxSQ")).toBe(
      "OLAK5uy_kHo5kUtvSPgdBxYhcfFAjhGrWUjvTWxSQ",
    );
  });

  test("names no list for a plain video URL, a mix, a look-alike host or a malformed id", () => {
    for (const input of [
      "https://www.youtube.com/watch?v=dQw4w9WgXcQ",
      "https://www.youtube.com/watch?v=dQw4w9WgXcQ&list=RDdQw4w9WgXcQ",
      `https://www.youtube.com.evil.example/playlist?list=${LIST}`,
      `ftp://www.youtube.com/playlist?list=${LIST}`,
      "https://www.youtube.com/playlist?list=PL<script>",
      "PL",
      "",
    ]) {
      expect(parsePlaylistUrl(input)).toBeUndefined();
    }
  });
});

describe("parseChannelUrl", () => {
  test("reads the channel path of handle, id, custom and user URLs, whatever follows them", () => {
    const cases: [string, string][] = [
      ["https://www.youtube.com/@LinusTechTips", "/@LinusTechTips"],
      ["https://www.youtube.com/@LinusTechTips/videos", "/@LinusTechTips"],
      ["@LinusTechTips", "/@LinusTechTips"],
      ["https://www.youtube.com/channel/UCXuqSBlHAE6Xw-yeJA0Tunw", "/channel/UCXuqSBlHAE6Xw-yeJA0Tunw"],
      ["UCXuqSBlHAE6Xw-yeJA0Tunw", "/channel/UCXuqSBlHAE6Xw-yeJA0Tunw"],
      ["youtube.com/c/LinusTechTips/featured", "/c/LinusTechTips"],
      ["https://m.youtube.com/user/LinusTechTips", "/user/LinusTechTips"],
      ["https://www.youtube.com/@%E6%97%A5%E6%9C%AC", "/@日本"],
    ];
    for (const [input, path] of cases) expect(parseChannelUrl(input)).toBe(path);
  });

  test("names no channel for videos, playlists, look-alike hosts or malformed names", () => {
    for (const input of [
      "https://www.youtube.com/watch?v=dQw4w9WgXcQ",
      "https://www.youtube.com/playlist?list=PLrAXtmErZgOeiKm4sgNOknGvNjby9efdf",
      "https://youtu.be/@someone",
      "https://www.youtube.com.evil.example/@someone",
      "https://www.youtube.com/channel/not-a-channel-id",
      "https://www.youtube.com/@bad%ZZ",
      "https://www.youtube.com/c/has%20space",
      "@",
    ]) {
      expect(parseChannelUrl(input)).toBeUndefined();
    }
  });
});
