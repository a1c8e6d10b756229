import { makeZip, predictLength } from "client-zip";

/**
 * Stored (uncompressed) ZIP archives, streamed as they are written, through client-zip: media
 * does not compress, so storing keeps the CPU idle and the size predictable. ZIP64 records are
 * written where an entry or the archive passes 4 GiB.
 */

/** The name of the entry that lists what could not be put into an archive. */
export const ERRORS_ENTRY = "downtube-errors.txt";

/** The text of `downtube-errors.txt`. */
export function errorsText(failures: readonly string[]): string {
  return `These items could not be put into the archive:\n${failures.map((line) => `${line}\n`).join("")}`;
}

/** One file of an archive, once its bytes are there. */
export interface ZipFile {
  readonly name: string;
  readonly body: ReadableStream<Uint8Array>;
  /** Exact size, when known (required for an exact archive length). */
  readonly size: number | undefined;
}

/** The exact byte length of an archive of these entries (names and sizes), as {@link zipStream} writes it. */
export function zipLength(entries: readonly { name: string; size: number }[]): number {
  return Number(predictLength(entries.map(({ name, size }) => ({ name, size }))));
}

/**
 * The archive of `files`, pulled one after another as the client reads (each file's body is
 * read to its end before the next is asked for), every entry dated `modified`. A file whose
 * body fails errors the archive.
 */
export function zipStream(files: AsyncIterable<ZipFile>, modified: Date): ReadableStream<Uint8Array> {
  async function* entries() {
    for await (const file of files) {
      yield { name: file.name, input: file.body, size: file.size, lastModified: modified };
    }
  }
  return makeZip(entries(), { buffersAreUTF8: true });
}
