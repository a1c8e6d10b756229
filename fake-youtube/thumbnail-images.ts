/**
 * YouTube's image host (`i.ytimg.com`) as the simulated YouTube plays it: `/vi/<id>/<name>.jpg`
 * answers a real JPEG of the size YouTube gives that name, made once per size by ffmpeg; the
 * `maxresdefault` WebP answers 404, as it does for many real videos.
 */

/** Width and height of each JPEG name YouTube serves under `/vi/<id>/`. */
const SIZES: Readonly<Record<string, readonly [number, number]>> = {
  default: [120, 90],
  mqdefault: [320, 180],
  hqdefault: [480, 360],
  sddefault: [640, 480],
  maxresdefault: [1280, 720],
};

const PATH = /^\/vi\/([A-Za-z0-9_-]{11})\/([a-z]+)\.jpg$/;

/** Whether a path is the image host's (the hit log counts these as `thumbnail`). */
export function isThumbnailPath(path: string): boolean {
  return path.startsWith("/vi/") || path.startsWith("/vi_webp/");
}

const made = new Map<string, Promise<Uint8Array<ArrayBuffer>>>();

/** A JPEG of colour bars, `width`×`height`, by ffmpeg (already needed for the media). */
async function jpeg(width: number, height: number): Promise<Uint8Array<ArrayBuffer>> {
  const proc = Bun.spawn(
    [
      "ffmpeg",
      "-hide_banner",
      "-loglevel",
      "error",
      "-f",
      "lavfi",
      "-i",
      `smptebars=s=${width}x${height}`,
      "-frames:v",
      "1",
      "-f",
      "mjpeg",
      "pipe:1",
    ],
    { stdin: "ignore", stdout: "pipe", stderr: "pipe" },
  );
  const [bytes, code] = await Promise.all([new Response(proc.stdout).bytes(), proc.exited]);
  if (code !== 0) throw new Error(`ffmpeg could not make a ${width}x${height} JPEG (exit ${code})`);
  return bytes;
}

/**
 * The answer for a path of the image host: a JPEG for a known video (`knows(id)`) and name,
 * 404 for anything else.
 */
export async function serveThumbnail(path: string, knows: (id: string) => boolean): Promise<Response> {
  const [, id = "", name = ""] = PATH.exec(path) ?? [];
  const size = SIZES[name];
  if (size === undefined || !knows(id)) return new Response("not found", { status: 404 });
  const key = size.join("x");
  let image = made.get(key);
  if (image === undefined) {
    image = jpeg(...size);
    image.catch(() => made.delete(key));
    made.set(key, image);
  }
  return new Response(await image, { headers: { "content-type": "image/jpeg" } });
}
