import { describe, expect, test } from "bun:test";
import {
  choiceSize,
  downloadChoices,
  formatDuration,
  formatSize,
  type PageFormat,
} from "../../src/page/assets/choices.ts";

/** A format as the API lists it; only what the page reads. */
function format(itag: number, fields: Partial<PageFormat>): PageFormat {
  return {
    itag,
    container: "mp4",
    qualityLabel: null,
    height: null,
    contentLength: null,
    hasVideo: false,
    hasAudio: false,
    ...fields,
  };
}

/** A typical YouTube video, best first as `Video.formats` orders it. */
const FORMATS: PageFormat[] = [
  format(137, { hasVideo: true, height: 1080, qualityLabel: "1080p", contentLength: 5_000_000 }),
  format(248, {
    hasVideo: true,
    height: 1080,
    qualityLabel: "1080p",
    container: "webm",
    contentLength: 4_000_000,
  }),
  format(136, { hasVideo: true, height: 720, qualityLabel: "720p", contentLength: 3_000_000 }),
  format(22, { hasVideo: true, hasAudio: true, height: 720, qualityLabel: "720p", contentLength: null }),
  format(18, { hasVideo: true, hasAudio: true, height: 360, qualityLabel: "360p", contentLength: 1_500_000 }),
  format(43, { hasVideo: true, hasAudio: true, height: 360, qualityLabel: "360p", container: "webm" }),
  format(251, { hasAudio: true, container: "webm", contentLength: 300_000 }),
  format(140, { hasAudio: true, contentLength: 250_000 }),
  format(139, { hasAudio: true, contentLength: 100_000 }),
];

describe("downloadChoices", () => {
  test("without merging: muxed heights per container, then the best audio of each container, then MP3", () => {
    const choices = downloadChoices(FORMATS, { merged: false });
    expect(choices.map((c) => c.label)).toEqual([
      "720p MP4",
      "360p MP4",
      "360p WebM",
      "Audio WebM",
      "Audio M4A",
      "Audio MP3",
    ]);
    expect(choices.map((c) => c.selector)).toEqual([
      { itag: 22 },
      { itag: 18 },
      { itag: 43 },
      { itag: 251 },
      { itag: 140 },
      {},
    ]);
    expect(choices.map((c) => c.bytes)).toEqual([null, 1_500_000, null, 300_000, 250_000, null]);
    expect(choices.filter((c) => c.estimated).map((c) => c.label)).toEqual(["Audio MP3"]);
  });

  test("MP3 is asked of the gateway as an audio file, sized at 192 kbit/s over the video's length", () => {
    const mp3 = downloadChoices(FORMATS, { merged: false, durationSeconds: 60 }).at(-1);
    expect(mp3).toEqual({
      label: "Audio MP3",
      selector: {},
      audio: { format: "MP3" },
      bytes: 60 * 24_000,
      estimated: true,
    });
    expect(mp3 && choiceSize(mp3)).toBe(`about ${formatSize(60 * 24_000)}`);
  });

  test("with merging: heights above the best muxed one are offered merged, with an estimated size", () => {
    const choices = downloadChoices(FORMATS, { merged: true });
    expect(choices.map((c) => c.label).slice(0, 3)).toEqual(["1080p MP4", "1080p WebM", "720p MP4"]);
    expect(choices[0]).toEqual({
      label: "1080p MP4",
      selector: { kind: "MERGED", container: "mp4", maxHeight: 1080 },
      bytes: 5_000_000 + 250_000,
      estimated: true,
    });
    expect(choices[1]?.selector).toEqual({ kind: "MERGED", container: "webm", maxHeight: 1080 });
    expect(choices[1]?.bytes).toBe(4_000_000 + 300_000);
    // 720p exists muxed, so its video-only twin is not offered merged.
    expect(choices.filter((c) => c.label === "720p MP4")).toEqual([
      { label: "720p MP4", selector: { itag: 22 }, bytes: null, estimated: false },
    ]);
  });

  test("no merged choice for a container without audio of its own", () => {
    const noOpus = FORMATS.filter((f) => f.itag !== 251);
    expect(downloadChoices(noOpus, { merged: true }).map((c) => c.label)).not.toContain("1080p WebM");
  });

  test("a video with nothing usable has no choices", () => {
    expect(downloadChoices([], { merged: true })).toEqual([]);
  });
});

describe("choiceSize", () => {
  /** The size shown on the button called `label`, for `formats`. */
  function sizeShown(formats: PageFormat[], label: string): string | null {
    const choice = downloadChoices(formats, { merged: true }).find((c) => c.label === label);
    if (choice === undefined) throw new Error(`no choice called ${label}`);
    return choiceSize(choice);
  }

  test("a merged choice's size says it is approximate; a file's exact size does not", () => {
    expect(sizeShown(FORMATS, "1080p MP4")).toBe(`about ${formatSize(5_000_000 + 250_000)}`);
    expect(sizeShown(FORMATS, "1080p WebM")).toBe(`about ${formatSize(4_000_000 + 300_000)}`);
    expect(sizeShown(FORMATS, "360p MP4")).toBe(formatSize(1_500_000));
    expect(sizeShown(FORMATS, "Audio M4A")).toBe(formatSize(250_000));
  });

  test("no size is shown when it is not known, for a file or a merge", () => {
    expect(sizeShown(FORMATS, "720p MP4")).toBeNull();
    // A merge's estimate needs both parts' sizes.
    const audioUnsized = FORMATS.map((f) => (f.itag === 140 ? { ...f, contentLength: null } : f));
    expect(sizeShown(audioUnsized, "1080p MP4")).toBeNull();
    expect(choiceSize({ bytes: null, estimated: true })).toBeNull();
  });
});

describe("formatSize", () => {
  test.each([
    [0, "0 bytes"],
    [999, "999 bytes"],
    [1000, "1 KB"],
    [344_064, "344 KB"],
    [4_200_000, "4.2 MB"],
    [1_300_000_000, "1.3 GB"],
    [3_000_000_000_000, "3 TB"],
  ])("%d bytes reads %s", (bytes, text) => {
    expect(formatSize(bytes)).toBe(text);
  });
});

describe("formatDuration", () => {
  test.each([
    [6, "0:06"],
    [245, "4:05"],
    [3723, "1:02:03"],
    [-1, "0:00"],
  ])("%d s reads %s", (seconds, text) => {
    expect(formatDuration(seconds)).toBe(text);
  });
});
