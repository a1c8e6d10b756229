/**
 * `i.ytimg.com`'s thumbnails: `/vi/:id/:name.jpg` and `/vi_webp/:id/:name.webp`, real images in
 * the sizes the catalog declares, drawn by ffmpeg on first request and kept in memory.
 */
import type { CatalogVideo } from "./catalog.ts";

const THUMBNAIL_PATH = /^\/(vi|vi_webp)\/([A-Za-z0-9_-]{11})\/([a-z]+)\.(jpg|webp)$/;

/** Whether a path is a thumbnail's (on YouTube it would be on i.ytimg.com). */
export function isThumbnailPath(path: string): boolean {
  return THUMBNAIL_PATH.test(path);
}

const drawn = new Map<string, Promise<Uint8Array<ArrayBuffer>>>();

/** A `width`×`height` test picture as JPEG or WebP, drawn once per size and kind. */
function draw(width: number, height: number, kind: "jpg" | "webp"): Promise<Uint8Array<ArrayBuffer>> {
  const key = `${width}x${height}.${kind}`;
  let image = drawn.get(key);
  if (image === undefined) {
    image = (async () => {
      const proc = Bun.spawn(
        [
          ...["ffmpeg", "-hide_banner", "-loglevel", "error", "-nostdin"],
          ...["-f", "lavfi", "-i", `testsrc2=size=${width}x${height}:rate=1`, "-frames:v", "1"],
          ...(kind === "jpg" ? ["-f", "mjpeg"] : ["-c:v", "libwebp", "-f", "webp"]),
          "pipe:1",
        ],
        { stdin: "ignore", stdout: "pipe", stderr: "pipe" },
      );
      const [bytes, code] = await Promise.all([new Response(proc.stdout).bytes(), proc.exited]);
      if (code !== 0) throw new Error(`ffmpeg could not draw a ${key} thumbnail`);
      return bytes;
    })();
    image.catch(() => drawn.delete(key));
    drawn.set(key, image);
  }
  return image;
}

/**
 * Answers a thumbnail request: the image the catalog declares at that path (same size, same
 * kind), or 404 like i.ytimg.com for a size the video does not have.
 */
export async function serveThumbnail(
  path: string,
  videoFor: (id: string) => CatalogVideo | undefined,
): Promise<Response> {
  const match = THUMBNAIL_PATH.exec(path);
  const video = match?.[2] === undefined ? undefined : videoFor(match[2]);
  const declared = video?.thumbnails.find((t) => new URL(t.url).pathname === path);
  if (declared === undefined) return new Response("not found", { status: 404 });
  const kind = match?.[4] === "webp" ? "webp" : "jpg";
  const bytes = await draw(declared.width, declared.height, kind);
  return new Response(bytes, { headers: { "content-type": kind === "jpg" ? "image/jpeg" : "image/webp" } });
}
