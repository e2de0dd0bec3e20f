"""Domain exceptions raised by the rules, each carrying a message for the user."""


class RuleError(Exception):
    """A business rule refused the change; the message says why, in plain words."""

    def __init__(self, message: str, field: str | None = None):
        super().__init__(message)
        self.message = message
        self.field = field


class StaleError(RuleError):
    """The record changed after the user opened the form (optimistic locking)."""


class Throttled(RuleError):
    """Too many failed attempts: the person must wait before trying again."""


class StorageError(RuleError):
    """The store, not the file, is the problem: nothing was kept. A page showing the refusal
    answers ``http_status``, so monitoring sees the service's fault as one."""

    http_status = 503


class StorageUnavailable(StorageError):
    """The store could not be reached, or refuses to be written (read-only, no permission):
    nothing was kept, and trying again later may work."""

    http_status = 503

    def __init__(self):
        super().__init__(
            "The file could not be stored just now. Try again in a few minutes", "file"
        )


class StorageFull(StorageError):
    """The store has no room left (disk full, quota reached): nothing was kept, and nothing
    will be until an administrator makes room."""

    http_status = 507

    def __init__(self):
        super().__init__(
            "The file could not be stored because there is no room left for files. Nothing "
            "has been saved. Tell an administrator at your council",
            "file",
        )


class AlteredFile(StorageError):
    """A stored file's bytes no longer match the SHA-256 it is kept under: it is never served
    in place of what was stored, and nothing but a restore from a backup mends it. Until
    then the file is unavailable (503), which monitoring reports like any other outage."""

    http_status = 503

    def __init__(self, sha256: str):
        super().__init__(
            "The file in the store does not match the SHA-256 it was kept with, so it has not "
            "been sent. Tell an administrator at your council: it must be restored from a backup"
        )
        self.sha256 = sha256


class MissingFile(LookupError):
    """No file with that SHA-256 is in the store."""
