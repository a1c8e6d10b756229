import { z } from "zod";
import { parseHostRule } from "../core/host-rule.ts";
import { parseCidr } from "../core/ip-address.ts";
import { nonNegative, parsedList, positive } from "./schema-parts.ts";

/** The direct-URL source; off while `DOWNTUBE_HTTP_SOURCE_HOSTS` is empty. */
export const httpSourceSettings = z
  .object({
    DOWNTUBE_HTTP_SOURCE_HOSTS: parsedList(parseHostRule, "a host, *.domain or host:port"),
    DOWNTUBE_HTTP_SOURCE_ALLOWED_ADDRESSES: parsedList(parseCidr, "an IP address or CIDR block"),
    DOWNTUBE_HTTP_SOURCE_MAX_REDIRECTS: nonNegative(3).pipe(
      z.number().max(20, "expected at most 20 redirects"),
    ),
    DOWNTUBE_HTTP_SOURCE_MAX_BYTES: positive(4 * 1024 ** 3, "number of bytes"),
  })
  .transform((env) => ({
    hosts: env.DOWNTUBE_HTTP_SOURCE_HOSTS,
    /** The only way to loopback, private, link-local… addresses. */
    allowedAddresses: env.DOWNTUBE_HTTP_SOURCE_ALLOWED_ADDRESSES,
    maxRedirects: env.DOWNTUBE_HTTP_SOURCE_MAX_REDIRECTS,
    /** Largest file served, in bytes. */
    maxBytes: env.DOWNTUBE_HTTP_SOURCE_MAX_BYTES,
  }));
