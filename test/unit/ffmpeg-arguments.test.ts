import { describe, expect, test } from "bun:test";
import { AUDIO_INPUT_FD, mergeArguments, VIDEO_INPUT_FD } from "../../src/media/ffmpeg-arguments.ts";

/** The value after each occurrence of `option`. */
const valuesOf = (args: readonly string[], option: string) =>
  args.flatMap((arg, i) => (arg === option ? [args[i + 1]] : []));

describe.each(["mp4", "webm"] as const)("ffmpeg's arguments for a %s merge", (container) => {
  const args = mergeArguments(container);

  test("read the video and the audio from their pipes, and write to standard output", () => {
    expect(valuesOf(args, "-i")).toEqual([`pipe:${VIDEO_INPUT_FD}`, `pipe:${AUDIO_INPUT_FD}`]);
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

  test("copy the streams as they are, never transcode, and keep probing small", () => {
    expect(valuesOf(args, "-c")).toEqual(["copy"]);
    expect(
      args.some((arg) => arg.startsWith("-c:") || arg.startsWith("-codec") || arg.startsWith("-vf")),
    ).toBe(false);
    for (const size of valuesOf(args, "-probesize")) expect(Number(size)).toBeLessThanOrEqual(1024 * 1024);
    expect(args).toContain("-nostdin");
  });

  test("write a format players take while it streams", () => {
    expect(valuesOf(args, "-f")).toEqual([container]);
    if (container === "mp4") expect(valuesOf(args, "-movflags")[0]).toContain("empty_moov");
  });
});
