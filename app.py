"""TrendKe edge API: the Lambda handler module Chalice deploys.

`app` serves HTTP (routes in chalicelib/chalice_app); the scheduled handlers come from
chalicelib/scheduled. Nothing here touches the network or the database at import time.
"""
from chalicelib.chalice_app import register_http
from chalicelib.chalice_app.threadsafe import ThreadLocalRequestChalice
from chalicelib.scheduled import register_jobs

app = ThreadLocalRequestChalice(app_name="trendke-api")
register_http(app)
register_jobs(app)
