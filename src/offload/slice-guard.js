// downtube's slice guard: an njs module that nginx runs (see nginx-config.ts), not part of the
// gateway's own code.
//
// nginx 1.22's slice module goes on with the next slice when one breaks off mid-body (an origin
// that resets or times out): the client would get every later slice too, shifted by the bytes
// that never came, and a resume by byte count would build a corrupt file. This header filter
// runs once per slice, before any of the slice's bytes go out, and ends the response at the
// first gap, so that what the client has is always a true prefix of the file.
//
// The measure needs no copy of the bytes: when nginx starts the next slice, every byte before it
// has left for the client, so the connection's byte count minus the slice's first byte is the
// same for every slice of a download, and smaller after a slice that broke off. nginx gives a
// request and its slice subrequests one set of variables: the second slice records the
// difference (the first slice is whole, or there would be no second), every later one compares.

/** The first byte of the slice this response carries, from the origin's Content-Range. */
function sliceStart(r) {
  const range = /^bytes (\d+)-/.exec(r.variables.upstream_http_content_range || "");
  return range === null ? undefined : Number(range[1]);
}

function header(r) {
  const start = sliceStart(r);
  if (start === undefined) return;
  const v = r.variables;
  const difference = String(Number(v.bytes_sent) - start);
  if (v.downtube_slices === "") {
    v.downtube_slices = "first";
  } else if (v.downtube_slice_gap === "") {
    v.downtube_slice_gap = difference;
  } else if (v.downtube_slice_gap !== difference) {
    throw new Error(`a slice before byte ${start} broke off: the download ends here`);
  }
}

export default { header };
