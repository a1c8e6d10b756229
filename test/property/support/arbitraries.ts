import fc from "fast-check";

/** A hostile value, with whether it is certainly not a YouTube URL or id (so no origin request). */
export interface Hostile {
  readonly value: string;
  readonly certainlyInvalid: boolean;
}

const ID_RUN = /[A-Za-z0-9_-]{11}/;

/**
 * True when `text` cannot name a YouTube video: every accepted form (a bare id, `watch?v=`,
 * `youtu.be/`, `/shorts/`, …) holds an 11-character run of the id alphabet, once the URL parser
 * has dropped tabs and newlines and `searchParams` has percent-decoded the query. An oracle
 * independent of the gateway's own URL parser.
 */
export function certainlyNotAVideo(text: string): boolean {
  const stripped = text.replace(/[\t\n\r]/g, "");
  const decoded = stripped.replace(/%([0-9a-f]{2})/gi, (_, hex: string) =>
    String.fromCharCode(Number.parseInt(hex, 16)),
  );
  return !ID_RUN.test(stripped) && !ID_RUN.test(decoded);
}

/**
 * Ids that are well-formed but random: the gateway has not cached them, so a look-alike URL it
 * wrongly accepted would show as a request to the origin.
 */
const freshId = fc.stringMatching(/^[A-Za-z0-9_-]{11}$/);

/** Every form of a video's URL the README promises to accept. */
const REAL_FORMS: readonly ((id: string) => string)[] = [
  (id) => id,
  (id) => `https://www.youtube.com/watch?v=${id}`,
  (id) => `https://www.youtube.com/watch?v=${id}&t=42s`,
  (id) => `https://youtu.be/${id}`,
  (id) => `youtu.be/${id}?si=abc`,
  (id) => `https://www.youtube.com/shorts/${id}`,
  (id) => `https://www.youtube.com/embed/${id}`,
  (id) => `https://www.youtube.com/live/${id}`,
  (id) => `https://music.youtube.com/watch?v=${id}`,
  (id) => `https://m.youtube.com/watch?v=${id}`,
  (id) => `https://www.youtube-nocookie.com/embed/${id}`,
];
const realUrl = fc.tuple(fc.constantFrom(...REAL_FORMS), freshId).map(([form, id]) => form(id));

/** Ids one character short or long: never an id, whatever URL carries them. */
const wrongLengthId = fc.oneof(
  fc.stringMatching(/^[A-Za-z0-9_-]{1,10}$/),
  fc.stringMatching(/^[A-Za-z0-9_-]{12,40}$/),
);

/** Mutations of a real URL that make it certainly invalid (by the README's rules). */
const brokenYouTubeUrl: fc.Arbitrary<string> = fc.oneof(
  // Look-alike hosts.
  fc
    .constantFrom(
      "youtube.com.evil.example",
      "evil-youtube.com",
      "youtubee.com",
      "youtu.be.example",
      "xn--youtube-9ya.com",
      "youtube.co",
      "yt.be",
      "vimeo.com",
      "127.0.0.1",
      "localhost",
    )
    .chain((host) =>
      freshId.chain((id) =>
        fc.constantFrom(`https://${host}/watch?v=${id}`, `http://${host}/${id}`, `${host}/embed/${id}`),
      ),
    ),
  // Schemes a link could carry.
  fc
    .tuple(
      fc.constantFrom("javascript:", "data:text/html,", "ftp://", "file://", "ws://", "blob:", "about:"),
      freshId,
    )
    .map(([scheme, id]) => `${scheme}youtu.be/${id}`),
  // A real form around an id of the wrong length.
  fc
    .tuple(
      fc.constantFrom("", "https://youtu.be/", "https://www.youtube.com/watch?v=", "youtube.com/shorts/"),
      wrongLengthId,
    )
    .map(([prefix, id]) => `${prefix}${id}`),
  // Paths that take no id.
  fc
    .tuple(fc.constantFrom("channel", "user", "playlist", "results", "feed", "@handle"), freshId)
    .map(([path, id]) => `https://www.youtube.com/${path}/${id}`),
);

