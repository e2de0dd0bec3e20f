"""A real S3-compatible server for the storage tests: moto's standalone server on loopback."""

import socket
import subprocess
import sys
import time
import uuid
from pathlib import Path

import pytest

from tests.conftest import ON_CI

MOTO = Path(sys.executable).with_name("moto_server")


def _free_port() -> int:
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        return probe.getsockname()[1]


@pytest.fixture(scope="session")
def s3_endpoint(tmp_path_factory):
    if not MOTO.exists():
        if ON_CI:
            pytest.fail("moto_server is not installed (requirements-dev.txt)")
        pytest.skip("moto_server is not installed")
    port = _free_port()
    log = (tmp_path_factory.mktemp("moto") / "moto.log").open("wb")
    server = subprocess.Popen(
        [str(MOTO), "-H", "127.0.0.1", "-p", str(port)], stdout=log, stderr=subprocess.STDOUT
    )
    deadline = time.monotonic() + 30
    while time.monotonic() < deadline:
        try:
            socket.create_connection(("127.0.0.1", port), timeout=1).close()
            break
        except OSError:
            time.sleep(0.1)
    else:
        server.kill()
        pytest.fail("moto_server did not start")
    yield f"http://127.0.0.1:{port}"
    server.terminate()
    server.wait(timeout=10)
    log.close()


S3_SETTINGS = {"S3_ACCESS_KEY_ID": "testing", "S3_SECRET_ACCESS_KEY": "testing"}


@pytest.fixture
def s3_app(app, s3_endpoint):
    """The app with evidence in a fresh bucket of the object-storage server."""
    from workflow.core.object_storage import S3Store

    bucket = f"evidence-{uuid.uuid4().hex[:12]}"
    app.config.update(
        STORAGE_BACKEND="s3", S3_BUCKET=bucket, S3_ENDPOINT_URL=s3_endpoint, **S3_SETTINGS
    )
    app.extensions.pop("workflow.store", None)
    store = S3Store.from_config(app.config)
    store.client.create_bucket(
        Bucket=bucket, CreateBucketConfiguration={"LocationConstraint": "eu-west-2"}
    )
    return app


def objects(app) -> dict[str, dict]:
    from workflow.core.storage import current_store

    store = current_store()
    found = {}
    for digest in store.digests():
        head = store.client.head_object(Bucket=store.bucket, Key=store.key(digest))
        found[digest] = {"type": head["ContentType"], "size": head["ContentLength"]}
    return found


@pytest.fixture(params=["folder", "s3"])
def backend(request) -> str:
    """Each backend in turn, set before the world is built (ask for it before `world`)."""
    if request.param == "s3":
        request.getfixturevalue("s3_app")
    return request.param
