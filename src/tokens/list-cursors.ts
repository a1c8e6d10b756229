import { CompactSign, compactVerify } from "jose";
import { z } from "zod";
import { BadUserInputError } from "../core/errors.ts";
import type { ListPosition } from "../core/list-paging.ts";
import type { ListRef } from "../core/video-list.ts";
import { checkCompactShape } from "./compact-jws.ts";
import type { TokenSecret } from "./token-service.ts";

/**
 * Relay cursors of list pages: where an entry sits (the origin's continuation token of its page,
 * its place there and in the list) and which list it belongs to, signed with the token secrets.
 * Nothing is stored: a cursor works after a restart and on every instance that shares the
 * secrets, and a client can neither forge one nor point one at another list.
 */
export interface ListCursors {
  /** The cursor of the entry at `position` in `list`. */
  encode(list: ListRef, position: ListPosition): Promise<string>;
  /** Where the cursor's entry sits. @throws BadUserInputError for any cursor not issued for `list`. */
  decode(list: ListRef, cursor: string): Promise<ListPosition>;
}

// Explicit typing (RFC 8725 §3.11): a cursor is never taken for a download token, nor the reverse.
const CURSOR_TYPE = "downtube-cursor+jwt";
/** Far above a real cursor (a continuation token of a few hundred characters, signed). */
const MAX_CURSOR_LENGTH = 4096;

const payloadSchema = z.object({
  l: z.string(),
  p: z.string().nullable(),
  o: z.number().int().nonnegative(),
  i: z.number().int().positive(),
});

const listKey = (list: ListRef) => `${list.kind}:${list.id}`;
const refused = (detail: string, cause?: unknown) =>
  new BadUserInputError(`after: ${detail}; use a cursor this list's connection returned`, { cause });

/**
 * Cursors signed with the first secret and checked against every one (so a rotation keeps
 * cursors working, as it keeps download tokens).
 * @throws RangeError when `secrets` is empty.
 */
export function createListCursors(secrets: readonly TokenSecret[]): ListCursors {
  const [signer] = secrets;
  if (signer === undefined) throw new RangeError("at least one token secret is required");
  const keys = new Map(secrets.map(({ kid, key }) => [kid, key]));
  const encoder = new TextEncoder();

  return {
    async encode(list, position) {
      const payload = { l: listKey(list), p: position.page ?? null, o: position.offset, i: position.index };
      return new CompactSign(encoder.encode(JSON.stringify(payload)))
        .setProtectedHeader({ alg: "HS256", kid: signer.kid, typ: CURSOR_TYPE })
        .sign(signer.key);
    },

    async decode(list, cursor) {
      if (cursor.length > MAX_CURSOR_LENGTH) throw refused("this cursor is too long");
      let payloadText: string;
      try {
        checkCompactShape(cursor);
        const verified = await compactVerify(
          cursor,
          ({ kid }) => {
            const key = kid === undefined ? undefined : keys.get(kid);
            if (key === undefined) throw new Error("signed with an unknown key");
            return key;
          },
          { algorithms: ["HS256"] },
        );
        if (verified.protectedHeader.typ !== CURSOR_TYPE) throw new Error("not a cursor");
        payloadText = new TextDecoder().decode(verified.payload);
      } catch (error) {
        throw refused("this is not a cursor of downtube's", error);
      }
      let json: unknown;
      try {
        json = JSON.parse(payloadText);
      } catch (error) {
        throw refused("this cursor is malformed", error);
      }
      const payload = payloadSchema.safeParse(json);
      if (!payload.success) throw refused("this cursor is malformed", payload.error);
      if (payload.data.l !== listKey(list)) throw refused("this cursor belongs to another list");
      return { page: payload.data.p ?? undefined, offset: payload.data.o, index: payload.data.i };
    },
  };
}
