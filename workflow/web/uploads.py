"""Receiving uploaded files: where a file waits while its request is read.

Werkzeug keeps an uploaded file in memory, then past 500 KB in a temporary file. When that
disk is full or read-only, the rest of the form is still read, so what the person typed is
kept and the form can be shown again, and reading the file raises the store's refusal
(StorageFull, StorageUnavailable) instead of a server error. The temporary file is
anonymous (unlinked as it is made), so nothing is left behind either way.
"""

from tempfile import SpooledTemporaryFile

from flask import Request

from workflow.core.errors import StorageError
from workflow.core.storage import refusal_for

IN_MEMORY_BYTES = 500 * 1024  # werkzeug's own threshold


class UploadSpool(SpooledTemporaryFile):
    """An uploaded file as it arrives: reads raise the refusal if the disk would not take it."""

    def __init__(self):
        super().__init__(max_size=IN_MEMORY_BYTES, mode="rb+")
        self.refusal: StorageError | None = None

    def write(self, data) -> int:
        if self.refusal is None:
            try:
                return super().write(data)
            except OSError as error:
                self.refusal = refusal_for(error)
                if self.refusal is None:
                    raise
        return len(data)  # the rest of the file is read off the request and dropped

    def _refuse(self) -> None:
        if self.refusal is not None:
            raise self.refusal

    def read(self, *args):
        self._refuse()
        return super().read(*args)

    def read1(self, *args):
        self._refuse()
        return super().read1(*args)

    def readinto(self, buffer):
        self._refuse()
        return super().readinto(buffer)

    def readinto1(self, buffer):
        self._refuse()
        return super().readinto1(buffer)

    def __iter__(self):
        self._refuse()
        return super().__iter__()

    def readline(self, *args):
        self._refuse()
        return super().readline(*args)

    def readlines(self, *args):
        self._refuse()
        return super().readlines(*args)


class UploadRequest(Request):
    def _get_file_stream(
        self, total_content_length, content_type, filename=None, content_length=None
    ):
        return UploadSpool()
