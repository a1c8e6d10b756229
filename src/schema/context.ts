import type { ListService } from "../core/list-service.ts";
import type { VideoService } from "../core/video-service.ts";
import type { Client } from "../limits/client-identity.ts";
import type { RateLimiter } from "../limits/rate-limiter.ts";
import type { DownloadTickets } from "../tokens/download-tickets.ts";
import type { ListCursors } from "../tokens/list-cursors.ts";
import type { ExtractionBudget } from "./extraction-budget.ts";

/** What every resolver can reach, built per request from the gateway's dependencies. */
export interface GraphQLContext {
  readonly videos: VideoService;
  /** Playlists and channels' uploads. */
  readonly lists: ListService;
  /** Signs and checks the cursors of list pages. */
  readonly cursors: ListCursors;
  readonly tickets: DownloadTickets;
  /** Where download URLs point: PUBLIC_URL, or the origin the request came to. */
  readonly downloadBase: URL;
  /** Videos this operation may still ask for. */
  readonly budget: ExtractionBudget;
  readonly client: Client;
  readonly limiter: RateLimiter;
  /** Whether minting downloads needs an API key. */
  readonly apiKeyRequired: boolean;
}

/** Settings that shape the schema itself (argument limits). */
export interface SchemaOptions {
  /** How many URLs one `videos` query may ask for. */
  readonly maxBatch: number;
}
