"""The storage tests' helpers: what the object store holds, and each backend in turn (the
object-storage server itself is in tests/conftest.py, shared with other tests)."""

import pytest


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
