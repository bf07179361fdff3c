"""The OpenAPI 3.1 document of the API, built on first request (never at import time)."""
