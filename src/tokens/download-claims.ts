import { z } from "zod";
import {
  AUDIO_FILES,
  AUDIO_KBPS,
  type AudioDecision,
  type AudioFile,
  type AudioFormat,
  type AudioRequest,
} from "../core/audio-output.ts";
import type { CaptionFormat } from "../core/caption-file.ts";
import type { TimeRange } from "../core/ffmpeg-job.ts";
import type { FormatSelector } from "../core/format-selection.ts";
import type { MergeContainer } from "../core/merge-selection.ts";
import type { CaptionKind, SourceName } from "../core/video.ts";
import type { Disposition } from "../download/content-disposition.ts";

/**
 * What a token delivers. A `file` is one format of the video, served as it is: fixed bytes of
 * a known size, so Range, ETag and an exact Content-Length apply.
 */
export interface FileDelivery {
  readonly kind: "file";
  /** The source's format id. */
  readonly itag: number;
  /** Only this time range, cut by ffmpeg while it streams (no known size, no Range). */
  readonly clip?: TimeRange | undefined;
  /** Caption tracks ffmpeg adds to the file as subtitle streams (the file is then made, not sent as is). */
  readonly embedCaptions?: readonly EmbeddedCaption[] | undefined;
}

/** One caption track embedded in a video download, chosen when the ticket was prepared. */
export interface EmbeddedCaption {
  readonly languageCode: string;
  readonly kind: CaptionKind;
}

/**
 * `captions`: one caption track of the video as a file the gateway writes (WebVTT or SubRip),
 * translated by the source when `translateTo` is set. Fixed bytes once written: Range applies.
 */
export interface CaptionsDelivery {
  readonly kind: "captions";
  readonly languageCode: string;
  readonly captionKind: CaptionKind;
  readonly format: CaptionFormat;
  readonly translateTo?: string | undefined;
}

/**
 * A `merge`: a video-only and an audio-only format of the video, remuxed by ffmpeg into one
 * `container` while it streams: no known size, no Range.
 */
export interface MergeDelivery {
  readonly kind: "merge";
  /** The format id of the video side. */
  readonly video: number;
  /** The format id of the audio side. */
  readonly audio: number;
  readonly container: MergeContainer;
  /** Only this time range of both. */
  readonly clip?: TimeRange | undefined;
  /** Caption tracks added as subtitle streams. */
  readonly embedCaptions?: readonly EmbeddedCaption[] | undefined;
}

/**
 * An `audio` file made of one format's sound by ffmpeg while it streams (`core/audio-output.ts`
 * decided it when the ticket was made): no known size, no Range.
 */
export interface AudioDelivery extends AudioDecision {
  readonly kind: "audio";
  /** The source format. */
  readonly itag: number;
  /** Only this time range, cut exactly (an encoded stream) or to the audio frame (a copied one). */
  readonly clip?: TimeRange | undefined;
}

/** Every kind of delivery a token can name; the download route makes one plan per kind. */

/** How each video of an archive is delivered: what `prepareDownload` would be asked for it. */
export interface ArchiveItemChoice {
  /** The format selector applied to each video (default: the best muxed mp4). */
  readonly format?: FormatSelector | undefined;
  /** Each video as an audio file of this kind (`format` then picks its source format). */
  readonly audio?: AudioRequest | undefined;
}

/**
 * An `archive`: several YouTube videos, each chosen by `item` when the token is redeemed, one
 * after another into one stored ZIP.
 */
export interface ArchiveDelivery {
  readonly kind: "archive";
  /** The videos' 11-character ids, concatenated in archive order (compact: it travels in the token). */
  readonly videoIds: string;
  readonly item: ArchiveItemChoice;
}

/** Every kind of delivery a token can name; the download route makes one plan per kind. */
export type Delivery = FileDelivery | MergeDelivery | AudioDelivery | CaptionsDelivery | ArchiveDelivery;

/** The length of one YouTube video id in {@link ArchiveDelivery.videoIds}. */
export const VIDEO_ID_LENGTH = 11;

/** The ids packed in an archive delivery, in order. */
export function archiveVideoIds(delivery: ArchiveDelivery): string[] {
  const ids: string[] = [];
  for (let at = 0; at < delivery.videoIds.length; at += VIDEO_ID_LENGTH)
    ids.push(delivery.videoIds.slice(at, at + VIDEO_ID_LENGTH));
  return ids;
}

/**
 * What a download token promises: what to deliver of which video, and how to present it.
 * No upstream URL: googlevideo URLs expire and are bound to an IP, so the route re-resolves the
 * formats by id when the token is redeemed.
 */
export interface DownloadClaims {
  readonly source: SourceName;
  /** The source's video id (YouTube: the 11-character id; http: the normalised URL, ≤ 2048 chars). */
  readonly videoId: string;
  readonly delivery: Delivery;
  readonly disposition: Disposition;
  /** Already sanitised, extension included (see `buildFilename`). */
  readonly filename: string;
  /** How many times the token may be redeemed; unlimited until expiry when absent. */
  readonly maxUses?: number | undefined;
  /** Id of the API key that minted the token, for per-key accounting; absent for anonymous use. */
  readonly apiKeyId?: string | undefined;
}

