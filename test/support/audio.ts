/**
 * What ffprobe makes of an audio file the gateway made: its streams, its tags (wherever the
 * container keeps them), its length and bitrate as its audio packets tell them, and the hash of
 * each audio packet's data (a copy carries the source's packets as they are).
 */
import { runCommand } from "./merges.ts";

export interface AudioProbe {
  readonly streams: readonly {
    readonly codecType: string;
    readonly codecName: string;
    readonly sampleRate: number | undefined;
    readonly attachedPicture: boolean;
  }[];
  /** Global tags and the audio stream's (Ogg keeps them on the stream), lower-case keys. */
  readonly tags: Readonly<Record<string, string>>;
  /** Seconds, from the first audio packet's start to the last one's end. */
  readonly durationSeconds: number;
  /** Bits per second of the audio packets' data. */
  readonly bitrate: number;
}

interface Probed {
  streams: {
    codec_type: string;
    codec_name: string;
    sample_rate?: string;
    disposition?: { attached_pic?: number };
    tags?: Record<string, string>;
  }[];
  format: { tags?: Record<string, string> };
  packets: {
    stream_index: number;
    pts_time?: string;
    duration_time?: string;
    size: string;
    data_hash?: string;
  }[];
}

async function probe(path: string, extra: string[]): Promise<Probed> {
  const { stdout, stderr, code } = await runCommand([
    ...["ffprobe", "-v", "error", "-of", "json", ...extra],
    "-show_entries",
    "stream=codec_type,codec_name,sample_rate:stream_disposition=attached_pic:stream_tags:format_tags:" +
      "packet=stream_index,pts_time,duration_time,size,data_hash",
    path,
  ]);
  if (code !== 0) throw new Error(`ffprobe ${path} failed: ${stderr}`);
  return JSON.parse(stdout) as Probed;
}

const lowerKeys = (tags: Record<string, string> | undefined) =>
  Object.fromEntries(Object.entries(tags ?? {}).map(([key, value]) => [key.toLowerCase(), value]));

/** Probes an audio file. */
export async function probeAudio(path: string): Promise<AudioProbe> {
  const probed = await probe(path, []);
  const audioIndex = probed.streams.findIndex((s) => s.codec_type === "audio");
  const packets = probed.packets.filter((p) => p.stream_index === audioIndex);
  const first = packets[0];
  const last = packets.at(-1);
  const start = Number(first?.pts_time ?? 0);
  const end = Number(last?.pts_time ?? 0) + Number(last?.duration_time ?? 0);
  const bits = packets.reduce((sum, p) => sum + Number(p.size) * 8, 0);
  return {
    streams: probed.streams.map((s) => ({
      codecType: s.codec_type,
      codecName: s.codec_name,
      sampleRate: s.sample_rate === undefined ? undefined : Number(s.sample_rate),
      attachedPicture: s.disposition?.attached_pic === 1,
    })),
    tags: { ...lowerKeys(probed.streams[audioIndex]?.tags), ...lowerKeys(probed.format.tags) },
    durationSeconds: end - start,
    bitrate: bits / (end - start),
  };
}

/** The MD5 of each audio packet's data, in order (side data, timestamps and framing left out). */
export async function audioPacketHashes(path: string): Promise<string[]> {
  const probed = await probe(path, ["-select_streams", "a:0", "-show_data_hash", "MD5"]);
  return probed.packets.map((p) => p.data_hash ?? "");
}
