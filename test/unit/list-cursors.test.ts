import { describe, expect, test } from "bun:test";
import { BadUserInputError, TokenInvalidError } from "../../src/core/errors.ts";
import { createListCursors } from "../../src/tokens/list-cursors.ts";
import { tokenSecretsFrom } from "../../src/tokens/token-secrets.ts";
import { createTokenService } from "../../src/tokens/token-service.ts";

const [oldSecret, newSecret] = [
  "an-old-secret-of-at-least-thirty-two-bytes",
  "a-new-secret-of-at-least-thirty-two-bytes!",
];
const list = { kind: "playlist", id: "PLrAXtmErZgOeiKm4sgNOknGvNjby9efdf" } as const;
const position = { page: "4qmFsgJhEiRWTFBMcgAXtmEr", offset: 41, index: 142 };

describe("list cursors", () => {
  test("a cursor gives back the position it was made for, under a rotated key list too", async () => {
    const cursor = await createListCursors(tokenSecretsFrom([oldSecret])).encode(list, position);
    expect(await createListCursors(tokenSecretsFrom([oldSecret])).decode(list, cursor)).toEqual(position);
    expect(await createListCursors(tokenSecretsFrom([newSecret, oldSecret])).decode(list, cursor)).toEqual(
      position,
    );
    const first = await createListCursors(tokenSecretsFrom([oldSecret])).encode(list, {
      ...position,
      page: undefined,
    });
    expect((await createListCursors(tokenSecretsFrom([oldSecret])).decode(list, first)).page).toBeUndefined();
  });

  test("refuses a cursor of another list, another key, or with any byte changed", async () => {
    const cursors = createListCursors(tokenSecretsFrom([oldSecret]));
    const cursor = await cursors.encode(list, position);
    await expect(cursors.decode({ kind: "channel", id: list.id }, cursor)).rejects.toBeInstanceOf(
      BadUserInputError,
    );
    await expect(
      createListCursors(tokenSecretsFrom([newSecret])).decode(list, cursor),
    ).rejects.toBeInstanceOf(BadUserInputError);
    for (let i = 0; i < cursor.length; i += 7) {
      const changed = cursor.slice(0, i) + (cursor[i] === "A" ? "B" : "A") + cursor.slice(i + 1);
      await expect(cursors.decode(list, changed)).rejects.toBeInstanceOf(BadUserInputError);
    }
  });

  test("a cursor is never a download token, nor a download token a cursor, under the same secret", async () => {
    const secrets = tokenSecretsFrom([oldSecret]);
    const tokens = createTokenService({ secrets, clock: () => 1_800_000_000_000, randomId: () => "id" });
    const cursors = createListCursors(secrets);
    const signed = await tokens.sign(
      {
        source: "youtube",
        videoId: "dQw4w9WgXcQ",
        delivery: { kind: "file", itag: 18 },
        disposition: "attachment",
        filename: "a.mp4",
      },
      60,
    );
    await expect(cursors.decode(list, signed.token)).rejects.toBeInstanceOf(BadUserInputError);
    await expect(tokens.verify(await cursors.encode(list, position))).rejects.toBeInstanceOf(
      TokenInvalidError,
    );
  });
});
