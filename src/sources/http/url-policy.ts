import { UnsupportedUrlError } from "../../core/errors.ts";
import { type HostRule, hostOf, portOf } from "../../core/host-rule.ts";

/** Longest normalised URL the source takes: it travels inside the download token (4096 chars). */
export const MAX_MEDIA_URL_LENGTH = 2048;

function matches(rule: HostRule, host: string): boolean {
  return rule.wildcard ? host.endsWith(`.${rule.host}`) : host === rule.host;
}

/** Which URLs the direct-URL source takes at all, before any address is looked at. */
export interface UrlPolicy {
  /** True when `input` is an absolute http(s) URL: this source's business, allowed or not. */
  claims(input: string): boolean;
  /**
   * The normalised URL if it may be fetched: http or https, no credentials, a listed host, port
   * 80, 443 or one its rule names, at most {@link MAX_MEDIA_URL_LENGTH} characters.
   * @throws UnsupportedUrlError naming what is refused; no request is ever made for it.
   */
  check(input: string | URL): URL;
}

/** The {@link UrlPolicy} of `DOWNTUBE_HTTP_SOURCE_HOSTS` (parsed with {@link parseHostRule}). */
export function createUrlPolicy(rules: readonly HostRule[]): UrlPolicy {
  return {
    claims: (input) => /^https?:\/\//i.test(input.trim()),

    check(input) {
      let url: URL;
      try {
        url = new URL(typeof input === "string" ? input.trim() : input.href);
      } catch (error) {
        throw new UnsupportedUrlError("not a valid URL", { cause: error });
      }
      if (url.protocol !== "http:" && url.protocol !== "https:")
        throw new UnsupportedUrlError("direct media URLs must be http or https");
      if (url.username !== "" || url.password !== "")
        throw new UnsupportedUrlError("media URLs with credentials are refused");
      const host = hostOf(url);
      const matching = rules.filter((rule) => matches(rule, host));
      if (matching.length === 0)
        throw new UnsupportedUrlError("this host is not on the gateway's list of media hosts");
      const port = portOf(url);
      if (port !== 80 && port !== 443 && !matching.some((rule) => rule.port === port))
        throw new UnsupportedUrlError("this port is not allowed for media URLs");
      url.hash = "";
      if (url.href.length > MAX_MEDIA_URL_LENGTH)
        throw new UnsupportedUrlError(`media URLs may have at most ${MAX_MEDIA_URL_LENGTH} characters`);
      return url;
    },
  };
}
