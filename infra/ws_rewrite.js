// CloudFront Function (cloudfront-js-2.0), viewer request, on /ws/*: the frontend opens
// wss://<api host>/ws/live/{session_id}?token=..&username=..; API Gateway's WebSocket API
// only answers on its stage path, so the session id moves into the query string and the
// path becomes the stage. Anything else under /ws/ is a 404 here, before any Lambda runs.
// Kept byte for byte in infra/edge.yaml (tests/test_edge_ws_function.py checks both).
var STAGE_PATH = '/api';
var SESSION = /^\/ws\/live\/([0-9a-fA-F]{8}-[0-9a-fA-F]{4}-[0-9a-fA-F]{4}-[0-9a-fA-F]{4}-[0-9a-fA-F]{12})\/?$/;

function handler(event) {
    var request = event.request;
    var match = SESSION.exec(request.uri);
    if (!match) {
        return {
            statusCode: 404,
            statusDescription: 'Not Found',
            headers: {'content-type': {value: 'application/json'}, 'cache-control': {value: 'no-store'}},
            body: '{"detail":"Not found"}'
        };
    }
    var query = request.querystring || {};
    // The path's id wins over any session_id the client put in the query string.
    query.session_id = {value: match[1].toLowerCase()};
    request.querystring = query;
    request.uri = STAGE_PATH;
    return request;
}
