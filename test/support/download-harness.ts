/**
 * The download handler in process, as Hono and yoga test theirs: a `Request` in, a `Response`
 * out, no socket. Behind it the real planner, responders, tokens, byte allowance, rate limiter
 * and stream slots; in front of the origin a fake `VideoSource` that serves bytes from memory and
 * can fail on demand, and a fake `FfmpegRunner` that records each job and writes its inputs one
 * after another (or fails) instead of running ffmpeg.
 */

import type { Cue } from "../../src/core/caption-cues.ts";
import { MediaUrlExpiredError, UpstreamError, VideoNotFoundError } from "../../src/core/errors.ts";
import type { FfmpegJob, FfmpegRunner } from "../../src/core/ffmpeg-job.ts";
import type { Logger } from "../../src/core/logger.ts";
import type { MediaLocation } from "../../src/core/media-location.ts";
import type { ByteRange, VideoSource } from "../../src/core/ports.ts";
import { createSharedExtraction } from "../../src/core/shared-extraction.ts";
import type { CaptionTrack, MediaFormat, VideoInfo, VideoRef } from "../../src/core/video.ts";
import { createVideoService, DEFAULT_EGRESS_ID } from "../../src/core/video-service.ts";
import { createDownloadHandler, type DownloadHandler } from "../../src/download/download-handler.ts";
import type { Client } from "../../src/limits/client-identity.ts";
import { createRateLimiter } from "../../src/limits/rate-limiter.ts";
import { createStreamSlots } from "../../src/limits/stream-slots.ts";
import { openAll } from "../../src/media/open-all.ts";
import { createMemoryStore } from "../../src/stores/memory-store.ts";
import { createByteAllowance } from "../../src/tokens/byte-allowance.ts";
import type { Delivery } from "../../src/tokens/download-claims.ts";
import { createTokenService } from "../../src/tokens/token-service.ts";
import { mediaFormat } from "./media-format.ts";

export const VIDEO_ID = "Harness0001";
const SECRET = { kid: "k1", key: new TextEncoder().encode("h".repeat(32)) };

/** A format served from memory: its bytes are `size` bytes counting up from its itag. */
export function bytesOf(itag: number, size: number): Uint8Array<ArrayBuffer> {
  return Uint8Array.from({ length: size }, (_, i) => (itag + i) % 251);
}

function formatOf(
  itag: number,
  size: number,
  mimeType: string,
  av: { video: boolean; audio: boolean },
): MediaFormat {
  return mediaFormat(itag, {
    mimeType,
    container: mimeType.split("/")[1],
    contentLength: size,
    hasVideo: av.video,
    hasAudio: av.audio,
    url: `https://media.example/${itag}?v=1`,
  });
}

/** The formats of the harness video: a muxed file, a video-only and an audio-only one, and an empty file. */
export const FORMATS = {
  muxed: formatOf(18, 1000, "video/mp4", { video: true, audio: true }),
  video: { ...formatOf(137, 700, "video/mp4", { video: true, audio: false }), videoCodec: "avc1.4d401f" },
  audio: { ...formatOf(140, 300, "audio/mp4", { video: false, audio: true }), audioCodec: "mp4a.40.2" },
  empty: formatOf(99, 0, "video/mp4", { video: true, audio: true }),
};

/** The one caption track of the harness video (English, manual) and its cues, in milliseconds. */
export const CAPTION_TRACK: CaptionTrack = {
  languageCode: "en",
  name: "English",
  kind: "manual",
  translatable: false,
  url: "https://www.youtube.com/api/timedtext?v=Harness0001&lang=en",
};
export const CAPTION_CUES: readonly Cue[] = [
  { startMs: 0, endMs: 1000, text: "first" },
  { startMs: 1000, endMs: 2500, text: "second & last" },
];

/** What the fake origin does on the next `open` calls. */
export interface OriginBehaviour {
  /** Answer the first `open` with MediaUrlExpiredError (the origin's 403), as googlevideo does. */
  expireOnce?: boolean;
  /** Refuse every `open` before the first byte. */
  failBeforeFirstByte?: boolean;
  /** Error the body after this many bytes. */
  cutAfter?: number;
  /** Refuse every `open` of this video before the first byte. */
  refuseVideo?: string;
  /** What `locate` answers (offload mode). */
  location?: MediaLocation;
  /** The thumbnails the video lists, largest first, and the bytes of each (none: a 404). */
  thumbnails?: { url: string; width: number; bytes?: Uint8Array }[];
}

