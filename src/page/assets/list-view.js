/**
 * The page's view of a playlist or a channel's uploads: title, how many entries, the first page
 * of entries and a "More" button that asks the API for the next page (its Relay cursor). Each
 * playable entry links to the page for that one video; deleted and private ones are listed,
 * marked unavailable, without a link.
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
 */
export function createListView({ request, say, fail }) {
  const section = byId("list");
  const heading = byId("list-title");
  const meta = byId("list-meta");
  const entries = byId("entries");
  const more = byId("more");
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
      meta.textContent = [list.author?.name, count == null ? null : countText(count)]
        .filter((part) => part)
        .join(" · ");
      section.hidden = false;
      heading.focus();
    },
  };
}
