import { z } from "zod";
import { filterFormats } from "../core/format-selection.ts";
import type { Channel, Chapter, Thumbnail, VideoInfo } from "../core/video.ts";
import type { Builder } from "./builder.ts";
import type { SchemaOptions } from "./context.ts";
import type { FormatTypes } from "./format.ts";

/** What a user pastes: a URL or an id. Anything longer than a URL can sensibly be is refused early. */
export const videoUrlArgument = z.string().trim().min(1, "give a video URL or id").max(2048, "URL too long");

/** Stands in for the unknown channel of a direct media URL: the host, with no id, link or badge. */
function hostAsChannel(url: string): Channel {
  return { id: undefined, name: new URL(url).hostname, url: undefined, verified: false };
}

/** `Video` and its parts, plus the `video` and `videos` queries that return it. */
export function defineVideoTypes(builder: Builder, formats: FormatTypes, options: SchemaOptions) {
  const ChannelRef = builder.objectRef<Channel>("Channel").implement({
    description: "Who published the video.",
    fields: (t) => ({
      id: t.id({ nullable: true, resolve: (c) => c.id }),
      name: t.exposeString("name"),
      url: t.string({ nullable: true, resolve: (c) => c.url }),
      verified: t.exposeBoolean("verified"),
    }),
  });

  const ThumbnailRef = builder.objectRef<Thumbnail>("Thumbnail").implement({
    fields: (t) => ({
      url: t.exposeString("url"),
      width: t.exposeInt("width"),
      height: t.exposeInt("height"),
    }),
  });

  const ChapterRef = builder.objectRef<Chapter>("Chapter").implement({
    fields: (t) => ({
      title: t.exposeString("title"),
      startSeconds: t.exposeInt("startSeconds"),
    }),
  });

  const Video = builder.objectRef<VideoInfo>("Video").implement({
    description: "An online video: what it is and every format it is offered in.",
    fields: (t) => ({
      id: t.id({ resolve: (v) => v.ref.id }),
      url: t.exposeString("url", { description: "Canonical watch URL." }),
      title: t.exposeString("title"),
      description: t.string({ nullable: true, resolve: (v) => v.description }),
      // `author` and `durationSeconds` are non-null in the public contract, but a direct media URL
      // knows neither: they then name the host and say 0, and `channel`/`duration` are null.
      author: t.field({
        type: ChannelRef,
        description: "Who published the video. For a direct media URL (unknown): the host that serves it.",
        resolve: (v) => v.author ?? hostAsChannel(v.url),
      }),
      durationSeconds: t.int({
        description:
          "Length in seconds; 0 when the source cannot know it (direct media URLs): see `duration`.",
        resolve: (v) => v.durationSeconds ?? 0,
      }),
      channel: t.field({
        type: ChannelRef,
        nullable: true,
        description: "Who published the video; null when the source cannot know (direct media URLs).",
        resolve: (v) => v.author,
      }),
      duration: t.int({
        nullable: true,
        description: "Length in seconds; null when the source cannot know (direct media URLs).",
        resolve: (v) => v.durationSeconds,
      }),
      viewCount: t.float({ nullable: true, resolve: (v) => v.viewCount }),
      publishDate: t.string({ nullable: true, resolve: (v) => v.publishDate }),
      isLive: t.exposeBoolean("isLive"),
      thumbnails: t.field({ type: [ThumbnailRef], resolve: (v) => v.thumbnails }),
      chapters: t.field({ type: [ChapterRef], resolve: (v) => v.chapters }),
      formats: t.field({
        type: [formats.Format],
        description: "Best first. With `quality`, only the one format that selector picks.",
        args: { filter: t.arg({ type: formats.FormatSelectorInput, required: false }) },
        resolve: (v, { filter }) => filterFormats(v.formats, filter ?? {}),
      }),
    }),
  });

  builder.queryType({
    fields: (t) => ({
      video: t.field({
        type: Video,
        nullable: true,
        description:
          "One video, by any YouTube URL a user would paste, a bare 11-character id, or a direct media URL on a host the operator allows.",
        args: { url: t.arg.string({ required: true, validate: videoUrlArgument }) },
        resolve: async (_root, { url }, { videos, budget, limiter, client }) => {
          budget.take(1);
          await limiter.take("metadata", client.id);
          return videos.getInfo(videos.parse(url), { metadataOnly: true });
        },
      }),
      videos: t.field({
        type: [Video],
        nullable: { list: false, items: true },
        description:
          "Several videos at once (at most DOWNTUBE_MAX_BATCH); a bad URL gives null and an error at its index, the others still answer.",
        args: {
          urls: t.arg.stringList({
            required: true,
            validate: z
              .array(videoUrlArgument)
              .max(options.maxBatch, `at most ${options.maxBatch} URLs per query`),
          }),
        },
        resolve: async (_root, { urls }, { videos, budget, limiter, client }) => {
          budget.take(urls.length);
          await limiter.take("metadata", client.id, urls.length);
          return urls.map(async (url) => videos.getInfo(videos.parse(url), { metadataOnly: true }));
        },
      }),
    }),
  });

  return { Video, Channel: ChannelRef, Thumbnail: ThumbnailRef };
}

export type VideoTypes = ReturnType<typeof defineVideoTypes>;
