"""A real OpenID Connect provider on loopback, for single sign-on tests.

It is oidc-provider-mock's server (real discovery, JWKS, authorisation and token endpoints
that sign real RS256 tokens), with two test controls added: `spoil` makes the next ID tokens
wrong in one way (audience, expiry, nonce, or signed by a key the provider never published),
and `rotate_key()` replaces the signing key the way a provider rotates its keys.
"""

import threading
import time
from contextlib import contextmanager
from dataclasses import dataclass, field

import requests
from werkzeug.serving import make_server


@dataclass
class Provider:
    issuer: str
    spoil: set[str] = field(default_factory=set)
    _app: object = None

    def add_user(self, subject: str, **claims) -> None:
        response = requests.put(f"{self.issuer}/users/{subject}", json=claims, timeout=10)
        response.raise_for_status()

    def rotate_key(self) -> None:
        requests.post(f"{self.issuer}/test/rotate-key", timeout=10).raise_for_status()

    def approve(self, authorisation_url: str, subject: str) -> str:
        """What the person's browser does at the provider: choose who they are; the
        provider answers with a redirect back to the app, whose address is returned."""
        response = requests.post(
            authorisation_url, data={"sub": subject}, allow_redirects=False, timeout=10
        )
        assert response.status_code == 302, response.text[:500]
        return response.headers["Location"]


def _spoiled(token: str, spoil: set[str], provider_key) -> str:
    from joserfc import jwk, jwt

    signing_key = jwk.import_key(provider_key.as_dict(is_private=True))
    decoded = jwt.decode(token, signing_key)
    claims = dict(decoded.claims)
    if "audience" in spoil:
        claims["aud"] = "another-application"
    if "expired" in spoil:
        claims["iat"] = int(time.time()) - 7200
        claims["exp"] = int(time.time()) - 3600
    if "nonce" in spoil:
        claims["nonce"] = "a-nonce-this-app-never-sent"
    key = signing_key
    if "signature" in spoil:
        # Same key id, different key: only checking the signature can catch it.
        key = jwk.RSAKey.generate_key(2048, parameters={"kid": signing_key.kid}, private=True)
    header = {"alg": "RS256", "kid": signing_key.kid}
    return jwt.encode(header, claims, key)


def build_provider_app(provider: Provider):
    import flask
    import oidc_provider_mock
    from authlib import jose

    app = oidc_provider_mock.app(require_nonce=True, issue_refresh_token=False)

    @app.after_request
    def spoil_id_token(response):
        if flask.request.path == "/oauth2/token" and provider.spoil and response.is_json:
            body = response.get_json()
            if "id_token" in body:
                key = flask.g.oidc_provider_mock_storage.jwk
                body["id_token"] = _spoiled(body["id_token"], provider.spoil, key)
                response.set_data(flask.json.dumps(body))
        return response

    @app.post("/test/rotate-key")
    def rotate_key():
        storage = flask.g.oidc_provider_mock_storage
        storage.jwk = jose.RSAKey.generate_key(is_private=True)
        return "", 204

    return app


@contextmanager
def running_provider():
    provider = Provider(issuer="")
    app = build_provider_app(provider)
    server = make_server("127.0.0.1", 0, app, threaded=True)
    thread = threading.Thread(target=server.serve_forever, daemon=True)
    thread.start()
    provider.issuer = f"http://127.0.0.1:{server.server_port}"
    try:
        yield provider
    finally:
        server.shutdown()
