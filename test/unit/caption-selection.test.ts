import { describe, expect, test } from "bun:test";
import { selectCaptionTrack, selectEmbeddedTracks } from "../../src/core/caption-selection.ts";
import { BadUserInputError, CaptionsNotFoundError } from "../../src/core/errors.ts";
import type { CaptionTrack, VideoInfo } from "../../src/core/video.ts";
import { withCaptionStreams } from "../../src/download/jobs/caption-streams.ts";
import { mergeJob } from "../../src/download/jobs/merge-job.ts";
import { jobArguments } from "../../src/media/ffmpeg-arguments.ts";

const track = (languageCode: string, kind: "manual" | "auto", translatable = true): CaptionTrack => ({
  languageCode,
  name: languageCode,
  kind,
  translatable,
  url: `http://timedtext.test/${kind}/${languageCode}`,
});

const video = {
  captions: [
    track("en", "auto"),
    track("en", "manual"),
    track("de", "manual", false),
    track("pt-BR", "auto"),
  ],
  captionTranslationLanguages: [{ code: "fr", name: "French" }],
} as unknown as VideoInfo;

describe("choosing a caption track", () => {
  test("prefers the manual track of a language, and gives the automatic one when asked", () => {
    expect(selectCaptionTrack(video, { languageCode: "en" }).kind).toBe("manual");
    expect(selectCaptionTrack(video, { languageCode: "EN", kind: "auto" }).kind).toBe("auto");
    expect(selectCaptionTrack(video, { languageCode: "pt-br" }).languageCode).toBe("pt-BR");
  });

  test("a missing language or kind is CAPTIONS_NOT_FOUND naming what there is", () => {
    expect(() => selectCaptionTrack(video, { languageCode: "ja" })).toThrow(CaptionsNotFoundError);
    expect(() => selectCaptionTrack(video, { languageCode: "de", kind: "auto" })).toThrow(
      "en, en, de, pt-BR",
    );
  });

  test("a translation needs a translatable track and a language the video offers", () => {
    expect(selectCaptionTrack(video, { languageCode: "en", translateTo: "FR" }).languageCode).toBe("en");
    expect(() => selectCaptionTrack(video, { languageCode: "de", translateTo: "fr" })).toThrow(
      BadUserInputError,
    );
    expect(() => selectCaptionTrack(video, { languageCode: "en", translateTo: "ko" })).toThrow(
      BadUserInputError,
    );
  });

  test("embedding takes at most 8 languages, each once", () => {
    expect(selectEmbeddedTracks(video, ["de", "en"]).map((t) => [t.languageCode, t.kind])).toEqual([
      ["de", "manual"],
      ["en", "manual"],
    ]);
    expect(() => selectEmbeddedTracks(video, ["en", "EN"])).toThrow(BadUserInputError);
    expect(() =>
      selectEmbeddedTracks(
        video,
        Array.from({ length: 9 }, () => "en"),
      ),
    ).toThrow("at most 8");
  });
});

describe("caption streams of a job", () => {
  const input = { open: async () => new ReadableStream<Uint8Array>() };

  test("each track is a WebVTT input on its own pipe and a tagged subtitle stream in the container's codec", () => {
    const job = withCaptionStreams(mergeJob(input, input, "mp4"), [
      { input, languageCode: "en" },
      { input, languageCode: "de" },
    ]);
    const args = jobArguments(job);
    expect(job.inputs.map((i) => i.demuxer)).toEqual([undefined, undefined, "webvtt", "webvtt"]);
    expect(args.join(" ")).toContain("-f webvtt -i pipe:5");
    expect(args.join(" ")).toContain("-map 2:s:0 -c:2 mov_text -metadata:s:2 language=eng");
    expect(args.join(" ")).toContain("-map 3:s:0 -c:3 mov_text -metadata:s:3 language=ger");
    const webm = withCaptionStreams(mergeJob(input, input, "webm"), [{ input, languageCode: "en" }]);
    expect(webm.streams.at(-1)).toEqual({ input: 2, type: "subtitle", codec: "webvtt", language: "eng" });
  });

  test("no tracks leave the job as it was", () => {
    const job = mergeJob(input, input, "mp4");
    expect(withCaptionStreams(job, [])).toBe(job);
  });
});
