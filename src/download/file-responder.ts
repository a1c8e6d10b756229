import { withOwnedChunks } from "../http/owned-chunks.ts";
import type { StreamSlots } from "../limits/stream-slots.ts";
import type { ByteAllowance } from "../tokens/byte-allowance.ts";
import type { FilePlan } from "./download-plan.ts";
import { answerFile, type Redemption } from "./file-answer.ts";

export interface FileResponderDeps {
  readonly slots: StreamSlots;
  readonly allowance: ByteAllowance;
}

/**
 * Answers a {@link FilePlan} with the bytes passing through the gateway: exact Content-Length,
 * Range/If-Range (206, 416), a strong ETag and HEAD. The status line goes out only once the
 * origin has answered.
 */
export function createFileResponder(deps: FileResponderDeps) {
  return async (redemption: Redemption, plan: FilePlan): Promise<Response> => {
    const answer = await answerFile(deps.allowance, redemption, plan);
    if (answer.kind === "answered") return answer.response;
    const { request, claims, clientId, onClose } = redemption;

    // A stream holds its slot until the response is over, however it ends.
    onClose(deps.slots.acquire(clientId));
    const media = await plan.bytes.open(answer.range, request.signal);
    // `maxUses` counts the bytes actually sent, so an origin failure costs nothing.
    const body = deps.allowance.meter(claims, plan.size, media.body);
    return new Response(withOwnedChunks(body), { status: answer.status, headers: answer.headers });
  };
}
