import type { MediaFormat } from "../../src/core/video.ts";

/** A `MediaFormat` for unit tests: a muxed mp4 unless `fields` say otherwise. */
export function mediaFormat(itag: number, fields: Partial<MediaFormat>): MediaFormat {
  return {
    itag,
    mimeType: "video/mp4",
    container: "mp4",
    qualityLabel: undefined,
    width: undefined,
    height: undefined,
    fps: undefined,
    bitrate: undefined,
    audioBitrate: undefined,
    contentLength: undefined,
    hasVideo: true,
    hasAudio: true,
    videoCodec: undefined,
    audioCodec: undefined,
    isManifest: false,
    url: `http://origin.test/${itag}`,
    ...fields,
  };
}