/** Mutations of a real URL that may or may not still be valid: checked for < 500 only. */
const mutatedYouTubeUrl: fc.Arbitrary<string> = fc
  .tuple(
    realUrl,
    fc.nat(60),
    fc.oneof(
      fc.string({ maxLength: 8 }),
      fc.string({ unit: "binary", maxLength: 4 }),
      fc.constantFrom(
        "%",
        "%zz",
        "%00",
        "\u0000",
        "\ud800",
        "\u202e",
        "\t",
        "\n",
        "../",
        "?v=",
        "#",
        "@",
        "\\",
      ),
    ),
    fc.constantFrom("insert", "replace", "truncate", "append", "repeat"),
  )
  .map(([url, at, text, how]) => {
    const i = at % (url.length + 1);
    switch (how) {
      case "insert":
        return url.slice(0, i) + text + url.slice(i);
      case "replace":
        return url.slice(0, i) + text + url.slice(i + text.length);
      case "truncate":
        return url.slice(0, i);
      case "append":
        return url + text;
      default:
        return url.repeat(1 + (at % 5));
    }
  });

/** Text of every kind a user, a bot or an attacker could send where a video URL is expected. */
export const hostileUrl: fc.Arbitrary<Hostile> = fc.oneof(
  { weight: 3, arbitrary: fc.string({ maxLength: 80 }).map(judge) },
  { weight: 3, arbitrary: fc.string({ unit: "binary", maxLength: 80 }).map(judge) },
  { weight: 2, arbitrary: fc.webUrl({ withQueryParameters: true, withFragments: true }).map(judge) },
  { weight: 3, arbitrary: brokenYouTubeUrl.map((value) => ({ value, certainlyInvalid: true })) },
  { weight: 3, arbitrary: mutatedYouTubeUrl.map(judge) },
  // Lone surrogates, controls, bidi overrides, blanks.
  {
    weight: 1,
    arbitrary: fc
      .constantFrom("", " ", "\t\n", "\u0000", "\ud800", "\udfff", "\u202e", "\ufeff", "\u00a0")
      .map(judge),
  },
  // Around and far beyond the 2048-character limit, and beyond the 64 KiB body limit.
  {
    weight: 1,
    arbitrary: fc
      .tuple(fc.constantFrom(2047, 2048, 2049, 5000, 70_000), fc.constantFrom("a", "é", "🎬", "%", "/"))
      .map(([length, unit]) => judge(unit.repeat(length))),
  },
);

function judge(value: string): Hostile {
  return { value, certainlyInvalid: certainlyNotAVideo(value) };
}

/** Any JSON value GraphQL variables could carry in place of a typed argument. */
export const anyJson: fc.Arbitrary<unknown> = fc.oneof(
  fc.string({ maxLength: 20 }),
  fc.integer(),
  fc.constantFrom(0, -1, 2 ** 31, -(2 ** 31) - 1, 2 ** 53, Number.MAX_VALUE, 1e308, 0.5, -0),
  fc.double(),
  fc.boolean(),
  fc.constant(null),
  fc.array(fc.string({ maxLength: 5 }), { maxLength: 3 }),
  fc.dictionary(fc.string({ maxLength: 5 }), fc.string({ maxLength: 5 }), { maxKeys: 3 }),
);

/** A `FormatSelector` with fields of the right type and of any type. */
export const hostileFormat: fc.Arbitrary<unknown> = fc.oneof(
  fc.record(
    {
      itag: fc.oneof(fc.integer(), fc.constantFrom(18, 22, 137, 140, 251, 0, -18), anyJson),
      quality: fc.oneof(fc.constantFrom("HIGHEST", "LOWEST", "highest", ""), anyJson),
      kind: fc.oneof(fc.constantFrom("MUXED", "VIDEO_ONLY", "AUDIO_ONLY", "muxed"), anyJson),
      container: fc.oneof(fc.constantFrom("mp4", "webm", "MP4", "mkv", "../mp4", "a".repeat(11)), anyJson),
      maxHeight: fc.oneof(fc.integer(), anyJson),
      unknownField: anyJson,
    },
    { requiredKeys: [] },
  ),
  anyJson,
);
