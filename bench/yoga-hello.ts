/**
 * The bare graphql-yoga hello-world server the gateway's `video` query is compared with: one
 * `hello: String!` field, yoga's defaults, on 127.0.0.1:`PORT` (0: any free port). Served by
 * `node:http` as the gateway is, or by `Bun.serve` with `--bun-serve`. Logs one JSON line naming
 * its URL, and stops on SIGTERM/SIGINT. Started by `bench/run.ts`, not meant to be used alone.
 */
import { createServer } from "node:http";
import type { AddressInfo } from "node:net";
import { createSchema, createYoga } from "graphql-yoga";

const yoga = createYoga({
  schema: createSchema({
    typeDefs: "type Query { hello: String! }",
    resolvers: { Query: { hello: () => "world" } },
  }),
});
const port = Number(process.env.PORT ?? 0);
const announce = (url: string) => process.stdout.write(`${JSON.stringify({ message: "listening", url })}\n`);

let stop: () => void;
if (process.argv.includes("--bun-serve")) {
  const server = Bun.serve({ hostname: "127.0.0.1", port, fetch: yoga });
  announce(`http://127.0.0.1:${server.port}/`);
  stop = () => void server.stop(true).then(() => process.exit(0));
} else {
  const server = createServer(yoga);
  server.listen(port, "127.0.0.1", () =>
    announce(`http://127.0.0.1:${(server.address() as AddressInfo).port}/`),
  );
  stop = () => {
    server.close(() => process.exit(0));
    server.closeAllConnections();
  };
}
for (const signal of ["SIGINT", "SIGTERM"] as const) process.once(signal, () => stop());
