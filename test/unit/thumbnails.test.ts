import { expect, test } from "bun:test";
import { imageTypeOf, pickThumbnail } from "../../src/core/thumbnails.ts";

const bytes = (...parts: (number[] | string)[]) =>
  new Uint8Array(parts.flatMap((p) => (typeof p === "string" ? [...p].map((c) => c.charCodeAt(0)) : p)));

test("image types are read from the bytes' signature", () => {
  expect(imageTypeOf(bytes([0xff, 0xd8, 0xff, 0xe0]))).toBe("image/jpeg");
  expect(imageTypeOf(bytes([0x89], "PNG\r\n"))).toBe("image/png");
  expect(imageTypeOf(bytes("RIFF", [0, 0, 0, 0], "WEBPVP8 "))).toBe("image/webp");
  expect(imageTypeOf(bytes("GIF89a"))).toBe("image/gif");
  expect(imageTypeOf(bytes([0, 0, 0, 0x1c], "ftypavif"))).toBe("image/avif");
});

test("anything else is no thumbnail: SVG, HTML, empty, a video container", () => {
  for (const other of [
    bytes('<svg xmlns="http://www.w3.org/2000/svg"/>'),
    bytes("<!doctype html>"),
    bytes(),
    bytes([0, 0, 0, 0x18], "ftypmp42"),
  ])
    expect(imageTypeOf(other)).toBeUndefined();
});

const thumb = (width: number) => ({
  url: `https://i.ytimg.com/${width}.jpg`,
  width,
  height: (width * 3) / 4,
});

test("the smallest thumbnail at least 480 px wide is picked, else the widest", () => {
  expect(pickThumbnail([thumb(1920), thumb(120), thumb(640), thumb(480)])?.width).toBe(480);
  expect(pickThumbnail([thumb(120), thumb(320)])?.width).toBe(320);
  expect(pickThumbnail([])).toBeUndefined();
});
