import { expect, test } from "bun:test";
import { linkKind } from "../../src/page/assets/links.ts";

test("playlist links and bare list ids are looked up as playlists", () => {
  for (const link of [
    "https://www.youtube.com/playlist?list=PLrAXtmErZgOeiKm4sgNOknGvNjby9efdf",
    "music.youtube.com/playlist?list=OLAK5uy_kHo5kUtvSPgdBxYhcfFAjhGrWUjvTWxSQ",
    " PLrAXtmErZgOeiKm4sgNOknGvNjby9efdf ",
  ]) {
    expect(linkKind(link)).toBe("playlist");
  }
});

test("channel links, handles and channel ids are looked up as channels", () => {
  for (const link of [
    "https://www.youtube.com/@downtubetest",
    "https://www.youtube.com/@downtubetest/videos",
    "youtube.com/channel/UCdowntubeFakeChannel000",
    "https://m.youtube.com/c/downtubetest",
    "https://www.youtube.com/user/downtubetest",
    "@downtubetest",
    "UCdowntubeFakeChannel000",
  ]) {
    expect(linkKind(link)).toBe("channel");
  }
});

test("video links, a watch link inside a playlist included, and anything else are looked up as videos", () => {
  for (const link of [
    "https://www.youtube.com/watch?v=Plain000001",
    "https://www.youtube.com/watch?v=Plain000001&list=PLrAXtmErZgOeiKm4sgNOknGvNjby9efdf",
    "https://youtu.be/Plain000001",
    "Plain000001",
    "my favourite song",
    "",
  ]) {
    expect(linkKind(link)).toBe("video");
  }
});
