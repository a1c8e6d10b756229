/**
 * The page for people: look a link up with the public GraphQL API, show the video and its
 * choices, and on a choice mint a download (`prepareDownload`) and hand it to the browser.
 */
import { choiceSize, clipOf, downloadChoices, formatDuration, subtitleChoices } from "./choices.js";
import { graphql } from "./graphql.js";
import { linkKind } from "./links.js";
import { createListView } from "./list-view.js";
import { messageFor, messageForCode } from "./messages.js";

const VIDEO_QUERY = `query PageVideo($url: String!) {
  video(url: $url) {
    id url title durationSeconds isLive
    author { name }
    thumbnails { width }
    formats { itag container qualityLabel height contentLength hasVideo hasAudio }
    captions { languageCode name kind }
  }
}`;

const PREPARE_MUTATION = `mutation PageDownload($input: PrepareDownloadInput!) {
  prepareDownload(input: $input) { url filename }
}`;

/** Where the API key is remembered in this browser. */
const KEY_STORAGE = "downtube.apiKey";

const byId = (id) => document.getElementById(id);
const form = byId("lookup");
const urlField = byId("url");
const keyField = byId("key");
const submit = byId("go");
const statusLine = byId("status");
const alertLine = byId("alert");
const result = byId("result");
const thumb = byId("thumb");
const title = byId("title");
const meta = byId("meta");
const choiceList = byId("choices");
const choicesHeading = byId("choices-heading");
const merged = document.body.dataset.merged === "on";
const listView = createListView({
  request: (query, variables) => graphql(query, variables, apiKey()),
  say: (text) => say(text),
  fail: (error) => fail(error),
  prepare: (label, button, mint) => prepare(label, button, mint),
  merged,
});

/** The remembered key, when the gateway asks for one. */
function apiKey() {
  return keyField?.value.trim() ?? "";
}

function rememberKey() {
  try {
    if (apiKey() === "") localStorage.removeItem(KEY_STORAGE);
    else localStorage.setItem(KEY_STORAGE, apiKey());
  } catch {
    // Storage can be switched off; the key then lasts as long as the page.
  }
}

function say(text) {
  statusLine.textContent = text;
}

function fail(error) {
  say("");
  alertLine.textContent = messageFor(error);
  if (error?.code === "UNAUTHENTICATED" && keyField) keyField.focus();
}

/** The video's picture, through the gateway (`/thumbnail/:id`): the browser talks to nothing else. */
function thumbnailOf(video) {
  return video.thumbnails.length > 0 ? `thumbnail/${encodeURIComponent(video.id)}` : undefined;
}

/** Starts the browser's download of a minted ticket, under the gateway's file name. */
function saveTicket(ticket) {
  const link = document.createElement("a");
  link.href = ticket.url;
  link.download = ticket.filename;
  link.hidden = true;
  document.body.append(link);
  link.click();
  link.remove();
}

/**
 * Mints a download when a button is pressed and hands it to the browser: the button is busy
 * meanwhile, the status line says what is made, an error is said in words.
 * @param label what is being prepared, for the status line
 * @param mint asks the API for the ticket (`{ url filename }`)
 */
async function prepare(label, button, mint) {
  alertLine.textContent = "";
  rememberKey();
  button.setAttribute("aria-busy", "true");
  button.disabled = true;
  say(`Preparing ${label}…`);
  try {
    const ticket = await mint();
    saveTicket(ticket);
    say(`Downloading “${ticket.filename}”.`);
  } catch (error) {
    fail(error);
  } finally {
    button.removeAttribute("aria-busy");
    button.disabled = false;
    // Disabling the button dropped its focus; give it back unless an error moved it on purpose.
    if (document.activeElement === document.body) button.focus();
  }
}

