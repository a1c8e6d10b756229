import { ID3Writer } from "browser-id3-writer";
import type { AudioTags, CoverImage } from "../core/audio-tags.ts";

/** APIC picture type 3: the front cover (ID3v2.3 §4.15). */
const FRONT_COVER = 3;

/**
 * An ID3v2.3 tag (text frames and the cover as an APIC frame) to put ahead of an MP3's frames:
 * ffmpeg's mp3 muxer drops an attached picture when it writes to a pipe, so the gateway writes
 * the tag itself and has ffmpeg write none. Tags are data: the library encodes them as UTF-16,
 * whatever characters they hold. Throws only for a cover the library cannot name the type of
 * (`coverImageType` lets only JPEG and PNG through).
 */
export function id3Tag(tags: AudioTags, cover: CoverImage | undefined): Uint8Array {
  // `padding` is documented in the library's README but missing from its type declarations.
  const writer: ID3Writer & { padding: number } = Object.assign(new ID3Writer(new ArrayBuffer(0)), {
    // The tag is streamed once: padding a tag editor would later fill is never used.
    padding: 0,
  });
  if (tags.title !== undefined) writer.setFrame("TIT2", tags.title);
  if (tags.artist !== undefined) writer.setFrame("TPE1", [tags.artist]);
  const date = /^(\d{4})-(\d{2})-(\d{2})/.exec(tags.date ?? "");
  if (date !== null) {
    // ID3v2.3 splits a date into the year (TYER) and day and month (TDAT, DDMM).
    writer.setFrame("TYER", Number(date[1]));
    writer.setFrame("TDAT", `${date[3]}${date[2]}`);
  }
  if (tags.comment !== undefined) writer.setFrame("COMM", { description: "", text: tags.comment });
  if (cover !== undefined) {
    const data = cover.bytes.slice().buffer;
    writer.setFrame("APIC", { type: FRONT_COVER, data, description: "Cover" });
  }
  return new Uint8Array(writer.addTag());
}
