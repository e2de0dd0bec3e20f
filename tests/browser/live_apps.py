"""The live servers the browser tests drive, and the app behind each one's address, for what
a test does beside the browser.

Kept outside conftest.py, which pytest may load under a second module name.
"""

import threading
from collections.abc import Iterator
from contextlib import closing, contextmanager

from flask import Flask
from werkzeug.serving import make_server

LIVE_APPS: dict = {}


@contextmanager
def serving(app: Flask) -> Iterator[str]:
    """The app on a free loopback port, in a thread, for as long as the block lasts."""
    server = make_server("127.0.0.1", 0, _closing_bodies(app), threaded=True)
    thread = threading.Thread(target=server.serve_forever, daemon=True)
    thread.start()
    base_url = f"http://127.0.0.1:{server.server_port}"
    LIVE_APPS[base_url] = app
    try:
        yield base_url
    finally:
        server.shutdown()


def _closing_bodies(app: Flask):
    """Each response read whole and closed before it is sent. Werkzeug's development server
    leaves a response's file open when the browser drops the connection (it does, moving on
    from a page whose scripts are still arriving), and the warning that follows fails
    whichever test is running when the file is collected."""

    def application(environ, start_response):
        with closing(app(environ, start_response)) as body:
            return [b"".join(body)]

    return application
