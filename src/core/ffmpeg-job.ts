/**
 * A download made on the fly by ffmpeg, described as data: what goes in (byte streams opened
 * from the origin, or small texts and images the gateway already holds), which streams come out,
 * in what container, with which codecs, tags and time range. Every such download (a merge, an
 * audio file, a clip, embedded captions) is one of these; one runner (`FfmpegRunner`) executes
 * them all. Adding a kind of download adds a builder of descriptions, never a branch in the runner.
 */

/** One input of a job: bytes that reach ffmpeg through a pipe, never a file name or a URL. */
export interface JobInput {
  /**
   * The demuxer ffmpeg must read it with when it cannot tell from the bytes (`webvtt` for a
   * caption text), or undefined to let it probe.
   */
  readonly demuxer?: string | undefined;
  /**
   * Opens the bytes. Resolves once the origin has answered (a failure before the first byte is
   * an error here); a later failure errors the stream. Aborting `signal` cancels the origin request.
   */
  open(signal: AbortSignal): Promise<ReadableStream<Uint8Array>>;
}

/** What one output stream is made of. */
export type StreamType = "video" | "audio" | "subtitle" | "picture";

/** One stream of the output, in output order. */
export interface JobStream {
  /** Index into `FfmpegJob.inputs`. */
  readonly input: number;
  readonly type: StreamType;
  /** `copy` (the input's packets as they are) or an ffmpeg encoder name (`libmp3lame`, `flac`, `mov_text`…). */
  readonly codec: string;
  /** Target bitrate of a lossy encoder, in kbit/s. */
  readonly bitrateKbps?: number | undefined;
  /** ISO 639 language of the stream (captions), written as its `language` tag. */
  readonly language?: string | undefined;
  /**
   * Other tags of the stream, as ffmpeg names them: data, passed as separate arguments (a
   * picture's `comment` names its kind, `Cover (front)`, in a FLAC picture block).
   */
  readonly tags?: Readonly<Record<string, string>> | undefined;
}

/** The containers a job can write to a pipe while it runs. */
export type OutputContainer = "mp4" | "webm" | "mp3" | "ogg" | "m4a" | "flac" | "wav";

/** A time range of the inputs' timeline, in seconds. */
export interface TimeRange {
  readonly startSeconds: number;
  readonly endSeconds: number;
}

/** A whole job. */
export interface FfmpegJob {
  /** What the job makes, for metrics and logs (`merge`, `audio`, `clip`, …). */
  readonly kind: string;
  readonly inputs: readonly JobInput[];
  readonly streams: readonly JobStream[];
  readonly container: OutputContainer;
  /** Global tags (title, artist, date, comment…): data, passed as separate arguments, never through a shell. */
  readonly metadata?: Readonly<Record<string, string>> | undefined;
  /**
   * Only this part of the media goes out, in seconds of the media's own timeline (the video's
   * seconds, whichever part of it an input holds), and the output starts at zero. A copied
   * stream starts at the last keyframe at or before `startSeconds` (it cannot start between
   * keyframes), an encoded one exactly at it; both end at `endSeconds`. Inputs that hold a
   * picture only are not cut. ffmpeg stops reading its inputs once past the end, so with a time
   * range an input left partly unread is not a failure.
   */
  readonly timeRange?: TimeRange | undefined;
  /**
   * Bytes sent before ffmpeg's output (an ID3v2 tag with a cover, which ffmpeg's mp3 muxer drops
   * when it writes to a pipe).
   */
  readonly prefix?: Uint8Array | undefined;
}

/** How a job ended, as counted. */
export type JobOutcome = "complete" | "client_gone" | "upstream_error" | "ffmpeg_error";

/** Told about every job (metrics). */
export interface JobObserver {
  started(kind: string): void;
  /** Seconds from the start of the job to ffmpeg's first output bytes. */
  firstByte(kind: string, seconds: number): void;
  ended(kind: string, outcome: JobOutcome): void;
}

/**
 * Runs {@link FfmpegJob}s (ffmpeg in `src/media/`). Each job is a child process that never
 * outlives the request it serves, reads only pipes and never reaches the network.
 */
export interface FfmpegRunner {
  /** Whether jobs can run in this instance (ffmpeg was found); asked once, then remembered. */
  available(): Promise<boolean>;
  /**
   * Opens the job's inputs (all of them, or none: when one fails the others are cancelled),
   * starts ffmpeg and resolves with its output once the first output bytes are there. Rejects,
   * after ending everything it started, with an input's error (`UpstreamError`,
   * `UpstreamTimeoutError`, …), with `UpstreamError` when ffmpeg fails before its first byte,
   * with `FfmpegUnavailableError` when there is no ffmpeg, or with `signal`'s reason.
   *
   * The output errors on any later failure (an input that fails or ends short, ffmpeg exiting
   * non-zero) and closes only once every input was read to its end and ffmpeg exited cleanly.
   * Cancelling it or aborting `signal` ends ffmpeg and every input at once.
   */
  run(job: FfmpegJob, signal: AbortSignal): Promise<ReadableStream<Uint8Array>>;
  /** Ends every running job and waits for their processes to exit (the gateway stops). */
  close(): Promise<void>;
}
