import { z } from "zod";
import type { Channel } from "../core/video.ts";
import type { ChannelInfo, ListEntry, ListRef, PlaylistInfo } from "../core/video-list.ts";
import type { Builder } from "./builder.ts";
import type { GraphQLContext } from "./context.ts";
import { type VideoTypes, videoUrlArgument } from "./video.ts";

/** An entry as the schema shows it: where it sits, and the author its list stands in with. */
interface ListedVideo {
  readonly entry: ListEntry;
  readonly index: number;
  readonly author: Channel | undefined;
}

/** A playlist or channel as its fields see it: which list it is and what it says of itself. */
interface ListParent<Info> {
  readonly ref: ListRef;
  readonly info: Info;
  /** The author of entries that name none (a channel's uploads name no author: it is the channel). */
  readonly owner: Channel | undefined;
  readonly videoCount: number | undefined;
}

/** How many entries one page may hold, and how many it holds when the client does not say. */
export const LIST_PAGE = { default: 50, max: 200 } as const;

const firstArgument = z
  .number()
  .int()
  .min(0, "first must be 0 or more")
  .max(LIST_PAGE.max, `first may be at most ${LIST_PAGE.max}`);
const afterArgument = z.string().max(4096, "after: this cursor is too long");

/** A page of `list` after the client's cursor, with each entry's own cursor. */
async function page(
  parent: ListParent<unknown>,
  args: { first?: number | null; after?: string | null },
  { lists, cursors, budget, limiter, client }: GraphQLContext,
) {
  const after = args.after == null ? undefined : await cursors.decode(parent.ref, args.after);
  // Each page may read up to a few of YouTube's pages: it counts like one more video.
  budget.take(1);
  await limiter.take("metadata", client.id);
  const slice = await lists.slice(parent.ref, after, args.first ?? LIST_PAGE.default);
  const edges = await Promise.all(
    slice.items.map(async ({ entry, position }) => ({
      cursor: await cursors.encode(parent.ref, position),
      node: { entry, index: position.index, author: entry.author ?? parent.owner } satisfies ListedVideo,
    })),
  );
  return {
    edges,
    pageInfo: {
      hasNextPage: slice.hasNextPage,
      hasPreviousPage: after !== undefined,
      startCursor: edges[0]?.cursor ?? null,
      endCursor: edges.at(-1)?.cursor ?? null,
    },
    totalCount: parent.videoCount,
  };
}

