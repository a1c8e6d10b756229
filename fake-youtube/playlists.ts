/**
 * The simulated playlists and channel uploads: plain data that tests read to know what to
 * expect. `browse.ts` serves them the way YouTube's InnerTube `browse` does.
 */
import { type CatalogVideo, FAKE_CHANNEL, listedVideo, VIDEO_IDS } from "./catalog.ts";

/** One entry of a simulated list. */
export interface FakeListEntry {
  /** 11-character video id. */
  id: string;
  title: string;
  lengthSeconds: number;
  /** Deleted and private entries stay in a list, unplayable, under a placeholder title. */
  state: "ok" | "deleted" | "private";
}

/** One simulated playlist. */
export interface FakePlaylist {
  /** The list id (`PL…`, 34 characters). */
  id: string;
  purpose: string;
  title: string;
  description: string;
  /** A private list answers an ERROR alert, as an unknown one does. */
  visibility: "public" | "private";
  entries: readonly FakeListEntry[];
}

/** Ids of the simulated playlists, by role. */
export const PLAYLIST_IDS = {
  /** More entries than one GraphQL page may hold (200) and than one YouTube page holds (100). */
  long: "PLdowntubeLongList000000000000001",
  /** Playable entries with a deleted and a private one between them. */
  mixed: "PLdowntubeMixedList00000000000001",
  private: "PLdowntubePrivateList000000000001",
  /** A well-formed id YouTube does not know. */
  unknown: "PLdowntubeNoSuchList0000000000001",
  /** A list whose `browse` answers 500 every time: an origin failure, not a verdict. */
  failing: "PLdowntubeFailingList000000000001",
} as const;

/** Entries of the long playlist. */
export const LONG_PLAYLIST_LENGTH = 250;
/** Uploads of the simulated channel. */
export const CHANNEL_UPLOADS = 75;
/** What YouTube shows in place of the title of a deleted or private entry. */
export const UNAVAILABLE_TITLES = { deleted: "[Deleted video]", private: "[Private video]" } as const;

const pad = (n: number, width: number) => String(n).padStart(width, "0");

function playable(id: string, title: string): FakeListEntry {
  return { id, title, lengthSeconds: 5, state: "ok" };
}

function unavailable(id: string, state: "deleted" | "private"): FakeListEntry {
  return { id, title: UNAVAILABLE_TITLES[state], lengthSeconds: 0, state };
}

/** Every simulated playlist. */
export const PLAYLISTS: readonly FakePlaylist[] = [
  {
    id: PLAYLIST_IDS.long,
    purpose: `${LONG_PLAYLIST_LENGTH} entries: three InnerTube pages, more than one GraphQL page`,
    title: "A long list 📼",
    description: "Every entry a playable video.",
    visibility: "public",
    entries: Array.from({ length: LONG_PLAYLIST_LENGTH }, (_, i) =>
      playable(`LongList${pad(i + 1, 3)}`, `Long list entry ${i + 1}`),
    ),
  },
  {
    id: PLAYLIST_IDS.mixed,
    purpose: "playable entries with a deleted and a private one among them",
    title: "Mixed list",
    description: "Two catalog videos, a deleted one, a private one and another playable one.",
    visibility: "public",
    entries: [
      playable(VIDEO_IDS.plain, "The first catalog video"),
      unavailable("Deleted0001", "deleted"),
      playable(VIDEO_IDS.cipher, "Ciphered formats (decipher + n-transform)"),
      unavailable("PrivEntry01", "private"),
      playable("MixedList05", "The last entry"),
    ],
  },
  {
    id: PLAYLIST_IDS.private,
    purpose: "a private list: an ERROR alert, as YouTube answers",
    title: "Private list",
    description: "",
    visibility: "private",
    entries: [playable(VIDEO_IDS.plain, "hidden")],
  },
];

/** The simulated channel's uploads, newest first. */
export const CHANNEL_UPLOAD_ENTRIES: readonly FakeListEntry[] = Array.from(
  { length: CHANNEL_UPLOADS },
  (_, i) => playable(`Upload${pad(CHANNEL_UPLOADS - i, 5)}`, `Upload number ${CHANNEL_UPLOADS - i}`),
);

/** The handle of the simulated channel (`/@downtubetest`), its custom URL and legacy user name alike. */
export const CHANNEL_HANDLE = `@${FAKE_CHANNEL.user}`;

const BY_ID = new Map(PLAYLISTS.map((list) => [list.id, list]));

/** The simulated playlist `id`, or undefined. */
export function fakePlaylist(id: string): FakePlaylist | undefined {
  return BY_ID.get(id);
}

const LISTED = new Map(
  [...PLAYLISTS.flatMap((list) => list.entries), ...CHANNEL_UPLOAD_ENTRIES]
    .filter((entry) => entry.state === "ok")
    .map((entry) => [entry.id, entry.title]),
);

/**
 * A playable video for a list entry that is not in the catalog, so every playable entry of a
 * simulated list can also be extracted and downloaded.
 */
export function listEntryVideo(id: string): CatalogVideo | undefined {
  const title = LISTED.get(id);
  return title === undefined ? undefined : listedVideo(id, title);
}
