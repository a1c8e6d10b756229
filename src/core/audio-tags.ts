import type { Thumbnail, VideoInfo } from "./video.ts";

/** The tags an audio file gets: data, whatever characters they hold; absent ones are left out. */
export interface AudioTags {
  readonly title?: string | undefined;
  /** The channel. */
  readonly artist?: string | undefined;
  /** The upload date, `YYYY-MM-DD`. */
  readonly date?: string | undefined;
  /** Where the sound comes from: the video's URL. */
  readonly comment?: string | undefined;
}

/** A cover picture, checked to be one that audio players show. */
export interface CoverImage {
  readonly bytes: Uint8Array;
  readonly mimeType: "image/jpeg" | "image/png";
}

/** The tags of an audio file made of `video`: title, channel, upload date and the video's URL. */
export function audioTagsOf(video: VideoInfo): AudioTags {
  const date = /^\d{4}-\d{2}-\d{2}/.exec(video.publishDate ?? "")?.[0];
  return { title: video.title, artist: video.author?.name, date, comment: video.url };
}

/** JPEG or PNG by the file's first bytes, whatever its URL or Content-Type says; else undefined. */
export function coverImageType(bytes: Uint8Array): CoverImage["mimeType"] | undefined {
  if (bytes[0] === 0xff && bytes[1] === 0xd8 && bytes[2] === 0xff) return "image/jpeg";
  const png = [0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a, 0x1a, 0x0a];
  if (png.every((byte, i) => bytes[i] === byte)) return "image/png";
  return undefined;
}

/** How many thumbnails are tried for a cover before the file goes without one. */
export const COVER_ATTEMPTS = 3;

/**
 * The thumbnails worth fetching as a cover, best first: the largest JPEG or PNG ones (players
 * show few other kinds in an ID3 tag or a FLAC picture), then the others by size. At most
 * {@link COVER_ATTEMPTS}: YouTube lists sizes a video may not have (`maxresdefault` is often 404).
 */
export function coverCandidates(thumbnails: readonly Thumbnail[]): Thumbnail[] {
  const likelyShown = (t: Thumbnail) => (/\.(jpe?g|png)$/i.test(new URL(t.url, "http://x").pathname) ? 0 : 1);
  return [...thumbnails]
    .sort((a, b) => likelyShown(a) - likelyShown(b) || b.width * b.height - a.width * a.height)
    .slice(0, COVER_ATTEMPTS);
}