/** Prepares one download of `video` for a choice, with the From/To clip when one is filled in. */
function choose(video, choice, button) {
  const clip = clipOf(byId("clip-from").value, byId("clip-to").value, video.durationSeconds);
  if (clip === null) {
    alertLine.textContent = "From and To are times such as 1:30 (minutes:seconds), or empty.";
    return;
  }
  const input = choice.captions
    ? { url: video.url, captions: { ...choice.captions, format: "VTT" } }
    : {
        url: video.url,
        format: choice.selector,
        ...(choice.audio ? { audio: choice.audio } : {}),
        ...(clip === undefined ? {} : { clip }),
      };
  return prepare(choice.label, button, async () => {
    const data = await graphql(PREPARE_MUTATION, { input }, apiKey());
    return data.prepareDownload;
  });
}

function choiceButton(video, choice) {
  const button = document.createElement("button");
  button.type = "button";
  button.className = "choice";
  const name = document.createElement("span");
  name.className = "name";
  name.textContent = choice.label;
  button.append(name);
  const sizeText = choiceSize(choice);
  if (sizeText !== null) {
    const size = document.createElement("span");
    size.className = "size";
    size.textContent = sizeText;
    button.append(" ", size);
  }
  button.addEventListener("click", () => choose(video, choice, button));
  const item = document.createElement("li");
  item.append(button);
  return item;
}

function show(video) {
  const picture = thumbnailOf(video);
  thumb.hidden = picture === undefined;
  if (picture !== undefined) thumb.src = picture;
  else thumb.removeAttribute("src");
  title.textContent = video.title;
  const length = video.isLive ? "live now" : formatDuration(video.durationSeconds);
  meta.textContent = `${video.author.name} · ${length}`;
  // A broadcast still running has no file yet; the gateway refuses it (LIVE_NOT_SUPPORTED).
  const choices = video.isLive
    ? []
    : [
        ...downloadChoices(video.formats, { merged, durationSeconds: video.durationSeconds }),
        ...subtitleChoices(video.captions),
      ];
  choiceList.replaceChildren(...choices.map((choice) => choiceButton(video, choice)));
  choicesHeading.hidden = choices.length === 0;
  if (video.isLive) alertLine.textContent = messageForCode("LIVE_NOT_SUPPORTED");
  else if (choices.length === 0) alertLine.textContent = "This video offers nothing to download.";
  result.hidden = false;
  title.focus();
}

async function lookUp(link) {
  alertLine.textContent = "";
  if (link === "") {
    say("");
    alertLine.textContent = "Paste a video link first.";
    urlField.focus();
    return;
  }
  history.replaceState(null, "", `?url=${encodeURIComponent(link)}`);
  form.setAttribute("aria-busy", "true");
  submit.disabled = true;
  result.hidden = true;
  listView.hide();
  const kind = linkKind(link);
  say(kind === "video" ? "Looking up the video…" : `Looking up the ${kind}…`);
  try {
    if (kind !== "video") {
      await listView.show(kind, link);
      say("");
      return;
    }
    const data = await graphql(VIDEO_QUERY, { url: link }, apiKey());
    say("");
    if (data.video === null) alertLine.textContent = messageForCode("VIDEO_NOT_FOUND");
    else show(data.video);
  } catch (error) {
    fail(error);
  } finally {
    form.removeAttribute("aria-busy");
    submit.disabled = false;
  }
  // After an error, the link is ready to be corrected or replaced (unless the key field took focus).
  if (result.hidden && document.activeElement !== keyField) urlField.focus();
}

thumb.addEventListener("error", () => {
  thumb.hidden = true;
});
if (keyField) {
  try {
    keyField.value = localStorage.getItem(KEY_STORAGE) ?? "";
  } catch {
    // No storage: the field starts empty.
  }
  keyField.addEventListener("change", rememberKey);
}
form.addEventListener("submit", (event) => {
  event.preventDefault();
  rememberKey();
  lookUp(urlField.value.trim());
});

const shared = new URLSearchParams(location.search).get("url");
if (shared !== null && shared.trim() !== "") {
  urlField.value = shared.trim();
  lookUp(urlField.value);
}
