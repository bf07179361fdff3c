"""TrendKe's shared library: everything the Lambda handlers import.

Chalice ships only app.py, chalicelib/ and vendor/, so the HTTP routes (chalice_app),
the scheduled jobs (scheduled) and the logic they call all live below this package.
Nothing here does I/O or imports a heavy package at import time.
"""
