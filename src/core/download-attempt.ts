/**
 * How a redemption of a download token is served: `download` is the public route's first try;
 * `refresh` follows an origin's refusal of a media URL (403/410): the video is extracted again
 * and the bytes are asked for once more. The one name of that retry, from the route (nginx's
 * hand-back in offload mode) through the planner to the source (`LocateOptions.refresh`).
 */
export type DownloadAttempt = "download" | "refresh";
