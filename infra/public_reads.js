// CloudFront Function (cloudfront-js-2.0), viewer request, on the behaviours that mix public
// reads with token-carrying requests (the default one, /v1/videos/*/comments, /v1/users/*/*).
// A GET or HEAD of a path below loses its Authorization header before the cache key is made,
// so signed-in and anonymous readers share one entry. Every route these paths name is
// declared auth=anonymous (it never reads the caller); tests/test_edge_stack.py runs this file
// on every route of the app and checks it. Writes on the same paths (a comment, a follow, a
// block) and every other read (a host's guest requests, my balance) keep the header.
var PUBLIC_READS = [
  /^\/v1\/videos\/[^\/]+(\/comments)?$/,
  /^\/v1\/users\/[^\/]+\/(videos|followers|following)$/,
  /^\/live\/(participants\/)?[^\/]+$/
];

function handler(event) {
  var request = event.request;
  if (request.method !== 'GET' && request.method !== 'HEAD') {
    return request;
  }
  for (var i = 0; i < PUBLIC_READS.length; i++) {
    if (PUBLIC_READS[i].test(request.uri)) {
      delete request.headers['authorization'];
      break;
    }
  }
  return request;
}
