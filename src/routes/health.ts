import type { Route } from "./route.ts";

/** `GET|HEAD /healthz`: the process is alive and answering; says nothing about its dependencies. */
export const healthRoute: Route = {
  pattern: "/healthz",
  methods: ["GET", "HEAD"],
  handle: () => Response.json({ status: "ok" }),
};
