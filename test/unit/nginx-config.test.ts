import { expect, test } from "bun:test";
import { mkdtemp, rm } from "node:fs/promises";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { nginxMainConfig, nginxSite, SLICE_GUARD } from "../../src/offload/nginx-config.ts";

const SITE = {
  listen: "127.0.0.1:18999",
  gateway: "127.0.0.1:18998",
  resolver: "127.0.0.1",
  sliceBytes: 10 * 1024 * 1024,
  timeoutMs: 15_000,
  sliceGuard: SLICE_GUARD,
  streams: { total: 64, perClient: 4 },
};
/** Debian's path of nginx's js module (scripts/setup-nginx.sh installs it). */
const JS_MODULE = "/usr/lib/nginx/modules/ngx_http_js_module.so";

test("the generated configuration passes Debian's nginx -t", async () => {
  const dir = await mkdtemp(join(tmpdir(), "downtube-nginx-conf-"));
  try {
    await Bun.write(join(dir, "nginx.conf"), nginxMainConfig({ ...SITE, dir, jsModule: JS_MODULE }));
    const check = Bun.spawn(
      ["/usr/sbin/nginx", "-t", "-p", `${dir}/`, "-c", join(dir, "nginx.conf"), "-e", "stderr"],
      {
        stderr: "pipe",
      },
    );
    const output = await new Response(check.stderr).text();
    expect({ code: await check.exited, output }).toMatchObject({ code: 0 });
    expect(output).toContain("test is successful");
  } finally {
    await rm(dir, { recursive: true, force: true });
  }
});

test("the internal locations are internal and pass nothing of the client's request to the origin", () => {
  const site = nginxSite(SITE);
  const fetchBlocks = site.split("location ~ ^/_downtube/").slice(1);
  expect(fetchBlocks).toHaveLength(2);
  for (const block of fetchBlocks) {
    expect(block).toContain("internal;");
    expect(block).toContain("proxy_pass_request_headers off;");
    expect(block).toContain("proxy_pass_request_body off;");
    expect(block).toContain(`slice ${SITE.sliceBytes};`);
    expect(block).toContain("js_header_filter downtube_slices.header;");
    expect(block).toContain(`limit_conn downtube_streams ${SITE.streams.total};`);
    expect(block).toContain(`limit_conn downtube_client_streams ${SITE.streams.perClient};`);
  }
  expect(site).toMatch(/location \^~ \/_downtube\/ \{\s+internal;/);
});
