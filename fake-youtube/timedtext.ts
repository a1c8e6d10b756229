/**
 * The simulated `/api/timedtext`: one track's source text (`captions.ts`) rendered in the format
 * asked for (`fmt=json3`, `srv3`, `vtt`, or YouTube's default XML transcript), translated with
 * `tlang` when the track allows it, and the hostile tracks' bodies.
 */
import {
  captionTracksOf,
  type FakeCaptionTrack,
  type FakeCue,
  TRANSLATION_LANGUAGES,
  translatedText,
} from "./captions.ts";
import type { Json } from "./player-response.ts";

const escapeXml = (text: string): string =>
  text.replace(/&/g, "&amp;").replace(/</g, "&lt;").replace(/>/g, "&gt;").replace(/"/g, "&quot;");

const json3Manual = (cues: readonly FakeCue[]): Json[] =>
  cues.map((cue) => ({ tStartMs: cue.startMs, dDurationMs: cue.durationMs, segs: [{ utf8: cue.text }] }));

/** Automatic tracks: one seg per word with its offset, a window event first, "\n" append events between. */
function json3Automatic(cues: readonly FakeCue[]): Json[] {
  const total = cues.reduce((end, cue) => Math.max(end, cue.startMs + cue.durationMs), 0);
  const events: Json[] = [{ tStartMs: 0, dDurationMs: total, id: 1, wpWinPosId: 1, wsWinStyleId: 1 }];
  for (const cue of cues) {
    const words = cue.text.split(" ");
    const step = Math.floor(cue.durationMs / (words.length + 1));
    events.push({
      tStartMs: cue.startMs,
      dDurationMs: cue.durationMs,
      wWinId: 1,
      segs: words.map(
        (word, i): Json =>
          i === 0 ? { utf8: word, acAsrConf: 0 } : { utf8: ` ${word}`, tOffsetMs: i * step, acAsrConf: 0 },
      ),
    });
    events.push({
      tStartMs: cue.startMs + cue.durationMs - 10,
      dDurationMs: 10,
      wWinId: 1,
      aAppend: 1,
      segs: [{ utf8: "\n" }],
    });
  }
  return events;
}

const clock = (ms: number): string => {
  const h = Math.floor(ms / 3_600_000);
  const m = Math.floor(ms / 60_000) % 60;
  const s = Math.floor(ms / 1000) % 60;
  const pad = (n: number, width = 2) => String(n).padStart(width, "0");
  return `${pad(h)}:${pad(m)}:${pad(s)}.${pad(ms % 1000, 3)}`;
};

function render(track: FakeCaptionTrack, cues: readonly FakeCue[], fmt: string | null): Response {
  if (fmt === "json3") {
    // A hostile track's events are served as they are, whatever their shape.
    const events =
      (track.rawEvents as Json[] | undefined) ??
      (track.kind === "auto" ? json3Automatic(cues) : json3Manual(cues));
    return Response.json(
      { wireMagic: "pb3", pens: [{}], events },
      { headers: { "content-type": "application/json; charset=UTF-8" } },
    );
  }
  if (fmt === "srv3") {
    const body = cues
      .map((c) => `<p t="${c.startMs}" d="${c.durationMs}">${escapeXml(c.text)}</p>`)
      .join("\n");
    return xml(`<timedtext format="3">\n<body>\n${body}\n</body>\n</timedtext>`);
  }
  if (fmt === "vtt") {
    const body = cues.map(
      (c) => `${clock(c.startMs)} --> ${clock(c.startMs + c.durationMs)}\n${escapeXml(c.text)}`,
    );
    return new Response(`WEBVTT\nKind: captions\nLanguage: ${track.languageCode}\n\n${body.join("\n\n")}\n`, {
      headers: { "content-type": "text/vtt; charset=utf-8" },
    });
  }
  // The default transcript: the text is HTML-escaped, then escaped again as XML.
  const body = cues
    .map(
      (c) =>
        `<text start="${c.startMs / 1000}" dur="${c.durationMs / 1000}">${escapeXml(escapeXml(c.text))}</text>`,
    )
    .join("");
  return xml(`<transcript>${body}</transcript>`);
}

const xml = (body: string) =>
  new Response(`<?xml version="1.0" encoding="utf-8" ?>${body}`, {
    headers: { "content-type": "text/xml; charset=UTF-8" },
  });

/** A json3 body that never ends on its own: a gigabyte of events, made as it is read. */
function gigabyte(): Response {
  const chunk = new TextEncoder().encode(
    `{"tStartMs":0,"dDurationMs":1,"segs":[{"utf8":"${"z".repeat(4000)}"}]},`,
  );
  let sent = 0;
  const body = new ReadableStream<Uint8Array>({
    start(controller) {
      controller.enqueue(new TextEncoder().encode('{"events":['));
    },
    pull(controller) {
      if (sent >= 1024 ** 3) return controller.close();
      sent += chunk.length;
      controller.enqueue(chunk);
    },
  });
  return new Response(body, { headers: { "content-type": "application/json" } });
}

/** Answers `/api/timedtext?v=…&lang=…[&kind=asr][&fmt=…][&tlang=…]`. */
export function serveTimedtext(url: URL): Response {
  const query = url.searchParams;
  const kind = query.get("kind") === "asr" ? "auto" : "manual";
  const track = captionTracksOf(query.get("v") ?? "").find(
    (t) => t.languageCode === query.get("lang") && t.kind === kind,
  );
  // YouTube answers an unknown track with an empty 200; a 404 keeps mistakes visible in tests.
  if (track === undefined) return new Response("no such track", { status: 404 });
  if (track.hostile === "gigabyte") return gigabyte();
  // Headers, then nothing, until the client goes away.
  if (track.hostile === "silent")
    return new Response(new ReadableStream({ pull: () => new Promise(() => undefined) }));
  if (track.hostile === "not-json")
    return new Response("<html>not captions</html>", { headers: { "content-type": "text/html" } });
  const tlang = query.get("tlang");
  if (tlang === null) return render(track, track.cues, query.get("fmt"));
  if (!track.translatable || !TRANSLATION_LANGUAGES.some((l) => l.code === tlang)) {
    return new Response("cannot translate this track", { status: 400 });
  }
  const cues = track.cues.map((cue) => ({ ...cue, text: translatedText(cue.text, tlang) }));
  return render(track, cues, query.get("fmt"));
}
