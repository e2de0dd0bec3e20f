"""Account tests send real email to a local SMTP server (the same one the reminders use)."""

from tests.oversight.conftest import smtp_server  # noqa: F401  (a fixture, used by name)
