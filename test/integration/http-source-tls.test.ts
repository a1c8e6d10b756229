import { afterAll, beforeAll, describe, expect, test } from "bun:test";
import { mkdtemp, readFile, rm } from "node:fs/promises";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { gql } from "@urql/core";
import { prepareDownload } from "../support/downloads.ts";
import { type MediaOrigin, startMediaOrigin } from "../support/media-origin.ts";
import { errorCodes, type Stack, startStack } from "../support/stack.ts";

/**
 * An https origin on 127.0.0.1 with a certificate for `media.test` only. The gateway connects to
 * the checked address, so the name must still reach the origin as SNI and be what the
 * certificate is checked against.
 */
let directory: string;
let origin: MediaOrigin;
let stack: Stack;

async function selfSignedFor(name: string): Promise<{ key: string; cert: string }> {
  const key = join(directory, "key.pem");
  const cert = join(directory, "cert.pem");
  const openssl = Bun.spawn(
    [
      "openssl",
      "req",
      "-x509",
      "-newkey",
      "ec",
      "-pkeyopt",
      "ec_paramgen_curve:P-256",
      "-nodes",
      "-days",
      "1",
      "-subj",
      `/CN=${name}`,
      "-addext",
      `subjectAltName=DNS:${name}`,
      "-keyout",
      key,
      "-out",
      cert,
    ],
    { stdout: "ignore", stderr: "pipe" },
  );
  if ((await openssl.exited) !== 0) throw new Error(await new Response(openssl.stderr).text());
  return { key: await readFile(key, "utf8"), cert: await readFile(cert, "utf8") };
}

beforeAll(async () => {
  directory = await mkdtemp(join(tmpdir(), "downtube-tls-"));
  const tls = await selfSignedFor("media.test");
  origin = await startMediaOrigin({ address: "127.0.0.1", tls });
  const names: Record<string, string> = { "media.test": "127.0.0.1", "impostor.test": "127.0.0.1" };
  stack = await startStack(
    {
      DOWNTUBE_HTTP_SOURCE_HOSTS: ["media.test", "impostor.test", "127.0.0.1"]
        .map((h) => `${h}:${origin.port}`)
        .join(","),
      DOWNTUBE_HTTP_SOURCE_ALLOWED_ADDRESSES: "127.0.0.1/32",
    },
    {},
    Date.now,
    {
      // The test's certificate authority is trusted, as an operator's extra CA would be; every
      // other TLS option is the gateway's own.
      fetch: (input, init) => fetch(input, { ...init, tls: { ...init.tls, ca: tls.cert } }),
      resolve: async (name) => {
        const address = names[name];
        if (address === undefined) throw new Error(`no such name: ${name}`);
        return [address];
      },
    },
  );
}, 60_000);
afterAll(async () => {
  await stack.stop();
  await origin.stop();
  await rm(directory, { recursive: true, force: true });
});

const VIDEO = gql`
  query ($url: String!) {
    video(url: $url) { title formats { contentLength } }
  }
`;

describe("an https media URL", () => {
  test("is fetched from the checked address with the name as SNI, Host and certificate name", async () => {
    const url = `https://media.test:${origin.port}/clip.mp4`;
    const result = await stack.client.query(VIDEO, { url }).toPromise();
    expect(result.error).toBeUndefined();
    const ticket = await prepareDownload(stack, { url });
    const response = await fetch(ticket.url, { headers: { Range: "bytes=5-14" } });
    expect(response.status).toBe(206);
    expect(new Uint8Array(await response.arrayBuffer())).toEqual(origin.clip.subarray(5, 15));
    const last = origin.hits.at(-1);
    expect(last).toMatchObject({ host: `media.test:${origin.port}`, sni: "media.test", range: "bytes=5-14" });
  });

  test("is refused when the certificate is not the name's, even at an allowed address", async () => {
    const before = origin.hits.length;
    for (const url of [
      `https://impostor.test:${origin.port}/clip.mp4`,
      `https://127.0.0.1:${origin.port}/clip.mp4`,
    ]) {
      const result = await stack.client.query(VIDEO, { url }).toPromise();
      expect(errorCodes(result.error)).toEqual(["UPSTREAM_ERROR"]);
    }
    // The handshake failed: no request was sent over it.
    expect(origin.hits.length).toBe(before);
  });
});