export interface Harness {
  readonly download: DownloadHandler;
  /** Signs a token for the harness video. */
  token(
    delivery: Delivery,
    extra?: { maxUses?: number; filename?: string; videoId?: string },
  ): Promise<string>;
  /** Redeems `token` with a request of that method and headers; `onClose` callbacks are run when the body ends. */
  redeem(token: string, init?: RequestInit & { attempt?: "download" | "refresh" }): Promise<Response>;
  readonly origin: OriginBehaviour;
  /** Every `open`: which format, which range, and whether it came from a fresh extraction. */
  readonly opens: { itag: number; range: ByteRange; extraction: number; video: string }[];
  /** The URL of every thumbnail fetched. */
  readonly thumbnailFetches: string[];
  /** Every job the fake ffmpeg was given. */
  readonly jobs: FfmpegJob[];
  /** The fake ffmpeg: `fail` makes the next jobs fail before their first byte. */
  readonly ffmpeg: { present: boolean; fail: boolean };
  /** Streams (gateway files, ffmpeg jobs) holding a slot now. */
  activeSlots(): number;
  /** The language of every caption track the source was asked for. */
  readonly captionReads: readonly string[];
  extractions(): number;
}

const quietLog: Logger = { info: () => undefined, warn: () => undefined, error: () => undefined };

