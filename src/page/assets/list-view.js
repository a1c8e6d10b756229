/**
 * The page's view of a playlist or a channel's uploads: title, how many entries, the first page
 * of entries and a "More" button that asks the API for the next page (its Relay cursor). Each
 * playable entry links to the page for that one video; deleted and private ones are listed,
 * marked unavailable, without a link. "Download all (ZIP)" mints one archive of the list
 * (`prepareArchive`) in the quality picked for every video.
 */
import { formatDuration } from "./choices.js";

/** Entries asked for per page (the API's default; at most 200). */
const PAGE_SIZE = 50;

const ENTRY_FIELDS = `
  pageInfo { hasNextPage endCursor }
  edges { node { index url title durationSeconds playable } }`;

const QUERIES = {
  playlist: `query PagePlaylist($url: String!, $first: Int, $after: String) {
  list: playlist(url: $url) {
    title videoCount
    author { name }
    videos(first: $first, after: $after) { totalCount ${ENTRY_FIELDS} }
  }
}`,
  channel: `query PageChannel($url: String!, $first: Int, $after: String) {
  list: channel(url: $url) {
    title: name
    videos(first: $first, after: $after) { totalCount ${ENTRY_FIELDS} }
  }
}`,
};

const ARCHIVE_MUTATION = `mutation PageArchive($input: PrepareArchiveInput!) {
  prepareArchive(input: $input) { url filename }
}`;

/**
 * The qualities that apply to every video of a list, as `prepareArchive` input: no `format` is
 * the best muxed MP4; a merge only where the schema offers `FormatKind.MERGED`.
 */
const ARCHIVE_CHOICES = [
  { label: "Best MP4 (video and audio in one file)", input: {} },
  { label: "Best quality, merged MP4", input: { format: { kind: "MERGED" } }, merged: true },
  { label: "MP3 audio", input: { audio: { format: "MP3" } } },
];

const byId = (id) => document.getElementById(id);

/** "250 videos", "1 video". */
function countText(count) {
  return `${count.toLocaleString("en")} ${count === 1 ? "video" : "videos"}`;
}

function entryItem(node) {
  const item = document.createElement("li");
  item.value = node.index;
  if (node.playable) {
    const link = document.createElement("a");
    link.href = `?url=${encodeURIComponent(node.url)}`;
    link.textContent = node.title;
    item.append(link);
  } else {
    item.className = "unplayable";
    const name = document.createElement("span");
    name.textContent = node.title;
    item.append(name, " (unavailable)");
  }
  if (node.durationSeconds !== null) {
    const length = document.createElement("span");
    length.className = "length";
    length.textContent = formatDuration(node.durationSeconds);
    item.append(" ", length);
  }
  return item;
}

/**
 * The list view over the page's `#list` section.
 * @param request runs a GraphQL operation (the page's `graphql` with its API key) and returns `data`
 * @param say writes the status line; `fail` shows an error in words
 * @param prepare the page's `prepare(label, button, mint)`: mints a ticket and starts its download
 * @param merged the schema offers `FormatKind.MERGED`
 */
export function createListView({ request, say, fail, prepare, merged }) {
  const section = byId("list");
  const heading = byId("list-title");
  const meta = byId("list-meta");
  const entries = byId("entries");
  const more = byId("more");
  const archiveChoice = byId("archive-choice");
  const archive = byId("archive");
  const choices = ARCHIVE_CHOICES.filter((choice) => merged || !choice.merged);
  archiveChoice.replaceChildren(...choices.map((choice, i) => new Option(choice.label, String(i))));
  let current;

  async function page(after) {
    const data = await request(QUERIES[current.kind], { url: current.link, first: PAGE_SIZE, after });
    if (data.list === null) throw new Error("the list vanished");
    const { videos } = data.list;
    entries.append(...videos.edges.map((edge) => entryItem(edge.node)));
    current.after = videos.pageInfo.endCursor;
    more.hidden = !videos.pageInfo.hasNextPage;
    return data.list;
  }

  more.addEventListener("click", async () => {
    more.disabled = true;
    more.setAttribute("aria-busy", "true");
    say("Loading more…");
    const shown = entries.children.length;
    try {
      await page(current.after);
      say(`${entries.children.length} shown.`);
      // The first new entry takes focus, so keyboard and screen reader users go on from there.
      entries.children[shown]?.querySelector("a")?.focus();
    } catch (error) {
      fail(error);
    } finally {
      more.disabled = false;
      more.removeAttribute("aria-busy");
      // Disabling the button dropped its focus: give it back when no new entry took it.
      if (document.activeElement === document.body) (more.hidden ? heading : more).focus();
    }
  });

  archive.addEventListener("click", () => {
    const choice = choices[Number(archiveChoice.value)];
    // All of the list, up to what the gateway allows in one archive (it clamps `maxItems`).
    const input = {
      playlistUrl: current.link,
      ...choice.input,
      ...(current.count ? { maxItems: current.count } : {}),
    };
    prepare(`a ZIP of the list: ${choice.label}`, archive, async () => {
      const data = await request(ARCHIVE_MUTATION, { input });
      return data.prepareArchive;
    });
  });

  return {
    hide() {
      section.hidden = true;
    },
    /** Looks `link` up as a `kind` ("playlist" or "channel") and shows its first page. Throws the API's error. */
    async show(kind, link) {
      current = { kind, link, after: null };
      entries.replaceChildren();
      const list = await page(null);
      heading.textContent = list.title;
      const count = list.videos.totalCount ?? list.videoCount;
      current.count = count;
      meta.textContent = [list.author?.name, count == null ? null : countText(count)]
        .filter((part) => part)
        .join(" · ");
      section.hidden = false;
      heading.focus();
    },
  };
}
