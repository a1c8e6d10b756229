import { z } from "zod";
import { emptyAsUndefined, positive } from "./schema-parts.ts";

/** `DOWNTUBE_OFFLOAD=nginx`: nginx carries file downloads the gateway decided. */
export const offloadSettings = z
  .object({
    DOWNTUBE_OFFLOAD: z.preprocess(
      emptyAsUndefined,
      z.enum(["none", "nginx"], { error: "expected none or nginx" }).default("none"),
    ),
    DOWNTUBE_NGINX: z.preprocess(emptyAsUndefined, z.string().default("/usr/sbin/nginx")),
    DOWNTUBE_NGINX_RESOLVER: z.preprocess(emptyAsUndefined, z.string().optional()),
    DOWNTUBE_NGINX_SLICE_BYTES: positive(10 * 1024 * 1024, "number of bytes"),
  })
  .transform((env) => ({
    /** `nginx`: file downloads are answered with an X-Accel-Redirect for nginx to carry. */
    mode: env.DOWNTUBE_OFFLOAD,
    /** The nginx binary `npm run start:nginx` runs. */
    nginx: env.DOWNTUBE_NGINX,
    /** DNS servers nginx asks for origin host names; undefined: those of /etc/resolv.conf. */
    resolver: env.DOWNTUBE_NGINX_RESOLVER,
    /**
     * nginx's slice size: it reads the origin one slice after another, so its slices stay larger
     * than the JS path's parallel ranges (`DOWNTUBE_UPSTREAM_CHUNK_BYTES`).
     */
    sliceBytes: env.DOWNTUBE_NGINX_SLICE_BYTES,
  }));
