import { DowntubeError, LiveNotSupportedError } from "../../core/errors.ts";
import { describeError } from "../../core/logger.ts";
import { chooseFor } from "../../tokens/delivery-choice.ts";
import { type ArchiveDelivery, archiveVideoIds, type VerifiedClaims } from "../../tokens/download-claims.ts";
import type { ArchiveEntry, ArchiveStream, DownloadPlan, HeadersOnly } from "../download-plan.ts";
import { buildFilename, extensionForMimeType } from "../filename.ts";
import { ERRORS_ENTRY, errorsText, zipLength } from "../zip-archive.ts";
import { type PlanContext, presentationHeaders } from "./plan-context.ts";

/** How many items of an archive are looked up at once before its first byte. */
const PLANNING_CONCURRENCY = 4;

/** Plans one item as if it were a download of its own (the planner's dispatch, passed in). */
export type PlanItem = (
  redemption: Pick<PlanContext, "request" | "claims" | "clientId" | "attempt">,
) => Promise<DownloadPlan>;

/** `07 - Title.mp4`: the position, zero-padded to the list's width, then the item's own file name. */
function entryName(index: number, count: number, title: string, extension: string): string {
  const position = String(index + 1).padStart(Math.max(2, String(count).length), "0");
  return buildFilename(`${position} - ${title}`, extension);
}

/** What one item came to: an entry, or a line for `downtube-errors.txt`. */
type ItemOutcome = { readonly entry: ArchiveEntry; readonly estimate: number } | { readonly failure: string };

/**
 * Plans an archive: each video's delivery is chosen as `prepareDownload` would choose it, then
 * planned as a download of its own (a file through the gateway, or an ffmpeg job), all before the
 * first byte so the Content-Length can be exact when every size is known. An item that cannot be
 * planned (gone, private, no such format) becomes a line of `downtube-errors.txt`, never an
 * error for the whole archive. `maxUses` counts the archive's bytes: its exact length, or the
 * sum of its items' estimates.
 */
export async function planArchive(
  context: PlanContext,
  delivery: ArchiveDelivery,
  planItem: PlanItem,
): Promise<ArchiveStream | HeadersOnly> {
  const { deps, claims, request } = context;
  const ids = archiveVideoIds(delivery);
  // Items are read as plain GETs of the whole file: the archive's own Range and method do not apply.
  const itemRequest = new Request("http://archive.invalid/", { signal: request.signal });

  const planOne = async (id: string, index: number): Promise<ItemOutcome> => {
    try {
      const video = await deps.videos.getInfo({ source: "youtube", id });
      if (video.isLive) throw new LiveNotSupportedError("a live stream cannot be downloaded");
      const choice = await chooseFor(video, delivery.item, () => deps.ffmpeg.available());
      const extension = choice.extension ?? extensionForMimeType(choice.mimeType);
      const name = entryName(index, ids.length, video.title, extension);
      const itemClaims: VerifiedClaims = {
        ...claims,
        videoId: id,
        delivery: choice.delivery,
        filename: name,
        maxUses: undefined,
      };
      const plan = await planItem({ ...context, request: itemRequest, claims: itemClaims });
      switch (plan.kind) {
        case "gateway-file": {
          const size = Number(plan.headers["Content-Length"]);
          return { entry: { name, size, bytes: plan }, estimate: size };
        }
        case "ffmpeg-stream":
          return {
            entry: { name, size: undefined, bytes: plan },
            estimate: choice.estimatedContentLength ?? 0,
          };
        default:
          // An empty file, an offload or a nested archive: none is an entry an archive can hold.
          return { failure: `${name}: nothing to archive` };
      }
    } catch (error) {
      if (request.signal.aborted) throw error;
      const reason = error instanceof DowntubeError ? `${error.code}: ${error.message}` : "unexpected error";
      if (!(error instanceof DowntubeError))
        deps.log.error("an archive item could not be planned", { video: id, ...describeError(error) });
      return { failure: `${String(index + 1).padStart(2, "0")} (${id}): ${reason}` };
    }
  };

  const outcomes: ItemOutcome[] = new Array(ids.length);
  let next = 0;
  const worker = async () => {
    for (let index = next++; index < ids.length; index = next++)
      outcomes[index] = await planOne(ids[index] as string, index);
  };
  await Promise.all(Array.from({ length: Math.min(PLANNING_CONCURRENCY, ids.length) }, worker));

  const entries: ArchiveEntry[] = [];
  const failures: string[] = [];
  let estimate = 0;
  for (const outcome of outcomes) {
    if ("failure" in outcome) failures.push(outcome.failure);
    else {
      entries.push(outcome.entry);
      estimate += outcome.estimate;
    }
  }
  const exactLength = entries.every((entry) => entry.size !== undefined);
  const headers: Record<string, string> = {
    ...presentationHeaders(context, "application/zip"),
    "Accept-Ranges": "none",
  };
  let copySize = estimate;
  if (exactLength) {
    const sized = entries.map((entry) => ({ name: entry.name, size: entry.size ?? 0 }));
    if (failures.length > 0)
      sized.push({ name: ERRORS_ENTRY, size: Buffer.byteLength(errorsText(failures)) });
    copySize = zipLength(sized);
    headers["Content-Length"] = String(copySize);
  }
  await deps.allowance.check(claims, copySize);
  if (request.method === "HEAD") return { kind: "headers-only", status: 200, headers };
  return {
    kind: "archive-stream",
    headers,
    entries,
    failures,
    exactLength,
    usesFfmpeg: entries.some((entry) => entry.bytes.kind === "ffmpeg-stream"),
    modified: claims.issuedAt,
    metered: (body) => deps.allowance.meter(claims, copySize, body),
  };
}