/** Builds a handler over fakes at the edges and the real middle. */
export function createHarness(options: { offload?: "none" | "nginx"; maxStreams?: number } = {}): Harness {
  const clock = () => Date.UTC(2026, 0, 1);
  const origin: OriginBehaviour = {};
  const opens: Harness["opens"] = [];
  const thumbnailFetches: string[] = [];
  const jobs: FfmpegJob[] = [];
  const ffmpegState = { present: true, fail: false };
  let extractions = 0;
  let active = 0;
  const captionReads: string[] = [];

  const all = Object.values(FORMATS);
  const source: VideoSource = {
    name: "youtube",
    // Any 11-character id is a video (an archive names several); ids starting `Gone` are not found.
    parse: (input): VideoRef | undefined =>
      /^[\w-]{11}$/.test(input) ? { source: "youtube", id: input } : undefined,
    async getInfo(ref): Promise<VideoInfo> {
      extractions += 1;
      if (ref.id.startsWith("Gone")) throw new VideoNotFoundError("this video does not exist");
      return {
        ref,
        url: `https://www.youtube.com/watch?v=${ref.id}`,
        title: ref.id === VIDEO_ID ? "Harness" : `Video ${ref.id}`,
        description: undefined,
        author: undefined,
        durationSeconds: 10,
        viewCount: undefined,
        publishDate: undefined,
        isLive: false,
        thumbnails: (origin.thumbnails ?? []).map(({ url, width }) => ({ url, width, height: width })),
        chapters: [],
        formats: all,
        captions: [CAPTION_TRACK],
        captionTranslationLanguages: [],
      };
    },
    async captions(_ref, track) {
      captionReads.push(track.languageCode);
      return CAPTION_CUES;
    },
    sizeOf: async (format) => format.contentLength ?? 0,
    async open(ref, format, range) {
      opens.push({ itag: format.itag, range, extraction: extractions, video: ref.id });
      if (origin.refuseVideo === ref.id) throw new UpstreamError("the origin answered 503");
      if (origin.expireOnce) {
        origin.expireOnce = false;
        throw new MediaUrlExpiredError("the origin refused the media URL (403)");
      }
      if (origin.failBeforeFirstByte) throw new UpstreamError("the origin answered 503");
      const bytes = bytesOf(format.itag, format.contentLength ?? 0).subarray(range.start, range.end + 1);
      const cut = origin.cutAfter;
      return {
        body: new ReadableStream<Uint8Array>({
          start(controller) {
            if (cut === undefined) {
              controller.enqueue(bytes.slice());
              controller.close();
              return;
            }
            controller.enqueue(bytes.slice(0, cut));
            controller.error(new UpstreamError("the origin's connection dropped mid-transfer"));
          },
        }),
      };
    },
    locate: async () => origin.location,
    async thumbnail(_ref, thumbnail) {
      thumbnailFetches.push(thumbnail.url);
      const bytes = origin.thumbnails?.find((t) => t.url === thumbnail.url)?.bytes;
      if (bytes === undefined) throw new UpstreamError("the image origin answered HTTP 404");
      return { bytes, contentType: "image/jpeg" };
    },
  };

  const store = createMemoryStore({ maxEntries: 100, clock });
  const videos = createVideoService({
    sources: [source],
    store,
    cacheTtlMs: 600_000,
    egressId: DEFAULT_EGRESS_ID,
    shared: createSharedExtraction({
      lock: undefined,
      lockTtlMs: 1_000,
      maxWaitMs: 1_000,
      pollMs: 50,
      sleep: (ms) => Bun.sleep(ms),
      clock,
    }),
  });
  const ffmpeg: FfmpegRunner = {
    available: async () => ffmpegState.present,
    async run(job, signal) {
      jobs.push(job);
      const inputs = await openAll(job.inputs, signal);
      if (ffmpegState.fail) {
        await Promise.all(inputs.map((input) => input.cancel("ffmpeg failed")));
        throw new UpstreamError("the download could not be made from the source's media");
      }
      // "ffmpeg" writes its inputs one after the other.
      return new ReadableStream<Uint8Array>({
        async start(controller) {
          try {
            for (const input of inputs) {
              const reader = input.getReader();
              for (let read = await reader.read(); !read.done; read = await reader.read())
                controller.enqueue(read.value);
            }
            controller.close();
          } catch (error) {
            controller.error(error);
          }
        },
      });
    },
    close: async () => undefined,
  };
  const tokens = createTokenService({ secrets: [SECRET], clock, randomId: () => crypto.randomUUID() });
  const download = createDownloadHandler({
    videos,
    log: quietLog,
    allowance: createByteAllowance(store, clock),
    offload: options.offload ?? "none",
    maxCaptionBytes: 5 * 1024 * 1024,
    ffmpeg,
    limiter: createRateLimiter({
      store,
      clock,
      windowMs: 60_000,
      limits: { metadata: 1000, prepare: 1000, download: 1000 },
    }),
    slots: createStreamSlots({ total: options.maxStreams ?? 10, perClient: options.maxStreams ?? 10 }),
    ffmpegSlots: createStreamSlots({ total: 10, perClient: 10 }),
    tokens,
  });
  const client: Client = { id: "ip:192.0.2.1", apiKeyId: undefined };

  return {
    download,
    origin,
    opens,
    thumbnailFetches,
    jobs,
    ffmpeg: ffmpegState,
    activeSlots: () => active,
    extractions: () => extractions,
    captionReads,
    async token(delivery, extra = {}) {
      const signed = await tokens.sign(
        {
          source: "youtube",
          videoId: extra.videoId ?? VIDEO_ID,
          delivery,
          disposition: "attachment",
          filename: extra.filename ?? "Harness.mp4",
          maxUses: extra.maxUses,
        },
        600,
      );
      return signed.token;
    },
    async redeem(token, init = {}) {
      const { attempt, ...rest } = init;
      const request = new Request(`http://gateway.test/download/${token}`, rest);
      const callbacks: (() => void)[] = [];
      const response = await download(
        request,
        token,
        client,
        (callback) => {
          active += 1;
          callbacks.push(callback);
        },
        attempt,
      );
      const release = () => {
        for (const callback of callbacks.splice(0)) {
          active -= 1;
          callback();
        }
      };
      if (response.body === null) {
        release();
        return response;
      }
      // The listener runs onClose once the body is over, however it ends: so does the harness.
      const reader = response.body.getReader();
      const body = new ReadableStream<Uint8Array>({
        async pull(controller) {
          try {
            const read = await reader.read();
            if (read.done) {
              release();
              controller.close();
            } else controller.enqueue(read.value);
          } catch (error) {
            release();
            controller.error(error);
          }
        },
        async cancel(reason) {
          release();
          await reader.cancel(reason);
        },
      });
      return new Response(body, { status: response.status, headers: response.headers });
    },
  };
}
