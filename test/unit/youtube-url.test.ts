import { describe, expect, test } from "bun:test";
import { parseYouTubeUrl } from "../../src/sources/youtube/youtube-url.ts";

const ID = "dQw4w9WgXcQ";

describe("parseYouTubeUrl", () => {
  test.each([
    [`https://www.youtube.com/watch?v=${ID}`],
    [`https://youtube.com/watch?v=${ID}&t=42s&list=PL123&index=2`],
    [`https://www.youtube.com/watch?feature=share&v=${ID}`],
    [`http://m.youtube.com/watch?v=${ID}`],
    [`https://music.youtube.com/watch?v=${ID}&si=abc`],
    [`https://youtu.be/${ID}`],
    [`https://youtu.be/${ID}?si=tracking&t=10`],
    [`youtu.be/${ID}`],
    [`www.youtube.com/watch?v=${ID}`],
    [`https://www.youtube.com/shorts/${ID}`],
    [`https://youtube.com/shorts/${ID}?feature=share`],
    [`https://www.youtube.com/embed/${ID}?start=5`],
    [`https://www.youtube-nocookie.com/embed/${ID}`],
    [`https://www.youtube.com/live/${ID}?si=x`],
    [`https://www.youtube.com/v/${ID}`],
    [`HTTPS://WWW.YOUTUBE.COM/watch?v=${ID}`],
    [`  ${ID}  `],
    [ID],
  ])("reads the id out of %s", (input) => {
    expect(parseYouTubeUrl(input)).toEqual({ source: "youtube", id: ID });
  });

  test.each([
    [""],
    ["not a url"],
    ["dQw4w9WgXc"], // 10 characters
    ["dQw4w9WgXcQQ"], // 12 characters
    ["dQw4w9WgXc!"],
    [`https://evil.example/watch?v=${ID}`],
    [`https://youtube.com.evil.example/watch?v=${ID}`],
    [`https://notyoutube.com/watch?v=${ID}`],
    [`https://www.youtube.com/watch?v=${ID}x`],
    ["https://www.youtube.com/watch"],
    ["https://www.youtube.com/channel/UC38IQsAvIsxxjztdMZQtwHA"],
    ["https://www.youtube.com/playlist?list=PL590L5WQmH8fJ54F369BLDSqIwcs-TCfs"],
    [`ftp://youtube.com/watch?v=${ID}`],
    [`javascript:alert(1)//youtube.com/watch?v=${ID}`],
    [`https://youtu.be/`],
    [`https://youtu.be/${ID}/../../etc`],
  ])("refuses %p", (input) => {
    expect(parseYouTubeUrl(input)).toBeUndefined();
  });
});
