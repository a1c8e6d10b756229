import type { VideoService } from "../core/video-service.ts";

/** What every resolver can reach, built per request from the gateway's dependencies. */
export interface GraphQLContext {
  readonly videos: VideoService;
}

/** Settings that shape the schema itself (argument limits). */
export interface SchemaOptions {
  /** How many URLs one `videos` query may ask for. */
  readonly maxBatch: number;
}