/** Claims of a token whose signature, expiry and shape have been checked. */
export interface VerifiedClaims extends DownloadClaims {
  /** Unique token id: the key of its use counter. */
  readonly jti: string;
  /** Id of the secret that signed it (useful to watch a key rotation drain). */
  readonly kid: string;
  /** Second precision, as in the token. */
  readonly issuedAt: Date;
  /** Second precision; the token is rejected from this instant on. */
  readonly expiresAt: Date;
}

const sources = ["youtube", "http"] as const satisfies readonly SourceName[];
const dispositions = ["attachment", "inline"] as const satisfies readonly Disposition[];
const itag = z.number().int().positive();

/** The version of the claims shape that `sign` writes (`v` in the payload). */
export const CLAIMS_VERSION = 2;

/** A clip's time range, in seconds of the video (checked against its duration when minted). */
const clip = z
  .object({ startSeconds: z.number().nonnegative(), endSeconds: z.number().positive() })
  .strict()
  .refine((range) => range.startSeconds < range.endSeconds)
  .optional();

const languageCode = z.string().min(1).max(35);
const captionKind = z.enum(["manual", "auto"] as const satisfies readonly CaptionKind[]);
const embedCaptions = z
  .array(z.object({ languageCode, kind: captionKind }).strict())
  .min(1)
  .max(8)
  .optional();

const deliverySchema = z.discriminatedUnion("kind", [
  z.object({ kind: z.literal("file"), itag, embedCaptions, clip }).strict(),
  z
    .object({
      kind: z.literal("merge"),
      video: itag,
      audio: itag,
      container: z.enum(["mp4", "webm"] as const satisfies readonly MergeContainer[]),
      clip,
      embedCaptions,
    })
    .strict(),
  z
    .object({
      kind: z.literal("captions"),
      languageCode,
      captionKind,
      format: z.enum(["vtt", "srt"] as const satisfies readonly CaptionFormat[]),
      translateTo: languageCode.optional(),
    })
    .strict(),
  z
    .object({
      kind: z.literal("archive"),
      videoIds: z
        .string()
        .min(VIDEO_ID_LENGTH)
        .regex(new RegExp(`^([A-Za-z0-9_-]{${VIDEO_ID_LENGTH}})+$`)),
      item: z
        .object({
          format: z
            .object({
              itag: itag.optional(),
              quality: z.enum(["HIGHEST", "LOWEST"]).optional(),
              kind: z.enum(["MUXED", "VIDEO_ONLY", "AUDIO_ONLY", "MERGED"]).optional(),
              container: z.string().min(1).max(16).optional(),
              maxHeight: z.number().int().positive().optional(),
            })
            .strict()
            .optional(),
          audio: z
            .object({
              format: z.enum([
                "MP3",
                "OPUS",
                "M4A",
                "FLAC",
                "WAV",
                "ORIGINAL",
              ] as const satisfies readonly AudioFormat[]),
              bitrateKbps: z.number().int().min(AUDIO_KBPS.min).max(AUDIO_KBPS.max).optional(),
              metadata: z.boolean(),
            })
            .strict()
            .optional(),
        })
        .strict(),
    })
    .strict(),
  z
    .object({
      kind: z.literal("audio"),
      itag,
      file: z.enum(Object.keys(AUDIO_FILES) as [AudioFile, ...AudioFile[]]),
      copy: z.boolean(),
      bitrateKbps: z.number().int().min(AUDIO_KBPS.min).max(AUDIO_KBPS.max).optional(),
      metadata: z.boolean(),
      clip,
    })
    .strict(),
]) satisfies z.ZodType<Delivery>;

const commonClaims = {
  source: z.enum(sources),
  // A direct URL is its own id (at most MAX_MEDIA_URL_LENGTH); with the longest filename and key id
  // the token stays under the route's 4096 characters.
  videoId: z.string().min(1).max(2048),
  disposition: z.enum(dispositions),
  filename: z.string().min(1).max(255),
  maxUses: z.number().int().positive().optional(),
  apiKeyId: z.string().min(1).max(128).optional(),
};

/**
 * Shape of the {@link DownloadClaims} inside a token (version 2). Checked when signing (so a
 * token we mint always verifies) and when verifying (so a correctly signed but malformed
 * payload is rejected as invalid instead of reaching the route half-formed).
 */
export const downloadClaimsSchema = z.object({ ...commonClaims, delivery: deliverySchema });

const registeredClaims = {
  jti: z.string().min(1).max(128),
  iat: z.number().int().nonnegative(),
  exp: z.number().int().positive(),
};

const absent = z.undefined().optional();

/**
 * A version 1 payload: one format named by a top-level `itag`, before deliveries had kinds. One
 * that also names a delivery is neither version: refused rather than guessed at.
 */
const v1Payload = z
  .object({ ...commonClaims, ...registeredClaims, itag, v: absent, delivery: absent })
  .transform(({ itag, v: _v, delivery: _delivery, ...rest }) => ({
    ...rest,
    delivery: { kind: "file", itag } as const,
  }));

const v2Payload = z
  .object({ ...commonClaims, ...registeredClaims, v: z.literal(CLAIMS_VERSION), delivery: deliverySchema })
  .transform(({ v: _v, ...rest }) => rest);

/**
 * Shape of a whole verified JWT payload, read as the current claims whatever version signed it:
 * tokens minted before deliveries had kinds (version 1) keep verifying until they expire.
 */
export const tokenPayloadSchema = z.union([v2Payload, v1Payload]);
