/** What the page's HTML depends on besides its assets. */
export interface PageHtmlOptions {
  /** Path prefix of the versioned assets, e.g. `/page/1a2b3c`. */
  readonly assetBase: string;
  /** The schema offers `FormatKind.MERGED`: the page then lists video-only heights merged with audio. */
  readonly mergedDownloads: boolean;
  /** `DOWNTUBE_API_KEYS` is set: the page shows a key field. */
  readonly apiKeyRequired: boolean;
}

/**
 * The page for people: a form for a video link, then its choices. Static HTML with no inline
 * script or style (the Content-Security-Policy forbids them); what the script needs to know
 * comes as `data-` attributes of `<body>`. Without JavaScript the form still submits `?url=`.
 */
export function renderPageHtml({ assetBase, mergedDownloads, apiKeyRequired }: PageHtmlOptions): string {
  const keyField = apiKeyRequired
    ? // No `name`: the key never becomes part of the form's `?url=` address, only of request headers.
      `<div class="field">
<label for="key">API key</label>
<input id="key" type="password" autocomplete="off" spellcheck="false" aria-describedby="key-hint">
<p id="key-hint" class="hint">This gateway asks for a key. It stays in this browser.</p>
</div>
`
    : "";
  return `<!doctype html>
<html lang="en">
<head>
<meta charset="utf-8">
<meta name="viewport" content="width=device-width, initial-scale=1">
<meta name="color-scheme" content="light dark">
<meta name="referrer" content="no-referrer">
<title>downtube: download a video</title>
<meta name="description" content="Paste a video link, pick a quality, get the file.">
<link rel="icon" href="${assetBase}/icon.svg" type="image/svg+xml">
<link rel="stylesheet" href="${assetBase}/page.css">
<script type="module" src="${assetBase}/page.js"></script>
</head>
<body data-merged="${mergedDownloads ? "on" : "off"}" data-api-key="${apiKeyRequired ? "required" : "none"}">
<main>
<header>
<h1><img src="${assetBase}/icon.svg" alt="" width="32" height="32"> downtube</h1>
<p>Paste a video link, pick a quality, get the file.</p>
</header>
<form id="lookup" action="/" method="get" novalidate>
${keyField}<label for="url">Video link</label>
<div class="row">
<input id="url" name="url" type="text" inputmode="url" autocomplete="off" spellcheck="false" autofocus
  placeholder="https://www.youtube.com/watch?v=…" aria-describedby="url-hint">
<button id="go" type="submit">Get the file</button>
</div>
<p id="url-hint" class="hint">A YouTube link (watch, youtu.be, shorts, music…, a playlist or a channel) or an 11-character video id.</p>
</form>
<p id="status" role="status" aria-live="polite"></p>
<p id="alert" role="alert"></p>
<section id="result" aria-labelledby="title" hidden>
<img id="thumb" alt="" width="480" height="360" referrerpolicy="no-referrer" hidden>
<div class="about">
<h2 id="title" tabindex="-1"></h2>
<p id="meta"></p>
</div>
<h3 id="choices-heading">Download</h3>
<ul id="choices" aria-labelledby="choices-heading"></ul>
<fieldset id="clip" class="clip">
<legend>Only a part? Fill in before choosing (m:ss)</legend>
<label for="clip-from">From</label> <input id="clip-from" type="text" inputmode="numeric" placeholder="0:00" size="7" autocomplete="off">
<label for="clip-to">To</label> <input id="clip-to" type="text" inputmode="numeric" placeholder="end" size="7" autocomplete="off">
</fieldset>
</section>
<section id="list" aria-labelledby="list-title" hidden>
<div class="about">
<h2 id="list-title" tabindex="-1"></h2>
<p id="list-meta"></p>
</div>
<div id="list-actions">
<label for="archive-choice">Quality of every video</label>
<div class="row">
<select id="archive-choice" aria-describedby="archive-hint"></select>
<button id="archive" type="button">Download all (ZIP)</button>
</div>
<p id="archive-hint" class="hint">One ZIP file of the list's playable videos, in list order, as many as this gateway puts in one archive.</p>
</div>
<ol id="entries" aria-labelledby="list-title"></ol>
<button id="more" type="button" hidden>More</button>
</section>
<noscript><p>This page needs JavaScript. Programs can use the GraphQL API at <a href="/graphql">/graphql</a>.</p></noscript>
</main>
</body>
</html>
`;
}