/** `Playlist`, `ChannelPage`, their `PlaylistVideoConnection`, and the `playlist` and `channel` queries. */
export function definePlaylistTypes(builder: Builder, refs: Pick<VideoTypes, "Channel" | "Thumbnail">) {
  const PlaylistVideo = builder.objectRef<ListedVideo>("PlaylistVideo").implement({
    description: "One entry of a playlist or of a channel's uploads, as the list shows it.",
    fields: (t) => ({
      index: t.int({ description: "Its place in the list, from 1.", resolve: (v) => v.index }),
      id: t.id({ description: "The video's id.", resolve: (v) => v.entry.videoId }),
      url: t.string({
        description: "The video's watch URL: pass it to video(url:) or prepareDownload.",
        resolve: (v) => v.entry.url,
      }),
      title: t.string({
        description: 'For a deleted or private entry, YouTube\'s placeholder ("[Deleted video]").',
        resolve: (v) => v.entry.title,
      }),
      durationSeconds: t.int({ nullable: true, resolve: (v) => v.entry.durationSeconds }),
      author: t.field({ type: refs.Channel, nullable: true, resolve: (v) => v.author }),
      thumbnails: t.field({ type: [refs.Thumbnail], resolve: (v) => v.entry.thumbnails }),
      playable: t.boolean({
        description: "False for a deleted or private entry: it stays in the list but cannot be downloaded.",
        resolve: (v) => v.entry.playable,
      }),
    }),
  });

  const Connection = builder.connectionObject(
    {
      type: PlaylistVideo,
      name: "PlaylistVideoConnection",
      description: "A Relay connection: page with first and after (the endCursor of the page before).",
      edgesNullable: { list: false, items: false },
      nodeNullable: false,
      fields: (t) => ({
        totalCount: t.int({
          nullable: true,
          description: "How many entries the list has, when YouTube says (it does for playlists).",
          resolve: (c) => c.totalCount,
        }),
      }),
    },
    { name: "PlaylistVideoEdge" },
  );

  const pageArgs = builder.args((t) => ({
    first: t.int({ required: false, validate: firstArgument }),
    after: t.string({ required: false, validate: afterArgument }),
  }));

  const Playlist = builder.objectRef<ListParent<PlaylistInfo>>("Playlist").implement({
    description: "A YouTube playlist: what it says of itself and its entries, page by page.",
    fields: (t) => ({
      id: t.id({ resolve: (p) => p.info.id }),
      url: t.string({ description: "Canonical /playlist?list= URL.", resolve: (p) => p.info.url }),
      title: t.string({ resolve: (p) => p.info.title }),
      description: t.string({ nullable: true, resolve: (p) => p.info.description }),
      author: t.field({ type: refs.Channel, nullable: true, resolve: (p) => p.info.author }),
      videoCount: t.int({
        nullable: true,
        description: "How many entries YouTube says the list has.",
        resolve: (p) => p.info.videoCount,
      }),
      thumbnails: t.field({ type: [refs.Thumbnail], resolve: (p) => p.info.thumbnails }),
      videos: t.field({
        type: Connection,
        description: `Entries in list order, deleted and private ones included (playable: false). first: default ${LIST_PAGE.default}, at most ${LIST_PAGE.max}.`,
        args: pageArgs,
        resolve: page,
      }),
    }),
  });

  const ChannelPage = builder.objectRef<ListParent<ChannelInfo>>("ChannelPage").implement({
    description: "A YouTube channel and its uploads, newest first, page by page.",
    fields: (t) => ({
      id: t.id({ description: "The channel id (UC…).", resolve: (c) => c.info.id }),
      name: t.string({ resolve: (c) => c.info.name }),
      url: t.string({ description: "Canonical /channel/UC… URL.", resolve: (c) => c.info.url }),
      thumbnails: t.field({ type: [refs.Thumbnail], resolve: (c) => c.info.thumbnails }),
      videos: t.field({
        type: Connection,
        description: `Uploads, newest first. first: default ${LIST_PAGE.default}, at most ${LIST_PAGE.max}.`,
        args: pageArgs,
        resolve: page,
      }),
    }),
  });

  builder.queryFields((t) => ({
    playlist: t.field({
      type: Playlist,
      nullable: true,
      description:
        "A playlist, by a /playlist?list= URL (www, m. or music.), a watch URL with &list=, or a bare list id.",
      args: { url: t.arg.string({ required: true, validate: videoUrlArgument }) },
      resolve: async (
        _root,
        { url },
        { lists, budget, limiter, client },
      ): Promise<ListParent<PlaylistInfo>> => {
        budget.take(1);
        await limiter.take("metadata", client.id);
        const id = lists.playlistId(url);
        const head = await lists.playlist(id);
        return {
          ref: { kind: "playlist", id },
          info: head.info,
          owner: undefined,
          videoCount: head.info.videoCount,
        };
      },
    }),
    channel: t.field({
      type: ChannelPage,
      nullable: true,
      description:
        "A channel and its uploads, by a /@handle, /channel/UC…, /c/… or /user/… URL, or a bare @handle.",
      args: { url: t.arg.string({ required: true, validate: videoUrlArgument }) },
      resolve: async (
        _root,
        { url },
        { lists, budget, limiter, client },
      ): Promise<ListParent<ChannelInfo>> => {
        budget.take(1);
        await limiter.take("metadata", client.id);
        const head = await lists.channel(lists.channelPath(url));
        const { id, name, url: channelUrl } = head.info;
        return {
          ref: { kind: "channel", id },
          info: head.info,
          owner: { id, name, url: channelUrl, verified: false },
          videoCount: undefined,
        };
      },
    }),
  }));
}
