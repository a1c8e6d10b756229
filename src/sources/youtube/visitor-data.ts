/**
 * A visitor data value as YouTube's web clients carry it (`context.client.visitorData`): a
 * protobuf of a visitor id (field 1) and the Unix time it was made (field 5), base64url-encoded,
 * then percent-encoded. youtubei.js makes one the same way for a session it generates locally; the
 * gateway makes one at start-up when it needs to bind PO tokens to a visitor and none is configured.
 */
export function makeVisitorData(visitorId: string, unixSeconds: number): string {
  if (!/^[A-Za-z0-9_-]{11}$/.test(visitorId)) throw new RangeError("a visitor id is 11 base64url characters");
  const varint: number[] = [];
  for (let rest = Math.floor(unixSeconds); ; rest = Math.floor(rest / 128)) {
    if (rest < 128) {
      varint.push(rest);
      break;
    }
    varint.push((rest % 128) | 128);
  }
  const bytes = Uint8Array.from([
    0x0a,
    visitorId.length,
    ...Buffer.from(visitorId, "ascii"),
    0x28,
    ...varint,
  ]);
  return encodeURIComponent(Buffer.from(bytes).toString("base64").replace(/\+/g, "-").replace(/\//g, "_"));
}
