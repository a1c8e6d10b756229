/**
 * What GraphiQL opens with (yoga's `defaultQuery`), instead of its stock text: downtube's own short
 * welcome and two operations that run as they are, a `video` query and a `prepareDownload`.
 *
 * The example is YouTube's first video ("Me at the zoo"), there for good; the simulated YouTube
 * of `npm run demo` serves the same id, so the example works offline too.
 */
export const EXAMPLE_VIDEO_ID = "jNQXAC9IVRw";

export const GRAPHIQL_WELCOME = `# downtube: ask about a video, then get it as a file.
#
# Press the run button (Ctrl-Enter) and pick an operation:
#   Video     the title, channel, length and formats of a video
#   Download  a signed download URL for its best MP4: open it, or save it with curl -fOJ "<url>"
#   Clip      the same, for seconds 1 to 5 only (clip: any range; it reads only what it needs)
#
# url takes any YouTube link or a bare 11-character id. The Docs button lists every field;
# the page for people is at /.

query Video {
  video(url: "https://www.youtube.com/watch?v=${EXAMPLE_VIDEO_ID}") {
    title
    author { name }
    durationSeconds
    formats(filter: { kind: MUXED }) { itag qualityLabel mimeType contentLength }
  }
}

mutation Download {
  prepareDownload(input: { url: "${EXAMPLE_VIDEO_ID}", expiresIn: 600 }) {
    url
    filename
    contentLength
    expiresAt
  }
}

mutation Clip {
  prepareDownload(input: { url: "${EXAMPLE_VIDEO_ID}", clip: { startSeconds: 1, endSeconds: 5 } }) {
    url
    filename
    clip { startSeconds endSeconds }
  }
}
`;
