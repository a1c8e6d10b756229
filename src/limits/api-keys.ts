import { timingSafeEqual } from "node:crypto";
import { UnauthenticatedError } from "../core/errors.ts";

/** A configured API key, known by an id derived from it (logs and tokens carry only the id). */
interface ApiKey {
  readonly id: string;
  readonly digest: Uint8Array;
}

const digestOf = (key: string) => new Bun.CryptoHasher("sha256").update(key).digest();

/**
 * The optional API keys (`DOWNTUBE_API_KEYS`). Keys are compared by their SHA-256 digests in
 * constant time, so neither the comparison's timing nor a log line reveals one.
 */
export function createApiKeys(keys: readonly string[] | undefined) {
  const known: ApiKey[] = (keys ?? []).map((key) => ({
    id: `key-${new Bun.CryptoHasher("sha256").update(`downtube api key id:${key}`).digest("hex").slice(0, 12)}`,
    digest: digestOf(key),
  }));
  return {
    /** Whether keys are configured at all (then minting downloads requires one). */
    required: known.length > 0,
    /**
     * The id of the key in an `Authorization: Bearer <key>` header; undefined when there is no
     * such header. Throws `UnauthenticatedError` for a key that is not configured.
     */
    identify(authorization: string | null): string | undefined {
      const match = /^Bearer\s+(\S+)\s*$/i.exec(authorization ?? "");
      if (match?.[1] === undefined || known.length === 0) return undefined;
      const digest = digestOf(match[1]);
      const key = known.find((k) => timingSafeEqual(k.digest, digest));
      if (key === undefined) throw new UnauthenticatedError("unknown API key");
      return key.id;
    },
  };
}

export type ApiKeys = ReturnType<typeof createApiKeys>;
