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


class StorageUnavailable(RuleError):
    """The store could not be reached: nothing was kept, and trying again later may work."""

    def __init__(self):
        super().__init__(
            "The file could not be stored just now. Try again in a few minutes", "file"
        )


class MissingFile(LookupError):
    """No file with that SHA-256 is in the store."""
