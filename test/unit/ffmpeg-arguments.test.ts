import { describe, expect, test } from "bun:test";
import type { FfmpegJob, JobInput } from "../../src/core/ffmpeg-job.ts";
import { mergeJob } from "../../src/download/jobs/merge-job.ts";
import { FIRST_INPUT_FD, jobArguments } from "../../src/media/ffmpeg-arguments.ts";

/** The value after each occurrence of `option`. */
const valuesOf = (args: readonly string[], option: string) =>
  args.flatMap((arg, i) => (arg === option ? [args[i + 1]] : []));

const never: JobInput = {
  open: () => Promise.reject(new Error("arguments only: nothing is opened")),
};

describe.each(["mp4", "webm"] as const)("ffmpeg's arguments for a %s merge", (container) => {
  const args = jobArguments(mergeJob(never, never, container));

  test("read the video and the audio from their pipes, and write to standard output", () => {
    expect(valuesOf(args, "-i")).toEqual([`pipe:${FIRST_INPUT_FD}`, `pipe:${FIRST_INPUT_FD + 1}`]);
    expect(args.at(-1)).toBe("pipe:1");
    expect(valuesOf(args, "-map")).toEqual(["0:v:0", "1:a:0"]);
  });

  test("allow no protocol but pipes, for each input and for the output, and name no URL", () => {
    // An input option applies to the next -i only: one whitelist per input, one for the output.
    expect(valuesOf(args, "-protocol_whitelist")).toEqual(["pipe", "pipe", "pipe"]);
    const inputs = args.flatMap((arg, i) => (arg === "-i" ? [i] : []));
    for (const at of inputs) expect(args.slice(at - 6, at)).toContain("-protocol_whitelist");
    expect(args.some((arg) => /:\/\/|^(https?|file|tcp|udp|rtmp)[:]/i.test(arg))).toBe(false);
  });

  test("copy both streams as they are, never transcode, and keep probing small", () => {
    expect([valuesOf(args, "-c:0"), valuesOf(args, "-c:1")]).toEqual([["copy"], ["copy"]]);
    expect(args.some((arg) => arg.startsWith("-b:") || arg.startsWith("-vf") || arg.startsWith("-af"))).toBe(
      false,
    );
    for (const size of valuesOf(args, "-probesize")) expect(Number(size)).toBeLessThanOrEqual(1024 * 1024);
    expect(args).toContain("-nostdin");
  });

  test("write a format players take while it streams", () => {
    expect(valuesOf(args, "-f")).toEqual([container]);
    if (container === "mp4") expect(valuesOf(args, "-movflags")[0]).toContain("empty_moov");
  });
});

describe("ffmpeg's arguments for any job", () => {
  const hostile = 'a "title" $(rm -rf /) `x`\nline two; & | > <';
  const job: FfmpegJob = {
    kind: "test",
    inputs: [never, { ...never, demuxer: "webvtt" }, never],
    streams: [
      { input: 0, type: "audio", codec: "libmp3lame", bitrateKbps: 192 },
      { input: 1, type: "subtitle", codec: "mov_text", language: "deu" },
      { input: 2, type: "picture", codec: "copy" },
    ],
    container: "mp3",
    metadata: { title: hostile, artist: "someone" },
    timeRange: { startSeconds: 12.5, endSeconds: 20 },
  };
  const args = jobArguments(job);

  test("give each input its own pipe, and a demuxer only to the input that names one", () => {
    expect(valuesOf(args, "-i")).toEqual([3, 4, 5].map((fd) => `pipe:${fd}`));
    const forced = args.indexOf("webvtt");
    expect(args[forced - 1]).toBe("-f");
    // Between the first input's -i and the second's: an option of the second input only.
    expect(forced).toBeGreaterThan(args.indexOf(`pipe:${FIRST_INPUT_FD}`));
    expect(forced).toBeLessThan(args.indexOf(`pipe:${FIRST_INPUT_FD + 1}`));
    expect(args.filter((arg) => arg === "webvtt")).toHaveLength(1);
  });

  test("map, encode, tag and mark each output stream by its index", () => {
    expect(valuesOf(args, "-map")).toEqual(["0:a:0", "1:s:0", "2:v:0"]);
    expect([valuesOf(args, "-c:0"), valuesOf(args, "-c:1"), valuesOf(args, "-c:2")]).toEqual([
      ["libmp3lame"],
      ["mov_text"],
      ["copy"],
    ]);
    expect(valuesOf(args, "-b:0")).toEqual(["192k"]);
    expect(valuesOf(args, "-metadata:s:1")).toEqual(["language=deu"]);
    expect(valuesOf(args, "-disposition:2")).toEqual(["attached_pic"]);
  });

  test("pass tags as single arguments, exactly as given, whatever they hold", () => {
    expect(valuesOf(args, "-metadata")).toEqual([`title=${hostile}`, "artist=someone"]);
  });

  test("cut every input on the media's timeline to the time range, but never a picture", () => {
    // Two timed inputs (audio, subtitles); the cover is one frame at zero and stays whole.
    expect(valuesOf(args, "-ss").map(Number)).toEqual([12.5, 12.5]);
    expect(valuesOf(args, "-to").map(Number)).toEqual([20, 20]);
    expect(valuesOf(args, "-seek_timestamp")).toEqual(["1", "1"]);
    const pictureInput = args.indexOf(`pipe:${FIRST_INPUT_FD + 2}`);
    const afterSubtitles = args.indexOf(`pipe:${FIRST_INPUT_FD + 1}`);
    expect(args.slice(afterSubtitles, pictureInput)).not.toContain("-ss");
    // Input options: each range comes before the -i it applies to.
    expect(args.indexOf("-ss")).toBeLessThan(args.indexOf(`pipe:${FIRST_INPUT_FD}`));
  });

  test("cut nothing when the job has no time range", () => {
    const whole = jobArguments({ ...job, timeRange: undefined });
    expect(whole).not.toContain("-ss");
    expect(whole).not.toContain("-to");
  });
});
