import { z } from "zod";
import { nonNegative, optionalHttpUrl } from "./schema-parts.ts";

const PORT_EXPECTED = "expected a port number from 0 to 65535 (0: any free port)";

/** Where and how the gateway listens: `NODE_ENV`, `HOST`, `PORT`, `PUBLIC_URL`, the drain time. */
export const serverSettings = z
  .object({
    NODE_ENV: z
      .enum(["development", "production", "test"], { error: "expected development, production or test" })
      .default("development"),
    // An empty HOST or PORT is refused, not defaulted: an operator who wrote one meant something.
    HOST: z
      .union([z.ipv4(), z.ipv6(), z.literal("localhost")], {
        error: "expected an IP address of this machine (127.0.0.1, 0.0.0.0, ::) or localhost",
      })
      .default("127.0.0.1"),
    PORT: z
      .string()
      .regex(/^\d{1,5}$/, PORT_EXPECTED)
      .default("4000")
      .transform(Number)
      .pipe(z.number().max(65535, PORT_EXPECTED)),
    PUBLIC_URL: optionalHttpUrl,
    DOWNTUBE_SHUTDOWN_GRACE_MS: nonNegative(30_000, "number of milliseconds"),
  })
  .transform((env) => ({
    env: env.NODE_ENV,
    host: env.HOST,
    port: env.PORT,
    /** Base for absolute download URLs; when undefined it is derived from each request. */
    publicUrl: env.PUBLIC_URL,
    /** How long running requests (downloads) may go on after SIGTERM/SIGINT, in milliseconds. */
    shutdownGraceMs: env.DOWNTUBE_SHUTDOWN_GRACE_MS,
  }));
