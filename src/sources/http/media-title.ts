/** Longest title taken from an origin, in characters. */
const MAX_TITLE_LENGTH = 200;

function decode(text: string): string | undefined {
  try {
    return decodeURIComponent(text);
  } catch {
    return undefined; // malformed percent-encoding: fall back to the next source of a name
  }
}

/** `filename*=UTF-8''…` (RFC 6266/8187) first, then `filename="…"` or a bare token. */
function dispositionFilename(header: string): string | undefined {
  const extended = /filename\*\s*=\s*utf-8'[^']*'([^;\s]+)/i.exec(header)?.[1];
  if (extended !== undefined) {
    const decoded = decode(extended);
    if (decoded !== undefined) return decoded;
  }
  const quoted = /filename\s*=\s*"((?:[^"\\]|\\.)*)"/i.exec(header)?.[1];
  if (quoted !== undefined) return quoted.replace(/\\(.)/g, "$1");
  return /filename\s*=\s*([^;\s"]+)/i.exec(header)?.[1];
}

/** The last non-empty path segment, percent-decoded. */
function lastSegment(url: URL): string | undefined {
  const segment = url.pathname
    .split("/")
    .filter((part) => part !== "")
    .at(-1);
  return segment === undefined ? undefined : (decode(segment) ?? segment);
}

/**
 * A direct file's title: the `Content-Disposition` filename, else the URL's last path segment,
 * without its extension, control characters and path; at most 200 characters. Undefined when
 * neither gives a name.
 */
export function mediaTitle(contentDisposition: string | null, url: URL): string | undefined {
  const name =
    (contentDisposition === null ? undefined : dispositionFilename(contentDisposition)) ?? lastSegment(url);
  if (name === undefined) return undefined;
  const title = (name.split(/[/\\]/).at(-1) ?? "")
    .replace(/\p{Cc}/gu, " ")
    .replace(/\.[a-z0-9]{1,10}$/i, "")
    .replace(/\s+/g, " ")
    .trim()
    .slice(0, MAX_TITLE_LENGTH);
  return title === "" ? undefined : title;
}
