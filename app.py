"""TrendKe edge API: the Lambda handler module Chalice deploys.

`app` serves HTTP (routes in chalicelib/chalice_app), the live WebSocket (handlers below,
logic in chalicelib/chalice_app/live_ws.py and chalicelib/live), the scheduled handlers
from chalicelib/scheduled and the trending purge (chalicelib/trending/removal.py). Nothing
here touches the network or the database at import time.
"""
from chalicelib.chalice_app import live_ws, register_http
from chalicelib.chalice_app.threadsafe import ThreadLocalRequestChalice
from chalicelib.scheduled import register_jobs

app = ThreadLocalRequestChalice(app_name="trendke-api")
app.experimental_feature_flags.update(["WEBSOCKETS"])
register_http(app)
register_jobs(app)


# Chalice registers WebSocket handlers on the app only (not through blueprints).
@app.on_ws_connect()
def live_connect(event):
    return live_ws.connect(event)


@app.on_ws_message()
def live_message(event):
    return live_ws.message(event)


@app.on_ws_disconnect()
def live_disconnect(event):
    return live_ws.disconnect(event)


@app.lambda_function(name="live_welcome")
def live_welcome(event, context):
    return live_ws.welcome(event)


# Invoked asynchronously after a removal (chalicelib/trending/purge_call.py): rewrites the
# stored trending lists without the videos and invalidates the edge.
@app.lambda_function(name="trending_purge")
def trending_purge(event, context):
    from chalicelib.trending import removal  # only this function needs it: not at import

    return removal.handle(event)
