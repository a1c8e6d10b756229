/**
 * HLS playlists of the simulated live broadcast. ytdl-core reads the variant playlist and takes
 * the itag of each variant from a `/itag/N/` path segment (a line without one makes `getInfo`
 * throw), so every variant URL carries one.
 */

/** Live HLS variants offered: itag, resolution, bandwidth, codecs. */
export const LIVE_VARIANTS = [
  { itag: 93, resolution: "640x360", bandwidth: 1_200_000, codecs: "avc1.4d401e,mp4a.40.2" },
  { itag: 95, resolution: "1280x720", bandwidth: 2_700_000, codecs: "avc1.4d401f,mp4a.40.2" },
] as const;

/** The master (variant) playlist named by `streamingData.hlsManifestUrl`. */
export function liveVariantPlaylist(origin: string, videoId: string, expire: number): string {
  const lines = ["#EXTM3U", "#EXT-X-INDEPENDENT-SEGMENTS"];
  for (const v of LIVE_VARIANTS) {
    lines.push(
      `#EXT-X-STREAM-INF:BANDWIDTH=${v.bandwidth},CODECS="${v.codecs}",RESOLUTION=${v.resolution},FRAME-RATE=30`,
      `${origin}/api/manifest/hls_playlist/expire/${expire}/id/${videoId}/itag/${v.itag}/source/yt_live_broadcast/playlist_type/LIVE/file/index.m3u8`,
    );
  }
  return `${lines.join("\n")}\n`;
}

/** A live media playlist with no segment yet: enough to be recognisably "live" (no ENDLIST). */
export function liveMediaPlaylist(): string {
  return ["#EXTM3U", "#EXT-X-VERSION:3", "#EXT-X-TARGETDURATION:5", "#EXT-X-MEDIA-SEQUENCE:0", ""].join("\n");
}

/** Representations of the live DASH manifest (ytdl-core keeps only the last one, see below). */
export const LIVE_DASH_REPRESENTATIONS = [
  { itag: 134, mimeType: "video/mp4", codecs: "avc1.4d401e", bandwidth: 1_000_000, width: 640, height: 360 },
  { itag: 136, mimeType: "video/mp4", codecs: "avc1.4d401f", bandwidth: 2_500_000, width: 1280, height: 720 },
  { itag: 140, mimeType: "audio/mp4", codecs: "mp4a.40.2", bandwidth: 128_000 },
] as const;

/**
 * The live DASH manifest named by `streamingData.dashManifestUrl`. ytdl-core 4.16.12 needs it:
 * formats read from an HLS manifest carry no `mimeType` and are filtered out, so a live video
 * with HLS only ends in "No playable formats found". It also files every representation under
 * the manifest URL, so only the last representation survives as a format.
 */
export function liveDashManifest(): string {
  const sets = ["video/mp4", "audio/mp4"].map((mime) => {
    const reps = LIVE_DASH_REPRESENTATIONS.filter((r) => r.mimeType === mime).map((r) =>
      "width" in r
        ? `<Representation id="${r.itag}" codecs="${r.codecs}" width="${r.width}" height="${r.height}" startWithSAP="1" maxPlayoutRate="1" bandwidth="${r.bandwidth}" frameRate="30"><SegmentList><SegmentURL media="sq/0"/></SegmentList></Representation>`
        : `<Representation id="${r.itag}" codecs="${r.codecs}" audioSamplingRate="48000" startWithSAP="1" bandwidth="${r.bandwidth}"><AudioChannelConfiguration schemeIdUri="urn:mpeg:dash:23003:3:audio_channel_configuration:2011" value="2"/><SegmentList><SegmentURL media="sq/0"/></SegmentList></Representation>`,
    );
    return `<AdaptationSet id="${mime}" mimeType="${mime}" subsegmentAlignment="true">${reps.join("")}</AdaptationSet>`;
  });
  return [
    '<?xml version="1.0" encoding="UTF-8"?>',
    '<MPD xmlns="urn:mpeg:DASH:schema:MPD:2011" type="dynamic" minimumUpdatePeriod="PT5S" minBufferTime="PT1.500S" profiles="urn:mpeg:dash:profile:isoff-live:2011">',
    `<Period start="PT0S">${sets.join("")}</Period>`,
    "</MPD>",
    "",
  ].join("\n");
}
