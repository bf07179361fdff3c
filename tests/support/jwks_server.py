"""A JWKS key set served over real HTTP on loopback, as Supabase serves its signing keys.

`keys.served` lists the key ids the server currently publishes: add one to rotate, remove
one to revoke. `keys.requests` counts the fetches.
"""
from __future__ import annotations

import json
import threading
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer

import jwt
import pytest
from cryptography.hazmat.primitives.asymmetric import ec, rsa

ISSUER = "https://trendke-test.supabase.co/auth/v1"


class KeySet:
    def __init__(self):
        self.ec_key = ec.generate_private_key(ec.SECP256R1())
        self.rsa_key = rsa.generate_private_key(public_exponent=65537, key_size=2048)
        self.ec_key_2 = ec.generate_private_key(ec.SECP256R1())
        self.served = ["ec-1", "rsa-1"]
        self.requests = 0
        self.fail = False

    def jwks(self) -> dict:
        ec_jwk = json.loads(jwt.algorithms.ECAlgorithm.to_jwk(self.ec_key.public_key()))
        ec_jwk_2 = json.loads(jwt.algorithms.ECAlgorithm.to_jwk(self.ec_key_2.public_key()))
        rsa_jwk = json.loads(jwt.algorithms.RSAAlgorithm.to_jwk(self.rsa_key.public_key()))
        every = {
            "ec-1": {**ec_jwk, "kid": "ec-1", "alg": "ES256", "use": "sig"},
            "rsa-1": {**rsa_jwk, "kid": "rsa-1", "alg": "RS256", "use": "sig"},
            "ec-2": {**ec_jwk_2, "kid": "ec-2", "alg": "ES256", "use": "sig"},
        }
        return {"keys": [every[kid] for kid in self.served]}


@pytest.fixture
def jwks_server():
    from chalicelib import jwks

    keys = KeySet()

    class Handler(BaseHTTPRequestHandler):
        def do_GET(self):  # noqa: N802 (http.server's name)
            keys.requests += 1
            if keys.fail:
                self.send_error(503)
                return
            body = json.dumps(keys.jwks()).encode()
            self.send_response(200)
            self.send_header("Content-Type", "application/json")
            self.send_header("Content-Length", str(len(body)))
            self.end_headers()
            self.wfile.write(body)

        def log_message(self, *args):
            pass

    server = ThreadingHTTPServer(("127.0.0.1", 0), Handler)
    thread = threading.Thread(target=server.serve_forever, daemon=True)
    thread.start()
    url = f"http://127.0.0.1:{server.server_address[1]}/auth/v1/.well-known/jwks.json"
    jwks.forget()
    yield keys, url
    server.shutdown()
    jwks.forget()
